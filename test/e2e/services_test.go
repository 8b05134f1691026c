package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func (e *env) service(name string) types.Service {
	e.t.Helper()
	out, err := e.ecs.DescribeServices(context.Background(), &ecs.DescribeServicesInput{Cluster: aws.String(e.cluster), Services: []string{name}})
	if err != nil || len(out.Services) != 1 {
		e.t.Fatalf("describe service %s: %v %+v", name, err, out)
	}
	return out.Services[0]
}

func (e *env) waitStable(name string, timeout time.Duration) types.Service {
	e.t.Helper()
	w := ecs.NewServicesStableWaiter(e.ecs, func(o *ecs.ServicesStableWaiterOptions) { o.MinDelay, o.MaxDelay = 200*time.Millisecond, time.Second })
	if err := w.Wait(context.Background(), &ecs.DescribeServicesInput{Cluster: aws.String(e.cluster), Services: []string{name}}, timeout); err != nil {
		s := e.service(name)
		e.t.Fatalf("service %s not stable: %v; running %d desired %d deployments %d events %s", name, err, s.RunningCount, s.DesiredCount, len(s.Deployments), eventsText(s))
	}
	return e.service(name)
}

// waitCompleted waits until the service's only deployment is COMPLETED.
func (e *env) waitCompleted(name string, timeout time.Duration) types.Service {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	var s types.Service
	for time.Now().Before(deadline) {
		s = e.service(name)
		if len(s.Deployments) == 1 && s.Deployments[0].RolloutState == types.DeploymentRolloutStateCompleted {
			return s
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.t.Fatalf("service %s did not complete its deployment: %+v %s", name, s.Deployments, eventsText(s))
	return s
}

func eventsText(s types.Service) string {
	var b strings.Builder
	for _, ev := range s.Events {
		b.WriteString("\n  " + aws.ToString(ev.Message))
	}
	return b.String()
}

func hasEventPrefix(s types.Service, prefix string) bool {
	for _, ev := range s.Events {
		if strings.HasPrefix(aws.ToString(ev.Message), prefix) {
			return true
		}
	}
	return false
}

func (e *env) createService(name, td string, desired int32, cfg *types.DeploymentConfiguration) {
	e.t.Helper()
	_, err := e.ecs.CreateService(context.Background(), &ecs.CreateServiceInput{
		Cluster: aws.String(e.cluster), ServiceName: aws.String(name), TaskDefinition: aws.String(td),
		DesiredCount: aws.Int32(desired), LaunchType: types.LaunchTypeFargate, DeploymentConfiguration: cfg,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: []string{"subnet-local"}}},
	})
	if err != nil {
		e.t.Fatalf("create service: %v", err)
	}
}

func (e *env) serviceTasks(name string) []types.Task {
	e.t.Helper()
	return e.serviceTasksDesired(name, "")
}

// serviceTasksDesired lists a service's tasks of a desired status (ECS
// lists RUNNING ones when it is empty).
func (e *env) serviceTasksDesired(name string, desired types.DesiredStatus) []types.Task {
	e.t.Helper()
	ctx := context.Background()
	list, err := e.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(e.cluster), ServiceName: aws.String(name), DesiredStatus: desired})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(list.TaskArns) == 0 {
		return nil
	}
	out, err := e.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(e.cluster), Tasks: list.TaskArns})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.Tasks
}

func (e *env) deleteService(name string) {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.ecs.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String(e.cluster), Service: aws.String(name), Force: aws.Bool(true)}); err != nil {
		e.t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if aws.ToString(e.service(name).Status) == "INACTIVE" {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.t.Fatalf("service %s did not become INACTIVE", name)
}

// A service keeps its desired count, replaces a killed task, rolls out a
// new revision, and drains when deleted.
func TestServiceLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	v1 := e.register(webTask("svc", e.testapp))
	v2 := e.register(webTask("svc", e.testapp, types.KeyValuePair{Name: aws.String("TESTAPP_BODY"), Value: aws.String("version two")}))
	e.createService("web", v1, 2, nil)
	e.waitStable("web", 60*time.Second)
	s := e.waitCompleted("web", 60*time.Second)
	if s.RunningCount != 2 || len(s.Deployments) != 1 || s.Deployments[0].RolloutState != types.DeploymentRolloutStateCompleted {
		t.Fatalf("after create: running %d deployments %+v", s.RunningCount, s.Deployments)
	}
	for _, want := range []string{"(service web) has started 2 tasks: (task ", "(service web) (deployment " + aws.ToString(s.Deployments[0].Id) + ") deployment completed.", "(service web) has reached a steady state."} {
		if !hasEventPrefix(s, want) {
			t.Fatalf("missing event %q in %s", want, eventsText(s))
		}
	}

	// Kill a task's container: the service replaces it.
	tasks := e.serviceTasks("web")
	victim := tasks[0]
	if err := e.docker.ContainerKill(ctx, aws.ToString(victim.Containers[0].RuntimeId), "SIGKILL"); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(aws.ToString(victim.TaskArn), "STOPPED", 30*time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		running := 0
		for _, tk := range e.serviceTasks("web") {
			if aws.ToString(tk.LastStatus) == "RUNNING" && aws.ToString(tk.TaskArn) != aws.ToString(victim.TaskArn) {
				running++
			}
		}
		if running == 2 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.waitStable("web", 60*time.Second)

	// Rolling deployment to v2.
	if _, err := e.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String("web"), TaskDefinition: aws.String(v2)}); err != nil {
		t.Fatal(err)
	}
	s = e.waitStable("web", 90*time.Second)
	if aws.ToString(s.TaskDefinition) != v2 || aws.ToString(s.Deployments[0].TaskDefinition) != v2 {
		t.Fatalf("after update: %s", aws.ToString(s.TaskDefinition))
	}
	for _, tk := range e.serviceTasks("web") {
		if aws.ToString(tk.LastStatus) == "RUNNING" && aws.ToString(tk.TaskDefinitionArn) != v2 {
			t.Fatalf("an old task still runs: %s", aws.ToString(tk.TaskArn))
		}
		if aws.ToString(tk.LastStatus) == "STOPPED" && tk.StopCode == types.TaskStopCodeServiceSchedulerInitiated &&
			!strings.HasPrefix(aws.ToString(tk.StoppedReason), "Scaling activity initiated by (deployment ecs-svc/") {
			t.Fatalf("stopped reason %q", aws.ToString(tk.StoppedReason))
		}
	}
	e.deleteService("web")
}

// A broken revision with the circuit breaker and rollback fails and
// returns the service to the last completed deployment.
func TestCircuitBreakerRollback(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	good := e.register(webTask("cb", e.testapp))
	badDef := webTask("cb", e.testapp)
	badDef.ContainerDefinitions[0].Command = []string{"-crash", "-exit-code", "1"}
	bad := e.register(badDef)
	e.createService("cb", good, 1, &types.DeploymentConfiguration{
		DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true},
		MinimumHealthyPercent:    aws.Int32(100), MaximumPercent: aws.Int32(200)})
	e.waitStable("cb", 60*time.Second)
	s := e.waitCompleted("cb", 60*time.Second)
	goodID := aws.ToString(s.Deployments[0].Id)
	if _, err := e.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String("cb"), TaskDefinition: aws.String(bad)}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(120 * time.Second)
	for time.Now().Before(deadline) {
		s = e.service("cb")
		if hasEventPrefix(s, "(service cb) rolling back to deployment "+goodID+".") && len(s.Deployments) == 1 &&
			s.Deployments[0].RolloutState == types.DeploymentRolloutStateCompleted && aws.ToString(s.TaskDefinition) == good {
			if !hasEventPrefix(s, "(service cb) (deployment ") || !strings.Contains(eventsText(s), "deployment failed: tasks failed to start.") {
				t.Fatalf("no failure event: %s", eventsText(s))
			}
			e.deleteService("cb")
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("no rollback: deployments %+v events %s", s.Deployments, eventsText(s))
}

// Quayside stopped in the middle of a rolling deployment resumes it after
// a restart: the same deployment completes, with no task duplicated.
func TestDeploymentResumesAfterRestart(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, serverOptions(dir))
	ctx := context.Background()
	v1 := e.register(webTask("resume", e.testapp))
	v2 := e.register(webTask("resume", e.testapp, types.KeyValuePair{Name: aws.String("TESTAPP_BODY"), Value: aws.String("v2")}))
	e.createService("resume", v1, 3, nil)
	e.waitCompleted("resume", 60*time.Second)
	out, err := e.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String("resume"), TaskDefinition: aws.String(v2)})
	if err != nil {
		t.Fatal(err)
	}
	deployment := aws.ToString(out.Service.Deployments[0].Id)
	// Wait until the rollout is under way, then stop Quayside.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && len(e.serviceTasks("resume")) <= 3 {
		time.Sleep(50 * time.Millisecond)
	}
	e.srv.Stop()

	e2 := newEnv(t, serverOptions(dir))
	s := e2.waitCompleted("resume", 90*time.Second)
	if aws.ToString(s.Deployments[0].Id) != deployment || aws.ToString(s.TaskDefinition) != v2 {
		t.Fatalf("after restart the deployment is %s (%s), want %s", aws.ToString(s.Deployments[0].Id), aws.ToString(s.TaskDefinition), deployment)
	}
	running := 0
	for _, tk := range e2.serviceTasks("resume") {
		if aws.ToString(tk.LastStatus) == "RUNNING" {
			running++
			if aws.ToString(tk.TaskDefinitionArn) != v2 {
				t.Fatalf("old task still running: %s", aws.ToString(tk.TaskArn))
			}
		}
	}
	if running != 3 {
		t.Fatalf("%d tasks running after the resumed deployment, want 3", running)
	}
	e2.deleteService("resume")
}
