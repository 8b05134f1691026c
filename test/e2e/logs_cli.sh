#!/usr/bin/env bash
# End-to-end test of CloudWatch Logs through the aws CLI (v1 or v2), typed
# as a user would. Usage: test/e2e/logs_cli.sh BINARY
#
# Starts BINARY (`quayside up --no-agent`) on a free loopback port with a
# temporary data dir; creates a group and stream, puts, gets and filters
# events; tails the group with `aws logs tail --since 10m` and, in the
# background while new events are put, `aws logs tail --follow`; kills the
# server with SIGKILL and checks the events survived. `aws logs tail` is a
# CLI v2 command: with CLI v1 the script makes the same FilterLogEvents
# calls v2's tail makes (startTime, interleaved, nextToken pages; for
# --follow, polling from the newest timestamp and skipping eventIds seen)
# and says so. Prints "N passed, M failed" last and exits non-zero if
# anything failed. Needs nothing but loopback.
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[[ -x "$BIN" ]] || { echo "not an executable: $BIN" >&2; exit 2; }
command -v aws >/dev/null || { echo "the aws CLI is not installed" >&2; exit 2; }

WORK=$(mktemp -d)
DATA="$WORK/data"
LOG="$WORK/server.log"
PID=""
PORT=""
BGPIDS=()

stop_server() {
	if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
		kill "$@" "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
	PID=""
}
cleanup() {
	local p
	for p in "${BGPIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	stop_server -TERM
	rm -rf "$WORK"
}
trap cleanup EXIT

# The CLI must see only these credentials and talk only to Quayside.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
export AWS_PAGER="" AWS_CLI_AUTO_PROMPT=off AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_CLOUDWATCH_LOGS
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

logs() { aws --endpoint-url "http://127.0.0.1:$PORT" logs "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# expect NAME WANT COMMAND...: the command succeeds and prints WANT (tabs
# between text output fields read as spaces).
expect() {
	local name=$1 want=$2 got
	shift 2
	if got=$("$@" 2>"$WORK/stderr"); then
		got=${got%$'\r'}
		got=${got//$'\t'/ }
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

# expect_lines NAME FILE LINE...: FILE contains every LINE (as a substring
# of some line).
expect_lines() {
	local name=$1 file=$2 l missing=""
	shift 2
	for l in "$@"; do
		grep -qF -- "$l" "$file" || missing+=" '$l'"
	done
	if [[ -z "$missing" ]]; then
		pass "$name"
	else
		fail "$name: missing$missing in: $(tr '\n' '|' <"$file")"
	fi
}

# put MESSAGE...: put-log-events to /ecs/demo-web web/web/abc, now.
put() {
	local t m events="" sep=""
	t=$(now_ms)
	for m in "$@"; do
		events+="$sep{\"timestamp\":$t,\"message\":$(printf '%s' "$m" | python3 -c 'import json,sys;print(json.dumps(sys.stdin.read()))')}"
		sep=","
		t=$((t + 1))
	done
	logs put-log-events --log-group-name /ecs/demo-web --log-stream-name web/web/abc \
		--log-events "[$events]" --query 'nextSequenceToken' --output text
}

# The CLI v2 command, or the same calls made with CLI v1.
HAVE_TAIL=0
if aws logs tail help >/dev/null 2>&1; then
	HAVE_TAIL=1
fi

# tail_since SINCE: `aws logs tail /ecs/demo-web --since SINCE`.
tail_since() {
	if [[ $HAVE_TAIL -eq 1 ]]; then
		logs tail /ecs/demo-web --since "$1" --format short
	else
		local mins=${1%m}
		logs filter-log-events --log-group-name /ecs/demo-web --interleaved \
			--start-time $(($(now_ms) - mins * 60000)) --query 'events[].message' --output text | tr '\t' '\n'
	fi
}

# tail_follow FILE: `aws logs tail /ecs/demo-web --follow` into FILE until
# killed. The v1 stand-in polls every second as v2 polls every five.
tail_follow() {
	if [[ $HAVE_TAIL -eq 1 ]]; then
		logs tail /ecs/demo-web --follow --since 1m --format short >"$1" 2>&1
		return
	fi
	local start seen=" " out id ts msg
	start=$(($(now_ms) - 60000))
	while true; do
		out=$(logs filter-log-events --log-group-name /ecs/demo-web --interleaved --start-time "$start" \
			--query 'events[].[eventId,timestamp,message]' --output text) || return
		while IFS=$'\t' read -r id ts msg; do
			[[ -n "$id" && "$seen" != *" $id "* ]] || continue
			seen+="$id "
			echo "$msg" >>"$1"
			((ts > start)) && start=$ts
		done <<<"$out"
		sleep 1
	done
}

echo "# $(aws --version 2>&1 | head -n 1)"
if [[ $HAVE_TAIL -eq 0 ]]; then
	echo "# this CLI has no 'logs tail' (a v2 command): making the FilterLogEvents calls it makes instead"
fi
start_server
echo "# quayside on 127.0.0.1:$PORT, data in $DATA"

expect "create-log-group" "" logs create-log-group --log-group-name /ecs/demo-web --tags team=web
expect_error "create-log-group again" "ResourceAlreadyExistsException" \
	logs create-log-group --log-group-name /ecs/demo-web
expect_error "create-log-group with a bad name" "InvalidParameterException" \
	logs create-log-group --log-group-name 'bad:name'
expect "describe-log-groups" "/ecs/demo-web arn:aws:logs:us-east-1:000000000000:log-group:/ecs/demo-web:* 0" \
	logs describe-log-groups --log-group-name-prefix /ecs/ \
	--query 'logGroups[0].[logGroupName,arn,metricFilterCount]' --output text
expect "create-log-stream" "" logs create-log-stream --log-group-name /ecs/demo-web --log-stream-name web/web/abc
expect_error "create-log-stream in a missing group" "The specified log group does not exist." \
	logs create-log-stream --log-group-name /ecs/nope --log-stream-name s

TOKEN=$(put "GET / 200" "ERROR database unreachable" '{"level":"error","msg":"retrying"}' "GET /health 200" 2>"$WORK/stderr") || true
if [[ ${#TOKEN} -eq 56 ]]; then pass "put-log-events"; else fail "put-log-events: token '$TOKEN' $(cat "$WORK/stderr")"; fi
T=$(now_ms)
expect_error "put-log-events out of order" "Log events in a single PutLogEvents request must be in chronological order." \
	logs put-log-events --log-group-name /ecs/demo-web --log-stream-name web/web/abc \
	--log-events "[{\"timestamp\":$T,\"message\":\"b\"},{\"timestamp\":$((T - 1)),\"message\":\"a\"}]"
expect "put-log-events too old: rejectedLogEventsInfo" "1" \
	logs put-log-events --log-group-name /ecs/demo-web --log-stream-name web/web/abc \
	--log-events "[{\"timestamp\":$((T - 15 * 86400000)),\"message\":\"ancient\"}]" \
	--query 'rejectedLogEventsInfo.tooOldLogEventEndIndex' --output text

expect "get-log-events --start-from-head" "GET / 200|ERROR database unreachable|{\"level\":\"error\",\"msg\":\"retrying\"}|GET /health 200" \
	bash -c "aws --endpoint-url http://127.0.0.1:$PORT logs get-log-events --log-group-name /ecs/demo-web --log-stream-name web/web/abc --start-from-head --query 'events[].message' --output json | python3 -c 'import json,sys;print(\"|\".join(json.load(sys.stdin)))'"
expect "get-log-events --limit 1: the newest" "GET /health 200" \
	logs get-log-events --log-group-name /ecs/demo-web --log-stream-name web/web/abc --limit 1 --query 'events[0].message' --output text
expect "filter-log-events --filter-pattern ERROR" "ERROR database unreachable" \
	logs filter-log-events --log-group-name /ecs/demo-web --filter-pattern ERROR --query 'events[].message' --output text
expect "filter-log-events with a JSON pattern" '{"level":"error","msg":"retrying"}' \
	logs filter-log-events --log-group-name /ecs/demo-web --filter-pattern '{ $.level = "error" }' --query 'events[].message' --output text
expect_error "filter-log-events with a bad pattern" "Invalid filter pattern" \
	logs filter-log-events --log-group-name /ecs/demo-web --filter-pattern '{ $.level = '
expect_error "register-task-definition: Fargate's awslogs needs awslogs-stream-prefix" \
	"(ClientException) when calling the RegisterTaskDefinition operation: Fargate requires log configuration options to include awslogs-stream-prefix to support log driver awslogs." \
	aws --endpoint-url "http://127.0.0.1:$PORT" ecs register-task-definition --family logs-no-prefix \
	--requires-compatibilities FARGATE --network-mode awsvpc --cpu 256 --memory 512 \
	--container-definitions '[{"name":"web","image":"nginx:latest","essential":true,"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/demo-web","awslogs-region":"us-east-1"}}}]'
expect "describe-log-streams --order-by LastEventTime" "web/web/abc" \
	logs describe-log-streams --log-group-name /ecs/demo-web --order-by LastEventTime --descending \
	--query 'logStreams[0].logStreamName' --output text

tail_since 10m >"$WORK/since" 2>"$WORK/stderr" || fail "logs tail --since 10m: $(cat "$WORK/stderr")"
expect_lines "logs tail --since 10m" "$WORK/since" "GET / 200" "ERROR database unreachable" "GET /health 200"

tail_follow "$WORK/follow" &
BGPIDS+=($!)
sleep 2
put "follow one" >/dev/null
sleep 1
put "follow two" "follow three" >/dev/null
sleep 7 # CLI v2 polls every 5 s
kill "${BGPIDS[-1]}" 2>/dev/null || true
wait "${BGPIDS[-1]}" 2>/dev/null || true
expect_lines "logs tail --follow shows events put while it runs" "$WORK/follow" "follow one" "follow two" "follow three"
if [[ $(grep -c "follow one" "$WORK/follow") -eq 1 ]]; then
	pass "logs tail --follow shows each event once"
else
	fail "logs tail --follow repeated events: $(tr '\n' '|' <"$WORK/follow")"
fi

expect "put-retention-policy" "7" bash -c "aws --endpoint-url http://127.0.0.1:$PORT logs put-retention-policy --log-group-name /ecs/demo-web --retention-in-days 7 && aws --endpoint-url http://127.0.0.1:$PORT logs describe-log-groups --query 'logGroups[0].retentionInDays' --output text"
expect_error "put-retention-policy with a value AWS does not allow" "Member must satisfy enum value set" \
	logs put-retention-policy --log-group-name /ecs/demo-web --retention-in-days 2
expect "list-tags-for-resource" "web" \
	logs list-tags-for-resource --resource-arn arn:aws:logs:us-east-1:000000000000:log-group:/ecs/demo-web --query tags.team --output text

# A crash must lose nothing that was acknowledged.
stop_server -KILL
start_server "$PORT"
echo "# killed with SIGKILL and restarted on the same data dir"
expect "after restart: every event is there" "7" \
	logs get-log-events --log-group-name /ecs/demo-web --log-stream-name web/web/abc --start-from-head --query 'length(events)' --output text
expect "after restart: filter still finds" "follow two" \
	logs filter-log-events --log-group-name /ecs/demo-web --filter-pattern '"follow two"' --query 'events[0].message' --output text

expect "delete-log-stream" "" logs delete-log-stream --log-group-name /ecs/demo-web --log-stream-name web/web/abc
expect_error "get-log-events of a deleted stream" "The specified log stream does not exist." \
	logs get-log-events --log-group-name /ecs/demo-web --log-stream-name web/web/abc
expect "delete-log-group" "" logs delete-log-group --log-group-name /ecs/demo-web
expect_error "delete-log-group again" "ResourceNotFoundException" \
	logs delete-log-group --log-group-name /ecs/demo-web

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
