// Package benchecs is the ECS client that the task and service
// benchmarks share: an SDK client of a local Quayside that retries failed
// attempts at once and counts them, with the benchmark's cluster and the
// test app's task definition.
package benchecs

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// AppPort is the port the test app serves HTTP on in its task definition.
const AppPort = 8080

// Client is an ECS client of one benchmark's cluster.
type Client struct {
	*ecs.Client
	Cluster string
	TaskDef string // the ARN Register made

	mu        sync.Mutex
	retried   int    // failed attempts the SDK retried
	lastRetry string // the last such failure
}

// New returns a client of the server at url, for cluster, keeping up to
// maxIdle connections to it. The SDK retries up to 3 attempts, at once
// (no backoff, which would land in the latencies measured, and no
// client-side rate limit): over loopback Go's HTTP transport now and then
// fails to read a 200 answer with "use of closed network connection"
// (aws/aws-sdk-go-v2#2737). RunTask is safe to retry: the SDK fills in its
// clientToken, which Quayside replays. Retried attempts are counted
// (Retries) for the report, and their time is part of what is measured.
func New(url, cluster string, maxIdle int) *Client {
	c := &Client{Cluster: cluster}
	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: maxIdle}},
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.RateLimiter = ratelimit.None
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
				o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(c.countFailure)}, o.Retryables...)
			})
		},
	}
	c.Client = ecs.NewFromConfig(cfg)
	return c
}

// countFailure sees every failed attempt before the retryer decides; it
// leaves the decision to the standard checks.
func (c *Client) countFailure(err error) aws.Ternary {
	c.mu.Lock()
	c.retried++
	c.lastRetry = err.Error()
	c.mu.Unlock()
	return aws.UnknownTernary
}

// Retries returns how many attempts failed and were retried, and the last
// failure.
func (c *Client) Retries() (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.retried, c.lastRetry
}

// Server is what WaitAgent needs of the server under measurement.
type Server interface {
	// Check returns an error once the server has exited.
	Check(ctx context.Context) error
	// Tail returns the last n lines of its log.
	Tail(n int) string
}

// WaitAgent creates the cluster and waits until the local agent's
// container instance is listed in it.
func (c *Client) WaitAgent(ctx context.Context, s Server, timeout time.Duration) error {
	if _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(c.Cluster)}); err != nil {
		return fmt.Errorf("create cluster: %w", err)
	}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if err := s.Check(ctx); err != nil {
			return err
		}
		out, err := c.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String(c.Cluster)})
		if err == nil && len(out.ContainerInstanceArns) == 1 {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the agent did not register within %s; the server's log:\n%s", timeout, s.Tail(20))
}

// Register registers family, the Fargate task definition of the test app
// in image: one essential container serving HTTP on AppPort, 0.25 vCPU
// and 512 MiB.
func (c *Client) Register(ctx context.Context, family, image string) error {
	out, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String(image), Essential: aws.Bool(true),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(AppPort)}},
		}},
	})
	if err != nil {
		return fmt.Errorf("register task definition: %w", err)
	}
	c.TaskDef = aws.ToString(out.TaskDefinition.TaskDefinitionArn)
	return nil
}
