#!/usr/bin/env bash
# End-to-end test of `aws logs tail`, a command of the aws CLI v2 only,
# typed as a user would. Usage: test/e2e/logs_tail_cli.sh BINARY
#
# Uses /usr/bin/aws, Debian's awscli package (v2), whatever other aws is
# on PATH (.ci/run installs it). Starts BINARY (`quayside up --no-agent`)
# on a free loopback port with a temporary data dir, puts events in two
# streams of a group, one of them two hours old, and checks what `aws
# logs tail` prints: by default (the last 10 minutes, "detailed" lines),
# with --since, --filter-pattern, --format short, --log-stream-names, and
# with --follow in the background while new events are put. Prints
# "N passed, M failed" last and exits non-zero if anything failed. Needs
# nothing but loopback.
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[[ -x "$BIN" ]] || { echo "not an executable: $BIN" >&2; exit 2; }
AWS=/usr/bin/aws
[[ -x "$AWS" ]] || { echo "$AWS is missing: install Debian's awscli package (the aws CLI v2)" >&2; exit 2; }
"$AWS" logs tail help >/dev/null 2>&1 || { echo "$AWS has no 'logs tail': it is not the aws CLI v2" >&2; exit 2; }

WORK=$(mktemp -d)
LOG="$WORK/server.log"
PID=""
PORT=""
BGPIDS=()

cleanup() {
	local p
	for p in "${BGPIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
		kill "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

# The CLI must see only these credentials and talk only to Quayside.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
export AWS_PAGER="" AWS_CLI_AUTO_PROMPT=off AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 TZ=UTC
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_CLOUDWATCH_LOGS
: >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {
	local try i
	for try in 1 2 3 4 5 6 7 8; do
		PORT=$((20000 + RANDOM % 40000))
		port_open "$PORT" && continue
		"$BIN" up --no-agent --listen "127.0.0.1:$PORT" --data-dir "$WORK/data" >>"$LOG" 2>&1 &
		PID=$!
		for i in $(seq 1 100); do
			port_open "$PORT" && return 0
			kill -0 "$PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
		PID=""
	done
	echo "quayside did not start; its log:" >&2
	tail -n 40 "$LOG" >&2
	exit 1
}

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

logs() { "$AWS" --endpoint-url "http://127.0.0.1:$PORT" logs "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# put STREAM TIMESTAMP_MS MESSAGE: one event.
put() {
	logs put-log-events --log-group-name /ecs/tail-web --log-stream-name "$1" \
		--log-events "[{\"timestamp\":$2,\"message\":\"$3\"}]" >/dev/null
}

# check NAME FILE: FILE's lines are exactly the lines on stdin, as
# regular expressions (in order).
check() {
	local name=$1 file=$2 want got
	want=$(cat)
	got=$(cat "$file")
	if [[ $(wc -l <<<"$got") -ne $(wc -l <<<"$want") ]]; then
		fail "$name: got $(tr '\n' '|' <<<"$got"), want $(tr '\n' '|' <<<"$want")"
		return
	fi
	if paste -d '\n' <(echo "$want") <(echo "$got") | while IFS= read -r re && IFS= read -r line; do
		[[ "$line" =~ ^$re$ ]] || exit 1
	done; then
		pass "$name"
	else
		fail "$name: got $(tr '\n' '|' <<<"$got"), want $(tr '\n' '|' <<<"$want")"
	fi
}

# run_tail FILE ARGS...: `aws logs tail /ecs/tail-web ARGS...` into FILE.
run_tail() {
	local file=$1
	shift
	logs tail /ecs/tail-web "$@" >"$file" 2>"$WORK/stderr" || fail "logs tail $*: $(tr '\n' ' ' <"$WORK/stderr")"
}

echo "# $("$AWS" --version 2>&1 | head -n 1)"
start_server
echo "# quayside on 127.0.0.1:$PORT"

logs create-log-group --log-group-name /ecs/tail-web
logs create-log-stream --log-group-name /ecs/tail-web --log-stream-name web/web/a1
logs create-log-stream --log-group-name /ecs/tail-web --log-stream-name web/web/b2
T=$(now_ms)
put web/web/a1 $((T - 2 * 3600 * 1000)) "two hours ago"
put web/web/a1 "$T" "GET / 200"
put web/web/b2 $((T + 1)) "ERROR database unreachable"
put web/web/a1 $((T + 2)) "GET /health 200"
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}'

run_tail "$WORK/default"
check "logs tail: the last 10 minutes, each event with its time and stream" "$WORK/default" <<EOF
$TS\.[0-9]{6}\+00:00 web/web/a1 GET / 200
$TS\.[0-9]{6}\+00:00 web/web/b2 ERROR database unreachable
$TS\.[0-9]{6}\+00:00 web/web/a1 GET /health 200
EOF

run_tail "$WORK/since" --since 3h --format short
check "logs tail --since 3h --format short: the old event too, time and message only" "$WORK/since" <<EOF
$TS two hours ago
$TS GET / 200
$TS ERROR database unreachable
$TS GET /health 200
EOF

run_tail "$WORK/since1h" --since 1h --format short
check "logs tail --since 1h: not the two-hour-old event" "$WORK/since1h" <<EOF
$TS GET / 200
$TS ERROR database unreachable
$TS GET /health 200
EOF

run_tail "$WORK/filter" --since 3h --filter-pattern ERROR
check "logs tail --filter-pattern ERROR" "$WORK/filter" <<EOF
$TS\.[0-9]{6}\+00:00 web/web/b2 ERROR database unreachable
EOF

run_tail "$WORK/streams" --since 3h --log-stream-names web/web/a1 --format short
check "logs tail --log-stream-names: that stream's events only" "$WORK/streams" <<EOF
$TS two hours ago
$TS GET / 200
$TS GET /health 200
EOF

# --follow: the CLI polls FilterLogEvents every 5 s; run it in the
# background, bounded by timeout, and put events while it runs.
timeout 60 "$AWS" --endpoint-url "http://127.0.0.1:$PORT" logs tail /ecs/tail-web --follow --since 1m --format short \
	>"$WORK/follow" 2>&1 &
BGPIDS+=($!)
for _ in $(seq 1 100); do
	grep -q "GET /health 200" "$WORK/follow" && break
	sleep 0.1
done
put web/web/b2 "$(now_ms)" "follow one"
sleep 1
put web/web/a1 "$(now_ms)" "follow two"
for _ in $(seq 1 150); do
	grep -q "follow two" "$WORK/follow" && break
	sleep 0.1
done
sleep 6 # one more poll: any repeat would show by now
kill "${BGPIDS[-1]}" 2>/dev/null || true
wait "${BGPIDS[-1]}" 2>/dev/null || true
check "logs tail --follow: the events so far, then each new one once, as it comes" "$WORK/follow" <<EOF
$TS GET / 200
$TS ERROR database unreachable
$TS GET /health 200
$TS follow one
$TS follow two
EOF

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
