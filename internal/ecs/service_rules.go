package ecs

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/ecs/cql"
	"github.com/quayside/quayside/internal/fault"
)

// This file holds the rules ECS applies when a service is created or
// updated and when tasks are run: deployment configuration ranges,
// network configuration, placement, platform versions, launch type
// compatibility and load balancers. Each returns a fault error worded as
// ECS words it where the wording is known; the others say "message not
// confirmed".

// Messages ECS returns word for word, as seen in AWS responses.
const (
	MsgLaunchTypeAndStrategy     = "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."
	MsgServiceScaledAbove0       = "The service cannot be stopped while it is scaled above 0."
	MsgNetworkConfigRequired     = "Network Configuration must be provided when networkMode 'awsvpc' is specified."
	MsgNetworkConfigNotValid     = "Network Configuration is not valid for the given networkMode of this task definition."
	MsgSubnetsEmpty              = "subnets can not be empty."
	MsgDaemonDesiredCount        = "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again"
	MsgDaemonPlacementStrategy   = "The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again"
	MsgDaemonCapacityStrategy    = "Specifying a capacity provider strategy is not supported when you create a service using the DAEMON scheduling strategy."
	MsgPlatformVersionNotFargate = "The platform version must be null when specifying an EC2 launch type."
	MsgTaskNotFound              = "The referenced task was not found" // StopTask; no final period
	MsgTasksEmpty                = "Tasks cannot be empty."
	MsgOverridesTooLong          = "Container Overrides length must be at most 8192"
	MsgRoleWithServiceLinkedRole = "You cannot specify an IAM role for services that require a service linked role."
	// MsgDistinctInstanceExpression is CreateService's answer to a
	// distinctInstance constraint with an expression (hashicorp/terraform
	// issues 11446 and 11471).
	MsgDistinctInstanceExpression = "distinctInstance expression should not be specified."
)

// msgInvalidExpression words a memberOf expression that does not parse;
// the argument says what is wrong and where. Message not confirmed.
const msgInvalidExpression = "The placement constraint expression is invalid: %s."

// ParseMemberOf parses a memberOf constraint's cluster query language
// expression. One that does not parse is an InvalidParameterException.
func ParseMemberOf(expr string) (*cql.Expr, error) {
	e, err := cql.Parse(expr)
	if err != nil {
		return nil, fault.Newf(ErrInvalidParameter, msgInvalidExpression, err)
	}
	return e, nil
}

// Platform versions and families of Fargate.
const (
	PlatformVersionLatest = "LATEST"
	// FargateLinuxPlatformVersion is what LATEST resolves to on Linux.
	FargateLinuxPlatformVersion = "1.4.0"
	// FargateWindowsPlatformVersion is what LATEST resolves to on Windows.
	FargateWindowsPlatformVersion = "1.0.0"
	// PlatformFamilyLinux is the platform family of Linux Fargate tasks.
	PlatformFamilyLinux = "Linux"
)

// fargateLinuxPlatformVersions are the Linux platform versions Fargate
// still runs.
var fargateLinuxPlatformVersions = []string{"1.4.0", "1.3.0"}

// Limits on services and tasks.
const (
	MaxSubnets            = 16
	MaxSecurityGroups     = 5
	MaxPlacementStrategy  = 5
	MaxLoadBalancers      = 5
	MaxServiceRegistries  = 1
	MaxRunTaskCount       = 10
	MaxStartTaskInstances = 10
	MaxOverridesLength    = 8192
	// MaxStartedByRunTask is RunTask's limit on startedBy (the current API
	// reference says 128); StartTask's reference still says 36.
	MaxStartedByRunTask   = 128
	MaxStartedByStartTask = 36
)

// ServiceLinkedRoleARN is the role ECS uses for a service that names none.
func ServiceLinkedRoleARN(account string) string {
	return "arn:aws:iam::" + account + ":role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
}

// RoleARN resolves a role name, path/name or ARN to an IAM role ARN.
func RoleARN(account, role string) string {
	if role == "" || IsARN(role) {
		return role
	}
	return "arn:aws:iam::" + account + ":role/" + strings.TrimPrefix(role, "/")
}

// DefaultAvailabilityZone is the zone Quayside reports for tasks: the
// region's first zone.
func DefaultAvailabilityZone(region string) string { return region + "a" }

// LaunchTypeOfProvider is the launch type of tasks a capacity provider
// runs: FARGATE for FARGATE and FARGATE_SPOT, EC2 otherwise.
func LaunchTypeOfProvider(provider string) LaunchType {
	if IsBuiltinCapacityProvider(provider) {
		return LaunchTypeFargate
	}
	return LaunchTypeEC2
}

// Validate checks the configuration against ECS's rules for a service of
// the given scheduling strategy. Messages are not confirmed word for
// word, except DAEMON's maximumPercent message.
func (c DeploymentConfiguration) Validate(s SchedulingStrategy) error {
	if c.MinimumHealthyPercent < 0 || c.MinimumHealthyPercent > 100 {
		return fault.New(ErrInvalidParameter, "minimumHealthyPercent must be between 0 and 100.")
	}
	if c.MaximumPercent < 0 {
		return fault.New(ErrInvalidParameter, "maximumPercent must be greater than or equal to 0.")
	}
	if s == SchedulingDaemon {
		if c.MaximumPercent > 100 {
			return fault.New(ErrInvalidParameter, "The daemon scheduling strategy does not support values above 100 for maximumPercent")
		}
	} else if c.MaximumPercent < 100 {
		return fault.New(ErrInvalidParameter, "maximumPercent must be at least 100 for services using the REPLICA scheduling strategy.")
	}
	if c.BakeTime < 0 || c.BakeTime.Minutes() > 1440 {
		return fault.New(ErrInvalidParameter, "bakeTimeInMinutes must be between 0 and 1440.")
	}
	if t := c.CircuitBreaker.Threshold; t.Type != "" {
		switch {
		case t.Type != ThresholdCount && t.Type != ThresholdBoundedPercent && t.Type != ThresholdUnboundedPercent:
			return fault.Newf(ErrInvalidParameter, "Invalid thresholdConfiguration type %q: use COUNT, BOUNDED_PERCENT or UNBOUNDED_PERCENT.", t.Type)
		case t.Value < 1:
			// message not confirmed
			return fault.New(ErrInvalidParameter, "thresholdConfiguration value must be at least 1.")
		case t.Type != ThresholdCount && t.Value > 100:
			// message not confirmed
			return fault.New(ErrInvalidParameter, "thresholdConfiguration value must be between 1 and 100 for percent thresholds.")
		}
	}
	if c.Alarms.Enable && len(c.Alarms.AlarmNames) == 0 {
		return fault.New(ErrInvalidParameter, "At least one alarm name must be specified when deployment alarms are enabled.")
	}
	return nil
}

// Validate checks an awsvpc configuration: 1 to 16 subnets and at most 5
// security groups. Only the empty-subnets message is confirmed.
func (n NetworkConfiguration) Validate() error {
	switch {
	case len(n.Subnets) == 0:
		return fault.New(ErrInvalidParameter, MsgSubnetsEmpty)
	case len(n.Subnets) > MaxSubnets:
		return fault.Newf(ErrInvalidParameter, "subnets can have at most %d items.", MaxSubnets)
	case len(n.SecurityGroups) > MaxSecurityGroups:
		return fault.Newf(ErrInvalidParameter, "securityGroups can have at most %d items.", MaxSecurityGroups)
	}
	for _, s := range n.Subnets {
		if strings.TrimSpace(s) == "" {
			return fault.New(ErrInvalidParameter, MsgSubnetsEmpty)
		}
	}
	return nil
}

// CheckNetworkMode checks that a network configuration is given exactly
// when the task definition's network mode is awsvpc.
func CheckNetworkMode(mode NetworkMode, n *NetworkConfiguration) error {
	if mode == NetworkModeAWSVPC {
		if n == nil {
			return fault.New(ErrInvalidParameter, MsgNetworkConfigRequired)
		}
		return n.Validate()
	}
	if n != nil {
		return fault.New(ErrInvalidParameter, MsgNetworkConfigNotValid)
	}
	return nil
}

// ValidatePlacement checks run-time placement constraints and strategies.
// fromTaskDef is how many constraints the task definition already has:
// the limit of 10 counts both. A memberOf expression must parse (see
// package cql). Messages are not confirmed, except the distinctInstance
// one.
func ValidatePlacement(constraints []PlacementConstraint, strategies []PlacementStrategy, fromTaskDef int) error {
	if len(constraints)+fromTaskDef > MaxPlacementConstraints {
		return fault.Newf(ErrInvalidParameter, "A task can have at most %d placement constraints, counting those of the task definition.", MaxPlacementConstraints)
	}
	for _, c := range constraints {
		switch c.Type {
		case PlacementConstraintDistinctInstance:
			if c.Expression != "" {
				return fault.New(ErrInvalidParameter, MsgDistinctInstanceExpression)
			}
		case PlacementConstraintMemberOf:
			if strings.TrimSpace(c.Expression) == "" {
				return fault.New(ErrInvalidParameter, "A memberOf placement constraint requires an expression.")
			}
			if _, err := ParseMemberOf(c.Expression); err != nil {
				return err
			}
		default:
			return fault.Newf(ErrInvalidParameter, "Invalid placement constraint type '%s': use distinctInstance or memberOf.", c.Type)
		}
	}
	if len(strategies) > MaxPlacementStrategy {
		return fault.Newf(ErrInvalidParameter, "A task can have at most %d placement strategies.", MaxPlacementStrategy)
	}
	for _, s := range strategies {
		switch s.Type {
		case PlacementRandom:
			if s.Field != "" {
				return fault.New(ErrInvalidParameter, "The random placement strategy does not take a field.")
			}
		case PlacementBinpack:
			if f := strings.ToLower(s.Field); f != "cpu" && f != "memory" {
				return fault.New(ErrInvalidParameter, "The binpack placement strategy requires the field cpu or memory.")
			}
		case PlacementSpread:
			if s.Field == "" {
				return fault.New(ErrInvalidParameter, "The spread placement strategy requires a field.")
			}
			if _, ok := SpreadAttribute(s.Field); !ok && !SpreadsOverInstances(s.Field) {
				return fault.Newf(ErrInvalidParameter, "Invalid spread field '%s': use instanceId, host or attribute:<name>.", s.Field)
			}
		default:
			return fault.Newf(ErrInvalidParameter, "Invalid placement strategy type '%s': use random, spread or binpack.", s.Type)
		}
	}
	return nil
}

// SpreadsOverInstances reports whether a spread strategy's field spreads
// tasks over container instances: instanceId, or host, which ECS treats
// the same.
func SpreadsOverInstances(field string) bool {
	return strings.EqualFold(field, "instanceId") || strings.EqualFold(field, "host")
}

// SpreadAttribute is the attribute a spread strategy's field names, as in
// attribute:ecs.availability-zone.
func SpreadAttribute(field string) (string, bool) {
	name, ok := strings.CutPrefix(field, "attribute:")
	return name, ok && name != ""
}

// ValidateStartedBy checks a startedBy value: at most max letters,
// digits, hyphens, forward slashes and underscores. The message is not
// confirmed.
func ValidateStartedBy(s string, max int) error {
	if len(s) > max {
		return fault.Newf(ErrInvalidParameter, "startedBy must be at most %d characters.", max)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '/') {
			return fault.New(ErrInvalidParameter, "startedBy may contain only letters, numbers, hyphens (-), forward slashes (/) and underscores (_).")
		}
	}
	return nil
}

// ResolvePlatformVersion checks a requested platform version against the
// launch type and returns the version tasks run with: on Fargate, LATEST
// (or nothing) resolves to 1.4.0 on Linux and 1.0.0 on Windows; other
// launch types take no platform version.
func ResolvePlatformVersion(lt LaunchType, requested string, windows bool) (string, error) {
	if lt != LaunchTypeFargate {
		if requested != "" {
			return "", fault.New(ErrInvalidParameter, MsgPlatformVersionNotFargate)
		}
		return "", nil
	}
	if requested == "" || requested == PlatformVersionLatest {
		if windows {
			return FargateWindowsPlatformVersion, nil
		}
		return FargateLinuxPlatformVersion, nil
	}
	if windows && requested == FargateWindowsPlatformVersion || !windows && slices.Contains(fargateLinuxPlatformVersions, requested) {
		return requested, nil
	}
	// message not confirmed
	return "", fault.New(ErrPlatformUnknown, "The specified platform does not exist.")
}

// PlatformFamily is the platform family ECS reports for a task
// definition on Fargate: Linux, or the Windows operating system family.
func (td *TaskDefinition) PlatformFamily() string {
	if td.IsWindows() {
		return string(td.RuntimePlatform.OperatingSystemFamily)
	}
	return PlatformFamilyLinux
}

// SupportsLaunchType reports an InvalidParameterException unless the task
// definition is compatible with the launch type.
func (td *TaskDefinition) SupportsLaunchType(lt LaunchType) error {
	compat := td.Compatibilities
	if len(compat) == 0 {
		compat = td.ComputeCompatibilities()
	}
	if !slices.Contains(compat, Compatibility(lt)) {
		return fault.Newf(ErrInvalidParameter, "Task definition does not support launch_type %s.", lt)
	}
	return nil
}

// CheckRunnable reports an error unless the task definition can start
// new tasks: it must be ACTIVE.
func (td *TaskDefinition) CheckRunnable() error {
	if td.Status != TaskDefinitionActive {
		return fault.New(ErrInvalidParameter, MsgTaskDefinitionInactive)
	}
	return nil
}

// ValidateLoadBalancers checks a service's load balancers against its task
// definition: at most 5; a target group ARN or (not with awsvpc) a Classic
// Load Balancer name; a container name and port the task definition
// defines. The target group itself is not looked up: it may belong to a
// load balancer that does not exist yet. Messages for the container rules
// are ECS's; the others are not confirmed.
func ValidateLoadBalancers(td *TaskDefinition, lbs []LoadBalancer) error {
	if len(lbs) > MaxLoadBalancers {
		return fault.Newf(ErrInvalidParameter, "A service can have at most %d load balancers.", MaxLoadBalancers)
	}
	for _, lb := range lbs {
		switch {
		case lb.TargetGroupARN == "" && lb.LoadBalancerName == "":
			return fault.New(ErrInvalidParameter, "A load balancer must specify a targetGroupArn or a loadBalancerName.")
		case lb.TargetGroupARN != "" && lb.LoadBalancerName != "":
			return fault.New(ErrInvalidParameter, "A load balancer must specify either a targetGroupArn or a loadBalancerName, not both.")
		case lb.LoadBalancerName != "" && td.NetworkMode == NetworkModeAWSVPC:
			return fault.New(ErrInvalidParameter, "Classic Load Balancers are not supported with the awsvpc network mode. Use a target group of type ip.")
		case lb.TargetGroupARN != "" && !strings.HasPrefix(lb.TargetGroupARN, "arn:"):
			return fault.Newf(ErrInvalidParameter, "Invalid target group ARN: %s", lb.TargetGroupARN)
		case lb.ContainerName == "":
			return fault.New(ErrInvalidParameter, "A load balancer must specify a containerName.")
		}
		c, ok := td.Container(lb.ContainerName)
		if !ok {
			return fault.Newf(ErrInvalidParameter, "The container %s does not exist in the task definition.", lb.ContainerName)
		}
		if !containerExposes(c, lb.ContainerPort) {
			return fault.Newf(ErrInvalidParameter, "The container %s did not have a container port %d defined.", lb.ContainerName, lb.ContainerPort)
		}
	}
	return nil
}

func containerExposes(c *ContainerDefinition, port int) bool {
	for _, m := range c.PortMappings {
		if m.ContainerPort == port && port > 0 {
			return true
		}
		if first, last, ok := ParsePortRange(m.ContainerPortRange); ok && port >= first && port <= last {
			return true
		}
	}
	return false
}

// ValidateServiceRegistries checks a service's Cloud Map registries: at
// most one, with an ARN, and any container named must exist.
func ValidateServiceRegistries(td *TaskDefinition, regs []ServiceRegistry) error {
	if len(regs) > MaxServiceRegistries {
		return fault.New(ErrInvalidParameter, "Each service may be associated with one service registry.") // message not confirmed
	}
	for _, r := range regs {
		if r.RegistryARN == "" {
			return fault.New(ErrInvalidParameter, "A service registry must specify a registryArn.") // message not confirmed
		}
		if r.ContainerName != "" {
			if _, ok := td.Container(r.ContainerName); !ok {
				return fault.Newf(ErrInvalidParameter, "The container %s does not exist in the task definition.", r.ContainerName)
			}
		}
	}
	return nil
}

// SameSpec reports whether two services were created with the same
// parameters, ignoring what ECS assigns or changes afterwards (status,
// deployments, events, timestamps). It decides whether a repeated
// CreateService with the same client token is idempotent.
func SameSpec(a, b Service) bool {
	spec := func(s Service) []byte {
		s.Status, s.Deployments, s.Events = "", nil, nil
		s.CreatedAt = time.Time{}
		b, _ := json.Marshal(s)
		return b
	}
	return bytes.Equal(spec(a), spec(b))
}
