# Quayside's build and test entry points. `make test` is the README's test
# command and what CI runs.
GO ?= go
PKGS := ./...

.PHONY: build test vet unit e2e bench generate fuzz

build:
	$(GO) build -o bin/quayside ./cmd/quayside

vet:
	@test -z "$$(gofmt -l cmd internal tools testapp 2>/dev/null)" || { echo "gofmt needed:"; gofmt -l cmd internal tools testapp; exit 1; }
	$(GO) vet $(PKGS)

unit:
	$(GO) test -race -timeout 25m $(PKGS)

# The aws CLI scripts, each against a fresh server, then the OCI
# distribution-spec conformance suite against the registry.
E2E_SCRIPTS := cli secrets_cli logs_cli logs_tail_cli lab_cli elb_cli ecr_cli

e2e: build
	@for s in $(E2E_SCRIPTS); do echo "== test/e2e/$$s.sh"; bash test/e2e/$$s.sh bin/quayside || exit 1; done
	bash test/oci-conformance.sh

test: vet unit e2e

# Short fuzz runs of every fuzzer; the corpora live in testdata/fuzz.
fuzz:
	bash test/fuzz.sh 20s

bench:
	@echo "see bench/README.md"

generate:
	BOTOCORE_DATA=$$(python3 -c 'import botocore,os;print(os.path.dirname(botocore.__file__))')/data $(GO) generate ./internal/wire
