package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/quayside/quayside/bench/internal/benchproc"
)

// build compiles a package of this repository into dir.
func build(dir, pkg, name string) (string, error) {
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return out, nil
}

// startTargets runs n test apps on free loopback ports, on the CPUs in
// set (any when empty).
func startTargets(ps *benchproc.Group, dir, bin string, n int, set []int) ([]string, error) {
	var addrs []string
	for i := range n {
		port, err := freePort("127.0.0.1")
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("target-%d", i+1)
		p, err := ps.Start(name, dir, filepath.Join(dir, name+".log"), pinned(set, bin, "-port", strconv.Itoa(port), "-body", name)...)
		if err != nil {
			return nil, err
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if err := p.WaitListening(addr, 10*time.Second); err != nil {
			return nil, err
		}
		addrs = append(addrs, addr)
	}
	return addrs, nil
}

// startQuayside runs Quayside and configures, through its ELBv2 API, one
// load balancer with one HTTP listener forwarding to the targets; it
// returns the process and the listener's URL once every target is healthy.
// It runs on the CPUs in set (any when empty).
func startQuayside(ctx context.Context, ps *benchproc.Group, dir, bin string, targets []string, set []int) (*benchproc.Proc, string, error) {
	port, err := freePort("127.0.0.1")
	if err != nil {
		return nil, "", err
	}
	api := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	p, err := ps.Start("quayside", dir, filepath.Join(dir, "quayside.log"), pinned(set, bin, "up", "--no-agent", "--listen", api, "--data-dir", filepath.Join(dir, "quayside-data"),
		"--log-level", "warn")...)
	if err != nil {
		return nil, "", err
	}
	if err := p.WaitListening(api, 30*time.Second); err != nil {
		return nil, "", err
	}
	c := elbv2.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("bench", "bench", ""),
		BaseEndpoint: aws.String("http://" + api)})
	lb, err := c.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("bench"), Subnets: []string{"subnet-local"}})
	if err != nil {
		return nil, "", err
	}
	host := *lb.LoadBalancers[0].DNSName
	tg, err := c.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("bench"), Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: aws.String("vpc-local"), TargetType: types.TargetTypeEnumIp, HealthCheckPath: aws.String("/health")})
	if err != nil {
		return nil, "", err
	}
	tgARN := tg.TargetGroups[0].TargetGroupArn
	var ts []types.TargetDescription
	for _, t := range targets {
		h, p, _ := net.SplitHostPort(t)
		n, _ := strconv.Atoi(p)
		ts = append(ts, types.TargetDescription{Id: aws.String(h), Port: aws.Int32(int32(n))})
	}
	if _, err := c.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tgARN, Targets: ts}); err != nil {
		return nil, "", err
	}
	lport, err := freePort(host)
	if err != nil {
		return nil, "", err
	}
	_, err = c.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: types.ProtocolEnumHttp,
		Port: aws.Int32(int32(lport)), DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tgARN}}})
	if err != nil {
		return nil, "", err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := c.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tgARN})
		if err != nil {
			return nil, "", err
		}
		healthy := 0
		for _, d := range out.TargetHealthDescriptions {
			if d.TargetHealth.State == types.TargetHealthStateEnumHealthy {
				healthy++
			}
		}
		if healthy == len(targets) {
			break
		}
		if time.Now().After(deadline) {
			return nil, "", fmt.Errorf("targets not healthy after 30 s: %d of %d", healthy, len(targets))
		}
		time.Sleep(100 * time.Millisecond)
	}
	addr := net.JoinHostPort(host, strconv.Itoa(lport))
	return p, "http://" + addr + "/", p.WaitListening(addr, 10*time.Second)
}

// startNginx runs nginx as a reverse proxy to the targets with keep-alive
// upstream connections and the given number of workers, on the CPUs in set
// (any when empty).
func startNginx(ps *benchproc.Group, dir string, targets []string, workers int, set []int) (*benchproc.Proc, string, error) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		return nil, "", fmt.Errorf("nginx is not installed (apt-get install -y nginx)")
	}
	port, err := freePort("127.0.0.1")
	if err != nil {
		return nil, "", err
	}
	d := filepath.Join(dir, "nginx")
	if err := os.MkdirAll(filepath.Join(d, "logs"), 0o755); err != nil {
		return nil, "", err
	}
	var servers strings.Builder
	for _, t := range targets {
		fmt.Fprintf(&servers, "    server %s;\n", t)
	}
	conf := fmt.Sprintf(`daemon off;
worker_processes %[4]d;
worker_rlimit_nofile 65536;
pid %[1]s/nginx.pid;
error_log %[1]s/logs/error.log warn;
events { worker_connections 32768; }
http {
  access_log off;
  client_body_temp_path %[1]s/body; proxy_temp_path %[1]s/proxy; fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi; scgi_temp_path %[1]s/scgi;
  keepalive_timeout 60s; keepalive_requests 1000000;
  upstream targets {
%[2]s    keepalive 512;
  }
  server {
    listen 127.0.0.1:%[3]d backlog=4096;
    location / {
      proxy_pass http://targets;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`, d, servers.String(), port, workers)
	cfg := filepath.Join(d, "nginx.conf")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		return nil, "", err
	}
	p, err := ps.Start("nginx", d, filepath.Join(d, "nginx.log"), pinned(set, bin, "-p", d, "-c", cfg)...)
	if err != nil {
		return nil, "", err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	return p, "http://" + addr + "/", p.WaitListening(addr, 10*time.Second)
}

// startHAProxy runs HAProxy in HTTP mode, round robin over the targets
// with connection reuse and the given number of threads, on the CPUs in set
// (any when empty). HAProxy reserves two file descriptors per connection,
// so maxconn is half the open files limit.
func startHAProxy(ps *benchproc.Group, dir string, targets []string, threads, maxconn int, set []int) (*benchproc.Proc, string, error) {
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		return nil, "", fmt.Errorf("haproxy is not installed (apt-get install -y haproxy)")
	}
	port, err := freePort("127.0.0.1")
	if err != nil {
		return nil, "", err
	}
	var servers strings.Builder
	for i, t := range targets {
		fmt.Fprintf(&servers, "  server t%d %s\n", i+1, t)
	}
	conf := fmt.Sprintf(`global
  maxconn %d
  nbthread %d
defaults
  mode http
  timeout connect 10s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
  option http-keep-alive
  http-reuse always
frontend bench
  bind 127.0.0.1:%d
  default_backend targets
backend targets
  balance roundrobin
  option forwardfor
%s`, maxconn, threads, port, servers.String())
	d := filepath.Join(dir, "haproxy")
	if err := os.MkdirAll(d, 0o755); err != nil {
		return nil, "", err
	}
	cfg := filepath.Join(d, "haproxy.cfg")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		return nil, "", err
	}
	p, err := ps.Start("haproxy", d, filepath.Join(d, "haproxy.log"), pinned(set, bin, "-db", "-f", cfg)...)
	if err != nil {
		return nil, "", err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	return p, "http://" + addr + "/", p.WaitListening(addr, 10*time.Second)
}

// startRefProxy runs the standard library's reverse proxy (see
// bench/alb/refproxy) in front of the targets, on the CPUs in set (any
// when empty).
func startRefProxy(ps *benchproc.Group, dir string, targets []string, set []int) (*benchproc.Proc, string, error) {
	bin, err := build(dir, "./bench/alb/refproxy", "refproxy")
	if err != nil {
		return nil, "", err
	}
	port, err := freePort("127.0.0.1")
	if err != nil {
		return nil, "", err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	p, err := ps.Start("refproxy", dir, filepath.Join(dir, "refproxy.log"), pinned(set, append([]string{bin, "-listen", addr}, targets...)...)...)
	if err != nil {
		return nil, "", err
	}
	return p, "http://" + addr + "/", p.WaitListening(addr, 10*time.Second)
}
