# poolcalc: the two commands that matter are `make serve` and `make test` (see README.md).
# Each one installs what is missing first (scripts/setup.sh), so both work on a fresh machine.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# Trunk must never reach the network (no version check, no tool downloads).
export TRUNK_OFFLINE := true
export TRUNK_SKIP_VERSION_CHECK := true

.PHONY: serve test dist size setup setup-test setup-host host release bench

setup:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

setup-host:
	@scripts/setup.sh host

## Serve the app on http://127.0.0.1:8080 with live reload.
serve: setup
	trunk serve --offline --address 127.0.0.1 --port 8080

## Every check, in order; exits non-zero on the first failure.
test: setup-test
	@scripts/test.sh

## The release site in dist/ (the files to host).
dist: setup
	scripts/release-build.sh

## Serve dist/ as deployed: Caddy with deploy/Caddyfile on http://127.0.0.1:8080.
host: setup-host dist
	scripts/host.sh

## The release bundle: target/bundle/poolcalc-<version>.tar.gz (dist/ + the server config) and
## its .sha256.
release: setup-host dist
	scripts/release.sh

## Sizes of dist/ (raw and gzip); the last line is total_gzip_bytes=N.
size: dist
	@scripts/size.sh dist

## Performance figures of the built site in headless Chromium (prints four figures; no asserts),
## with a bare Leptos page (bench/bare.html) timed in the same runs for reference.
bench: setup-test dist
	scripts/release-build.sh bench/bare.html --dist target/bench-bare
	@node scripts/bench.mjs
