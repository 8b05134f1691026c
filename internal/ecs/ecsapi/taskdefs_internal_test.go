package ecsapi

import (
	"strconv"
	"testing"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
)

func TestTaskDefinitionARNPrefix(t *testing.T) {
	for _, s := range []ecsdb.Scope{{Region: "us-east-1", Account: "000000000000"}, {Region: "eu-central-1", Account: "123456789012"}} {
		for _, tc := range []struct {
			family string
			rev    int
		}{{"web", 1}, {"web-api", 1234567}, {"f", 1}} {
			got := taskDefinitionARNPrefix(s) + tc.family + ":" + strconv.Itoa(tc.rev)
			if want := ecs.TaskDefinitionARN(s.Region, s.Account, tc.family, tc.rev); got != want {
				t.Errorf("prefix + %s:%d = %s, want %s", tc.family, tc.rev, got, want)
			}
		}
	}
}
