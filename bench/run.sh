#!/usr/bin/env bash
# Runs every benchmark under bench/, one after the other. Add a line per new
# benchmark. Flags for a benchmark go in its variable, e.g.
#   BENCH_API_FLAGS="-duration 30s -moto=" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== bench/api: ECS API, Quayside vs moto"
# shellcheck disable=SC2086 # the flags are meant to be split
go run ./bench/api ${BENCH_API_FLAGS:-}

echo "== secrets: GetParameter and GetSecretValue with 10,000 stored (Go benchmarks; see bench/README.md)"
# shellcheck disable=SC2086 # the flags are meant to be split
go test -run '^$' -bench '^Benchmark(GetParameter|GetSecretValue|Get|GetValue)$' -cpu 2 ${BENCH_SECRETS_FLAGS:-} \
	./internal/ssm/... ./internal/secretsmanager/...

echo "== logs: CloudWatch Logs ingest, FilterLogEvents scan, GetLogEvents newest 100 (Go benchmarks; see bench/README.md)"
# shellcheck disable=SC2086 # the flags are meant to be split
go test -run '^$' -bench '^Benchmark(SinkIngest|FilterLogEventsTermScan|GetLogEventsNewest100)$' -benchtime 3s -cpu 2 ${BENCH_LOGS_FLAGS:-} \
	./internal/logs/logsapi

echo "== bench/tasks: task start-up, Quayside vs plain Docker"
# shellcheck disable=SC2086 # the flags are meant to be split
go run ./bench/tasks ${BENCH_TASKS_FLAGS:-}

echo "== awslogs driver: container output into CloudWatch Logs (Go benchmark and an end-to-end test that reports lines/s; see bench/README.md)"
# shellcheck disable=SC2086 # the flags are meant to be split
go test -run '^$' -bench '^BenchmarkShipper' -benchtime 5x -cpu 2 ${BENCH_AWSLOGS_FLAGS:-} ./internal/agent
go test -run '^TestAWSLogsIngestRate$' -count 1 -v ./test/e2e | grep -E '^(---|ok|FAIL)|lines/s'

echo "== bench/services: killed-task replacement, scaling 0 → 50 → 0, scheduler decision time"
# shellcheck disable=SC2086 # the flags are meant to be split
go run ./bench/services ${BENCH_SERVICES_FLAGS:-}

echo "== bench/alb: Application Load Balancer data plane, Quayside vs nginx and HAProxy (needs wrk, nginx, haproxy)"
# shellcheck disable=SC2086 # the flags are meant to be split
go run ./bench/alb ${BENCH_ALB_FLAGS:-}

echo "== bench/registry: OCI registry push and pull, Quayside vs Debian's docker-registry (needs docker-registry; builds bin/quayside)"
# shellcheck disable=SC2086 # the flags are meant to be split
go run ./bench/registry ${BENCH_REGISTRY_FLAGS:-}
