#!/usr/bin/env bash
# Runs the OCI distribution-spec conformance suite (pull, push, content
# discovery, content management) against a fresh in-process Quayside.
#
# Usage: test/oci-conformance.sh
#   OCI_CONFORMANCE_VERSION  module version of
#                            github.com/opencontainers/distribution-spec/conformance
#   OCI_RESULTS_DIR          where results.yaml, report.html and junit.xml go
#                            (default $TMPDIR/quayside-oci-conformance)
#   Other OCI_* variables (OCI_LOG, OCI_VERSION, OCI_API_*, OCI_DATA_*, ...)
#   pass through to the suite; the registry, repositories and credentials
#   are set by the test harness.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${OCI_CONFORMANCE_VERSION:-v0.0.0-20260831232431-97274622c111}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/opencontainers/distribution-spec/conformance@${version}"
export OCI_CONFORMANCE_BIN="$bin/conformance"
# Optional APIs Quayside supports: test them too unless told otherwise.
export OCI_API_BLOBS_UPLOAD_CANCEL=${OCI_API_BLOBS_UPLOAD_CANCEL:-true}
export OCI_API_MANIFESTS_TAG_PARAM=${OCI_API_MANIFESTS_TAG_PARAM:-true}
export OCI_RESULTS_DIR=${OCI_RESULTS_DIR:-${TMPDIR:-/tmp}/quayside-oci-conformance}
go test -tags ociconformance -run '^TestOCIConformance$' -count=1 -v ./internal/registry/ociapi/
