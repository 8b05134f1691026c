package controlplane

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

func TestExpired(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		task ecs.Task
		want bool
	}{
		{"running", ecs.Task{LastStatus: ecs.TaskRunning}, false},
		{"stopped 59 minutes ago", ecs.Task{LastStatus: ecs.TaskStopped, StoppedAt: now.Add(-59 * time.Minute)}, false},
		{"stopped an hour ago", ecs.Task{LastStatus: ecs.TaskStopped, StoppedAt: now.Add(-time.Hour)}, true},
		{"stopped with only executionStoppedAt", ecs.Task{LastStatus: ecs.TaskStopped, ExecutionStoppedAt: now.Add(-2 * time.Hour)}, true},
		{"stopped without a time", ecs.Task{LastStatus: ecs.TaskStopped}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Expired(c.task, now, time.Hour); got != c.want {
				t.Fatalf("Expired = %v, want %v", got, c.want)
			}
		})
	}
}

func TestSweepDeletesOnlyExpired(t *testing.T) {
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s := ecsdb.Scope{Region: "us-east-1", Account: "000000000000"}
	tasks := []ecs.Task{
		{ID: "old", LastStatus: ecs.TaskStopped, StoppedAt: now.Add(-2 * time.Hour)},
		{ID: "recent", LastStatus: ecs.TaskStopped, StoppedAt: now.Add(-time.Minute)},
		{ID: "running", LastStatus: ecs.TaskRunning},
	}
	ctx := context.Background()
	err = st.Update(ctx, func(tx store.Tx) error {
		for _, tk := range tasks {
			if err := ecsdb.PutTask(tx, s, "c", tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &Reaper{Store: st, TTL: time.Hour, Now: func() time.Time { return now }}
	n, err := r.Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1", n, err)
	}
	_ = st.View(ctx, func(tx store.ReadTx) error {
		left, _ := ecsdb.ListTasks(tx, s, "c", "", 0)
		if len(left) != 2 || left[0].ID != "recent" || left[1].ID != "running" {
			t.Fatalf("left %+v", left)
		}
		return nil
	})
}
