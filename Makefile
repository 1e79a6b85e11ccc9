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

