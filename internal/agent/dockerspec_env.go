// This file builds a container's environment for ContainerSpec.

package agent

import (
	"slices"
	"strings"

	"github.com/quayside/quayside/internal/ecs"
)

// specEnv merges the container's variables, each layer replacing the
// names it shares with the layers before it:
//
//  1. the agent's defaults (SpecInput.Env, except runtime variables)
//  2. environmentFiles, in file order
//  3. the definition's environment
//  4. the override's environment
//  5. secrets
//  6. the agent's runtime variables (names starting ECS_ or AWS_CONTAINER_)
//
// The result is sorted by name, so the same input always gives the same
// list. Variables without a name are dropped.
func specEnv(in SpecInput) []string {
	vars := map[string]string{}
	set := func(kvs []ecs.KeyValuePair, runtime bool) {
		for _, kv := range kvs {
			if kv.Name != "" && specRuntimeVar(kv.Name) == runtime {
				vars[kv.Name] = kv.Value
			}
		}
	}
	setAll := func(kvs []ecs.KeyValuePair) {
		for _, kv := range kvs {
			if kv.Name != "" {
				vars[kv.Name] = kv.Value
			}
		}
	}
	set(in.Env, false)
	setAll(in.EnvFiles)
	setAll(in.Container.Environment)
	if in.Override != nil {
		setAll(in.Override.Environment)
	}
	for name, v := range in.Secrets {
		if name != "" {
			vars[name] = v
		}
	}
	set(in.Env, true)
	if len(vars) == 0 {
		return nil
	}
	names := make([]string, 0, len(vars))
	for name := range vars {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make([]string, len(names))
	for i, name := range names {
		out[i] = name + "=" + vars[name]
	}
	return out
}

// specRuntimeVar reports whether an agent variable describes the runtime
// (the metadata and credentials endpoints), so that a user's value
// would break the SDKs inside the task.
func specRuntimeVar(name string) bool {
	return strings.HasPrefix(name, "ECS_") || strings.HasPrefix(name, "AWS_CONTAINER_")
}
