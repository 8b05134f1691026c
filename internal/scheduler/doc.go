// Package scheduler is the ECS service scheduler: it keeps each service at
// its desired count and runs its rolling deployments, as ECS does.
//
// The core is Decide, a pure function from a service, its tasks and the
// clock to a Plan: the tasks to start, the tasks to stop, and the new
// state of the service (deployments, counts, events). The Scheduler's
// Run loop watches the store, calls Decide for each service that changed
// or whose timer fired, and applies the plan in one transaction.
//
//	store ──watch──▶ queue of services ──▶ View: service, tasks, task defs
//	                                             │
//	                                   Decide (pure) ──▶ Plan
//	                                             │
//	                       Update: re-Decide on fresh state, write tasks
//	                       (placed like RunTask's), stops, service record
//
// Glossary.
//
//	live task       desiredStatus RUNNING and not yet STOPPED
//	healthy task    RUNNING and, with a container health check, HEALTHY;
//	                behind target groups, every target healthy too;
//	                otherwise RUNNING for StableAfter (ECS: 40 s)
//	minimum         ceil(desired × minimumHealthyPercent / 100) healthy tasks
//	maximum         floor(desired × maximumPercent / 100) live tasks
//	failure         a task of the PRIMARY deployment that stopped before it
//	                reached RUNNING (stage 1), or that the scheduler stopped
//	                for failing its health checks (stage 2)
//	throttle        after 3 consecutive failures to reach RUNNING, launches
//	                wait 10 s, doubling up to 15 min; a new deployment resets it
//
// A rolling deployment starts PRIMARY tasks while the live count is below
// the maximum, and stops older deployments' tasks while the healthy count
// stays at or above the minimum (unhealthy and pending ones first). It
// COMPLETES when the PRIMARY has the desired count of healthy tasks and
// nothing else runs; the older deployments are then dropped. The circuit
// breaker marks the PRIMARY FAILED when its consecutive failures reach the
// threshold and, with rollback, starts a new PRIMARY deployment of the
// last COMPLETED one.
//
// Load balancing. A service task behind target groups is launched with
// two holds the agent honours: it waits at ACTIVATING until Decide has
// asked for the task to be registered (its awsvpc IP, or its container
// instance and host port) and apply has registered it, and at
// DEACTIVATING until its targets, deregistered when it is to stop, have
// drained. Registration, the task's record and the service events are
// written in one transaction (targets.go). A target that turns unhealthy
// after the grace period stops its task with "Task failed ELB health
// checks in (target-group ...)", which counts for the circuit breaker.
package scheduler
