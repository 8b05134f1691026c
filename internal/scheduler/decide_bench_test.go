package scheduler

import (
	"fmt"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecs"
)

// BenchmarkDecide1000 times one decision for a service of 1,000 tasks in
// the middle of a rolling deployment. Goal: under 1 ms.
func BenchmarkDecide1000(b *testing.B) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	svc := ecs.Service{Name: "web", Status: ecs.ServiceActive, DesiredCount: 1000, SchedulingStrategy: ecs.SchedulingReplica,
		DeploymentConfiguration: rolling(100, 200, true, true), TaskDefinition: v2,
		Deployments: []ecs.Deployment{
			{ID: "ecs-svc/2", Status: ecs.DeploymentPrimary, TaskDefinition: v2, RolloutState: ecs.RolloutInProgress, DeploymentConfiguration: rolling(100, 200, true, true)},
			{ID: "ecs-svc/1", Status: ecs.DeploymentActive, TaskDefinition: v1, RolloutState: ecs.RolloutCompleted, DeploymentConfiguration: rolling(100, 200, true, true)},
		}}
	var tasks []ecs.Task
	for i := 0; i < 1000; i++ {
		dep, td := "ecs-svc/1", v1
		if i%2 == 0 {
			dep, td = "ecs-svc/2", v2
		}
		tasks = append(tasks, ecs.Task{ID: fmt.Sprintf("t%04d", i), StartedBy: dep, TaskDefinitionARN: td,
			LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning, HealthStatus: ecs.HealthHealthy,
			CreatedAt: now.Add(-time.Duration(i) * time.Second), StartedAt: now.Add(-time.Duration(i) * time.Second)})
	}
	in := Input{Service: svc, Tasks: tasks, Now: now, NewID: func() string { return "ecs-svc/3" },
		TaskDefs: map[string]ecs.TaskDefinition{v1: taskDef(v1, true), v2: taskDef(v2, true)}}
	// Benchmark the steady case: the books already know these tasks, as
	// after the decision before.
	in.Service = Decide(in).Service
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := Decide(in)
		if len(p.Launch) == 0 || p.Launch[0].Count != 500 {
			b.Fatalf("planned %+v, want 500 new tasks", p.Launch)
		}
	}
}
