package ecs

import (
	"bytes"
	"errors"
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

func TestIDFormats(t *testing.T) {
	g := NewIDs(rand.New(rand.NewSource(1)))
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	eni := regexp.MustCompile(`^eni-[0-9a-f]{17}$`)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		task := g.TaskID()
		if !IsTaskID(task) {
			t.Fatalf("TaskID() = %q", task)
		}
		dep := g.DeploymentID()
		if !IsDeploymentID(dep) || dep[len(DeploymentIDPrefix)] == '0' {
			t.Fatalf("DeploymentID() = %q", dep)
		}
		if u := g.UUID(); !uuid.MatchString(u) {
			t.Fatalf("UUID() = %q", u)
		}
		if e := g.ENIID(); !eni.MatchString(e) {
			t.Fatalf("ENIID() = %q", e)
		}
		if seen[task] || seen[dep] {
			t.Fatalf("repeated ID")
		}
		seen[task], seen[dep] = true, true
	}
	if ts := g.TaskSetID(); !strings.HasPrefix(ts, DeploymentIDPrefix) || !IsDeploymentID(ts) {
		t.Errorf("TaskSetID() = %q", ts)
	}
	if ci := g.ContainerInstanceID(); !IsTaskID(ci) {
		t.Errorf("ContainerInstanceID() = %q", ci)
	}
}

func TestIDsAreRepeatable(t *testing.T) {
	a := NewIDs(rand.New(rand.NewSource(7)))
	b := NewIDs(rand.New(rand.NewSource(7)))
	for i := 0; i < 10; i++ {
		if x, y := a.TaskID(), b.TaskID(); x != y {
			t.Fatalf("same seed, different IDs: %s %s", x, y)
		}
	}
	// A fixed source gives a known answer.
	z := NewIDs(bytes.NewReader(make([]byte, 64)))
	if got := z.TaskID(); got != strings.Repeat("0", 32) {
		t.Errorf("TaskID() from zeros = %q", got)
	}
	if got := z.DeploymentID(); got != "ecs-svc/1000000000000000000" {
		t.Errorf("DeploymentID() from zeros = %q", got)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestIDsPanicOnFailingSource(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("TaskID() with a failing source did not panic")
		}
	}()
	NewIDs(failingReader{}).TaskID()
}

func TestDefaultIDSource(t *testing.T) {
	if id := NewIDs(nil).TaskID(); !IsTaskID(id) {
		t.Errorf("TaskID() = %q", id)
	}
}

func TestIDPredicates(t *testing.T) {
	for s, want := range map[string]bool{
		"0123456789abcdef0123456789abcdef":  true,
		"0123456789ABCDEF0123456789abcdef":  false,
		"0123456789abcdef0123456789abcde":   false,
		"0123456789abcdef0123456789abcdefg": false,
	} {
		if IsTaskID(s) != want {
			t.Errorf("IsTaskID(%q) = %v", s, !want)
		}
	}
	for s, want := range map[string]bool{
		"ecs-svc/1234567890123456789":  true,
		"ecs-svc/123456789012345678":   false,
		"ecs-svc/12345678901234567890": false,
		"ecs-svc/123456789012345678x":  false,
		"ecs-sv/1234567890123456789x":  false,
	} {
		if IsDeploymentID(s) != want {
			t.Errorf("IsDeploymentID(%q) = %v", s, !want)
		}
	}
}
