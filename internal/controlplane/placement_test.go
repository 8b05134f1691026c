package controlplane

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/agent"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsapi"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

// The placer tests store container instances in the cluster, as
// RegisterContainerInstance would, each unlike the others, and tasks on
// them; then they ask the placer, in a read transaction of the real
// store, where new tasks go.

var testScope = ecsdb.Scope{Region: "us-east-1", Account: "000000000000"}

const testCluster = "prod"

func instARN(id string) string {
	return ecs.ContainerInstanceARN(testScope.Region, testScope.Account, testCluster, id)
}

// inst describes a stored container instance.
type inst struct {
	id, zone, typ string
	cpu, memory   int
	attrs         map[string]string
	status        ecs.ContainerInstanceStatus
	disconnected  bool
}

// running is a task already on an instance.
type running struct {
	on, group   string
	cpu, memory int
	status      ecs.TaskStatus
}

type placerWorld struct {
	t  *testing.T
	st store.Store
}

func newWorld(t *testing.T, insts []inst, tasks []running) *placerWorld {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.Update(context.Background(), func(tx store.Tx) error {
		for _, in := range insts {
			if err := ecsdb.PutInstance(tx, testScope, testCluster, in.id, storedInstance(in)); err != nil {
				return err
			}
		}
		for i, r := range tasks {
			status := r.status
			if status == "" {
				status = ecs.TaskRunning
			}
			id := fmt.Sprintf("task%02d", i)
			task := ecs.Task{ID: id, ARN: ecs.TaskARN(testScope.Region, testScope.Account, testCluster, id),
				ContainerInstanceARN: instARN(r.on), Group: r.group, LastStatus: status, DesiredStatus: ecs.TaskRunning,
				CPU: fmt.Sprint(r.cpu), Memory: fmt.Sprint(r.memory)}
			if err := ecsdb.PutTask(tx, testScope, testCluster, task); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return &placerWorld{t: t, st: st}
}

func storedInstance(in inst) ecs.ContainerInstance {
	status := in.status
	if status == "" {
		status = ecs.InstanceActive
	}
	attrs := []ecs.Attribute{{Name: "ecs.availability-zone", Value: in.zone}, {Name: "ecs.instance-type", Value: in.typ},
		{Name: "ecs.os-type", Value: "linux"}}
	for k, v := range in.attrs {
		attrs = append(attrs, ecs.Attribute{Name: k, Value: v})
	}
	return ecs.ContainerInstance{ARN: instARN(in.id), ID: in.id, Status: status, AgentConnected: !in.disconnected,
		ClusterARN: ecs.ClusterARN(testScope.Region, testScope.Account, testCluster), Attributes: attrs,
		RegisteredAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		RegisteredResources: []ecs.Resource{
			{Name: ecs.ResourceCPU, Type: ecs.ResourceTypeInteger, IntegerValue: in.cpu},
			{Name: ecs.ResourceMemory, Type: ecs.ResourceTypeInteger, IntegerValue: in.memory},
		}}
}

// request asks for count tasks of the group, each 256 CPU and 512 MiB.
type request struct {
	count       int
	group       string
	launch      ecs.LaunchType
	tdMemberOf  []string
	constraints []ecs.PlacementConstraint
	strategy    []ecs.PlacementStrategy
}

func (w *placerWorld) place(p Placer, r request) ([]ecs.Task, []ecsapi.PlacementFailure, error) {
	w.t.Helper()
	if r.launch == "" {
		r.launch = ecs.LaunchTypeEC2
	}
	td := ecs.TaskDefinition{Family: "app", Revision: 1}
	for _, e := range r.tdMemberOf {
		td.PlacementConstraints = append(td.PlacementConstraints, ecs.PlacementConstraint{Type: ecs.PlacementConstraintMemberOf, Expression: e})
	}
	req := ecsapi.PlacementRequest{Scope: testScope, Cluster: ecs.Cluster{Name: testCluster}, TaskDefinition: td,
		Constraints: r.constraints, Strategy: r.strategy}
	for i := range r.count {
		req.Tasks = append(req.Tasks, ecs.Task{ID: fmt.Sprintf("new%02d", i), Group: r.group, LaunchType: r.launch, CPU: "256", Memory: "512"})
	}
	var placed []ecs.Task
	var failures []ecsapi.PlacementFailure
	err := w.st.View(context.Background(), func(tx store.ReadTx) error {
		var err error
		placed, failures, err = p.Place(context.Background(), tx, req)
		return err
	})
	return placed, failures, err
}

// where is the instance ID of each placed task, then "!REASON@id" for
// each failure.
func where(placed []ecs.Task, failures []ecsapi.PlacementFailure) string {
	var out []string
	for _, t := range placed {
		out = append(out, InstanceID(t.ContainerInstanceARN))
	}
	for _, f := range failures {
		out = append(out, "!"+f.Reason+"@"+InstanceID(f.ARN))
	}
	return strings.Join(out, " ")
}

func memberOf(expr string) []ecs.PlacementConstraint {
	return []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintMemberOf, Expression: expr}}
}

var distinct = []ecs.PlacementConstraint{{Type: ecs.PlacementConstraintDistinctInstance}}

func spread(field string) ecs.PlacementStrategy {
	return ecs.PlacementStrategy{Type: ecs.PlacementSpread, Field: field}
}

func binpack(field string) ecs.PlacementStrategy {
	return ecs.PlacementStrategy{Type: ecs.PlacementBinpack, Field: field}
}

// Three instances in three zones, of two types, one with a custom
// attribute; a fourth is DRAINING and never a candidate. A task of
// service:db runs on "b".
var zones = []inst{
	{id: "a", zone: "us-east-1a", typ: "t2.micro", cpu: 2048, memory: 4096, attrs: map[string]string{"stack": "prod"}},
	{id: "b", zone: "us-east-1b", typ: "m5.large", cpu: 2048, memory: 4096},
	{id: "c", zone: "us-east-1c", typ: "m5.large", cpu: 2048, memory: 4096},
	{id: "d", zone: "us-east-1d", typ: "t2.micro", cpu: 4096, memory: 8192, status: ecs.InstanceDraining},
}

func TestPlaceConstraints(t *testing.T) {
	w := newWorld(t, zones, []running{{on: "b", group: "service:db", cpu: 256, memory: 512}})
	cases := []struct {
		name string
		req  request
		want string
	}{
		{"by zone", request{count: 1, constraints: memberOf("attribute:ecs.availability-zone == us-east-1b")}, "b"},
		{"zone list", request{count: 2, constraints: memberOf("attribute:ecs.availability-zone in [us-east-1b, us-east-1c]"),
			strategy: []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone")}}, "b c"},
		{"type pattern", request{count: 1, constraints: memberOf("attribute:ecs.instance-type =~ t2.*")}, "a"},
		{"custom attribute", request{count: 1, constraints: memberOf("attribute:stack exists")}, "a"},
		{"not", request{count: 1, constraints: memberOf("not(attribute:ecs.instance-type == m5.large)")}, "a"},
		{"task group", request{count: 1, constraints: memberOf("task:group == service:db")}, "b"},
		{"away from a task group", request{count: 1, constraints: memberOf("not(task:group == service:db) and attribute:ecs.instance-type == m5.large")}, "c"},
		{"empty instances", request{count: 1, constraints: memberOf("runningTasksCount == 0 and attribute:ecs.availability-zone != us-east-1a")}, "c"},
		{"task definition and call together", request{count: 1, tdMemberOf: []string{"attribute:ecs.instance-type == m5.large"},
			constraints: memberOf("attribute:ecs.availability-zone != us-east-1b")}, "c"},
		{"no instance matches", request{count: 2, constraints: memberOf("attribute:ecs.availability-zone == eu-west-3a")}, "!ATTRIBUTE@a !ATTRIBUTE@a"},
		{"draining instance never chosen", request{count: 1, constraints: memberOf("attribute:ecs.availability-zone == us-east-1d")}, "!ATTRIBUTE@a"},
		{"fargate tasks take no constraints", request{count: 1, launch: ecs.LaunchTypeFargate,
			constraints: memberOf("attribute:ecs.availability-zone == eu-west-3a")}, "a"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			placed, failures, err := w.place(Placer{}, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := where(placed, failures); got != tc.want {
				t.Fatalf("placed %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPlaceSetsInstanceAndZone(t *testing.T) {
	w := newWorld(t, zones, nil)
	placed, _, err := w.place(Placer{}, request{count: 1, constraints: memberOf("attribute:ecs.availability-zone == us-east-1c")})
	if err != nil || len(placed) != 1 {
		t.Fatalf("placed %v, %v", placed, err)
	}
	if placed[0].ContainerInstanceARN != instARN("c") || placed[0].AvailabilityZone != "us-east-1c" || placed[0].ID != "new00" {
		t.Fatalf("task = %s in %s (%s)", placed[0].ContainerInstanceARN, placed[0].AvailabilityZone, placed[0].ID)
	}
}

func TestPlaceDistinctInstance(t *testing.T) {
	cases := []struct {
		name  string
		tasks []running
		req   request
		want  string
	}{
		{"one per instance, the rest fail", nil, request{count: 4, group: "service:web", constraints: distinct}, "a b c !ATTRIBUTE@a"},
		{"running tasks of the group count", []running{{on: "a", group: "service:web"}, {on: "c", group: "service:web", status: ecs.TaskPending}},
			request{count: 2, group: "service:web", constraints: distinct}, "b !ATTRIBUTE@a"},
		{"other groups and stopped tasks do not", []running{{on: "a", group: "service:api"}, {on: "b", group: "service:web", status: ecs.TaskStopped}},
			request{count: 3, group: "service:web", constraints: distinct}, "a b c"},
		{"with a memberOf", []running{{on: "b", group: "family:cron"}},
			request{count: 2, group: "family:cron", constraints: append(memberOf("attribute:ecs.instance-type == m5.large"), distinct...)}, "c !ATTRIBUTE@a"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, zones, tc.tasks)
			placed, failures, err := w.place(Placer{}, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := where(placed, failures); got != tc.want {
				t.Fatalf("placed %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPlaceStrategies(t *testing.T) {
	// x and y share zone 1a; z is alone in 1b. x has the least memory
	// left and y the least CPU.
	three := []inst{
		{id: "x", zone: "us-east-1a", typ: "m5.large", cpu: 4096, memory: 2048},
		{id: "y", zone: "us-east-1a", typ: "m5.large", cpu: 1024, memory: 8192},
		{id: "z", zone: "us-east-1b", typ: "m5.large", cpu: 4096, memory: 4096},
	}
	last := Placer{Intn: func(n int) int { return n - 1 }}
	cases := []struct {
		name   string
		placer Placer
		tasks  []running
		req    request
		want   string
	}{
		{"default: the most memory left", Placer{}, nil, request{count: 1}, "y"},
		{"binpack memory", Placer{}, nil, request{count: 3, strategy: []ecs.PlacementStrategy{binpack("memory")}}, "x x x"},
		{"binpack fills then moves on", Placer{}, nil, request{count: 5, strategy: []ecs.PlacementStrategy{binpack("memory")}}, "x x x x z"},
		{"binpack cpu", Placer{}, nil, request{count: 2, strategy: []ecs.PlacementStrategy{binpack("CPU")}}, "y y"},
		{"spread over instances", Placer{}, []running{{on: "x", group: "service:web"}},
			request{count: 4, group: "service:web", strategy: []ecs.PlacementStrategy{spread("instanceId")}}, "y z x y"},
		{"spread over hosts counts only the group", Placer{}, []running{{on: "x", group: "service:other"}, {on: "x", group: "service:other"}},
			request{count: 3, group: "service:web", strategy: []ecs.PlacementStrategy{spread("host")}}, "x y z"},
		{"spread over zones, then instances", Placer{}, nil,
			request{count: 4, group: "service:web", strategy: []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone"), spread("instanceId")}}, "x z y z"},
		{"spread over zones, then binpack", Placer{}, []running{{on: "z", group: "service:web"}},
			request{count: 2, group: "service:web", strategy: []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone"), binpack("memory")}}, "x x"},
		{"random", last, nil, request{count: 2, strategy: []ecs.PlacementStrategy{{Type: ecs.PlacementRandom}}}, "z z"},
		{"random among the spread's best", last, []running{{on: "z", group: "g"}},
			request{count: 1, group: "g", strategy: []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone"), {Type: ecs.PlacementRandom}}}, "y"},
		{"strategies only choose among instances that fit", Placer{}, nil,
			request{count: 1, constraints: memberOf("attribute:ecs.availability-zone == us-east-1b"), strategy: []ecs.PlacementStrategy{binpack("memory")}}, "z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, three, tc.tasks)
			placed, failures, err := w.place(tc.placer, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := where(placed, failures); got != tc.want {
				t.Fatalf("placed %q, want %q", got, tc.want)
			}
		})
	}
}

// A failure names the instance that came closest: one that met the
// constraints but lacked resources before one that did not meet them.
func TestPlaceFailureReasons(t *testing.T) {
	insts := []inst{
		{id: "p", zone: "us-east-1a", typ: "t2.micro", cpu: 4096, memory: 8192, disconnected: true},
		{id: "q", zone: "us-east-1a", typ: "t2.micro", cpu: 4096, memory: 8192},
		{id: "r", zone: "us-east-1b", typ: "t2.micro", cpu: 4096, memory: 1024},
		{id: "s", zone: "us-east-1b", typ: "t2.micro", cpu: 128, memory: 8192},
	}
	cases := []struct {
		name  string
		tasks []running
		req   request
		want  string
	}{
		{"binpack takes the least memory that fits", nil, request{count: 1, constraints: memberOf("attribute:ecs.availability-zone == us-east-1b"),
			strategy: []ecs.PlacementStrategy{binpack("memory")}}, "r"},
		{"resources over attributes and agents", []running{{on: "r", memory: 1000}}, request{count: 1,
			constraints: memberOf("attribute:ecs.availability-zone == us-east-1b")}, "!RESOURCE:MEMORY@r"},
		{"cpu", []running{{on: "r"}}, request{count: 1,
			constraints: memberOf("attribute:ecs.availability-zone == us-east-1b and runningTasksCount == 0")}, "!RESOURCE:CPU@s"},
		{"attributes over a disconnected agent", []running{{on: "q", group: "g"}}, request{count: 1, group: "g",
			constraints: append(memberOf("attribute:ecs.availability-zone == us-east-1a"), distinct...)}, "!ATTRIBUTE@q"},
		{"tasks placed earlier in the call count", nil, request{count: 17,
			constraints: memberOf("attribute:ecs.availability-zone == us-east-1a")},
			strings.Repeat("q ", 16) + "!RESOURCE:MEMORY@q"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, insts, tc.tasks)
			placed, failures, err := w.place(Placer{}, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := where(placed, failures); got != tc.want {
				t.Fatalf("placed %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPlaceOnlyDisconnected(t *testing.T) {
	w := newWorld(t, []inst{{id: "p", zone: "us-east-1a", typ: "t2.micro", cpu: 4096, memory: 8192, disconnected: true}}, nil)
	placed, failures, err := w.place(Placer{}, request{count: 1})
	if err != nil || where(placed, failures) != "!AGENT@p" {
		t.Fatalf("placed %q, %v", where(placed, failures), err)
	}
}

// The local agent is a candidate too, with its built-in attributes and
// what every cluster's tasks leave of it.
func TestPlaceOnAgent(t *testing.T) {
	w := newWorld(t, nil, nil)
	plane := New(w.st, nil)
	ctx := context.Background()
	if err := plane.Register(ctx, agent.Instance{ID: "agent1", CPU: 2048, MemoryMiB: 1024, AgentVersion: "1.2.3", RegisteredAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// A task of another cluster uses half of the agent's memory.
	err := w.st.Update(ctx, func(tx store.Tx) error {
		return ecsdb.PutTask(tx, testScope, "other", ecs.Task{ID: "t1", LastStatus: ecs.TaskRunning, Memory: "512", CPU: "256",
			ContainerInstanceARN: ecs.ContainerInstanceARN(testScope.Region, testScope.Account, "other", "agent1")})
	})
	if err != nil {
		t.Fatal(err)
	}
	placed, failures, err := w.place(Placer{}, request{count: 2, constraints: memberOf("attribute:ecs.availability-zone == us-east-1a and attribute:ecs.os-type == linux and agentVersion >= 1.2")})
	if err != nil {
		t.Fatal(err)
	}
	if got := where(placed, failures); got != "agent1 !RESOURCE:MEMORY@agent1" || placed[0].AvailabilityZone != "us-east-1a" || failures[0].ARN != instARN("agent1") {
		t.Fatalf("placed %q in %v, failures %+v", got, placed, failures)
	}
	placed, failures, err = w.place(Placer{}, request{count: 1, constraints: memberOf("attribute:ecs.os-type != linux")})
	if err != nil || where(placed, failures) != "!ATTRIBUTE@agent1" {
		t.Fatalf("placed %q, %v", where(placed, failures), err)
	}
}

func TestPlaceErrors(t *testing.T) {
	w := newWorld(t, nil, nil)
	_, _, err := w.place(Placer{}, request{count: 1})
	if msg, _ := fault.Message(err); !errors.Is(err, ecs.ErrInvalidParameter) || !strings.HasPrefix(msg, "No Container Instances were found in your cluster.") {
		t.Fatalf("no instances: %v", err)
	}
	// A task definition stored before its expression was checked.
	w = newWorld(t, zones, nil)
	_, _, err = w.place(Placer{}, request{count: 1, tdMemberOf: []string{"attribute:ecs.os-type"}})
	if msg, _ := fault.Message(err); !errors.Is(err, ecs.ErrInvalidParameter) || !strings.HasPrefix(msg, "The placement constraint expression is invalid: ") {
		t.Fatalf("bad expression: %v", err)
	}
}
