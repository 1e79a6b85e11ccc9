# probedrill — see README.md. Every target installs or builds what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO ?= go
OUT := _out

.PHONY: help
help: ## show the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

.PHONY: test
test: ## unit tests: go vet + go test (no cluster needed)
	$(GO) vet ./...
	$(GO) test ./...


# --- cluster (internal/cluster, cmd/probedrill) ---------------------------------

# Flags for `probedrill up`, e.g. make up UP_FLAGS='--profile multi'.
UP_FLAGS ?=

.PHONY: bin/probedrill
bin/probedrill: ## build the probedrill CLI (cached by go build)
	$(GO) build -o $@ ./cmd/probedrill

.PHONY: up
up: deps images image-faultyapp bin/probedrill ## start Docker if needed, build the images, create or reuse the cluster
	bin/probedrill up $(UP_FLAGS)

.PHONY: down
down: bin/probedrill ## delete the cluster (starts the Docker engine first if it died)
	bash images/deps.sh engine
	bin/probedrill down
