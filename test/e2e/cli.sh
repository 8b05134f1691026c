#!/usr/bin/env bash
# End-to-end test of the ECS control plane through the aws CLI (v1 or v2),
# typed exactly as a user would. Usage: test/e2e/cli.sh BINARY
#
# Starts BINARY (`quayside up --no-agent`) on a free loopback port with a
# temporary data dir, drives it with `aws --endpoint-url ...`, kills it
# with SIGKILL half-way and restarts it on the same data dir to check that
# nothing registered was lost. Prints "N passed, M failed" last and exits
# non-zero if anything failed. Needs nothing but loopback.
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TASKDEF="$HERE/testdata/web-taskdef.json"
[[ -x "$BIN" ]] || { echo "not an executable: $BIN" >&2; exit 2; }
command -v aws >/dev/null || { echo "the aws CLI is not installed" >&2; exit 2; }

WORK=$(mktemp -d)
DATA="$WORK/data"
LOG="$WORK/server.log"
PID=""
PORT=""

stop_server() {
	if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
		kill "$@" "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
	PID=""
}
cleanup() {
	stop_server -TERM
	rm -rf "$WORK"
}
trap cleanup EXIT

# The CLI must see only these credentials and talk only to Quayside.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
export AWS_PAGER="" AWS_CLI_AUTO_PROMPT=off AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_ECS AWS_ENDPOINT_URL_STS
: >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_server [PORT]: start on PORT, or on a free random port.
start_server() {
	local want=${1:-} try
	for try in 1 2 3 4 5 6 7 8; do
		PORT=${want:-$((20000 + RANDOM % 40000))}
		if [[ -z "$want" ]] && port_open "$PORT"; then
			continue
		fi
		"$BIN" up --no-agent --listen "127.0.0.1:$PORT" --data-dir "$DATA" >>"$LOG" 2>&1 &
		PID=$!
		local i
		for i in $(seq 1 100); do
			if port_open "$PORT"; then
				return 0
			fi
			kill -0 "$PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_server -KILL
		[[ -z "$want" ]] || sleep 1
	done
	echo "quayside did not start; its log:" >&2
	tail -n 40 "$LOG" >&2
	exit 1
}

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

ecs() { aws --endpoint-url "http://127.0.0.1:$PORT" ecs "$@"; }
sts() { aws --endpoint-url "http://127.0.0.1:$PORT" sts "$@"; }

# expect NAME WANT COMMAND...: the command succeeds and prints WANT (tabs
# between text output fields read as spaces).
expect() {
	local name=$1 want=$2 got
	shift 2
	if got=$("$@" 2>"$WORK/stderr"); then
		got=${got%$'\r'}
		got=${got//$'\t'/ } # text output separates fields with tabs
		if [[ "$got" == "$want" ]]; then
			pass "$name"
		else
			fail "$name: got '$got', want '$want'"
		fi
	else
		fail "$name: command failed: $(tr '\n' ' ' <"$WORK/stderr")"
	fi
}

# expect_error NAME TEXT COMMAND...: the command fails and says TEXT.
expect_error() {
	local name=$1 text=$2
	shift 2
	if "$@" >/dev/null 2>"$WORK/stderr"; then
		fail "$name: command succeeded, want an error containing '$text'"
	elif grep -qF -- "$text" "$WORK/stderr"; then
		pass "$name"
	else
		fail "$name: error '$(tr '\n' ' ' <"$WORK/stderr")' lacks '$text'"
	fi
}

echo "# $(aws --version 2>&1 | head -n 1)"
start_server
echo "# quayside on 127.0.0.1:$PORT, data in $DATA"

expect "sts get-caller-identity: account" "000000000000" \
	sts get-caller-identity --query Account --output text
expect "sts get-caller-identity: arn" "arn:aws:iam::000000000000:root" \
	sts get-caller-identity --query Arn --output text

expect "create-cluster" "arn:aws:ecs:us-east-1:000000000000:cluster/e2e" \
	ecs create-cluster --cluster-name e2e --query cluster.clusterArn --output text
expect "create-cluster again is idempotent" "ACTIVE" \
	ecs create-cluster --cluster-name e2e --query cluster.status --output text
expect "describe-clusters" "e2e ACTIVE 0" \
	ecs describe-clusters --clusters e2e --query 'clusters[0].[clusterName,status,runningTasksCount]' --output text
expect "describe-clusters reports a missing cluster" "MISSING" \
	ecs describe-clusters --clusters nope --query 'failures[0].reason' --output text

expect "register-task-definition from a file" "web 1 ACTIVE" \
	ecs register-task-definition --cli-input-json "file://$TASKDEF" \
	--query 'taskDefinition.[family,revision,status]' --output text
expect "register-task-definition again: revision 2" "2" \
	ecs register-task-definition --cli-input-json "file://$TASKDEF" --query taskDefinition.revision --output text
expect "describe-task-definition: latest revision" "arn:aws:ecs:us-east-1:000000000000:task-definition/web:2" \
	ecs describe-task-definition --task-definition web --query taskDefinition.taskDefinitionArn --output text
expect "describe-task-definition: Fargate compatible" "EC2 FARGATE" \
	ecs describe-task-definition --task-definition web:1 --query "join(' ', taskDefinition.compatibilities)" --output text
expect "describe-task-definition: health check defaults" "10 5 3" \
	ecs describe-task-definition --task-definition web:1 \
	--query 'taskDefinition.containerDefinitions[0].healthCheck.[interval,timeout,retries]' --output text
expect "describe-task-definition --include TAGS" "web" \
	ecs describe-task-definition --task-definition web:1 --include TAGS --query 'tags[?key==`app`].value | [0]' --output text
expect "list-task-definitions" "2" \
	ecs list-task-definitions --query 'length(taskDefinitionArns)' --output text
expect "list-task-definitions --sort DESC" "arn:aws:ecs:us-east-1:000000000000:task-definition/web:2" \
	ecs list-task-definitions --family-prefix web --sort DESC --query 'taskDefinitionArns[0]' --output text
expect_error "register-task-definition with a Fargate size that does not exist" "No Fargate configuration exists for given values." \
	ecs register-task-definition --cli-input-json "file://$TASKDEF" --memory 4096

CLUSTER_ARN=arn:aws:ecs:us-east-1:000000000000:cluster/e2e
expect "tag-resource" "" \
	ecs tag-resource --resource-arn "$CLUSTER_ARN" --tags key=team,value=platform key=env,value=e2e
expect "list-tags-for-resource" "platform" \
	ecs list-tags-for-resource --resource-arn "$CLUSTER_ARN" --query 'tags[?key==`team`].value | [0]' --output text
expect "untag-resource" "" \
	ecs untag-resource --resource-arn "$CLUSTER_ARN" --tag-keys env
expect "list-tags-for-resource after untag" "1" \
	ecs list-tags-for-resource --resource-arn "$CLUSTER_ARN" --query 'length(tags)' --output text

# A crash must lose nothing that was acknowledged.
stop_server -KILL
start_server "$PORT"
echo "# killed with SIGKILL and restarted on the same data dir"

expect "after restart: task definitions are still registered" "2" \
	ecs list-task-definitions --family-prefix web --query 'length(taskDefinitionArns)' --output text
expect "after restart: describe-task-definition" "web 2 ACTIVE" \
	ecs describe-task-definition --task-definition web --query 'taskDefinition.[family,revision,status]' --output text
expect "after restart: the cluster and its tags" "ACTIVE platform" \
	ecs describe-clusters --clusters e2e --include TAGS --query 'clusters[0].[status,tags[0].value]' --output text
expect "after restart: revisions continue" "3" \
	ecs register-task-definition --cli-input-json "file://$TASKDEF" --query taskDefinition.revision --output text

expect "deregister-task-definition" "INACTIVE" \
	ecs deregister-task-definition --task-definition web:1 --query taskDefinition.status --output text
expect "list-task-definitions --status INACTIVE" "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1" \
	ecs list-task-definitions --status INACTIVE --query 'taskDefinitionArns[0]' --output text
expect_error "deregister-task-definition needs a revision" "ClientException" \
	ecs deregister-task-definition --task-definition web
expect_error "describe-task-definition of a missing revision" "Unable to describe task definition." \
	ecs describe-task-definition --task-definition web:99

expect "delete-cluster" "INACTIVE" \
	ecs delete-cluster --cluster e2e --query cluster.status --output text
expect_error "delete-cluster again" "ClusterNotFoundException" \
	ecs delete-cluster --cluster e2e
expect "list-clusters after delete" "0" \
	ecs list-clusters --query 'length(clusterArns)' --output text

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
