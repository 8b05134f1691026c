// Package controlplane is the server's side of the agent protocol, over
// the store: agents register as container instances, learn the tasks
// placed on them, and report what they observe. In `quayside up` the
// local agent calls it in-process; a remote agent will reach the same
// methods over HTTP.
//
//	table    key          value
//	agents   <agent id>   agent.Instance, with the time of the last heartbeat
//
// A task is assigned to an agent when its containerInstanceArn ends in
// the agent's ID. Placement (placement.go) sets it when the task is created.
package controlplane

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// Agents is the table of registered agents.
const Agents = "agents"

// Plane implements agent.ControlPlane over the store.
type Plane struct {
	store store.Store
	log   *slog.Logger
}

var _ agent.ControlPlane = (*Plane)(nil)

// New returns a control plane over st.
func New(st store.Store, log *slog.Logger) *Plane {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Plane{store: st, log: log}
}

// Register records the agent's instance.
func (p *Plane) Register(ctx context.Context, in agent.Instance) error {
	return p.store.Update(ctx, func(tx store.Tx) error {
		if prev, err := store.Get[agent.Instance](tx, Agents, in.ID); err == nil && !prev.RegisteredAt.IsZero() {
			in.RegisteredAt = prev.RegisteredAt
		}
		return store.Put(tx, Agents, in.ID, in)
	})
}

// Instances returns every registered agent.
func Instances(tx store.ReadTx) ([]agent.Instance, error) {
	return store.List[agent.Instance](tx, Agents, "", "", 0)
}

// Watch streams the agent's tasks: those not yet STOPPED first, then
// every change to a task assigned to it.
func (p *Plane) Watch(ctx context.Context, agentID string) (<-chan []agent.Assignment, error) {
	changes := p.store.Watch(ctx, ecsdb.Tasks)
	initial, err := p.scan(ctx, agentID)
	if err != nil {
		return nil, err
	}
	out := make(chan []agent.Assignment, 16)
	go func() {
		defer close(out)
		send := func(b []agent.Assignment) bool {
			if len(b) == 0 {
				return true
			}
			select {
			case out <- b:
				return true
			case <-ctx.Done():
				return false
			}
		}
		if !send(initial) {
			return
		}
		for batch := range changes {
			var next []agent.Assignment
			if batch.Resync {
				if next, err = p.scan(ctx, agentID); err != nil {
					p.log.Error("rescan tasks", "err", err)
					continue
				}
			} else {
				for _, ev := range batch.Events {
					if ev.Deleted {
						continue
					}
					as, ok, err := p.assignment(ctx, agentID, ev.Key, ev.Value)
					if err != nil {
						p.log.Error("read assigned task", "key", ev.Key, "err", err)
						continue
					}
					if ok {
						next = append(next, as)
					}
				}
			}
			if !send(next) {
				return
			}
		}
	}()
	return out, nil
}

func (p *Plane) scan(ctx context.Context, agentID string) ([]agent.Assignment, error) {
	var out []agent.Assignment
	err := p.store.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(ecsdb.Tasks, "", "", func(key string, b []byte) error {
			as, ok, err := assignmentIn(tx, agentID, key, b)
			if ok && as.Task.LastStatus != ecs.TaskStopped {
				out = append(out, as)
			}
			return err
		})
	})
	return out, err
}

func (p *Plane) assignment(ctx context.Context, agentID, key string, value []byte) (as agent.Assignment, ok bool, err error) {
	err = p.store.View(ctx, func(tx store.ReadTx) error {
		as, ok, err = assignmentIn(tx, agentID, key, value)
		return err
	})
	return as, ok, err
}

// assignmentIn decodes a task record and, when it is assigned to the
// agent, loads its task definition.
func assignmentIn(tx store.ReadTx, agentID, key string, value []byte) (agent.Assignment, bool, error) {
	t, err := decodeTask(value)
	if err != nil {
		return agent.Assignment{}, false, err
	}
	if InstanceID(t.ContainerInstanceARN) != agentID {
		return agent.Assignment{}, false, nil
	}
	s, parts, ok := ecsdb.ParseKey(key)
	if !ok || len(parts) != 2 {
		return agent.Assignment{}, false, fmt.Errorf("malformed task key %q", key)
	}
	family, rev, err := familyRevision(t.TaskDefinitionARN)
	if err != nil {
		return agent.Assignment{}, false, err
	}
	td, err := ecsdb.GetTaskDefinition(tx, s, family, rev)
	if err != nil {
		return agent.Assignment{}, false, fmt.Errorf("task definition %s of task %s: %w", t.TaskDefinitionARN, t.ARN, err)
	}
	return agent.Assignment{Key: key, Region: s.Region, Account: s.Account, Cluster: parts[0], Task: t, TaskDef: td}, true, nil
}

// InstanceID is the last path element of a container instance ARN.
func InstanceID(arn string) string {
	if arn == "" {
		return ""
	}
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

func familyRevision(tdARN string) (string, int, error) {
	i := strings.LastIndex(tdARN, "task-definition/")
	if i < 0 {
		return "", 0, fmt.Errorf("malformed task definition ARN %q", tdARN)
	}
	fam, rev, ok := strings.Cut(tdARN[i+len("task-definition/"):], ":")
	n, err := strconv.Atoi(rev)
	if !ok || err != nil {
		return "", 0, fmt.Errorf("malformed task definition ARN %q", tdARN)
	}
	return fam, n, nil
}

// Report applies an agent's observation to a task record.
func (p *Plane) Report(ctx context.Context, key string, update func(*ecs.Task) error) (ecs.Task, error) {
	var out ecs.Task
	err := p.store.Update(ctx, func(tx store.Tx) error {
		t, err := store.Get[ecs.Task](tx, ecsdb.Tasks, key)
		if err != nil {
			return fmt.Errorf("task %s: %w", key, err)
		}
		if err := update(&t); err != nil {
			return err
		}
		out = t
		return store.Put(tx, ecsdb.Tasks, key, t)
	})
	return out, err
}
