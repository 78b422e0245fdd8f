# The commands the README and CI use. `make run` and `make test` are all a new user needs.
SHELL := /bin/bash
CARGO ?= cargo
KOERS_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432
export KOERS_TEST_POSTGRES_URL
# Panics in tests print one line, not a page of backtrace.
export RUST_BACKTRACE ?= 0

.PHONY: deny bench owasp-lint fuzz run build test test-sqlite test-postgres openapi openapi-check fmt-check clippy lint adr-lint domain-purity ci

## Build in release mode, migrate, load the demo data on an empty database and serve on :8080.
run:
	mkdir -p data
	$(CARGO) run --quiet --release --bin koers -- seed --demo
	$(CARGO) run --quiet --release --bin koers -- serve

build:
	$(CARGO) build --all-targets

## The whole suite on both backends (PostgreSQL is required, never skipped: when none answers at
## KOERS_TEST_POSTGRES_URL, .ci/with-postgres starts a throwaway one from the machine's binaries).
test:
	bash .ci/with-postgres $(CARGO) test --workspace --all-targets

## One backend only, for a quick loop while developing (CI always runs `test`).
test-sqlite:
	$(CARGO) test --test api -- sqlite

test-postgres:
	bash .ci/with-postgres $(CARGO) test --test api -- postgres

## Release build, synthetic data, server on SQLite and PostgreSQL under wrk; writes bench/results.md.
bench:
	bash bench/run

## Regenerate the committed OpenAPI document from the assembled app.
openapi:
	$(CARGO) run --quiet --bin koers -- openapi --out openapi

## Fail when the committed document differs from the generated one.
openapi-check:
	$(CARGO) run --quiet --bin koers -- openapi --out target/openapi-check
	diff -u openapi/openapi.json target/openapi-check/openapi.json
	diff -u openapi/openapi.yaml target/openapi-check/openapi.yaml

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

lint: fmt-check clippy

## Licences, bans and sources of every dependency (deny.toml); advisories when their database can be had.
deny:
	@command -v cargo-deny >/dev/null || $(CARGO) install --locked cargo-deny --version 0.20.2
	$(CARGO) deny check licenses bans sources
	@if timeout 60 $(CARGO) deny fetch db >/dev/null 2>&1; then $(CARGO) deny check advisories; \
	else echo "cargo deny: the advisory database cannot be had here; advisories not checked"; fi

## NL GOV API Design Rules 2.2 lint of the committed document (Spectral from npm, installed locally).
adr-lint:
	bash .ci/adr-lint

## OWASP API Security Top 10 lint (Spectral from npm; waivers in docs/owasp-waivers.md).
owasp-lint:
	bash .ci/owasp-lint

## Schemathesis against the running server, as two gemeenten and a taalaanbieder (installs itself).
fuzz:
	bash .ci/with-postgres bash .ci/contract-fuzz

## koers-domain must not depend on actix-web, diesel, tokio or utoipa.
domain-purity:
	@deps=$$($(CARGO) tree -p koers-domain -e normal --prefix none --format '{p}' | cut -d' ' -f1 | sort -u); \
	for crate in actix-web actix-http diesel tokio utoipa; do \
		if grep -qx "$$crate" <<<"$$deps"; then echo "koers-domain depends on $$crate"; exit 1; fi; \
	done; echo "koers-domain depends on none of actix-web, diesel, tokio, utoipa"

ci:
	bash .ci/run
