package ecs

import (
	"fmt"
	"time"
)

// DeploymentStatus is a deployment's place among a service's deployments.
type DeploymentStatus string

// Deployment statuses: the newest deployment is PRIMARY, older ones that
// still own tasks are ACTIVE, the rest INACTIVE.
const (
	DeploymentPrimary  DeploymentStatus = "PRIMARY"
	DeploymentActive   DeploymentStatus = "ACTIVE"
	DeploymentInactive DeploymentStatus = "INACTIVE"
)

// RolloutState is how far a deployment has got.
type RolloutState string

// Rollout states.
const (
	RolloutInProgress RolloutState = "IN_PROGRESS"
	RolloutCompleted  RolloutState = "COMPLETED"
	RolloutFailed     RolloutState = "FAILED"
)

// Deployment is one rollout of a service: a task definition (and the
// configuration it runs with) and the tasks started for it. It keeps a
// snapshot of the service's deployment configuration as it was when the
// deployment began.
type Deployment struct {
	ID     string           `json:"id"`
	Status DeploymentStatus `json:"status"`
	// TaskDefinition is the task definition ARN.
	TaskDefinition string `json:"taskDefinition"`

	DesiredCount int `json:"desiredCount"`
	PendingCount int `json:"pendingCount"`
	RunningCount int `json:"runningCount"`
	FailedTasks  int `json:"failedTasks"`

	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`

	LaunchType               LaunchType                     `json:"launchType,omitempty"`
	CapacityProviderStrategy []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	PlatformVersion          string                         `json:"platformVersion,omitempty"`
	PlatformFamily           string                         `json:"platformFamily,omitempty"`
	NetworkConfiguration     *NetworkConfiguration          `json:"networkConfiguration,omitempty"`

	RolloutState       RolloutState `json:"rolloutState,omitempty"`
	RolloutStateReason string       `json:"rolloutStateReason,omitempty"`

	DeploymentConfiguration DeploymentConfiguration `json:"deploymentConfiguration"`

	// Scheduler bookkeeping, never shown by the API.
	//
	// Counted holds the IDs of this deployment's stopped tasks that the
	// scheduler has already judged (failure or not); SeenHealthy the IDs
	// of its tasks it has seen healthy. Both are pruned to tasks that
	// still exist. StartFailures counts consecutive tasks that never
	// reached RUNNING, for restart throttling, and ThrottleUntil is when
	// the next launch may happen.
	Counted       []string  `json:"counted,omitempty"`
	SeenHealthy   []string  `json:"seenHealthy,omitempty"`
	StartFailures int       `json:"startFailures,omitempty"`
	ThrottleUntil time.Time `json:"throttleUntil,omitzero"`
}

// RolloutReasonInProgress is "ECS deployment <id> in progress.".
func RolloutReasonInProgress(id string) string {
	return fmt.Sprintf("ECS deployment %s in progress.", id)
}

// RolloutReasonCompleted is "ECS deployment <id> completed.".
func RolloutReasonCompleted(id string) string {
	return fmt.Sprintf("ECS deployment %s completed.", id)
}

// RolloutReasonCircuitBreaker is the reason of a deployment the circuit
// breaker failed.
const RolloutReasonCircuitBreaker = "ECS deployment circuit breaker: tasks failed to start."

// DeploymentStrategy is how a service moves between deployments.
type DeploymentStrategy string

// Deployment strategies.
const (
	StrategyRolling   DeploymentStrategy = "ROLLING"
	StrategyBlueGreen DeploymentStrategy = "BLUE_GREEN"
	StrategyLinear    DeploymentStrategy = "LINEAR"
	StrategyCanary    DeploymentStrategy = "CANARY"
)

// DeploymentConfiguration bounds the tasks a deployment may run and
// decides when it fails. Values are resolved (see
// DefaultDeploymentConfiguration).
type DeploymentConfiguration struct {
	MaximumPercent        int                      `json:"maximumPercent"`
	MinimumHealthyPercent int                      `json:"minimumHealthyPercent"`
	CircuitBreaker        DeploymentCircuitBreaker `json:"deploymentCircuitBreaker"`
	Alarms                DeploymentAlarms         `json:"alarms,omitzero"`
	Strategy              DeploymentStrategy       `json:"strategy,omitempty"`
	BakeTime              time.Duration            `json:"bakeTime,omitempty"`
}

// DefaultDeploymentConfiguration is the configuration ECS uses when a
// service gives none: 100/200 percent for REPLICA, 0/100 for DAEMON, the
// circuit breaker off, a rolling strategy.
func DefaultDeploymentConfiguration(s SchedulingStrategy) DeploymentConfiguration {
	c := DeploymentConfiguration{
		MaximumPercent:        200,
		MinimumHealthyPercent: 100,
		CircuitBreaker:        DeploymentCircuitBreaker{Threshold: DefaultThreshold, ResetOnHealthyTask: true},
		Strategy:              StrategyRolling,
	}
	if s == SchedulingDaemon {
		c.MaximumPercent, c.MinimumHealthyPercent = 100, 0
	}
	return c
}

// MinHealthyTasks is the lower bound on healthy tasks during a
// deployment: ceil(desired × minimumHealthyPercent / 100).
func (c DeploymentConfiguration) MinHealthyTasks(desired int) int {
	if desired <= 0 || c.MinimumHealthyPercent <= 0 {
		return 0
	}
	return (desired*c.MinimumHealthyPercent + 99) / 100
}

// MaxTasks is the upper bound on RUNNING plus PENDING tasks during a
// deployment: floor(desired × maximumPercent / 100).
func (c DeploymentConfiguration) MaxTasks(desired int) int {
	if desired <= 0 || c.MaximumPercent <= 0 {
		return 0
	}
	return desired * c.MaximumPercent / 100
}

// DeploymentCircuitBreaker fails (and optionally rolls back) a
// deployment whose tasks keep failing.
type DeploymentCircuitBreaker struct {
	Enable   bool `json:"enable"`
	Rollback bool `json:"rollback"`
	// Threshold and ResetOnHealthyTask refine when the breaker trips.
	// They are newer than the botocore model Quayside is generated from.
	Threshold          ThresholdConfiguration `json:"thresholdConfiguration,omitzero"`
	ResetOnHealthyTask bool                   `json:"resetOnHealthyTask"`
}

// ThresholdType is how a circuit breaker threshold is measured.
type ThresholdType string

// Threshold types.
const (
	ThresholdCount            ThresholdType = "COUNT"
	ThresholdBoundedPercent   ThresholdType = "BOUNDED_PERCENT"
	ThresholdUnboundedPercent ThresholdType = "UNBOUNDED_PERCENT"
)

// ThresholdConfiguration is a circuit breaker's failure threshold.
type ThresholdConfiguration struct {
	Type  ThresholdType `json:"type"`
	Value int           `json:"value"`
}

// DefaultThreshold is BOUNDED_PERCENT 50: half the desired count.
var DefaultThreshold = ThresholdConfiguration{Type: ThresholdBoundedPercent, Value: 50}

// Bounds of a BOUNDED_PERCENT threshold. The 2023 developer guide gave a
// minimum of 10; the current API reference says 3, which Quayside uses.
const (
	MinCircuitBreakerThreshold = 3
	MaxCircuitBreakerThreshold = 200
)

// FailureThreshold is how many failed tasks trip the breaker for a
// deployment of the given desired count. BOUNDED_PERCENT (the default)
// is ceil(desired × value / 100) kept within 3 and 200; UNBOUNDED_PERCENT
// drops the bounds (but is at least 1); COUNT is the value itself.
func (b DeploymentCircuitBreaker) FailureThreshold(desired int) int {
	t := b.Threshold
	if t.Type == "" {
		t = DefaultThreshold
	}
	if t.Type == ThresholdCount {
		return max(t.Value, 1)
	}
	n := (max(desired, 0)*t.Value + 99) / 100
	if t.Type == ThresholdUnboundedPercent {
		return max(n, 1)
	}
	return min(max(n, MinCircuitBreakerThreshold), MaxCircuitBreakerThreshold)
}

// DeploymentAlarms fail a deployment when CloudWatch alarms fire.
type DeploymentAlarms struct {
	AlarmNames []string `json:"alarmNames,omitempty"`
	Enable     bool     `json:"enable"`
	Rollback   bool     `json:"rollback"`
}

// CapacityProviderStrategyItem gives a capacity provider a base and a
// weight in a strategy.
type CapacityProviderStrategyItem struct {
	CapacityProvider string `json:"capacityProvider"`
	Weight           int    `json:"weight"`
	Base             int    `json:"base"`
}
