package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrauth"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/store"
)

// A task runs an image pushed into Quayside's own registry, with no login
// step for the user: the agent pulls it with a registry token, as an
// execution role pulls from ECR.
func TestTaskPullsFromQuaysideRegistry(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	repo, err := ecr.NewRepository{Region: "us-east-1", Account: "000000000000", Name: "e2e/testapp"}.Build(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	err = e.srv.Store().Update(ctx, func(tx store.Tx) error {
		return ecrdb.CreateRepository(tx, ecrdb.Scope{Region: "us-east-1", Account: "000000000000"}, repo)
	})
	if err != nil {
		t.Fatal(err)
	}
	image := e.pushTestApp("e2e/testapp:v1")
	// Remove the local copy so that the task must pull it.
	if err := e.docker.ImageRemove(ctx, image, false); err != nil {
		t.Fatal(err)
	}
	arn := e.runFargate(e.register(webTask("from-registry", image)))
	task := e.waitStatus(arn, "RUNNING", 60*time.Second)
	if d := aws.ToString(task.Containers[0].ImageDigest); !strings.HasPrefix(d, "sha256:") {
		t.Fatalf("image digest %q", d)
	}
	if status, _ := get(t, "http://"+taskIP(task)+":8080/"); status != 200 {
		t.Fatalf("task from the registry does not answer: %d", status)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)
	_ = e.docker.ImageRemove(ctx, image, true)
}

// pushTestApp tags the test app image as repoTag in Quayside's registry
// and pushes it there with an ECR token, as docker login and docker push
// would; it returns the image reference. The repository must exist.
func (e *env) pushTestApp(repoTag string) string {
	e.t.Helper()
	ctx := context.Background()
	host := ecr.RegistryHost(e.srv.Addr())
	image := host + "/" + repoTag
	if err := e.docker.ImageTag(ctx, e.testapp, image); err != nil {
		e.t.Fatal(err)
	}
	auth, err := ecrauth.Open(e.srv.DataDir)
	if err != nil {
		e.t.Fatal(err)
	}
	token, _ := auth.NewToken("000000000000", "us-east-1", time.Now())
	if _, err := e.docker.ImagePush(ctx, image, &docker.AuthConfig{Username: "AWS", Password: token, ServerAddress: host}); err != nil {
		e.t.Fatalf("docker push: %v", err)
	}
	return image
}
