# odoo-etl — operator entry points. `make help` lists them.
SWIFT ?= swift
BIN := .build/debug/odoo-etl
RELEASE_BIN := .build/release/odoo-etl
ENV ?= staging

.PHONY: help build release test demo bench

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-28s %s\n", $$1, $$2}'

build: ## Debug build
	$(SWIFT) build

release: ## Release build (used by demo and bench)
	$(SWIFT) build -c release

test: ## Run every test against a real throwaway PostgreSQL and the Odoo simulator
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

demo: ## Throwaway PostgreSQL + bundled Odoo simulator, a real sync, a summary
	@echo "make demo: not yet — the engine lands with the sync command."

bench: release ## Measured ratios against references on this machine; writes bench/REPORT.md
	@echo "make bench: not yet."
