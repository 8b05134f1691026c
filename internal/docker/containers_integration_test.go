package docker_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
)

// network creates a labelled bridge network with a random /24 subnet and
// returns an address in it that no container has yet.
func (e *env) network(name string) (id, freeIP string) {
	e.t.Helper()
	var err error
	for range 8 {
		a, b := 200+rand.IntN(50), rand.IntN(256)
		id, err = e.c.NetworkCreate(e.ctx, docker.NetworkCreateOptions{
			Name: name, Labels: e.labels,
			Subnet: fmt.Sprintf("10.%d.%d.0/24", a, b), Gateway: fmt.Sprintf("10.%d.%d.1", a, b),
		})
		if err == nil {
			return id, fmt.Sprintf("10.%d.%d.10", a, b)
		}
	}
	e.t.Fatalf("creating network %s: %v", name, err)
	return "", ""
}

func TestRunTestAppOnNetwork(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	image := e.testApp()
	netName := "quayside-test-" + e.run
	netID, ip := e.network(netName)

	id := e.create("web", &docker.ContainerConfig{
		Image: image,
		Env:   []string{"TESTAPP_BODY=hello " + e.run},
	}, &docker.HostConfig{
		NetworkMode:  netName,
		PortBindings: map[string][]docker.PortBinding{"8080/tcp": {{HostIP: "127.0.0.1"}}}, // dynamic host port
		Memory:       64 << 20,
		Ulimits:      []docker.Ulimit{{Name: "nofile", Soft: 1024, Hard: 2048}},
		CapDrop:      []string{"NET_RAW"},
		ExtraHosts:   []string{"quayside.test:192.0.2.1"},
	}, &docker.NetworkingConfig{EndpointsConfig: map[string]*docker.EndpointSettings{
		netName: {IPAMConfig: &docker.EndpointIPAMConfig{IPv4Address: ip}},
	}})
	e.start(id)

	ctr := e.inspect(id)
	if !ctr.State.Running || ctr.State.Status != "running" || ctr.State.StartedAt.IsZero() {
		t.Errorf("state = %+v, want running", ctr.State)
	}
	ep := ctr.NetworkSettings.Networks[netName]
	if ep == nil || ep.IPAddress != ip || ep.MacAddress == "" || ep.NetworkID != netID {
		t.Fatalf("endpoint on %s = %+v, want IP %s", netName, ep, ip)
	}
	bindings := ctr.NetworkSettings.Ports["8080/tcp"]
	if len(bindings) != 1 || bindings[0].HostPort == "" {
		t.Fatalf("port bindings = %+v, want one dynamic host port", bindings)
	}

	for _, url := range []string{"http://" + ip + ":8080/", "http://127.0.0.1:" + bindings[0].HostPort + "/x"} {
		e.eventually("GET "+url, 10*time.Second, func() error {
			body, err := httpGet(url)
			if err != nil {
				return err
			}
			if !strings.Contains(body, "hello "+e.run+"\n") || !strings.Contains(body, "hostname: "+id[:12]+"\n") {
				return fmt.Errorf("body %q lacks the configured body or the hostname", body)
			}
			return nil
		})
	}

	list, err := e.c.ContainerList(e.ctx, docker.ContainerListOptions{Filters: docker.Filters{"label": {runLabel + "=" + e.run}}})
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].State != "running" {
		t.Errorf("ContainerList = %+v, %v; want just the container", list, err)
	}
	n, err := e.c.NetworkInspect(e.ctx, netName)
	if err != nil || n.Labels[runLabel] != e.run || !strings.HasPrefix(n.Containers[id].IPv4Address, ip+"/") {
		t.Errorf("NetworkInspect = %+v, %v", n, err)
	}

	// Exec: the health probe inside the container.
	execID, err := e.c.ExecCreate(e.ctx, id, docker.ExecConfig{
		Cmd: []string{"/testapp", "-healthcheck", "http://127.0.0.1:8080/health"}, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.c.ExecStart(e.ctx, execID, docker.ExecStartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	err = docker.Demux(&stdout, &stderr, out)
	out.Close()
	if err != nil || !strings.Contains(stderr.String(), "answered 200") {
		t.Errorf("exec output %q / %q, err %v", stdout.String(), stderr.String(), err)
	}
	st, err := e.c.ExecInspect(e.ctx, execID)
	if err != nil || st.Running || st.ExitCode != 0 || st.ContainerID != id {
		t.Errorf("ExecInspect = %+v, %v", st, err)
	}

	stats, err := e.c.ContainerStats(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if stats.MemoryStats.Usage == 0 || stats.MemoryStats.Limit != 64<<20 || len(stats.Raw) == 0 || stats.PreCPUStats.SystemUsage == 0 {
		t.Errorf("stats = %+v", stats.MemoryStats)
	}

	// Graceful stop: SIGTERM, exit 0 well within the timeout.
	began := time.Now()
	if err := e.c.ContainerStop(e.ctx, id, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("stop took %v; SIGTERM was not handled", d)
	}
	ctr = e.inspect(id)
	if ctr.State.Running || ctr.State.ExitCode != 0 || ctr.State.FinishedAt.Before(ctr.State.StartedAt) {
		t.Errorf("after stop, state = %+v", ctr.State)
	}
	if logs, _ := e.logs(id); !strings.Contains(logs, "received SIGTERM\n") {
		t.Errorf("logs %q lack the SIGTERM line", logs)
	}
	if err := e.c.ContainerStop(e.ctx, id, time.Second); err != nil {
		t.Errorf("stopping a stopped container: %v", err)
	}
	if err := e.c.ContainerKill(e.ctx, id, "SIGKILL"); !docker.IsConflict(err) {
		t.Errorf("killing a stopped container: err = %v, want a conflict", err)
	}
}

func TestStopTimeoutKills(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.create("slow", &docker.ContainerConfig{Image: e.testApp(), Cmd: []string{"-stop-delay", "30s"}}, nil, nil)
	e.start(id)
	e.eventually("testapp to listen", 10*time.Second, func() error {
		if out, _ := e.logs(id); !strings.Contains(out, "listening") {
			return fmt.Errorf("logs: %q", out)
		}
		return nil
	})
	began := time.Now()
	if err := e.c.ContainerStop(e.ctx, id, time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d < time.Second || d > 10*time.Second {
		t.Errorf("stop with a 1s timeout took %v", d)
	}
	ctr := e.inspect(id)
	if ctr.State.ExitCode != 137 || ctr.State.OOMKilled {
		t.Errorf("state = %+v, want exit 137 (SIGKILL) without OOM", ctr.State)
	}
	if out, _ := e.logs(id); !strings.Contains(out, "received SIGTERM\ntestapp stopping in 30s\n") {
		t.Errorf("logs %q lack the SIGTERM lines", out)
	}
}

func TestOOMKill(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	image := e.testApp()
	events, err := e.c.Events(e.ctx, docker.EventsOptions{Filters: docker.Filters{
		"type": {"container"}, "label": {runLabel + "=" + e.run}, "event": {"oom", "die"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer events.Close()
	id := e.create("hog", &docker.ContainerConfig{Image: image, Cmd: []string{"-alloc-mib", "256"}},
		&docker.HostConfig{Memory: 32 << 20, MemorySwap: 32 << 20}, nil)
	e.start(id)
	if code := e.wait(id); code != 137 {
		t.Errorf("exit code %d, want 137", code)
	}
	ctr := e.inspect(id)
	if !ctr.State.OOMKilled {
		t.Errorf("state = %+v, want OOMKilled", ctr.State)
	}
	ev := e.nextEvent(events, 10*time.Second, func(ev docker.Event) bool { return ev.Actor.ID == id })
	if ev.Action != "oom" {
		t.Errorf("first event %q, want oom", ev.Action)
	}
	// The kernel may count more than one OOM in the container's cgroup
	// (the allocating process and the kill racing), and Docker sends an
	// oom event for each: the die comes after them all.
	ev = e.nextEvent(events, 10*time.Second, func(ev docker.Event) bool { return ev.Actor.ID == id && ev.Action != "oom" })
	if ev.Action != "die" || ev.Actor.Attributes["exitCode"] != "137" {
		t.Errorf("next event after oom %q %v, want die with exit code 137", ev.Action, ev.Actor.Attributes)
	}
}

func TestHealthCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	image := e.testApp()
	events, err := e.c.Events(e.ctx, docker.EventsOptions{Filters: docker.Filters{
		"type": {"container"}, "label": {runLabel + "=" + e.run},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer events.Close()
	id := e.create("checked", &docker.ContainerConfig{
		Image: image,
		Healthcheck: &docker.HealthConfig{
			Test:     []string{"CMD", "/testapp", "-healthcheck", "http://127.0.0.1:8080/health"},
			Interval: 250 * time.Millisecond, Timeout: 2 * time.Second, Retries: 2,
		},
	}, nil, nil)
	if ctr := e.inspect(id); ctr.Config.Healthcheck == nil || ctr.Config.Healthcheck.Interval != 250*time.Millisecond {
		t.Errorf("health check config = %+v", ctr.Config.Healthcheck)
	}
	e.start(id)
	health := func(ev docker.Event) bool { return ev.Actor.ID == id && ev.HealthStatus() != "" }
	if ev := e.nextEvent(events, 15*time.Second, health); ev.HealthStatus() != docker.HealthHealthy {
		t.Fatalf("first health event %q, want healthy", ev.Action)
	}
	ctr := e.inspect(id)
	if h := ctr.State.Health; h == nil || h.Status != docker.HealthHealthy || len(h.Log) == 0 || h.Log[0].ExitCode != 0 {
		t.Fatalf("health = %+v", h)
	}

	ip := ctr.NetworkSettings.Networks["bridge"].IPAddress
	if _, err := httpGet("http://" + ip + ":8080/sethealth?status=500"); err != nil {
		t.Fatal(err)
	}
	if ev := e.nextEvent(events, 15*time.Second, health); ev.HealthStatus() != docker.HealthUnhealthy {
		t.Fatalf("next health event %q, want unhealthy", ev.Action)
	}
	if h := e.inspect(id).State.Health; h.Status != docker.HealthUnhealthy || h.FailingStreak < 2 {
		t.Errorf("health = %+v, want unhealthy after 2 failures", h)
	}
}

// TestSharedNetworkNamespace is the awsvpc layout: a container joins
// another's network namespace and reaches it on localhost.
func TestSharedNetworkNamespace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.create("app", &docker.ContainerConfig{Image: e.testApp(), Cmd: []string{"-port", "8081"}}, nil, nil)
	e.start(app)
	sidecar := e.create("sidecar", &docker.ContainerConfig{
		Image: e.busybox(),
		Cmd:   []string{"sh", "-c", "for i in $(seq 50); do wget -q -O - http://127.0.0.1:8081/ && exit 0; sleep 0.2; done; exit 1"},
	}, &docker.HostConfig{NetworkMode: "container:" + app}, nil)
	e.start(sidecar)
	if code := e.wait(sidecar); code != 0 {
		out, errOut := e.logs(sidecar)
		t.Fatalf("sidecar exited %d: %s%s", code, out, errOut)
	}
	if out, _ := e.logs(sidecar); !strings.Contains(out, "hostname: "+app[:12]) {
		t.Errorf("sidecar got %q, want the app's reply", out)
	}
	if nets := e.inspect(sidecar).NetworkSettings.Networks; len(nets) != 0 {
		t.Errorf("sidecar has its own networks %v", nets)
	}
}
