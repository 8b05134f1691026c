#!/usr/bin/env bash
# Runs every benchmark under bench/, one after the other. Add a line per new
# benchmark. Flags for a benchmark go in its variable, e.g.
#   BENCH_API_FLAGS="-duration 30s -moto=" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== bench/api: ECS API, Quayside vs moto"
# shellcheck disable=SC2086 # the flags are meant to be split
go run ./bench/api ${BENCH_API_FLAGS:-}
