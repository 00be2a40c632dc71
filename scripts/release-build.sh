#!/usr/bin/env bash
# The release build of the page: `trunk build --release --offline` with a smaller standard library.
#
# The standard library that rustup ships for wasm32 is built to unwind-and-report on panic, which
# brings panic formatting, file paths and location tables into every binary. Rebuilding it with
# the page (`build-std`, from the rust-src component) with `panic=immediate-abort` and no location
# detail drops about 19 KB gzip of wasm (make size). These are unstable flags of the pinned 1.95
# toolchain, enabled for this build only through RUSTC_BOOTSTRAP; the debug build (`make serve`),
# clippy and the native tests use the stable defaults and keep readable panic messages.
# The cost: a release panic traps as `unreachable` with no message (the core's property tests
# exercise every input path natively, where panics keep their messages).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
# Cargo appends these to .cargo/config.toml's wasm32 rustflags (erase_components, stack size).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
# Extra arguments (a target html, --dist, --public-url) come first: --offline takes an optional value.
exec trunk build "$@" --release --offline
