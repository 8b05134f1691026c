// Package ecs is the domain model of Quayside's Amazon ECS: clusters, task
// definitions, services and their deployments, tasks and containers,
// container instances, capacity providers and account settings, with the
// rules that govern them (ARNs and IDs, task definition validation, the
// Fargate size table, deployment arithmetic).
//
// The package is independent of the wire format. It does not import
// net/http, the store, Docker or the generated wire shapes; package
// ecsapi converts between ecswire and these types, in one place per
// resource. Domain values hold resolved defaults (a container is
// Essential unless it says otherwise, a health check has its interval),
// use time.Time and time.Duration, and use pointers only where absence
// means something different from the zero value. Every type carries JSON
// tags so that the store can persist it; the tags follow AWS's names
// where the meaning is the same.
//
// Errors are fault errors whose kinds are declared in errors.go; package
// awserr maps them to AWS error codes.
//
// # Task lifecycle
//
// The server writes a task's desiredStatus (RUNNING, then STOPPED); the
// agent writes lastStatus, which only moves forward:
//
//	PROVISIONING ──▶ PENDING ──▶ ACTIVATING ──▶ RUNNING
//	     │              │             │            │
//	     │              │             │            ▼
//	     │              │             │      DEACTIVATING
//	     │              │             │            │
//	     │              │             │            ▼
//	     │              │             │        STOPPING
//	     │              │             │            │
//	     │              │             │            ▼
//	     │              │             │     DEPROVISIONING
//	     │              │             │            │
//	     │              │             │            ▼
//	     └──────────────┴─────────────┴───────▶ STOPPED
//
// A task that fails early (image pull, secrets, placement) jumps ahead to
// STOPPED with stopCode TaskFailedToStart. TaskStatus.CanMoveTo encodes
// the rule: any later state is allowed, no earlier one.
//
// # Deployments
//
// A service has one deployment per task definition (or configuration)
// it has been asked to run. Each deployment has a status and a rollout
// state:
//
//	status:        PRIMARY ──(newer deployment created)──▶ ACTIVE
//	                  │                                      │
//	                  └──────(no tasks left)──▶ INACTIVE ◀───┘
//
//	rolloutState:  IN_PROGRESS ──(steady at desired count)──▶ COMPLETED
//	                    │
//	                    └──(circuit breaker trips)──▶ FAILED
//
// The newest deployment is PRIMARY; older ones that still own tasks are
// ACTIVE; deployments with no tasks left are INACTIVE. A FAILED deployment
// launches no more tasks; with rollback enabled the service returns to
// the last COMPLETED deployment, which becomes PRIMARY again as a new
// deployment of the same task definition.
package ecs
