#!/usr/bin/env bash
# End-to-end test of SSM Parameter Store and Secrets Manager through the
# aws CLI (v1 or v2), typed as a user would. Usage: test/e2e/secrets_cli.sh BINARY
#
# Starts BINARY (`quayside up --no-agent`) on a free loopback port with a
# temporary data dir, stores parameters and secrets, restarts on the same
# data dir to check that the values survive and decrypt, checks that a
# wrong master key stops start-up, and greps the data dir for the
# plaintext. Prints "N passed, M failed" last and exits non-zero if
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

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
export AWS_PAGER="" AWS_CLI_AUTO_PROMPT=off AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_SSM AWS_ENDPOINT_URL_SECRETS_MANAGER
unset QUAYSIDE_MASTER_KEY QUAYSIDE_MASTER_KEY_FILE
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

ssm() { aws --endpoint-url "http://127.0.0.1:$PORT" ssm "$@"; }
sm() { aws --endpoint-url "http://127.0.0.1:$PORT" secretsmanager "$@"; }

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

MARKER="e2e-plaintext-$RANDOM$RANDOM"
DB_URL="postgresql://app:$MARKER@db:5432/app"
SECRET="{\"username\":\"app\",\"password\":\"$MARKER\"}"

echo "# $(aws --version 2>&1 | head -n 1)"
start_server
echo "# quayside on 127.0.0.1:$PORT, data in $DATA"

# ---- SSM Parameter Store ----
expect "put-parameter SecureString" "1 Standard" \
	ssm put-parameter --name /my-app/database-url --value "$DB_URL" --type SecureString --query '[Version,Tier]' --output text
expect "get-parameter --with-decryption" "$DB_URL" \
	ssm get-parameter --name /my-app/database-url --with-decryption --query Parameter.Value --output text
if got=$(ssm get-parameter --name /my-app/database-url --query Parameter.Value --output text) && [[ "$got" != *"$MARKER"* && -n "$got" ]]; then
	pass "get-parameter without decryption returns the ciphertext"
else
	fail "get-parameter without decryption: '$got'"
fi
expect_error "put-parameter again without --overwrite" "ParameterAlreadyExists" \
	ssm put-parameter --name /my-app/database-url --value x --type SecureString
expect "put-parameter --overwrite" "2" \
	ssm put-parameter --name /my-app/database-url --value "$DB_URL-v2" --type SecureString --overwrite --query Version --output text
expect "get-parameter name:1" "$DB_URL" \
	ssm get-parameter --name /my-app/database-url:1 --with-decryption --query Parameter.Value --output text
expect "label-parameter-version" "1" \
	ssm label-parameter-version --name /my-app/database-url --parameter-version 1 --labels stable --query ParameterVersion --output text
expect "get-parameter name:label" "$DB_URL" \
	ssm get-parameter --name /my-app/database-url:stable --with-decryption --query Parameter.Value --output text
expect "put-parameter String" "1" \
	ssm put-parameter --name /my-app/port --value 8080 --type String --query Version --output text
expect "get-parameters-by-path" "/my-app/database-url /my-app/port" \
	ssm get-parameters-by-path --path /my-app --query 'sort(Parameters[].Name) | join(`" "`, @)' --output text
expect "get-parameters reports invalid names" "/my-app/nope" \
	ssm get-parameters --names /my-app/port /my-app/nope --query 'InvalidParameters[0]' --output text
expect "describe-parameters" "SecureString alias/aws/ssm" \
	ssm describe-parameters --parameter-filters Key=Name,Values=/my-app/database-url --query 'Parameters[0].[Type,KeyId]' --output text
expect "get-parameter-history" "2" \
	ssm get-parameter-history --name /my-app/database-url --query 'length(Parameters)' --output text
expect_error "get-parameter of a missing parameter" "ParameterNotFound" \
	ssm get-parameter --name /my-app/missing
expect_error "put-parameter over 4 KB" "Standard tier parameters support a maximum parameter value of 4096 characters" \
	ssm put-parameter --name /my-app/big --type String --value "$(head -c 4097 /dev/zero | tr '\0' x)"
expect_error "put-parameter 16 levels deep" "HierarchyLevelLimitExceededException" \
	ssm put-parameter --name /1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16 --type String --value x
expect_error "put-parameter with a reserved name" "can't be prefixed with" \
	ssm put-parameter --name awsParam --type String --value x

# ---- Secrets Manager ----
expect "create-secret" "my-app/db" \
	sm create-secret --name my-app/db --secret-string "$SECRET" --query Name --output text
ARN=$(sm describe-secret --secret-id my-app/db --query ARN --output text)
if [[ "$ARN" =~ ^arn:aws:secretsmanager:us-east-1:000000000000:secret:my-app/db-[A-Za-z0-9]{6}$ ]]; then
	pass "the ARN carries a 6-character suffix"
else
	fail "ARN '$ARN'"
fi
expect "get-secret-value by name" "$SECRET" \
	sm get-secret-value --secret-id my-app/db --query SecretString --output text
expect "get-secret-value by ARN" "AWSCURRENT" \
	sm get-secret-value --secret-id "$ARN" --query 'VersionStages[0]' --output text
expect "get-secret-value by partial ARN" "$SECRET" \
	sm get-secret-value --secret-id "${ARN%-??????}" --query SecretString --output text
expect "put-secret-value" "AWSCURRENT" \
	sm put-secret-value --secret-id my-app/db --secret-string "$MARKER-v2" --query 'VersionStages[0]' --output text
expect "get-secret-value AWSPREVIOUS" "$SECRET" \
	sm get-secret-value --secret-id my-app/db --version-stage AWSPREVIOUS --query SecretString --output text
expect "list-secrets" "my-app/db" \
	sm list-secrets --filters Key=name,Values=my-app --query 'SecretList[0].Name' --output text
expect "get-random-password" "40" \
	sm get-random-password --password-length 40 --query 'length(RandomPassword)' --output text
expect_error "create-secret over 64 KB" "65536" \
	sm create-secret --name my-app/big --secret-string "$(head -c 65537 /dev/zero | tr '\0' x)"
expect_error "restore-secret of a secret that is not deleted" "InvalidRequestException" \
	sm restore-secret --secret-id my-app/db
expect "create-secret to delete" "gone" \
	sm create-secret --name gone --secret-string v --query Name --output text
expect "delete-secret" "gone" \
	sm delete-secret --secret-id gone --recovery-window-in-days 7 --query Name --output text
expect_error "get-secret-value of a deleted secret" "You can't perform this operation on the secret because it was marked for deletion." \
	sm get-secret-value --secret-id gone
expect "restore-secret" "gone" \
	sm restore-secret --secret-id gone --query Name --output text
expect_error "get-secret-value of a missing secret" "Secrets Manager can't find the specified secret." \
	sm get-secret-value --secret-id missing

# ---- restart, keys and the disk ----
stop_server -TERM
start_server "$PORT"
echo "# restarted on the same data dir"
expect "after restart: parameter decrypts" "$DB_URL-v2" \
	ssm get-parameter --name /my-app/database-url --with-decryption --query Parameter.Value --output text
expect "after restart: secret decrypts" "$MARKER-v2" \
	sm get-secret-value --secret-id my-app/db --query SecretString --output text
stop_server -TERM

if [[ "$(stat -c %a "$DATA/master.key")" == 600 ]]; then
	pass "master.key is mode 0600"
else
	fail "master.key mode $(stat -c %a "$DATA/master.key")"
fi
if grep -rqaF -- "$MARKER" "$DATA"; then
	fail "the plaintext is in the data dir: $(grep -rlaF -- "$MARKER" "$DATA" | tr '\n' ' ')"
else
	pass "no plaintext anywhere under the data dir"
fi
WRONG=$(head -c 32 /dev/urandom | base64)
if QUAYSIDE_MASTER_KEY="$WRONG" "$BIN" up --no-agent --listen 127.0.0.1:0 --data-dir "$DATA" >/dev/null 2>"$WORK/stderr"; then
	fail "start-up with a wrong key succeeded"
elif grep -qF "the master key does not match the one this data dir was created with" "$WORK/stderr"; then
	pass "a wrong master key stops start-up"
else
	fail "wrong key: $(tr '\n' ' ' <"$WORK/stderr")"
fi
mv "$DATA/master.key" "$WORK/master.key"
if "$BIN" up --no-agent --listen 127.0.0.1:0 --data-dir "$DATA" >/dev/null 2>"$WORK/stderr"; then
	fail "start-up without the key file succeeded"
elif grep -qF "is missing, but data dir" "$WORK/stderr"; then
	pass "a missing master key file stops start-up"
else
	fail "missing key: $(tr '\n' ' ' <"$WORK/stderr")"
fi
export QUAYSIDE_MASTER_KEY_FILE="$WORK/master.key"
start_server "$PORT"
expect "the key given by QUAYSIDE_MASTER_KEY_FILE opens the data dir" "$MARKER-v2" \
	sm get-secret-value --secret-id my-app/db --query SecretString --output text

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
