# odoo-etl — operator entry points. `make help` lists them.
SWIFT ?= swift
BIN := .build/debug/odoo-etl
RELEASE_BIN := .build/release/odoo-etl
ENV ?= staging
# Extra arguments for the sync targets, e.g. make etl-sync-staging ARGS="--full --jobs 4"
ARGS ?=
# Size of `make chaos`: full (20 kills of a 100k-record run...) or bounded (what `make test` and CI run).
CHAOS ?= full
# Single-quotes a value for the shell, apostrophes included ("Women's Wear PH").
quote = '$(subst ','\'',$(1))'

.PHONY: help deps lint format build release test demo bench fuzz chaos \
	etl-sync-local etl-sync-staging etl-sync-production etl-backfill \
	instance-health-local instance-health-staging instance-health-production supabase-migrate

# Checked when the makefile is read, so a missing COMPANY stops before any build.
ifneq ($(filter etl-backfill,$(MAKECMDGOALS)),)
ifeq ($(strip $(COMPANY)),)
$(error COMPANY is required: make etl-backfill ENV=$(ENV) COMPANY=<company id or exact name> [SINCE=YYYY-MM-DD] [UNTIL=YYYY-MM-DD] [PIPELINE="expenses invoices"])
endif
endif

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-28s %s\n", $$1, $$2}'

deps: ## Install the Debian packages a fresh machine lacks (libpq, libcurl, zlib, PostgreSQL 15, python3)
	@scripts/install-deps.sh

lint: ## swift format's lint with the committed .swift-format (make test runs it; `make format` fixes layout)
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

format: ## Rewrite the Swift sources in the committed .swift-format layout
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

build: deps ## Debug build
	$(SWIFT) build

release: deps ## Release build (used by demo and bench)
	$(SWIFT) build -c release

test: deps lint ## Run every test against a real throwaway PostgreSQL and the Odoo simulator
	python3 -m unittest discover -s simulator -p 'test_*.py'
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

demo: release ## Throwaway PostgreSQL + bundled Odoo simulator: migrate, sync, change records, sync again, verify, a query
	$(RELEASE_BIN) demo

chaos: ## Kills, dropped sessions, Odoo faults, overlapping runs, a PostgreSQL restart; prints bench/CHAOS.md (CHAOS=bounded: CI size)
	$(SWIFT) build --build-tests
	@mkdir -p bench && rm -f bench/CHAOS.md
	ODOO_ETL_CHAOS=$(CHAOS) ODOO_ETL_CHAOS_REPORT=$(CURDIR)/bench/CHAOS.md \
		$(SWIFT) test --skip-build --disable-swift-testing --filter 'EndToEndTests\.Chaos'
	@cat bench/CHAOS.md

bench: ## Measured ratios against references on this machine; regenerates bench/REPORT.md
	scripts/bench.sh

# Inputs per fuzzer, and the pipeline fuzzer's seed (printed; set it to repeat a run).
FUZZ_RUNS ?= 1000000
FUZZ_SEED ?= $(shell date +%s)
# The pipeline fuzzer runs optimised (about 8x faster than debug) in its own build directory, so
# the release binary of `make release` keeps its flags.
FUZZ_SWIFTPM := -c release -Xswiftc -enable-testing --scratch-path .build-fuzz/swiftpm

fuzz: ## Fuzz the XML-RPC decoder (libFuzzer + ASan) and the pipeline-file parser, FUZZ_RUNS inputs each
	fuzz/run.sh $(FUZZ_RUNS)
	$(SWIFT) build --build-tests $(FUZZ_SWIFTPM)
	ODOO_ETL_FUZZ_RUNS=$(FUZZ_RUNS) ODOO_ETL_FUZZ_SEED=$(FUZZ_SEED) $(SWIFT) test --skip-build --disable-swift-testing \
		$(FUZZ_SWIFTPM) --filter 'PipelineParserFuzzTests/testMutatedPipelineFiles'

etl-sync-local: release ## Incremental sync of the local environment (ARGS="--full" etc. pass through)
	$(RELEASE_BIN) sync --env local $(ARGS)

etl-sync-staging: release ## Incremental sync of staging (ARGS="--full" etc. pass through)
	$(RELEASE_BIN) sync --env staging $(ARGS)

etl-sync-production: release ## Incremental sync of production, as the nightly timer runs it
	$(RELEASE_BIN) sync --env production $(ARGS)

etl-backfill: release ## Re-extract one company: ENV=staging COMPANY=<id|name> [SINCE=…] [UNTIL=…] [PIPELINE=…]
	$(RELEASE_BIN) backfill --env $(call quote,$(ENV)) --company $(call quote,$(COMPANY)) \
		$(if $(SINCE),--since $(call quote,$(SINCE))) $(if $(UNTIL),--until $(call quote,$(UNTIL))) \
		$(foreach pipeline,$(PIPELINE),--pipeline $(call quote,$(pipeline)))

instance-health-local: release ## Check Odoo, warehouse and Superset of the local environment
	$(RELEASE_BIN) health --env local

instance-health-staging: release ## Check Odoo, warehouse and Superset of staging
	$(RELEASE_BIN) health --env staging

instance-health-production: release ## Check Odoo, warehouse and Superset of production
	$(RELEASE_BIN) health --env production

supabase-migrate: release ## Apply pending warehouse migrations: ENV=staging (or local, production)
	$(RELEASE_BIN) migrate --env $(call quote,$(ENV))
