package lifecycle

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

func TestParseImageRef(t *testing.T) {
	d := "sha256:" + "ab12"
	tests := []struct {
		ref, repo, tag string
		digest         ecr.Digest
	}{
		{"localhost:4566/web:1.0", "web", "1.0", ""},
		{"localhost:4566/team/web", "team/web", "latest", ""},
		{"localhost:4566/team/web@" + d, "team/web", "", ecr.Digest(d)},
		{"localhost:4566/web:1@" + d, "web", "1", ecr.Digest(d)},
		{"127.0.0.1:4566/web:v2", "web", "v2", ""},
		{"localhost/web:v2", "web", "v2", ""},
		{"registry.example.com/a/b:c", "a/b", "c", ""},
		{"web:v3", "web", "v3", ""},
		{"library/nginx", "library/nginx", "latest", ""},
	}
	for _, tt := range tests {
		repo, tag, digest := ParseImageRef(tt.ref)
		if repo != tt.repo || tag != tt.tag || digest != tt.digest {
			t.Errorf("ParseImageRef(%q) = %q %q %q, want %q %q %q", tt.ref, repo, tag, digest, tt.repo, tt.tag, tt.digest)
		}
	}
}

var (
	scope    = ecrdb.Scope{Region: "us-east-1", Account: "000000000000"}
	ecsScope = ecsdb.Scope{Region: "us-east-1", Account: "000000000000"}
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "q.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func update(t *testing.T, st store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := st.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func task(id string, status ecs.TaskStatus, images ...string) ecs.Task {
	tk := ecs.Task{ID: id, LastStatus: status, DesiredStatus: ecs.TaskRunning}
	for _, im := range images {
		tk.Containers = append(tk.Containers, ecs.Container{Name: "c", Image: im})
	}
	return tk
}

// TestInUse reads references from the tasks of every cluster of the
// scope and from the task definitions of active services.
func TestInUse(t *testing.T) {
	st := openStore(t)
	other := ecsdb.Scope{Region: "eu-west-1", Account: "000000000000"}
	update(t, st, func(tx store.Tx) error {
		for _, c := range []string{"a", "b"} {
			if err := ecsdb.PutCluster(tx, ecsScope, ecs.Cluster{Name: c, Status: "ACTIVE"}); err != nil {
				return err
			}
		}
		running := task("t1", ecs.TaskRunning, "localhost:4566/web:v1", "localhost:4566/other:v9")
		running.Containers[0].ImageDigest = "sha256:resolved"
		pending := task("t2", ecs.TaskPending, "localhost:4566/web@sha256:pinned")
		stopped := task("t3", ecs.TaskStopped, "localhost:4566/web:old")
		for _, x := range []struct {
			c string
			t ecs.Task
		}{{"a", running}, {"b", pending}, {"b", stopped}} {
			if err := ecsdb.PutTask(tx, ecsScope, x.c, x.t); err != nil {
				return err
			}
		}
		td := ecs.TaskDefinition{Family: "svc", Revision: 3, Status: "ACTIVE",
			ContainerDefinitions: []ecs.ContainerDefinition{{Name: "c", Image: "localhost:4566/web:from-service"}}}
		if err := ecsdb.PutTaskDefinition(tx, ecsScope, td); err != nil {
			return err
		}
		svc := ecs.Service{Name: "s", Status: ecs.ServiceActive, Deployments: []ecs.Deployment{{TaskDefinition: ecs.TaskDefinitionARN("us-east-1", "000000000000", "svc", 3)}}}
		if err := ecsdb.PutService(tx, ecsScope, "a", svc); err != nil {
			return err
		}
		gone := ecs.Service{Name: "gone", Status: ecs.ServiceInactive, Deployments: []ecs.Deployment{{TaskDefinition: "arn:aws:ecs:us-east-1:000000000000:task-definition/svc:3"}}}
		if err := ecsdb.PutService(tx, ecsScope, "b", gone); err != nil {
			return err
		}
		// Another region's tasks do not protect this region's images.
		if err := ecsdb.PutCluster(tx, other, ecs.Cluster{Name: "a", Status: "ACTIVE"}); err != nil {
			return err
		}
		return ecsdb.PutTask(tx, other, "a", task("t9", ecs.TaskRunning, "localhost:4566/web:eu"))
	})
	var refs Refs
	err := st.View(context.Background(), func(tx store.ReadTx) (err error) {
		refs, err = InUse(tx, scope, "web")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"v1", "from-service"} {
		if !refs.Tags[tag] {
			t.Errorf("tag %s not in use: %+v", tag, refs)
		}
	}
	for _, tag := range []string{"old", "v9", "eu"} {
		if refs.Tags[tag] {
			t.Errorf("tag %s in use: %+v", tag, refs)
		}
	}
	for _, d := range []ecr.Digest{"sha256:resolved", "sha256:pinned"} {
		if !refs.Digests[d] {
			t.Errorf("digest %s not in use: %+v", d, refs)
		}
	}
}
