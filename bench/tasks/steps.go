package main

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// A task's start-up, milestone by milestone. Each is a point in time
// taken from the client's clock, the task's own timestamps (millisecond
// precision, set just before the agent writes the report that carries
// them) or the Docker daemon's events (sent when an operation is done);
// all come from this machine's clock. What happens in between, as the
// agent's code reads:
//
//	RunTask sent
//	  the API call: placement, the task written PROVISIONING
//	createdAt
//	  the store's watch wakes the agent, a runner starts, lists the
//	  task's containers (twice), asks Docker to create the pause container
//	pause container created
//	  inspect it, start it: Docker attaches it to quayside-tasks
//	pause container started
//	  inspect it (its address)
//	connectivityAt
//	  inspect it (its MAC), write PENDING; next step: list the task's
//	  containers, inspect the pause container, inspect the image
//	pullStoppedAt
//	  write the pull times, create the volumes (none here), create the
//	  app container
//	app container created
//	  inspect it, start it in the pause container's namespaces
//	app container started
//	  inspect it, write its status, write ACTIVATING; next step:
//	startedAt
//	  write RUNNING; the next DescribeTasks poll sees it
//	seen RUNNING
var milestones = []struct {
	name string
	at   func(taskSample, *timeline) time.Time
}{
	{"RunTask sent", func(s taskSample, _ *timeline) time.Time { return s.sent }},
	{"createdAt", func(s taskSample, _ *timeline) time.Time { return aws.ToTime(s.task.CreatedAt) }},
	{"pause container created (Docker event)", func(s taskSample, t *timeline) time.Time { return t.get(s.arn, "pause", "create") }},
	{"pause container started (Docker event)", func(s taskSample, t *timeline) time.Time { return t.get(s.arn, "pause", "start") }},
	{"connectivityAt: PENDING", func(s taskSample, _ *timeline) time.Time { return aws.ToTime(s.task.ConnectivityAt) }},
	{"pullStoppedAt: image checked", func(s taskSample, _ *timeline) time.Time { return aws.ToTime(s.task.PullStoppedAt) }},
	{"app container created (Docker event)", func(s taskSample, t *timeline) time.Time { return t.get(s.arn, "container", "create") }},
	{"app container started (Docker event)", func(s taskSample, t *timeline) time.Time { return t.get(s.arn, "container", "start") }},
	{"startedAt: RUNNING", func(s taskSample, _ *timeline) time.Time { return aws.ToTime(s.task.StartedAt) }},
	{"seen RUNNING (DescribeTasks poll)", func(s taskSample, _ *timeline) time.Time { return s.seen }},
}

// breakdown is the time from each milestone to the next, over the
// samples where both are known.
func breakdown(samples []taskSample, tl *timeline) []Step {
	out := make([]Step, 0, len(milestones)-1)
	for i := 1; i < len(milestones); i++ {
		var ds []time.Duration
		for _, s := range samples {
			from, to := milestones[i-1].at(s, tl), milestones[i].at(s, tl)
			if !from.IsZero() && !to.IsZero() {
				ds = append(ds, to.Sub(from))
			}
		}
		name := "→ " + milestones[i].name
		if i == 1 {
			name = milestones[0].name + " " + name
		}
		out = append(out, Step{name, dist(ds)})
	}
	return out
}
