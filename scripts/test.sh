#!/usr/bin/env bash
# Runs every check in order, printing each stage's name; stops at the first failure (non-zero exit).
# Called by `make test` after scripts/setup.sh has installed what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true

stage() { printf '\n==== stage: %s ====\n' "$1"; }

stage "cargo fmt --check"
cargo fmt --check

stage "cargo clippy (native: core, CLI, tests)"
cargo clippy --all-targets --locked -- -D warnings

stage "cargo clippy (wasm32: the page)"
cargo clippy --target wasm32-unknown-unknown --lib --bins --locked -- -D warnings

stage "cargo test (native)"
cargo test --locked

stage "build scripts: scripts/wasm-names.mjs on a fixture"
node --test tests/build/

stage "real programs: PostgreSQL, PgBouncer 1.18, Prisma 7, psql, redis-server (single and cluster) + BullMQ, KafkaJS, librdkafka, tsc, promtool"
cargo build --locked --bin poolcalc
node --test --test-concurrency=1 --test-timeout=180000 tests/real/

stage "release build (scripts/release-build.sh: trunk build --release --offline)"
# Where the machine allows it, build inside a network namespace with no network at all: this
# proves Trunk fetches nothing (no tool download, no version check).
if unshare -n true 2>/dev/null; then
  echo "(building with no network: unshare -n)"
  unshare -n scripts/release-build.sh
else
  scripts/release-build.sh
fi

stage "subpath build (--public-url /tools/poolcalc/) for the hosting test"
scripts/release-build.sh --public-url /tools/poolcalc/ --dist target/dist-subpath

stage "browser tests (headless Chromium against dist/, served by Caddy with deploy/Caddyfile)"
node --test --test-concurrency=1 --test-timeout=180000 tests/browser/

stage "release bundle (make release): the tarball and its checksum"
scripts/release.sh

stage "fallback release build (stable flags only, no wasm-names rewrite) and the smoke test on it"
# What to ship if the release pipeline's cleverness breaks (README, "Toolchain facts"): plain
# `trunk build --release` with POOLCALC_WASM_NAMES=0, in its own target and dist directories.
POOLCALC_WASM_NAMES=0 CARGO_TARGET_DIR=target/fallback trunk build --release --offline --dist dist-fallback
POOLCALC_DIST=dist-fallback node --test --test-timeout=180000 tests/browser/smoke.test.mjs

printf '\n==== all stages passed ====\n'
