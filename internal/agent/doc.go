// Package agent runs ECS tasks on Docker. It owns a container instance:
// it learns the tasks assigned to it from the control plane, drives each
// through the ECS lifecycle, and reports what it observes. The server
// writes desired state; the agent writes observed state; states only move
// forward.
//
// One runner goroutine per task calls step until the task is STOPPED.
// Each step is idempotent, so a runner started after a crash finds the
// task's containers by their labels and adopts them.
//
//	PROVISIONING ── pause container on the task network (awsvpc) ──▶ PENDING
//	PENDING ─────── check the execution role (with IAM enforced),
//	                resolve secrets, pull images, create volumes and containers,
//	                start them in dependsOn order ──────────────────▶ ACTIVATING
//	ACTIVATING ──── wait while the scheduler registers targets ─────▶ RUNNING
//	RUNNING ─────── watch containers; an essential one exits ──▶ desired STOPPED
//	desired STOPPED ────────────────────────────────────────────────▶ DEACTIVATING
//	DEACTIVATING ── wait while the task's targets drain ────────────▶ STOPPING
//	STOPPING ────── SIGTERM, stopTimeout, SIGKILL; exit codes ──────▶ DEPROVISIONING
//	DEPROVISIONING  remove containers, pause container, task volumes ▶ STOPPED
//
//	A task that cannot start (its execution role may not read its secrets
//	or pull its image, a pull fails, a container cannot be created, a
//	dependency fails) is cleaned up and jumps to STOPPED with stopCode
//	TaskFailedToStart and the reason ECS gives.
//
// Networking emulates Fargate: an awsvpc task's containers join the
// network namespace of a pause container on the Docker bridge network
// "quayside-tasks", so they share localhost and the task has its own IP,
// reachable from the host. bridge and host modes are Docker's own.
//
// Stopping the agent leaves tasks running; the next agent adopts them.
package agent
