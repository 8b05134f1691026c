package awserr

import (
	"errors"
	"fmt"
	"testing"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
)

// Every row must be reachable: no earlier row may shadow it.
func TestEveryRowReachable(t *testing.T) {
	for i, e := range table {
		svc := e.service
		if svc == "" {
			svc = "some-other-service"
		}
		got := Resolve(svc, fault.New(e.kind, "m"))
		if got.Code != e.code {
			t.Errorf("row %d (%s %s) is shadowed: resolves to %s", i, e.service, e.code, got.Code)
		}
	}
}

func TestResolve(t *testing.T) {
	cases := []struct {
		name, service string
		err           error
		code, msg     string
		status        int
	}{
		{"message from the error", "ecs", fault.New(ecs.ErrClient, "Container.image should not be null or empty."), "ClientException", "Container.image should not be null or empty.", 400},
		{"default message", "ecs", fault.New(ecs.ErrClusterNotFound, ""), "ClusterNotFoundException", "Cluster not found.", 400},
		{"refined kind", "ecs", fault.New(ecs.ErrTaskDefinitionNotFound, "Unable to describe task definition."), "ClientException", "Unable to describe task definition.", 400},
		{"wrapped", "ecs", fmt.Errorf("ctx: %w", fault.New(ecs.ErrServiceNotFound, "")), "ServiceNotFoundException", "Service not found.", 400},
		{"validation per service", "sts", fault.New(ErrValidation, "v"), "ValidationError", "v", 400},
		{"unknown error hides its text", "ecs", errors.New("disk on fire"), "ServerException", "We encountered an internal error. Please try again.", 500},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Resolve(c.service, c.err)
			if got.Code != c.code || got.Message != c.msg || got.Status != c.status {
				t.Fatalf("got %+v", got)
			}
		})
	}
}
