package ecsapi_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/scheduler"
	"github.com/quayside/quayside/internal/store"
)

// The history tests drive a service's deployments by hand, as the
// scheduler would, through ecsdb.RecordServiceDeployments, and read the
// history back with the SDK.

var (
	serviceDeploymentARNRE = regexp.MustCompile(`^arn:aws:ecs:us-east-1:000000000000:service-deployment/prod/api/[A-Za-z0-9_-]{21}$`)
	serviceRevisionARNRE   = regexp.MustCompile(`^arn:aws:ecs:us-east-1:000000000000:service-revision/prod/api/[1-9][0-9]{18}$`)
)

// historyFixture is an API with cluster prod, task definitions web:1 and
// web:2, and a clock the test moves.
type historyFixture struct {
	t   *testing.T
	api *apiServer
	c   *awsecs.Client
	now time.Time
	ids *ecs.IDs
	svc ecs.Service // as last recorded
}

func newHistoryFixture(t *testing.T) *historyFixture {
	f := &historyFixture{t: t, now: testEpoch, ids: ecs.NewIDs(nil)}
	f.api = startAPI(t, apiOptions{Now: func() time.Time { return f.now }})
	f.c = f.api.Client
	mustCreateCluster(t, f.c, "prod")
	mustRegister(t, f.c, fargateWeb("web"))
	mustRegister(t, f.c, fargateWeb("web"))
	return f
}

// deployment is a deployment of web:<rev> created at the fixture's clock.
func (f *historyFixture) deployment(rev int) ecs.Deployment {
	id := f.ids.DeploymentID()
	cfg := ecs.DefaultDeploymentConfiguration(ecs.SchedulingReplica)
	cfg.CircuitBreaker.Enable, cfg.CircuitBreaker.Rollback = true, true
	return ecs.Deployment{ID: id, Status: ecs.DeploymentPrimary, TaskDefinition: tdARN("web", rev),
		CreatedAt: f.now, UpdatedAt: f.now, LaunchType: ecs.LaunchTypeFargate, PlatformVersion: "1.4.0", PlatformFamily: "Linux",
		NetworkConfiguration: &ecs.NetworkConfiguration{Subnets: []string{defaultSubnetA}, AssignPublicIP: ecs.Disabled},
		RolloutState:         ecs.RolloutInProgress, RolloutStateReason: ecs.RolloutReasonInProgress(id), DeploymentConfiguration: cfg}
}

// service is service api running deps, the first of them PRIMARY.
func (f *historyFixture) service(deps ...ecs.Deployment) ecs.Service {
	cfg := ecs.DefaultDeploymentConfiguration(ecs.SchedulingReplica)
	cfg.CircuitBreaker.Enable, cfg.CircuitBreaker.Rollback = true, true
	s := ecs.Service{ARN: serviceARN("prod", "api"), Name: "api", ClusterARN: clusterARN("prod"), Status: ecs.ServiceActive,
		DesiredCount: 2, TaskDefinition: deps[0].TaskDefinition, LaunchType: ecs.LaunchTypeFargate, PlatformVersion: "LATEST",
		PlatformFamily: "Linux", DeploymentConfiguration: cfg, DeploymentController: ecs.ControllerECS,
		NetworkConfiguration: deps[0].NetworkConfiguration, SchedulingStrategy: ecs.SchedulingReplica, CreatedAt: testEpoch,
		Deployments: deps, LastCompleted: f.svc.LastCompleted}
	return s
}

// record writes the service as the scheduler or the API would, a minute
// after the previous change.
func (f *historyFixture) record(after ecs.Service) {
	f.t.Helper()
	f.now = f.now.Add(time.Minute)
	f.api.put(f.t, func(tx store.Tx, s ecsdb.Scope) error {
		before, err := ecsdb.GetService(tx, s, "prod", after.Name)
		if err != nil && !ecsdb.IsNotFound(err) {
			return err
		}
		if err := ecsdb.RecordServiceDeployments(tx, s, "prod", before, after, f.now, f.ids.ServiceDeploymentID); err != nil {
			return err
		}
		return ecsdb.PutService(tx, s, "prod", after)
	})
	f.svc = after
}

// stored reads the service back (StopServiceDeployment writes it).
func (f *historyFixture) stored() ecs.Service {
	f.t.Helper()
	var svc ecs.Service
	err := f.api.Store.View(context.Background(), func(tx store.ReadTx) error {
		var err error
		svc, err = ecsdb.GetService(tx, ecsdb.Scope{Region: "us-east-1", Account: testAccount}, "prod", "api")
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return svc
}

func (f *historyFixture) list(in *awsecs.ListServiceDeploymentsInput) []types.ServiceDeploymentBrief {
	f.t.Helper()
	if in == nil {
		in = &awsecs.ListServiceDeploymentsInput{}
	}
	in.Cluster, in.Service = aws.String("prod"), aws.String("api")
	out, err := f.c.ListServiceDeployments(context.Background(), in)
	if err != nil {
		f.t.Fatalf("ListServiceDeployments: %v", err)
	}
	return out.ServiceDeployments
}

func (f *historyFixture) describe(arn string) types.ServiceDeployment {
	f.t.Helper()
	out, err := f.c.DescribeServiceDeployments(context.Background(), &awsecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{arn}})
	if err != nil || len(out.ServiceDeployments) != 1 {
		f.t.Fatalf("DescribeServiceDeployments %s: %v %+v", arn, err, out)
	}
	return out.ServiceDeployments[0]
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
}

func completedDep(d ecs.Deployment, running int) ecs.Deployment {
	d.RolloutState, d.RolloutStateReason = ecs.RolloutCompleted, ecs.RolloutReasonCompleted(d.ID)
	d.DesiredCount, d.RunningCount = running, running
	return d
}

func active(d ecs.Deployment) ecs.Deployment {
	d.Status = ecs.DeploymentActive
	return d
}

// rollout records a first deployment that completes, then a second
// deployment of web:2 that is still in progress.
func (f *historyFixture) rollout() (d1, d2 ecs.Deployment) {
	d1 = f.deployment(1)
	f.record(f.service(d1))
	d1 = completedDep(d1, 2)
	s := f.service(d1)
	s.LastCompleted = &d1
	f.record(s)
	d2 = f.deployment(2)
	f.record(f.service(d2, active(d1)))
	return d1, d2
}

func TestServiceDeploymentsHistory(t *testing.T) {
	f := newHistoryFixture(t)
	d1, d2 := f.rollout()
	briefs := f.list(nil)
	if len(briefs) != 2 {
		t.Fatalf("%d service deployments, want 2", len(briefs))
	}
	newer, older := briefs[0], briefs[1]
	rev := func(d ecs.Deployment) string {
		return "arn:aws:ecs:us-east-1:000000000000:service-revision/prod/api/" + ecs.RevisionIDOf(d.ID)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"newer arn", serviceDeploymentARNRE.MatchString(aws.ToString(newer.ServiceDeploymentArn)), true},
		{"newer status", newer.Status, types.ServiceDeploymentStatusInProgress},
		{"newer target", aws.ToString(newer.TargetServiceRevisionArn), rev(d2)},
		{"newer finished", newer.FinishedAt == nil, true},
		{"older status", older.Status, types.ServiceDeploymentStatusSuccessful},
		{"older target", aws.ToString(older.TargetServiceRevisionArn), rev(d1)},
		{"older finished", aws.ToTime(older.FinishedAt), testEpoch.Add(2 * time.Minute)},
		{"older created", aws.ToTime(older.CreatedAt), testEpoch},
		{"service", aws.ToString(older.ServiceArn), serviceARN("prod", "api")},
		{"cluster", aws.ToString(older.ClusterArn), clusterARN("prod")},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	sd := f.describe(aws.ToString(newer.ServiceDeploymentArn))
	if len(sd.SourceServiceRevisions) != 1 || aws.ToString(sd.SourceServiceRevisions[0].Arn) != rev(d1) ||
		sd.SourceServiceRevisions[0].RunningTaskCount != 2 {
		t.Errorf("source revisions %+v", sd.SourceServiceRevisions)
	}
	if cb := sd.DeploymentCircuitBreaker; cb == nil || cb.Status != types.ServiceDeploymentRollbackMonitorsStatusMonitoring || cb.Threshold != 3 {
		t.Errorf("circuit breaker %+v", cb)
	}
	if sd.Alarms == nil || sd.Alarms.Status != types.ServiceDeploymentRollbackMonitorsStatusDisabled {
		t.Errorf("alarms %+v", sd.Alarms)
	}
	if c := sd.DeploymentConfiguration; c == nil || aws.ToInt32(c.MaximumPercent) != 200 || !c.DeploymentCircuitBreaker.Rollback {
		t.Errorf("deployment configuration %+v", c)
	}
	first := f.describe(aws.ToString(older.ServiceDeploymentArn))
	if first.SourceServiceRevisions == nil || len(first.SourceServiceRevisions) != 0 ||
		first.DeploymentCircuitBreaker.Status != types.ServiceDeploymentRollbackMonitorsStatusMonitoringComplete {
		t.Errorf("first deployment: sources %v breaker %+v", first.SourceServiceRevisions, first.DeploymentCircuitBreaker)
	}

	missingARN := "arn:aws:ecs:us-east-1:000000000000:service-revision/prod/api/1234567890123456789"
	out, err := f.c.DescribeServiceRevisions(context.Background(), &awsecs.DescribeServiceRevisionsInput{
		ServiceRevisionArns: []string{rev(d1), missingARN}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ServiceRevisions) != 1 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Arn) != missingARN ||
		aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("revisions %d, failures %+v", len(out.ServiceRevisions), out.Failures)
	}
	r := out.ServiceRevisions[0]
	if !serviceRevisionARNRE.MatchString(aws.ToString(r.ServiceRevisionArn)) || aws.ToString(r.TaskDefinition) != tdARN("web", 1) ||
		r.LaunchType != types.LaunchTypeFargate || aws.ToString(r.PlatformVersion) != "1.4.0" || aws.ToString(r.PlatformFamily) != "Linux" ||
		r.NetworkConfiguration.AwsvpcConfiguration.Subnets[0] != defaultSubnetA || r.GuardDutyEnabled ||
		!aws.ToTime(r.CreatedAt).Equal(testEpoch) {
		t.Errorf("revision %+v", r)
	}
	if len(r.ContainerImages) != 1 || aws.ToString(r.ContainerImages[0].ContainerName) != "web" ||
		aws.ToString(r.ContainerImages[0].Image) != "public.ecr.aws/nginx/nginx:1.27" || r.ContainerImages[0].ImageDigest != nil {
		t.Errorf("container images %+v", r.ContainerImages)
	}
}

func TestListServiceDeploymentsPagingAndFilters(t *testing.T) {
	f := newHistoryFixture(t)
	d := f.deployment(1)
	f.record(f.service(d))
	for i := 0; i < 4; i++ { // four more deployments, each replacing the last
		next := f.deployment(1 + i%2)
		f.record(f.service(next, active(d)))
		d = next
	}
	var arns []string
	in := &awsecs.ListServiceDeploymentsInput{MaxResults: aws.Int32(2)}
	for page := 0; ; page++ {
		in.Cluster, in.Service = aws.String("prod"), aws.String("api")
		out, err := f.c.ListServiceDeployments(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range out.ServiceDeployments {
			arns = append(arns, aws.ToString(b.ServiceDeploymentArn))
		}
		if out.NextToken == nil {
			break
		}
		if page > 3 {
			t.Fatal("paging does not end")
		}
		in.NextToken = out.NextToken
	}
	all := f.list(nil)
	if len(arns) != 5 || len(all) != 5 {
		t.Fatalf("paged %d, listed %d, want 5", len(arns), len(all))
	}
	for i := range all {
		if aws.ToString(all[i].ServiceDeploymentArn) != arns[i] {
			t.Fatalf("page order differs at %d", i)
		}
		if i > 0 && !aws.ToTime(all[i].CreatedAt).Before(aws.ToTime(all[i-1].CreatedAt)) {
			t.Fatalf("not newest first at %d", i)
		}
	}
	if got := f.list(&awsecs.ListServiceDeploymentsInput{Status: []types.ServiceDeploymentStatus{types.ServiceDeploymentStatusStopped}}); len(got) != 4 {
		t.Errorf("STOPPED: %d, want 4", len(got))
	}
	if got := f.list(&awsecs.ListServiceDeploymentsInput{CreatedAt: &types.CreatedAt{
		After: aws.Time(testEpoch.Add(time.Minute)), Before: aws.Time(testEpoch.Add(4 * time.Minute))}}); len(got) != 2 {
		t.Errorf("created between: %d, want 2", len(got))
	}

	bad := []struct {
		name string
		in   *awsecs.ListServiceDeploymentsInput
		code string
	}{
		{"max 0", &awsecs.ListServiceDeploymentsInput{Service: aws.String("api"), Cluster: aws.String("prod"), MaxResults: aws.Int32(0)}, "InvalidParameterException"},
		{"max 101", &awsecs.ListServiceDeploymentsInput{Service: aws.String("api"), Cluster: aws.String("prod"), MaxResults: aws.Int32(101)}, "InvalidParameterException"},
		{"token", &awsecs.ListServiceDeploymentsInput{Service: aws.String("api"), Cluster: aws.String("prod"), NextToken: aws.String("x")}, "InvalidParameterException"},
		{"service", &awsecs.ListServiceDeploymentsInput{Service: aws.String("nope"), Cluster: aws.String("prod")}, "ServiceNotFoundException"},
		{"cluster", &awsecs.ListServiceDeploymentsInput{Service: aws.String("api"), Cluster: aws.String("nope")}, "ClusterNotFoundException"},
	}
	for _, b := range bad {
		_, err := f.c.ListServiceDeployments(context.Background(), b.in)
		t.Run(b.name, func(t *testing.T) { wantCode(t, err, b.code) })
	}
}

func TestDescribeServiceDeploymentsErrors(t *testing.T) {
	f := newHistoryFixture(t)
	ctx := context.Background()
	missingARN := "arn:aws:ecs:us-east-1:000000000000:service-deployment/prod/api/ejGvqq2ilnbKT9qj0vLJe"
	out, err := f.c.DescribeServiceDeployments(ctx, &awsecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{missingARN}})
	if err != nil || len(out.ServiceDeployments) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("%v %+v", err, out)
	}
	many := make([]string, 21)
	for i := range many {
		many[i] = missingARN
	}
	_, err = f.c.DescribeServiceDeployments(ctx, &awsecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: many})
	wantCode(t, err, "InvalidParameterException")
	_, err = f.c.DescribeServiceDeployments(ctx, &awsecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{"ejGvqq2ilnbKT9qj0vLJe"}})
	wantCode(t, err, "InvalidParameterException")
	_, err = f.c.DescribeServiceRevisions(ctx, &awsecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{}})
	wantCode(t, err, "InvalidParameterException")
}

func TestCircuitBreakerRollbackHistory(t *testing.T) {
	f := newHistoryFixture(t)
	d1, d2 := f.rollout()
	d2.RolloutState, d2.RolloutStateReason, d2.FailedTasks = ecs.RolloutFailed, ecs.RolloutReasonCircuitBreaker, 3
	rb := f.deployment(1)
	f.record(f.service(rb, active(d2), active(d1)))
	sd := f.describe(aws.ToString(f.list(nil)[0].ServiceDeploymentArn))
	if sd.Status != types.ServiceDeploymentStatusRollbackInProgress || aws.ToString(sd.StatusReason) != ecs.RolloutReasonCircuitBreaker ||
		sd.Rollback == nil || aws.ToString(sd.Rollback.ServiceRevisionArn) != aws.ToString(f.list(nil)[1].TargetServiceRevisionArn) ||
		sd.DeploymentCircuitBreaker.Status != types.ServiceDeploymentRollbackMonitorsStatusTriggered || sd.DeploymentCircuitBreaker.FailureCount != 3 {
		t.Fatalf("rolling back: %s %q rollback %+v breaker %+v", sd.Status, aws.ToString(sd.StatusReason), sd.Rollback, sd.DeploymentCircuitBreaker)
	}
	if n := len(f.list(nil)); n != 2 {
		t.Fatalf("a rollback listed %d service deployments, want 2", n)
	}
	f.record(f.service(completedDep(rb, 2)))
	if sd := f.describe(aws.ToString(sd.ServiceDeploymentArn)); sd.Status != types.ServiceDeploymentStatusRollbackSuccessful || sd.FinishedAt == nil {
		t.Fatalf("after the rollback: %s", sd.Status)
	}
}

func TestStopServiceDeploymentRollback(t *testing.T) {
	f := newHistoryFixture(t)
	ctx := context.Background()
	d1, d2 := f.rollout()
	arn := aws.ToString(f.list(nil)[0].ServiceDeploymentArn)

	_, err := f.c.StopServiceDeployment(ctx, &awsecs.StopServiceDeploymentInput{ServiceDeploymentArn: aws.String(arn), StopType: types.StopServiceDeploymentStopTypeAbort})
	wantCode(t, err, "InvalidParameterException")

	f.now = f.now.Add(time.Minute)
	out, err := f.c.StopServiceDeployment(ctx, &awsecs.StopServiceDeploymentInput{ServiceDeploymentArn: aws.String(arn), StopType: types.StopServiceDeploymentStopTypeRollback})
	if err != nil || aws.ToString(out.ServiceDeploymentArn) != arn {
		t.Fatalf("StopServiceDeployment: %v %+v", err, out)
	}
	svc := f.stored()
	if len(svc.Deployments) != 3 || svc.Deployments[0].Status != ecs.DeploymentPrimary || svc.Deployments[0].TaskDefinition != tdARN("web", 1) ||
		svc.Deployments[1].ID != d2.ID || svc.Deployments[1].Status != ecs.DeploymentActive || svc.TaskDefinition != tdARN("web", 1) ||
		svc.PlatformVersion != "LATEST" || svc.Deployments[0].PlatformVersion != "1.4.0" {
		t.Fatalf("service after the rollback: td %s, deployments %+v", svc.TaskDefinition, svc.Deployments)
	}
	if want := "(service api) rolling back to deployment " + d1.ID + "."; len(svc.Events) == 0 || svc.Events[0].Message != want {
		t.Errorf("events %+v, want %q", svc.Events, want)
	}
	sd := f.describe(arn)
	if sd.Status != types.ServiceDeploymentStatusRollbackInProgress || sd.StoppedAt == nil || sd.Rollback == nil ||
		aws.ToString(sd.Rollback.ServiceRevisionArn) != aws.ToString(f.list(nil)[1].TargetServiceRevisionArn) {
		t.Fatalf("stopped deployment: %s stopped %v rollback %+v", sd.Status, sd.StoppedAt, sd.Rollback)
	}
	if n := len(f.list(nil)); n != 2 {
		t.Errorf("%d service deployments after a rollback, want 2", n)
	}
	// Stopping again while it rolls back carries on.
	if _, err := f.c.StopServiceDeployment(ctx, &awsecs.StopServiceDeploymentInput{ServiceDeploymentArn: aws.String(arn)}); err != nil {
		t.Fatalf("second stop: %v", err)
	}
	// The scheduler completes the rollback.
	f.svc = svc
	f.record(f.service(completedDep(svc.Deployments[0], 2)))
	if sd := f.describe(arn); sd.Status != types.ServiceDeploymentStatusRollbackSuccessful {
		t.Fatalf("after the rollback: %s", sd.Status)
	}
	_, err = f.c.StopServiceDeployment(ctx, &awsecs.StopServiceDeploymentInput{ServiceDeploymentArn: aws.String(arn)})
	wantCode(t, err, "ConflictException")
}

func TestStopServiceDeploymentErrors(t *testing.T) {
	f := newHistoryFixture(t)
	ctx := context.Background()
	_, err := f.c.StopServiceDeployment(ctx, &awsecs.StopServiceDeploymentInput{
		ServiceDeploymentArn: aws.String("arn:aws:ecs:us-east-1:000000000000:service-deployment/prod/api/ejGvqq2ilnbKT9qj0vLJe")})
	wantCode(t, err, "ServiceDeploymentNotFoundException")
	_, err = f.c.StopServiceDeployment(ctx, &awsecs.StopServiceDeploymentInput{ServiceDeploymentArn: aws.String("not-an-arn")})
	wantCode(t, err, "InvalidParameterException")

	// A service's first deployment has nothing to roll back to.
	f.record(f.service(f.deployment(1)))
	_, err = f.c.StopServiceDeployment(ctx, &awsecs.StopServiceDeploymentInput{ServiceDeploymentArn: f.list(nil)[0].ServiceDeploymentArn})
	wantCode(t, err, "ConflictException")
}

func TestServiceHistoryGoesWithTheService(t *testing.T) {
	f := newHistoryFixture(t)
	d1, _ := f.rollout()
	arn := aws.ToString(f.list(nil)[0].ServiceDeploymentArn)
	gone := f.service(completedDep(d1, 0))
	gone.Status = ecs.ServiceInactive
	f.record(gone)
	if n := len(f.list(nil)); n != 0 {
		t.Fatalf("%d service deployments after deletion", n)
	}
	out, err := f.c.DescribeServiceDeployments(context.Background(), &awsecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{arn}})
	if err != nil || len(out.Failures) != 1 {
		t.Fatalf("%v %+v", err, out)
	}
}

// The scheduler's circuit breaker, fed tasks that never start, rolls the
// service back; recording its plan puts the failed service deployment in
// ROLLBACK_IN_PROGRESS towards the revision that last completed.
func TestSchedulerRollbackRecordsHistory(t *testing.T) {
	f := newHistoryFixture(t)
	d1, d2 := f.rollout()
	svc := f.svc
	var tasks []ecs.Task
	for i := range 3 {
		tasks = append(tasks, ecs.Task{ID: fmt.Sprintf("%032x", i+1), StartedBy: d2.ID, Group: "service:api",
			TaskDefinitionARN: tdARN("web", 2), LastStatus: ecs.TaskStopped, DesiredStatus: ecs.TaskStopped,
			StopCode: ecs.StopTaskFailedToStart, CreatedAt: f.now})
	}
	plan := scheduler.Decide(scheduler.Input{Service: svc, Tasks: tasks, Now: f.now.Add(time.Minute),
		TaskDefs: map[string]ecs.TaskDefinition{}, NewID: f.ids.DeploymentID})
	after := plan.Service
	if p, _ := after.Primary(); p == nil || p.ID == d2.ID || p.TaskDefinition != d1.TaskDefinition {
		t.Fatalf("the scheduler did not roll back: %+v", after.Deployments)
	}
	f.record(after)
	briefs := f.list(nil)
	if len(briefs) != 2 {
		t.Fatalf("%d service deployments, want 2", len(briefs))
	}
	sd := f.describe(aws.ToString(briefs[0].ServiceDeploymentArn))
	if sd.Status != types.ServiceDeploymentStatusRollbackInProgress || sd.Rollback == nil ||
		aws.ToString(sd.Rollback.ServiceRevisionArn) != aws.ToString(briefs[1].TargetServiceRevisionArn) ||
		sd.DeploymentCircuitBreaker.Status != types.ServiceDeploymentRollbackMonitorsStatusTriggered {
		t.Fatalf("after the breaker: %s rollback %+v breaker %+v", sd.Status, sd.Rollback, sd.DeploymentCircuitBreaker)
	}

	// The rollback's tasks run long enough to count: the scheduler
	// completes it.
	rb, _ := after.Primary()
	for i := range 2 {
		tasks = append(tasks, ecs.Task{ID: fmt.Sprintf("%032x", 100+i), StartedBy: rb.ID, Group: "service:api",
			TaskDefinitionARN: rb.TaskDefinition, LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning,
			CreatedAt: f.now, StartedAt: f.now})
	}
	plan = scheduler.Decide(scheduler.Input{Service: after, Tasks: tasks, Now: f.now.Add(time.Hour),
		TaskDefs: map[string]ecs.TaskDefinition{}, NewID: f.ids.DeploymentID})
	if p, _ := plan.Service.Primary(); p == nil || p.RolloutState != ecs.RolloutCompleted {
		t.Fatalf("the rollback did not complete: %+v", plan.Service.Deployments)
	}
	f.record(plan.Service)
	if sd := f.describe(aws.ToString(briefs[0].ServiceDeploymentArn)); sd.Status != types.ServiceDeploymentStatusRollbackSuccessful {
		t.Fatalf("after the rollback: %s", sd.Status)
	}
	if n := len(f.list(nil)); n != 2 {
		t.Errorf("%d service deployments after the rollback, want 2", n)
	}
}
