# Two commands matter: `make serve` and `make test`. Both install what is
# missing first (scripts/install.sh) and are fast when everything is there.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
# binaryen's wasm-opt first on PATH: Trunk is pinned to its version.
export PATH := $(CURDIR)/tools/node_modules/.bin:$(CARGO_BIN):$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080

.PHONY: serve dist screens test test-host test-lint test-scripts test-browser test-e2e bench audit install-build install-test install-audit clean

## Build the release and serve it at http://127.0.0.1:$(PORT)/ (Ctrl-C stops).
serve: dist
	@echo "Serving the Vango Study Lab at http://127.0.0.1:$(PORT)/"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory dist

## The static build: the dist/ folder runs from any static file server.
dist: install-build
	scripts/build-dist.sh

## Screenshots of every page, light and dark, phone to projector (target/screens/).
screens: install-test dist
	cd tests/e2e && node screens.mjs

## Every test: lint, host, browser (wasm-bindgen-test), end to end.
test: install-test test-lint test-host test-scripts test-browser test-e2e
	@echo "All test layers passed."

test-lint:
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --bins --target wasm32-unknown-unknown -- -D warnings

test-host:
	cargo test

# The build's last step (CSP, service worker), on small made-up folders.
test-scripts:
	node --test scripts/

test-browser:
	cargo test --target wasm32-unknown-unknown --test web_storage

test-e2e: dist
	tests/e2e/run.sh

## Figures: model speed, bundle size, load times (see README).
bench: install-test dist
	cargo bench --bench sim
	node tests/e2e/bench.mjs

## Lighthouse, the Nu HTML checker and axe on every route of the release build,
## served with compression (see README). Separate from `make test`.
audit: install-audit dist
	node tests/audit/audit.mjs

install-build:
	scripts/install.sh build

install-test:
	scripts/install.sh test

install-audit:
	scripts/install.sh audit

clean:
	rm -rf dist target/e2e-site
