package ecs

import (
	"fmt"
	"strings"
)

// Service event messages, worded as ECS words them. Each takes the
// service name first.

// EventStartedTasks is "(service S) has started N tasks: (task a) (task b).".
func EventStartedTasks(service string, taskIDs []string) string {
	return fmt.Sprintf("(service %s) has started %d tasks: %s.", service, len(taskIDs), taskList(taskIDs))
}

// EventStoppedTasks is "(service S) has stopped N running tasks: (task a).".
func EventStoppedTasks(service string, taskIDs []string) string {
	return fmt.Sprintf("(service %s) has stopped %d running tasks: %s.", service, len(taskIDs), taskList(taskIDs))
}

// EventRegisteredTargets has no final period, as on AWS.
func EventRegisteredTargets(service string, n int, targetGroupARN string) string {
	return fmt.Sprintf("(service %s) registered %d targets in (target-group %s)", service, n, targetGroupARN)
}

// EventDeregisteredTargets has no final period, as on AWS.
func EventDeregisteredTargets(service string, n int, targetGroupARN string) string {
	return fmt.Sprintf("(service %s) deregistered %d targets in (target-group %s)", service, n, targetGroupARN)
}

// EventDraining is "(service S) has begun draining connections on N tasks.".
func EventDraining(service string, n int) string {
	return fmt.Sprintf("(service %s) has begun draining connections on %d tasks.", service, n)
}

// EventDeploymentCompleted is "(service S) (deployment <id>) deployment completed.".
func EventDeploymentCompleted(service, deploymentID string) string {
	return fmt.Sprintf("(service %s) (deployment %s) deployment completed.", service, deploymentID)
}

// EventSteadyState is "(service S) has reached a steady state.".
func EventSteadyState(service string) string {
	return fmt.Sprintf("(service %s) has reached a steady state.", service)
}

// EventTargetUnhealthy reports a task failing its target group's health
// checks; reason is the target health description.
func EventTargetUnhealthy(service, taskID string, port int, targetGroupARN, reason string) string {
	return fmt.Sprintf("(service %s) (task %s) (port %d) is unhealthy in (target-group %s) due to (reason %s).",
		service, taskID, port, targetGroupARN, reason)
}

// EventContainerHealthFailed is "(service S) (task <id>) failed container health checks.".
func EventContainerHealthFailed(service, taskID string) string {
	return fmt.Sprintf("(service %s) (task %s) failed container health checks.", service, taskID)
}

// EventDeploymentFailed is "(service S) (deployment <id>) deployment failed: tasks failed to start.".
func EventDeploymentFailed(service, deploymentID string) string {
	return fmt.Sprintf("(service %s) (deployment %s) deployment failed: tasks failed to start.", service, deploymentID)
}

// EventRollingBack is "(service S) rolling back to deployment <id>.".
func EventRollingBack(service, deploymentID string) string {
	return fmt.Sprintf("(service %s) rolling back to deployment %s.", service, deploymentID)
}

// EventUnableToPlace is posted when no container instance fits a task.
func EventUnableToPlace(service string) string {
	return fmt.Sprintf("(service %s) was unable to place a task because no container instance met all of its requirements.", service)
}

// EventThrottled is posted while task launches are throttled.
func EventThrottled(service string) string {
	return fmt.Sprintf("(service %s) is unable to consistently start tasks successfully.", service)
}

// EventDeploymentBlocked is posted when the deployment configuration
// allows neither stopping nor starting a task.
func EventDeploymentBlocked(service string) string {
	return fmt.Sprintf("(service %s) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.", service)
}

// Stopped reasons of tasks, as ECS words them.
const (
	ReasonEssentialContainerExited = "Essential container in task exited"
	ReasonContainerHealthFailed    = "Task failed container health checks"
)

// ReasonScalingActivity is the stopped reason of a task a deployment
// stopped (stop code ServiceSchedulerInitiated).
func ReasonScalingActivity(deploymentID string) string {
	return fmt.Sprintf("Scaling activity initiated by (deployment %s)", deploymentID)
}

// ReasonELBHealthFailed is the stopped reason of a task that failed its
// target group's health checks.
func ReasonELBHealthFailed(targetGroupARN string) string {
	return fmt.Sprintf(elbHealthFailed+" in (target-group %s)", targetGroupARN)
}

const elbHealthFailed = "Task failed ELB health checks"

// IsELBHealthFailure reports whether a stopped reason is
// ReasonELBHealthFailed's.
func IsELBHealthFailure(reason string) bool { return strings.HasPrefix(reason, elbHealthFailed+" ") }

func taskList(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = "(task " + id + ")"
	}
	return strings.Join(parts, " ")
}
