package main

import (
	"context"
	"errors"
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
	cluster = "bench-services"
	family  = "bench-svc-web"
)

// ecsClient is the benchmark's ECS client; it remembers the services it
// created, for cleanup.
type ecsClient struct {
	*benchecs.Client

	mu       sync.Mutex
	services []string
}

func newECSClient(url string) *ecsClient {
	return &ecsClient{Client: benchecs.New(url, cluster, 8)}
}

// createService creates a Fargate service of the test app with ECS's
// default deployment configuration (100% / 200%).
func (c *ecsClient) createService(ctx context.Context, name string, desired int) error {
	c.mu.Lock()
	c.services = append(c.services, name)
	c.mu.Unlock()
	_, err := c.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster: aws.String(c.Cluster), ServiceName: aws.String(name), TaskDefinition: aws.String(c.TaskDef),
		DesiredCount: aws.Int32(int32(desired)), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets: []string{"subnet-local"}}},
	})
	if err != nil {
		return fmt.Errorf("create service %s: %w", name, err)
	}
	return nil
}

func (c *ecsClient) setDesired(ctx context.Context, name string, desired int) error {
	_, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(c.Cluster), Service: aws.String(name),
		DesiredCount: aws.Int32(int32(desired))})
	if err != nil {
		return fmt.Errorf("update service %s to %d: %w", name, desired, err)
	}
	return nil
}

// service describes one service.
func (c *ecsClient) service(ctx context.Context, name string) (types.Service, error) {
	out, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(c.Cluster), Services: []string{name}})
	if err != nil {
		return types.Service{}, fmt.Errorf("describe services: %w", err)
	}
	if len(out.Services) != 1 {
		return types.Service{}, fmt.Errorf("describe services: %s not found", name)
	}
	return out.Services[0], nil
}

// stable is the SDK's ServicesStable waiter condition: one deployment,
// and as many tasks RUNNING as desired.
func stable(s types.Service) bool {
	return len(s.Deployments) == 1 && s.RunningCount == s.DesiredCount
}

// listTasks lists the tasks of a service (all services when name is
// "") with the given desired status, following nextToken.
func (c *ecsClient) listTasks(ctx context.Context, name string, desired types.DesiredStatus) ([]string, error) {
	in := &ecs.ListTasksInput{Cluster: aws.String(c.Cluster), DesiredStatus: desired, MaxResults: aws.Int32(100)}
	if name != "" {
		in.ServiceName = aws.String(name)
	}
	var arns []string
	for range 1000 { // bounded: 100,000 tasks
		out, err := c.ListTasks(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list tasks: %w", err)
		}
		arns = append(arns, out.TaskArns...)
		if out.NextToken == nil {
			return arns, nil
		}
		in.NextToken = out.NextToken
	}
	return nil, errors.New("list tasks: too many pages")
}

// describe describes tasks, 100 per call, in the order given.
func (c *ecsClient) describe(ctx context.Context, arns []string) ([]types.Task, error) {
	var all []types.Task
	for chunk := range slices.Chunk(arns, 100) {
		out, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(c.Cluster), Tasks: chunk})
		if err != nil {
			return nil, fmt.Errorf("describe tasks: %w", err)
		}
		if len(out.Failures) > 0 {
			return nil, fmt.Errorf("describe tasks: %s %s", aws.ToString(out.Failures[0].Arn), aws.ToString(out.Failures[0].Reason))
		}
		all = append(all, out.Tasks...)
	}
	return all, nil
}

// notStopped lists the tasks of a service (every task of the cluster for
// name "") whose last status is not STOPPED, whatever their desired
// status.
func (c *ecsClient) notStopped(ctx context.Context, name string) ([]types.Task, error) {
	running, err := c.listTasks(ctx, name, types.DesiredStatusRunning)
	if err != nil {
		return nil, err
	}
	stopping, err := c.listTasks(ctx, name, types.DesiredStatusStopped)
	if err != nil {
		return nil, err
	}
	ts, err := c.describe(ctx, append(running, stopping...))
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ts, func(t types.Task) bool { return aws.ToString(t.LastStatus) == "STOPPED" }), nil
}

// waitAllStopped polls every `every` until no task of the service (of
// the cluster for name "") is left with a last status other than
// STOPPED, and returns when it saw that.
func (c *ecsClient) waitAllStopped(ctx context.Context, name string, every, timeout time.Duration) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	for {
		left, err := c.notStopped(ctx, name)
		now := time.Now()
		if err != nil {
			return now, err
		}
		if len(left) == 0 {
			return now, nil
		}
		if now.After(deadline) {
			return now, fmt.Errorf("%d tasks not STOPPED after %s (e.g. %s %s)", len(left), timeout,
				aws.ToString(left[0].TaskArn), aws.ToString(left[0].LastStatus))
		}
		if err := sleep(ctx, every); err != nil {
			return now, err
		}
	}
}

// stopEverything deletes the benchmark's services (force) and stops every
// task of the cluster, then waits until all of them are STOPPED. For
// cleanup.
func (c *ecsClient) stopEverything(ctx context.Context, timeout time.Duration) error {
	c.mu.Lock()
	services := slices.Clone(c.services)
	c.mu.Unlock()
	var errs []error
	for _, name := range services {
		_, err := c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String(c.Cluster), Service: aws.String(name), Force: aws.Bool(true)})
		var nf *types.ServiceNotFoundException
		var na *types.ServiceNotActiveException
		if err != nil && !errors.As(err, &nf) && !errors.As(err, &na) {
			errs = append(errs, fmt.Errorf("delete service %s: %w", name, err))
		}
	}
	arns, err := c.listTasks(ctx, "", types.DesiredStatusRunning)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	if len(arns) > 0 {
		logf("cleanup: stopping %d tasks", len(arns))
	}
	for _, a := range arns {
		if _, err := c.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String(c.Cluster), Task: aws.String(a),
			Reason: aws.String("bench/services cleanup")}); err != nil {
			errs = append(errs, fmt.Errorf("stop task: %w", err))
		}
	}
	if _, err := c.waitAllStopped(ctx, "", 200*time.Millisecond, timeout); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
