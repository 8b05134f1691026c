package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/quayside/quayside/bench/internal/benchecs"
)

const (
	cluster = "bench-tasks"
	family  = "bench-web"
	// pollEvery is how often DescribeTasks is called while waiting for a
	// status: a latency is known to within this plus one call.
	pollEvery = 20 * time.Millisecond
)

// ecsClient is the benchmark's ECS client; it keeps every task it
// started, so that cleanup can stop them.
type ecsClient struct {
	*benchecs.Client

	mu      sync.Mutex
	started []string
}

func newECSClient(url string) *ecsClient {
	return &ecsClient{Client: benchecs.New(url, cluster, 16)}
}

// runTasks calls RunTask once for count (at most 10) Fargate tasks and
// returns their ARNs.
func (c *ecsClient) runTasks(ctx context.Context, count int) ([]string, error) {
	out, err := c.RunTask(ctx, &ecs.RunTaskInput{
		Cluster: aws.String(c.Cluster), TaskDefinition: aws.String(c.TaskDef),
		LaunchType: types.LaunchTypeFargate, Count: aws.Int32(int32(count)),
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets: []string{"subnet-local"}}},
	})
	if err != nil {
		return nil, fmt.Errorf("run task: %w", err)
	}
	arns := make([]string, 0, len(out.Tasks))
	for _, t := range out.Tasks {
		arns = append(arns, aws.ToString(t.TaskArn))
	}
	c.mu.Lock()
	c.started = append(c.started, arns...)
	c.mu.Unlock()
	if len(out.Failures) > 0 || len(arns) != count {
		f := out.Failures
		return arns, fmt.Errorf("run task: %d of %d tasks started; failures: %s (%s)",
			len(arns), count, aws.ToString(firstOr(f).Reason), aws.ToString(firstOr(f).Detail))
	}
	return arns, nil
}

func firstOr(f []types.Failure) types.Failure {
	if len(f) == 0 {
		return types.Failure{}
	}
	return f[0]
}

// describe describes up to 100 tasks, keyed by ARN.
func (c *ecsClient) describe(ctx context.Context, arns []string) (map[string]types.Task, error) {
	out, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(c.Cluster), Tasks: arns})
	if err != nil {
		return nil, fmt.Errorf("describe tasks: %w", err)
	}
	if len(out.Failures) > 0 {
		return nil, fmt.Errorf("describe tasks: %s %s", aws.ToString(out.Failures[0].Arn), aws.ToString(out.Failures[0].Reason))
	}
	m := make(map[string]types.Task, len(out.Tasks))
	for _, t := range out.Tasks {
		m[aws.ToString(t.TaskArn)] = t
	}
	return m, nil
}

// waitRunning polls DescribeTasks every pollEvery until every task is
// RUNNING, and returns each task as first seen RUNNING with the time it
// was seen, and how long each DescribeTasks call took. A task that stops
// instead is an error.
func (c *ecsClient) waitRunning(ctx context.Context, arns []string, timeout time.Duration) (got map[string]seen, calls []time.Duration, err error) {
	got = make(map[string]seen, len(arns))
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	deadline := time.Now().Add(timeout)
	for {
		var left []string
		for _, a := range arns {
			if _, ok := got[a]; !ok {
				left = append(left, a)
			}
		}
		if len(left) == 0 {
			return got, calls, nil
		}
		t0 := time.Now()
		ts, err := c.describe(ctx, left)
		now := time.Now()
		calls = append(calls, now.Sub(t0))
		if err != nil {
			return got, calls, err
		}
		for arn, t := range ts {
			switch aws.ToString(t.LastStatus) {
			case "RUNNING":
				got[arn] = seen{task: t, at: now}
			case "STOPPED", "DEPROVISIONING", "STOPPING", "DEACTIVATING":
				return got, calls, fmt.Errorf("task %s stopped before it ran: %s (%s)", arn, aws.ToString(t.StoppedReason), t.StopCode)
			}
		}
		if now.After(deadline) {
			return got, calls, fmt.Errorf("%d of %d tasks not RUNNING after %s", len(arns)-len(got), len(arns), timeout)
		}
		select {
		case <-ctx.Done():
			return got, calls, ctx.Err()
		case <-tick.C:
		}
	}
}

type seen struct {
	task types.Task
	at   time.Time
}

// stopAndWait stops the tasks and polls until every one is STOPPED.
func (c *ecsClient) stopAndWait(ctx context.Context, arns []string, timeout time.Duration) error {
	for _, a := range arns {
		if _, err := c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String(c.Cluster), Task: aws.String(a),
			Reason: aws.String("bench/tasks")}); err != nil {
			return fmt.Errorf("stop task: %w", err)
		}
	}
	deadline := time.Now().Add(timeout)
	left := slices.Clone(arns)
	for len(left) > 0 {
		var next []string
		for chunk := range slices.Chunk(left, 100) {
			ts, err := c.describe(ctx, chunk)
			if err != nil {
				return err
			}
			for _, a := range chunk {
				if aws.ToString(ts[a].LastStatus) != "STOPPED" {
					next = append(next, a)
				}
			}
		}
		left = next
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d tasks not STOPPED %s after StopTask", len(left), timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// stopEverything stops every task the benchmark started that has not
// stopped yet, for cleanup.
func (c *ecsClient) stopEverything(ctx context.Context, timeout time.Duration) error {
	c.mu.Lock()
	all := slices.Clone(c.started)
	c.mu.Unlock()
	var live []string
	for chunk := range slices.Chunk(all, 100) {
		ts, err := c.describe(ctx, chunk)
		if err != nil {
			return err
		}
		for _, a := range chunk {
			if aws.ToString(ts[a].LastStatus) != "STOPPED" {
				live = append(live, a)
			}
		}
	}
	if len(live) == 0 {
		return nil
	}
	logf("cleanup: stopping %d tasks", len(live))
	return c.stopAndWait(ctx, live, timeout)
}

// taskIP is the private IPv4 address in the task's ENI attachment.
func taskIP(t types.Task) string {
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			if aws.ToString(d.Name) == "privateIPv4Address" {
				return aws.ToString(d.Value)
			}
		}
	}
	return ""
}
