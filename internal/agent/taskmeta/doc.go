// Package taskmeta serves the ECS task metadata endpoint, versions 4 and
// 3, as Fargate shapes it. Every container of a task gets two variables:
//
//	ECS_CONTAINER_METADATA_URI_V4=http://<host>:<port>/v4/<token>
//	ECS_CONTAINER_METADATA_URI=http://<host>:<port>/v3/<token>
//
// and the token says which container is asking. Under either prefix:
//
//	GET /v4/<token>               the calling container's metadata
//	GET /v4/<token>/task          the task's metadata, with all its containers
//	GET /v4/<token>/stats         the container's Docker stats, as Docker gives them
//	GET /v4/<token>/task/stats    Docker ID → stats for each container of the task
//	GET /v4/<token>/taskWithTags  /task plus TaskTags (v4 only)
//
// Field names follow AWS's Fargate v4 documentation exactly (Cluster,
// TaskARN, Revision as a string, Limits.CPU in vCPUs at the task level and
// in CPU units at the container level, RFC 3339 timestamps with
// nanoseconds). Version 3 answers with the subset AWS documents for it:
// no LaunchType, log settings, container ARN or restart count, and
// networks carry only NetworkMode and IPv4Addresses.
//
// An unknown path or token gets 404, any method but GET or HEAD 405, and
// a failure to read Docker's stats 500, each with a JSON body
// {"error": "..."}. In /task/stats a container whose stats cannot be read
// maps to null, and one not yet created is left out.
//
// # Security
//
// The endpoint tells whoever asks about a task: its image, labels, log
// settings and network addresses (never its environment or secrets). On
// AWS it answers only to the task's own network interface. Quayside
// cannot see which task a packet came from, so the token stands in: it is
// the last part of the container's ARN, a random UUID (122 bits), which a
// container of another task cannot guess. The endpoint is also not
// reachable from outside the host: [Server] listens only on the addresses
// it is given, meant to be the task network's gateway, the Docker bridge
// gateway and 127.0.0.1, and refuses unspecified addresses such as
// 0.0.0.0. Tokens never appear in its logs.
//
// The package depends on nothing of Quayside's: the agent implements
// [Source] from its own state.
package taskmeta
