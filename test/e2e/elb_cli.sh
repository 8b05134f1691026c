#!/usr/bin/env bash
# End-to-end test of the Application Load Balancer through the aws CLI (v1
# or v2), typed as a user would. Usage: test/e2e/elb_cli.sh BINARY
#
# Starts BINARY (`quayside up --no-agent`) on a free loopback port with a
# temporary data dir, builds the test app and runs two of it on loopback
# as targets, then creates a load balancer, a target group and a listener,
# curls through the load balancer's DNSName, and checks health, rules,
# errors and draining. Prints "N passed, M failed" last and exits non-zero
# if anything failed. Needs nothing but loopback (and Go, to build the
# test app).
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
[[ -x "$BIN" ]] || { echo "not an executable: $BIN" >&2; exit 2; }
command -v aws >/dev/null || { echo "the aws CLI is not installed" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }

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

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
export AWS_PAGER="" AWS_CLI_AUTO_PROMPT=off AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2
: >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"

port_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

# free_port: a random port nothing listens on (on 127.0.0.1).
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		port_open "$p" || { echo "$p"; return; }
	done
}

start_server() {
	local try
	for try in 1 2 3 4 5 6 7 8; do
		PORT=$(free_port)
		"$BIN" up --no-agent --listen "127.0.0.1:$PORT" --data-dir "$DATA" >>"$LOG" 2>&1 &
		PID=$!
		local i
		for i in $(seq 1 100); do
			port_open "$PORT" && return 0
			kill -0 "$PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_server -KILL
	done
	echo "quayside did not start; its log:" >&2
	tail -n 40 "$LOG" >&2
	exit 1
}

# start_testapp BODY: runs the test app on a free port, in APP_PORT.
start_testapp() {
	APP_PORT=$(free_port)
	"$WORK/testapp" -port "$APP_PORT" -body "$1" >>"$WORK/testapp.log" 2>&1 &
	BGPIDS+=($!)
	local i
	for i in $(seq 1 100); do
		port_open "$APP_PORT" && return 0
		sleep 0.05
	done
	echo "the test app did not start" >&2
	exit 1
}

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

elbv2() { aws --endpoint-url "http://127.0.0.1:$PORT" elbv2 "$@"; }

# expect NAME WANT COMMAND...: the command succeeds and prints WANT.
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

# wait_for NAME WANT SECONDS COMMAND...: like expect, retrying until WANT.
wait_for() {
	local name=$1 want=$2 secs=$3 got="" i
	shift 3
	for i in $(seq 1 $((secs * 4))); do
		got=$("$@" 2>/dev/null || true)
		got=${got//$'\t'/ }
		if [[ "$got" == "$want" ]]; then
			pass "$name"
			return
		fi
		sleep 0.25
	done
	fail "$name: got '$got', want '$want' within ${secs}s"
}

echo "# $(aws --version 2>&1 | head -n 1)"
(cd "$ROOT" && go build -o "$WORK/testapp" ./testapp)
start_server
echo "# quayside on 127.0.0.1:$PORT, data in $DATA"
start_testapp "hello from app-1"
APP1=$APP_PORT
start_testapp "hello from app-2"
APP2=$APP_PORT
LPORT=$(free_port)

LB=$(elbv2 create-load-balancer --name web-alb --type application --subnets subnet-local \
	--query 'LoadBalancers[0].LoadBalancerArn' --output text)
if [[ "$LB" == arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web-alb/* ]]; then
	pass "create-load-balancer"
else
	fail "create-load-balancer: $LB"
fi
DNS=$(elbv2 describe-load-balancers --names web-alb --query 'LoadBalancers[0].DNSName' --output text)
if [[ "$DNS" =~ ^127\.1\.[0-9]+\.[0-9]+$ ]]; then
	pass "the DNSName is a loopback address: $DNS"
else
	fail "DNSName $DNS"
fi
expect "wait load-balancer-available" "" elbv2 wait load-balancer-available --names web-alb
expect "describe-load-balancers: state and scheme" "active internet-facing application" \
	elbv2 describe-load-balancers --names web-alb --query 'LoadBalancers[0].[State.Code,Scheme,Type]' --output text

TG=$(elbv2 create-target-group --name web-tg --protocol HTTP --port 8080 --target-type ip \
	--vpc-id vpc-local --health-check-path /health --health-check-interval-seconds 5 --healthy-threshold-count 2 \
	--query 'TargetGroups[0].TargetGroupArn' --output text)
expect "create-target-group: health check" "/health 5 2 2 200" \
	elbv2 describe-target-groups --names web-tg \
	--query 'TargetGroups[0].[HealthCheckPath,HealthCheckIntervalSeconds,HealthyThresholdCount,UnhealthyThresholdCount,Matcher.HttpCode]' --output text
expect "describe-target-group-attributes: deregistration delay" "300" \
	elbv2 describe-target-group-attributes --target-group-arn "$TG" \
	--query "Attributes[?Key=='deregistration_delay.timeout_seconds'].Value | [0]" --output text
expect "register-targets" "" \
	elbv2 register-targets --target-group-arn "$TG" --targets "Id=127.0.0.2,Port=$APP1" "Id=127.0.0.3,Port=$APP2"
expect "describe-target-health before a listener: unused" "unused Target.NotInUse" \
	elbv2 describe-target-health --target-group-arn "$TG" --query 'TargetHealthDescriptions[0].TargetHealth.[State,Reason]' --output text
LISTENER=$(elbv2 create-listener --load-balancer-arn "$LB" --protocol HTTP --port "$LPORT" \
	--default-actions "Type=forward,TargetGroupArn=$TG" --query 'Listeners[0].ListenerArn' --output text)
expect "describe-listeners" "HTTP $LPORT forward" \
	elbv2 describe-listeners --load-balancer-arn "$LB" --query 'Listeners[0].[Protocol,Port,DefaultActions[0].Type]' --output text
wait_for "describe-target-health: both healthy" "healthy healthy" 30 \
	elbv2 describe-target-health --target-group-arn "$TG" --query 'TargetHealthDescriptions[].TargetHealth.State' --output text

expect "wait target-in-service" "" elbv2 wait target-in-service --target-group-arn "$TG"

SEEN=""
for i in 1 2 3 4 5 6; do
	SEEN+=$(curl -s "http://$DNS:$LPORT/" | head -n 1)$'\n'
done
if grep -q "app-1" <<<"$SEEN" && grep -q "app-2" <<<"$SEEN"; then
	pass "curl through the DNSName reaches both targets"
else
	fail "curl through the DNSName: $SEEN"
fi
expect "curl: a path reaches the target" "path: /some/page" \
	bash -c "curl -s http://$DNS:$LPORT/some/page | grep '^path:'"

RULE=$(elbv2 create-rule --listener-arn "$LISTENER" --priority 10 \
	--conditions Field=path-pattern,Values=/teapot \
	--actions 'Type=fixed-response,FixedResponseConfig={StatusCode=418,ContentType=text/plain,MessageBody=short and stout}' \
	--query 'Rules[0].RuleArn' --output text)
wait_for "create-rule: fixed response status" "418" 5 \
	curl -s -w '%{http_code}' -o /dev/null "http://$DNS:$LPORT/teapot"
wait_for "curl: fixed response body" "short and stout" 5 curl -s "http://$DNS:$LPORT/teapot"
expect "describe-rules: default rule last" "10 default" \
	elbv2 describe-rules --listener-arn "$LISTENER" --query 'Rules[].Priority' --output text

expect_error "create-target-group: lambda is refused" "ValidationError" \
	elbv2 create-target-group --name fn --target-type lambda
expect_error "create-rule: priority in use" "PriorityInUse" \
	elbv2 create-rule --listener-arn "$LISTENER" --priority 10 --conditions Field=path-pattern,Values=/x \
	--actions "Type=forward,TargetGroupArn=$TG"
expect_error "delete-target-group while in use" "ResourceInUse" \
	elbv2 delete-target-group --target-group-arn "$TG"
expect_error "describe-load-balancers: missing" "LoadBalancerNotFound" \
	elbv2 describe-load-balancers --names nope

expect "modify-target-group-attributes: deregistration delay 2 s" "2" \
	elbv2 modify-target-group-attributes --target-group-arn "$TG" --attributes Key=deregistration_delay.timeout_seconds,Value=2 \
	--query "Attributes[?Key=='deregistration_delay.timeout_seconds'].Value | [0]" --output text
expect "deregister-targets" "" \
	elbv2 deregister-targets --target-group-arn "$TG" --targets "Id=127.0.0.2,Port=$APP1"
expect "describe-target-health: draining" "draining Target.DeregistrationInProgress" \
	elbv2 describe-target-health --target-group-arn "$TG" --targets "Id=127.0.0.2,Port=$APP1" \
	--query 'TargetHealthDescriptions[0].TargetHealth.[State,Reason]' --output text
SEEN=""
for i in 1 2 3 4; do
	SEEN+=$(curl -s "http://$DNS:$LPORT/" | head -n 1)$'\n'
done
if ! grep -q "app-1" <<<"$SEEN"; then
	pass "a draining target gets no new requests"
else
	fail "a draining target got requests: $SEEN"
fi
wait_for "after the delay the target is gone" "unused Target.NotRegistered" 10 \
	elbv2 describe-target-health --target-group-arn "$TG" --targets "Id=127.0.0.2,Port=$APP1" \
	--query 'TargetHealthDescriptions[0].TargetHealth.[State,Reason]' --output text

expect "delete-rule" "" elbv2 delete-rule --rule-arn "$RULE"
expect "delete-listener" "" elbv2 delete-listener --listener-arn "$LISTENER"
wait_for "the listener's port is closed" "closed" 5 \
	bash -c "(exec 3<>/dev/tcp/$DNS/$LPORT) 2>/dev/null && echo open || echo closed"
expect "delete-target-group" "" elbv2 delete-target-group --target-group-arn "$TG"
expect "delete-load-balancer" "" elbv2 delete-load-balancer --load-balancer-arn "$LB"
expect "wait load-balancers-deleted" "" elbv2 wait load-balancers-deleted --names web-alb
expect "describe-load-balancers: none left" "0" \
	elbv2 describe-load-balancers --query 'length(LoadBalancers)' --output text

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
