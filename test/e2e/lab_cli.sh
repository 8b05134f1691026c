#!/usr/bin/env bash
# End-to-end test of the standard ECS lab's non-ECS commands through the
# aws CLI (v1 or v2), typed as the lab has them: the task execution role
# with IAM, the default subnet and security group with EC2, STS. Usage:
# test/e2e/lab_cli.sh BINARY
#
# Starts BINARY (`quayside up --no-agent`) on a free loopback port with a
# temporary data dir, and restarts it once to check that the default VPC
# keeps its IDs and IAM keeps its roles. The lab's last step (a running
# task's ENI and public IP) needs Docker; package ec2api tests it with
# task records. Prints "N passed, M failed" last and exits non-zero if
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
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_ECS AWS_ENDPOINT_URL_STS AWS_ENDPOINT_URL_IAM AWS_ENDPOINT_URL_EC2
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

aws_() { aws --endpoint-url "http://127.0.0.1:$PORT" "$@"; }
iam() { aws_ iam "$@"; }
ec2() { aws_ ec2 "$@"; }
ecs() { aws_ ecs "$@"; }
sts() { aws_ sts "$@"; }

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

# expect_match NAME REGEX COMMAND...: the command succeeds and its output
# matches REGEX.
expect_match() {
	local name=$1 re=$2 got
	shift 2
	if got=$("$@" 2>"$WORK/stderr") && [[ "$got" =~ $re ]]; then
		pass "$name"
	else
		fail "$name: got '${got:-}' ($(tr '\n' ' ' <"$WORK/stderr")), want /$re/"
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

cat >"$WORK/trust.json" <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "ecs-tasks.amazonaws.com" },
      "Action": "sts:AssumeRole"
    }
  ]
}
JSON
cat >"$WORK/trust-account.json" <<'JSON'
{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"},
 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}
JSON

echo "# $(aws --version 2>&1 | head -n 1)"
start_server
echo "# quayside on 127.0.0.1:$PORT, data in $DATA"

# ---- the lab, in order ----
EXEC_ROLE=arn:aws:iam::000000000000:role/ecsTaskExecutionRole
expect "iam create-role with a trust.json" "$EXEC_ROLE" \
	iam create-role --role-name ecsTaskExecutionRole --assume-role-policy-document "file://$WORK/trust.json" --query Role.Arn --output text
expect "iam attach-role-policy AmazonECSTaskExecutionRolePolicy" "" \
	iam attach-role-policy --role-name ecsTaskExecutionRole \
	--policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
expect "iam list-attached-role-policies" "AmazonECSTaskExecutionRolePolicy" \
	iam list-attached-role-policies --role-name ecsTaskExecutionRole --query 'AttachedPolicies[0].PolicyName' --output text
expect "iam get-role: the trust policy comes back as JSON" "ecs-tasks.amazonaws.com" \
	iam get-role --role-name ecsTaskExecutionRole --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Service' --output text

SUBNET=$(ec2 describe-subnets --filters "Name=default-for-az,Values=true" --query 'Subnets[0].SubnetId' --output text 2>"$WORK/stderr" || true)
if [[ "$SUBNET" =~ ^subnet-[0-9a-f]{17}$ ]]; then pass "ec2 describe-subnets default-for-az: $SUBNET"; else fail "ec2 describe-subnets: '$SUBNET' $(cat "$WORK/stderr")"; fi
SG=$(ec2 describe-security-groups --filters "Name=group-name,Values=default" --query 'SecurityGroups[0].GroupId' --output text 2>"$WORK/stderr" || true)
if [[ "$SG" =~ ^sg-[0-9a-f]{17}$ ]]; then pass "ec2 describe-security-groups group-name default: $SG"; else fail "ec2 describe-security-groups: '$SG' $(cat "$WORK/stderr")"; fi
expect "ec2 describe-subnets: three default subnets, one per zone" "3" \
	ec2 describe-subnets --filters "Name=default-for-az,Values=true" --query 'length(Subnets)' --output text
expect "ec2 describe-vpcs: the default VPC" "172.31.0.0/16 True" \
	ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[0].[CidrBlock,IsDefault]' --output text
expect "ec2 describe-availability-zones" "us-east-1a use1-az1 available" \
	ec2 describe-availability-zones --zone-names us-east-1a --query 'AvailabilityZones[0].[ZoneName,ZoneId,State]' --output text

cat >"$WORK/taskdef.json" <<JSON
{"family":"lab","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512",
 "executionRoleArn":"$EXEC_ROLE",
 "containerDefinitions":[{"name":"web","image":"nginx:alpine","essential":true,"portMappings":[{"containerPort":80}]}]}
JSON
expect "ecs create-cluster" "ACTIVE" ecs create-cluster --cluster-name lab --query cluster.status --output text
expect "ecs register-task-definition with the execution role" "$EXEC_ROLE" \
	ecs register-task-definition --cli-input-json "file://$WORK/taskdef.json" --query taskDefinition.executionRoleArn --output text
expect "ecs create-service in the default subnet and group" "ENABLED $SUBNET" \
	ecs create-service --cluster lab --service-name web --task-definition lab --desired-count 0 --launch-type FARGATE \
	--network-configuration "awsvpcConfiguration={subnets=[$SUBNET],securityGroups=[$SG],assignPublicIp=ENABLED}" \
	--query 'service.networkConfiguration.awsvpcConfiguration.[assignPublicIp,subnets[0]]' --output text
expect "ec2 describe-network-interfaces: no running tasks, no interfaces" "0" \
	ec2 describe-network-interfaces --query 'length(NetworkInterfaces)' --output text

expect "sts get-caller-identity" "arn:aws:iam::000000000000:root" sts get-caller-identity --query Arn --output text
expect_error "sts assume-role: the role trusts ECS tasks, not the account" \
	"User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: $EXEC_ROLE" \
	sts assume-role --role-arn "$EXEC_ROLE" --role-session-name lab
expect "iam update-assume-role-policy: trust the account too" "" \
	iam update-assume-role-policy --role-name ecsTaskExecutionRole --policy-document "file://$WORK/trust-account.json"
if creds=$(sts assume-role --role-arn "$EXEC_ROLE" --role-session-name lab \
	--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text 2>"$WORK/stderr"); then
	read -r AK SK ST <<<"$creds"
	if [[ "$AK" =~ ^ASIA ]]; then pass "sts assume-role: temporary credentials"; else fail "sts assume-role: key '$AK'"; fi
	expect "sts get-caller-identity with the role's credentials" "arn:aws:sts::000000000000:assumed-role/ecsTaskExecutionRole/lab" \
		env AWS_ACCESS_KEY_ID="$AK" AWS_SECRET_ACCESS_KEY="$SK" AWS_SESSION_TOKEN="$ST" \
		aws --endpoint-url "http://127.0.0.1:$PORT" sts get-caller-identity --query Arn --output text
else
	fail "sts assume-role: $(tr '\n' ' ' <"$WORK/stderr")"
fi
expect_match "sts get-session-token" "^ASIA[A-Z2-7]{16}$" \
	sts get-session-token --query Credentials.AccessKeyId --output text

# ---- what goes wrong, as AWS says it ----
expect_error "iam create-role again" "Role with name ecsTaskExecutionRole already exists." \
	iam create-role --role-name ecsTaskExecutionRole --assume-role-policy-document "file://$WORK/trust.json"
expect_error "iam delete-role with a policy attached" "Cannot delete entity, must detach all policies first." \
	iam delete-role --role-name ecsTaskExecutionRole
expect_error "iam get-role of a missing role" "The role with name nope cannot be found." \
	iam get-role --role-name nope
expect_error "iam create-role with bad JSON" "MalformedPolicyDocument" \
	iam create-role --role-name bad --assume-role-policy-document '{"Version":'
expect_error "iam put-role-policy naming a principal" "Policy document should not specify a principal." \
	iam put-role-policy --role-name ecsTaskExecutionRole --policy-name p \
	--policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}'
expect_error "ec2 describe-subnets of a missing subnet" "The subnet ID 'subnet-x' does not exist" \
	ec2 describe-subnets --subnet-ids subnet-x
expect_error "ec2 describe-network-interfaces of a missing ENI" "InvalidNetworkInterfaceID.NotFound" \
	ec2 describe-network-interfaces --network-interface-ids eni-0123456789abcdef0
expect_error "ec2 delete-security-group of the default group" "CannotDelete" \
	ec2 delete-security-group --group-id "$SG"

# ---- a security group of one's own ----
WEB=$(ec2 create-security-group --group-name web --description "web tier" --query GroupId --output text 2>"$WORK/stderr" || true)
if [[ "$WEB" =~ ^sg- ]]; then pass "ec2 create-security-group"; else fail "ec2 create-security-group: $(cat "$WORK/stderr")"; fi
expect_match "ec2 authorize-security-group-ingress" "^sgr-[0-9a-f]{17}$" \
	ec2 authorize-security-group-ingress --group-id "$WEB" --protocol tcp --port 80 --cidr 0.0.0.0/0 \
	--query 'SecurityGroupRules[0].SecurityGroupRuleId' --output text
expect_error "ec2 authorize-security-group-ingress again" "InvalidPermission.Duplicate" \
	ec2 authorize-security-group-ingress --group-id "$WEB" --protocol tcp --port 80 --cidr 0.0.0.0/0

# ---- restart: the same default VPC, the same roles ----
stop_server -KILL
start_server "$PORT"
echo "# killed with SIGKILL and restarted on the same data dir"
expect "after restart: the same default subnet" "$SUBNET" \
	ec2 describe-subnets --subnet-ids "$SUBNET" --query 'Subnets[0].SubnetId' --output text
expect "after restart: the role and its policy" "AmazonECSTaskExecutionRolePolicy" \
	iam list-attached-role-policies --role-name ecsTaskExecutionRole --query 'AttachedPolicies[0].PolicyName' --output text
expect "after restart: the group's rule" "80" \
	ec2 describe-security-groups --group-names web --query 'SecurityGroups[0].IpPermissions[0].FromPort' --output text

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
