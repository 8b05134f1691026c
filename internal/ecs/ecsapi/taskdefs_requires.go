package ecsapi

import (
	"regexp"
	"slices"

	"github.com/quayside/quayside/internal/ecs"
)

// What ECS computes at registration: the launch types a task definition
// is compatible with, and the container instance attributes it requires.

// compatibilities is the domain's computation (EC2 always, FARGATE when
// the Fargate rules pass, EXTERNAL and MANAGED_INSTANCES when required)
// plus EXTERNAL for every network mode ECS Anywhere runs (all but
// awsvpc). ECS lists EXTERNAL first: ["EXTERNAL", "EC2"] for a bridge
// task, ["EC2", "FARGATE"] for a Fargate one.
func compatibilities(td *ecs.TaskDefinition) []ecs.Compatibility {
	out := td.ComputeCompatibilities()
	external := slices.Contains(out, ecs.CompatibilityExternal) || td.NetworkMode != ecs.NetworkModeAWSVPC
	out = slices.DeleteFunc(out, func(c ecs.Compatibility) bool { return c == ecs.CompatibilityExternal })
	if external {
		out = append([]ecs.Compatibility{ecs.CompatibilityExternal}, out...)
	}
	return out
}

// Attribute name prefixes.
const (
	capLegacy = "com.amazonaws.ecs.capability."
	capECS    = "ecs.capability."
)

var ecrImageRE = regexp.MustCompile(`^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/`)

// requiresAttributes lists the container instance attributes ECS adds to
// a task definition, for the features that are easy to recognise. The
// Docker Remote API versions are those the model documents (1.18 for
// dockerLabels, ulimits and logConfiguration, 1.19 for log options, 1.25
// for initProcessEnabled); the capability names are those ECS shows. The
// order is Quayside's: ECS's own order is not documented.
func requiresAttributes(td *ecs.TaskDefinition) []ecs.Attribute {
	var names []string
	add := func(n string) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for i := range td.ContainerDefinitions {
		c := &td.ContainerDefinitions[i]
		if lc := c.LogConfiguration; lc != nil {
			add(capLegacy + "logging-driver." + string(lc.LogDriver))
			if len(lc.Options) > 0 {
				add(capLegacy + "docker-remote-api.1.19")
			} else {
				add(capLegacy + "docker-remote-api.1.18")
			}
			if lc.LogDriver == ecs.LogDriverAWSLogs && td.ExecutionRoleARN != "" {
				add(capECS + "execution-role-awslogs")
			}
			for _, s := range lc.SecretOptions {
				add(secretCapability(s, "bootstrap.log-driver"))
			}
		}
		if len(c.DockerLabels) > 0 || len(c.Ulimits) > 0 {
			add(capLegacy + "docker-remote-api.1.18")
		}
		if lp := c.LinuxParameters; lp != nil && lp.InitProcessEnabled {
			add(capLegacy + "docker-remote-api.1.25")
		}
		if ecrImageRE.MatchString(c.Image) {
			add(capLegacy + "ecr-auth")
			if td.ExecutionRoleARN != "" {
				add(capECS + "execution-role-ecr-pull")
			}
		}
		if c.RepositoryCredentials != nil {
			add(capLegacy + "private-registry-authentication.secretsmanager")
		}
		for _, s := range c.Secrets {
			add(secretCapability(s, "environment-variables"))
		}
		if len(c.EnvironmentFiles) > 0 {
			add(capECS + "env-files.s3")
		}
		if c.HealthCheck != nil {
			add(capECS + "container-health-check")
		}
		if len(c.DependsOn) > 0 {
			add(capECS + "container-ordering")
		}
		if f := c.FirelensConfiguration; f != nil {
			add(capECS + "firelens." + string(f.Type))
		}
	}
	if td.TaskRoleARN != "" {
		add(capLegacy + "task-iam-role")
	}
	if td.NetworkMode == ecs.NetworkModeAWSVPC {
		add(capECS + "task-eni")
	}
	var out []ecs.Attribute
	for _, n := range names {
		out = append(out, ecs.Attribute{Name: n})
	}
	return out
}

// secretCapability is the attribute a secret needs: SSM parameters and
// Secrets Manager secrets have their own.
func secretCapability(s ecs.Secret, use string) string {
	store := "ssm"
	if src, err := ecs.ParseSecretSource(s.ValueFrom); err == nil && src.Store == ecs.SecretStoreSecretsManager {
		store = "asm"
	}
	return capECS + "secrets." + store + "." + use
}
