#!/usr/bin/env bash
# End-to-end test of ECR through the aws CLI (v1 or v2) and the docker
# CLI, typed as a user would. Usage: test/e2e/ecr_cli.sh BINARY
#
# Starts BINARY (`quayside up --no-agent`) on a free loopback port with a
# temporary data dir and a short lifecycle interval, creates a repository,
# logs Docker in with `aws ecr get-login-password | docker login`, builds
# tiny images FROM scratch locally (nothing is pulled from outside) and
# pushes them, then drives describe/list/get, scanning, the layer download
# URL, repository policies, tags, lifecycle previews and the scheduled
# lifecycle run, deletion and `delete-repository --force`. Prints
# "N passed, M failed" last and exits non-zero if anything failed. Needs
# a Docker Engine: without one it fails, it does not skip.
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[[ -x "$BIN" ]] || { echo "not an executable: $BIN" >&2; exit 2; }
command -v aws >/dev/null || { echo "the aws CLI is not installed" >&2; exit 2; }
command -v docker >/dev/null || { echo "the docker CLI is not installed: this test needs Docker" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "Docker is not running: this test needs a Docker Engine" >&2; exit 1; }

WORK=$(mktemp -d)
DATA="$WORK/data"
LOG="$WORK/server.log"
PID=""
PORT=""
IMAGES=()

stop_server() {
	if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
		kill "$@" "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
	PID=""
}
cleanup() {
	stop_server -TERM
	for image in "${IMAGES[@]}"; do
		docker rmi -f "$image" >/dev/null 2>&1 || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
export AWS_PAGER="" AWS_CLI_AUTO_PROMPT=off AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_ECR
: >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"
# docker login writes here, not to the user's ~/.docker/config.json.
export DOCKER_CONFIG="$WORK/docker"
mkdir -p "$DOCKER_CONFIG"
# The scheduled lifecycle run, shortened from ECR's 24 hours.
export QUAYSIDE_ECR_LIFECYCLE_INTERVAL=5s

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {
	local try i
	for try in 1 2 3 4 5 6 7 8; do
		PORT=$((20000 + RANDOM % 40000))
		port_open "$PORT" && continue
		"$BIN" up --no-agent --listen "127.0.0.1:$PORT" --data-dir "$DATA" >>"$LOG" 2>&1 &
		PID=$!
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

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

ecr() { aws --endpoint-url "http://127.0.0.1:$PORT" ecr "$@"; }

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

# build_image TAG CONTENT: a one-file image FROM scratch, built from a
# tar context on stdin.
build_image() {
	local tag=$1 content=$2 ctx="$WORK/ctx"
	rm -rf "$ctx" && mkdir -p "$ctx"
	printf '%s\n' "$content" >"$ctx/content.txt"
	printf 'FROM scratch\nCOPY content.txt /content.txt\n' >"$ctx/Dockerfile"
	IMAGES+=("$tag")
	# The legacy builder warns on stderr that it is deprecated; show the
	# output only when the build fails.
	tar -C "$ctx" -cf - . | docker build -q -t "$tag" - >"$WORK/build" 2>&1 || { cat "$WORK/build" >&2; return 1; }
	IMAGES+=("$(grep -o 'sha256:[0-9a-f]*' "$WORK/build" | tail -n 1)") # removed by ID too, once retagged
}

echo "# $(aws --version 2>&1 | head -n 1); docker $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
start_server
HOST="localhost:$PORT"
REPO="$HOST/demo-web"
echo "# quayside on 127.0.0.1:$PORT, registry $HOST, data in $DATA"

expect "create-repository" "$REPO IMMUTABLE True AES256" \
	ecr create-repository --repository-name demo-web --image-tag-mutability IMMUTABLE \
	--image-scanning-configuration scanOnPush=true \
	--query 'repository.[repositoryUri,imageTagMutability,imageScanningConfiguration.scanOnPush,encryptionConfiguration.encryptionType]' --output text
expect_error "create-repository again" "The repository with name 'demo-web' already exists in the registry with id '000000000000'" \
	ecr create-repository --repository-name demo-web

if ecr get-login-password 2>"$WORK/stderr" | docker login --username AWS --password-stdin "$HOST" >"$WORK/login" 2>&1; then
	pass "get-login-password | docker login"
else
	fail "get-login-password | docker login: $(tr '\n' ' ' <"$WORK/login" "$WORK/stderr")"
fi

for v in 1 2 3; do
	build_image "$REPO:v$v" "demo-web version $v"
	if docker push -q "$REPO:v$v" >"$WORK/push" 2>&1 || docker push "$REPO:v$v" >"$WORK/push" 2>&1; then
		pass "docker push $REPO:v$v"
	else
		fail "docker push $REPO:v$v: $(tail -n 3 "$WORK/push" | tr '\n' ' ')"
	fi
	sleep 1 # distinct push times, for the lifecycle policy's order
done
build_image "$REPO:v1-again" "another content"
docker tag "$REPO:v1-again" "$REPO:v1"
IMAGES+=("$REPO:v1")
if docker push "$REPO:v1" >"$WORK/push" 2>&1; then
	fail "docker push over an immutable tag succeeded"
elif grep -qF "cannot be overwritten because the tag is immutable" "$WORK/push"; then
	pass "docker push over an immutable tag is refused"
else
	fail "docker push over an immutable tag: $(tail -n 2 "$WORK/push" | tr '\n' ' ')"
fi

expect "describe-images" "3" \
	ecr describe-images --repository-name demo-web --query 'length(imageDetails)' --output text
expect "describe-images: media type and scan status" "application/vnd.docker.distribution.manifest.v2+json UNSUPPORTED_IMAGE" \
	ecr describe-images --repository-name demo-web --image-ids imageTag=v2 \
	--query 'imageDetails[0].[imageManifestMediaType,imageScanStatus.status]' --output text
expect "list-images --filter tagStatus=TAGGED" "3" \
	ecr list-images --repository-name demo-web --filter tagStatus=TAGGED --query 'length(imageIds)' --output text
expect "batch-get-image" "v3 application/vnd.docker.distribution.manifest.v2+json" \
	ecr batch-get-image --repository-name demo-web --image-ids imageTag=v3 \
	--query 'images[0].[imageId.imageTag,imageManifestMediaType]' --output text
expect "describe-image-scan-findings is honest" "UNSUPPORTED_IMAGE" \
	ecr describe-image-scan-findings --repository-name demo-web --image-id imageTag=v3 --query 'imageScanStatus.status' --output text

# The layer download URL works without docker login.
LAYER=$(ecr batch-get-image --repository-name demo-web --image-ids imageTag=v3 --query 'images[0].imageManifest' --output text |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')
URL=$(ecr get-download-url-for-layer --repository-name demo-web --layer-digest "$LAYER" --query downloadUrl --output text)
if [[ "sha256:$(curl -sf "$URL" | sha256sum | cut -d' ' -f1)" == "$LAYER" ]]; then
	pass "get-download-url-for-layer: the URL downloads the layer"
else
	fail "get-download-url-for-layer: $URL does not give $LAYER"
fi
expect "batch-check-layer-availability" "AVAILABLE" \
	ecr batch-check-layer-availability --repository-name demo-web --layer-digests "$LAYER" --query 'layers[0].layerAvailability' --output text

POLICY='{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage"]}]}'
expect "set-repository-policy" "demo-web" \
	ecr set-repository-policy --repository-name demo-web --policy-text "$POLICY" --query repositoryName --output text
expect_error "set-repository-policy with a bad policy" "Invalid repository policy provided" \
	ecr set-repository-policy --repository-name demo-web --policy-text '{"Statement":[]}'
expect "get-repository-policy" "$POLICY" \
	ecr get-repository-policy --repository-name demo-web --query policyText --output text
ARN=arn:aws:ecr:us-east-1:000000000000:repository/demo-web
expect "tag-resource and list-tags-for-resource" "web" \
	bash -c "aws --endpoint-url http://127.0.0.1:$PORT ecr tag-resource --resource-arn $ARN --tags Key=team,Value=web &&
		aws --endpoint-url http://127.0.0.1:$PORT ecr list-tags-for-resource --resource-arn $ARN --query 'tags[?Key==\`team\`].Value | [0]' --output text"

KEEP_ONE='{"rules":[{"rulePriority":1,"description":"keep the newest image","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}'
expect_error "put-lifecycle-policy with a bad rule" "Lifecycle policy validation failure: Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED." \
	ecr put-lifecycle-policy --repository-name demo-web \
	--lifecycle-policy-text '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}'
expect "start-lifecycle-policy-preview" "COMPLETE" \
	ecr start-lifecycle-policy-preview --repository-name demo-web --lifecycle-policy-text "$KEEP_ONE" --query status --output text
expect "get-lifecycle-policy-preview" "2 v1 v2" \
	ecr get-lifecycle-policy-preview --repository-name demo-web \
	--query '[summary.expiringImageTotalCount, previewResults[0].imageTags[0], previewResults[1].imageTags[0]]' --output text
expect "the preview expires nothing" "3" \
	ecr list-images --repository-name demo-web --query 'length(imageIds)' --output text
expect "put-lifecycle-policy" "demo-web" \
	ecr put-lifecycle-policy --repository-name demo-web --lifecycle-policy-text "$KEEP_ONE" --query repositoryName --output text

# The scheduled run (every 5 s here) expires v1 and v2.
left=""
for i in $(seq 1 60); do
	left=$(ecr list-images --repository-name demo-web --query 'imageIds[].imageTag' --output text 2>/dev/null || true)
	[[ "$left" == "v3" ]] && break
	sleep 1
done
if [[ "$left" == "v3" ]]; then
	pass "the scheduled lifecycle run expired v1 and v2"
else
	fail "the scheduled lifecycle run: images left '$left', want 'v3'"
fi
expect "get-lifecycle-policy reports lastEvaluatedAt" "True" \
	ecr get-lifecycle-policy --repository-name demo-web --query 'lastEvaluatedAt != null' --output text

docker rmi "$REPO:v3" >/dev/null 2>&1 || true
if docker pull -q "$REPO:v3" >"$WORK/pull" 2>&1; then
	pass "docker pull $REPO:v3"
else
	fail "docker pull $REPO:v3: $(tail -n 2 "$WORK/pull" | tr '\n' ' ')"
fi
expect "describe-images: lastRecordedPullTime after the pull" "True" \
	ecr describe-images --repository-name demo-web --query 'imageDetails[0].lastRecordedPullTime != null' --output text

expect "batch-delete-image" "v3 0" \
	ecr batch-delete-image --repository-name demo-web --image-ids imageTag=v3 --query '[imageIds[0].imageTag, length(failures)]' --output text
expect "batch-delete-image of a missing image" "ImageNotFound Requested image not found" \
	ecr batch-delete-image --repository-name demo-web --image-ids imageTag=v3 --query 'failures[0].[failureCode,failureReason]' --output text
expect_error "describe-images of a deleted image" "ImageNotFoundException" \
	ecr describe-images --repository-name demo-web --image-ids imageTag=v3

build_image "$REPO:v4" "demo-web version 4"
docker push -q "$REPO:v4" >/dev/null 2>&1 || docker push "$REPO:v4" >/dev/null 2>&1 || true
expect_error "delete-repository with images" "cannot be deleted because it still contains images" \
	ecr delete-repository --repository-name demo-web
expect "delete-repository --force" "demo-web" \
	ecr delete-repository --repository-name demo-web --force --query repository.repositoryName --output text
expect_error "describe-repositories after delete" "RepositoryNotFoundException" \
	ecr describe-repositories --repository-names demo-web
if docker push "$REPO:v4" >"$WORK/push" 2>&1; then
	fail "docker push to a deleted repository succeeded"
else
	pass "docker push to a deleted repository is refused"
fi

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
