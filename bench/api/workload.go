package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The operations the benchmark calls, in the order the mix phase cycles
// through them.
const (
	opRegister     = "RegisterTaskDefinition"
	opDescribe     = "DescribeTaskDefinition"
	opList         = "ListTaskDefinitions"
	opDescribeClus = "DescribeClusters"
)

var mixOps = []string{opRegister, opDescribe, opList, opDescribeClus}

const (
	clusterName   = "bench"
	mixFamily     = "benchmix"
	revsPerFamily = 100 // preloaded revisions per family
)

// newClient returns an ECS client for endpoint with static credentials,
// no retries, no proxy and enough idle connections for every worker.
func newClient(endpoint string, concurrency int) *ecs.Client {
	tr := &http.Transport{
		Proxy:               nil, // loopback only, whatever the environment says
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        4 * concurrency,
		MaxIdleConnsPerHost: 4 * concurrency,
		IdleConnTimeout:     90 * time.Second,
	}
	return ecs.New(ecs.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   &http.Client{Transport: readOnlyBodies{tr}, Timeout: 60 * time.Second},
		Retryer:      aws.NopRetryer{},
	})
}

// readOnlyBodies hides the WriteTo method of request bodies from net/http.
//
// Without it, a fast server makes the SDK fail now and then with "use of
// closed network connection" on a 200 (aws-sdk-go-v2#2737): the SDK closes
// the request body as soon as the response arrives, net/http's check for
// bytes beyond Content-Length can run after that, and smithy-go's closed
// body answers WriteTo with io.EOF as an error, so the transport closes the
// connection under the response being read. Through Read a closed body is a
// plain EOF. The SDK retries these errors by default; this harness does not
// retry, so it avoids them instead, the same way for every server.
type readOnlyBodies struct{ next http.RoundTripper }

func (t readOnlyBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return t.next.RoundTrip(r)
	}
	r2 := *r // a RoundTripper must not modify the request it is given
	r2.Body = readCloser{r.Body}
	return t.next.RoundTrip(&r2)
}

type readCloser struct{ io.ReadCloser }

// dataset is what was preloaded: families of task definitions with their
// revision counts, and every revision for DescribeTaskDefinition.
type dataset struct {
	families []string
	revs     []int
	refs     []tdRef
}

// tdRef is one preloaded revision; s is "family:revision".
type tdRef struct {
	s, family string
	rev       int32
}

func familyName(i int) string { return fmt.Sprintf("benchpre-%05d", i) }

func taskDefInput(family string) *ecs.RegisterTaskDefinitionInput {
	return &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name:         aws.String("app"),
			Image:        aws.String("public.ecr.aws/docker/library/nginx:1.27"),
			Cpu:          128,
			Memory:       aws.Int32(256),
			Essential:    aws.Bool(true),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080), Protocol: types.TransportProtocolTcp}},
			Environment: []types.KeyValuePair{
				{Name: aws.String("MODE"), Value: aws.String("bench")},
				{Name: aws.String("LOG_LEVEL"), Value: aws.String("info")},
			},
		}},
	}
}

// setup creates the cluster and registers n task definitions in families
// of revsPerFamily with concurrency workers.
func setup(ctx context.Context, c *ecs.Client, n, concurrency int) (*dataset, time.Duration, error) {
	if _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(clusterName)}); err != nil {
		return nil, 0, fmt.Errorf("CreateCluster: %w", err)
	}
	nf := max((n+revsPerFamily-1)/revsPerFamily, 1)
	ds := &dataset{families: make([]string, nf), revs: make([]int, nf)}
	for f := range nf {
		ds.families[f] = familyName(f)
	}
	for i := range n {
		ds.revs[i%nf]++
	}
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if _, err := c.RegisterTaskDefinition(ctx, taskDefInput(ds.families[i%nf])); err != nil {
					once.Do(func() { firstErr = fmt.Errorf("RegisterTaskDefinition #%d: %w", i, err) })
					next.Store(int64(n)) // stop every worker
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	if firstErr != nil {
		return nil, took, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, took, err
	}
	for f, fam := range ds.families {
		for r := 1; r <= ds.revs[f]; r++ {
			ds.refs = append(ds.refs, tdRef{s: fmt.Sprintf("%s:%d", fam, r), family: fam, rev: int32(r)})
		}
	}
	return ds, took, nil
}

// describeOnly is the DescribeTaskDefinition phase: random preloaded
// revisions.
func describeOnly(c *ecs.Client, ds *dataset) func(worker int) call {
	return func(worker int) call {
		rng := rand.New(rand.NewPCG(uint64(worker), 1))
		return func(ctx context.Context) (string, error) {
			return opDescribe, describe(ctx, c, ds.refs[rng.IntN(len(ds.refs))])
		}
	}
}

// mix is the mixed phase: each worker cycles through mixOps, starting at
// a different operation so that all four run at every moment.
func mix(c *ecs.Client, ds *dataset) func(worker int) call {
	return func(worker int) call {
		rng := rand.New(rand.NewPCG(uint64(worker), 2))
		k := worker
		reg := taskDefInput(mixFamily)
		clusters := &ecs.DescribeClustersInput{Clusters: []string{clusterName}}
		return func(ctx context.Context) (string, error) {
			op := mixOps[k%len(mixOps)]
			k++
			switch op {
			case opRegister:
				out, err := c.RegisterTaskDefinition(ctx, reg)
				if err == nil && (out.TaskDefinition == nil || out.TaskDefinition.Revision < 1) {
					err = fmt.Errorf("answer has no task definition revision")
				}
				return op, err
			case opDescribe:
				return op, describe(ctx, c, ds.refs[rng.IntN(len(ds.refs))])
			case opList:
				f := rng.IntN(len(ds.families))
				out, err := c.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String(ds.families[f]), MaxResults: aws.Int32(revsPerFamily)})
				if err == nil && len(out.TaskDefinitionArns) != ds.revs[f] {
					err = fmt.Errorf("family %s: %d ARNs, want %d", ds.families[f], len(out.TaskDefinitionArns), ds.revs[f])
				}
				return op, err
			default:
				out, err := c.DescribeClusters(ctx, clusters)
				if err == nil && (len(out.Clusters) != 1 || len(out.Failures) != 0) {
					err = fmt.Errorf("%d clusters and %d failures, want 1 and 0", len(out.Clusters), len(out.Failures))
				}
				return op, err
			}
		}
	}
}

func describe(ctx context.Context, c *ecs.Client, ref tdRef) error {
	out, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(ref.s)})
	if err != nil {
		return err
	}
	td := out.TaskDefinition
	if td == nil || aws.ToString(td.Family) != ref.family || td.Revision != ref.rev || len(td.ContainerDefinitions) != 1 {
		return fmt.Errorf("%s: answer is not that revision with its one container", ref.s)
	}
	return nil
}
