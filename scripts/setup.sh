#!/usr/bin/env bash
# Installs what poolcalc needs, skipping whatever is already present at the right version.
#   scripts/setup.sh build   toolchain for building the page (wasm32 target, trunk, wasm-bindgen-cli,
#                            npm packages incl. binaryen's wasm-opt, crates fetched for offline builds)
#   scripts/setup.sh host    the above, plus Caddy (Debian's), which serves dist/ (make host)
#   scripts/setup.sh test    the above, plus the Debian packages the tests drive
# Only package registries are used (crates.io, npm, Debian); nothing is downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-build}
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the wasm-bindgen crate exactly, so read it from Cargo.lock.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
# The web server of deploy/Caddyfile, for `make host`, `make release` checks and the browser tests.
HOST_PACKAGES=(caddy)
DEBIAN_PACKAGES=(caddy postgresql pgbouncer redis-server prometheus chromium chromium-driver openssl
  # librdkafka, which @confluentinc/kafka-javascript compiles from the source it bundles
  # (Debian's own librdkafka 2.0.2 is too old to link against).
  libssl-dev libsasl2-dev libzstd-dev liblz4-dev libcurl4-openssl-dev zlib1g-dev)

log() { printf '[setup] %s\n' "$*"; }

# rust-toolchain.toml pins the toolchain by version; rustup would try to download it, and these
# machines reach no toolchain server. Their one installed toolchain is "stable": when that is the
# pinned version, make it known under the version's name too (rustup's own directory layout).
PINNED=$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)
TOOLCHAINS="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
HOST=$(cd / && rustc +stable -vV | sed -n 's/^host: //p')
if [ ! -e "$TOOLCHAINS/$PINNED-$HOST" ]; then
  STABLE=$(cd / && rustc +stable --version)
  case "$STABLE" in
    "rustc $PINNED "*)
      log "linking the installed stable toolchain ($STABLE) as $PINNED-$HOST"
      ln -s "$TOOLCHAINS/stable-$HOST" "$TOOLCHAINS/$PINNED-$HOST" ;;
    *)
      echo "[setup] rust-toolchain.toml pins $PINNED, but the installed stable toolchain is $STABLE" >&2
      echo "[setup] and none can be downloaded here: install $PINNED, or update the pin after checking" >&2
      echo "[setup] that scripts/release-build.sh's unstable flags still work with the new version." >&2
      exit 1 ;;
  esac
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release build recompiles the standard library with the page (scripts/release-build.sh).
if ! rustup component list --installed | grep -q '^rust-src'; then
  log "adding the rust-src component"
  rustup component add rust-src
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  # 0.22 needs a newer rustc than this toolchain; --locked keeps its dependency set reproducible.
  log "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ]; then
  # Not --locked: one of its locked dependencies is missing from the registry.
  log "installing wasm-bindgen-cli $WBG_VERSION"
  cargo install wasm-bindgen-cli --version "=$WBG_VERSION" --force
fi

# npm ci only when the installed tree does not match package-lock.json.
if ! cmp -s package-lock.json node_modules/.poolcalc-lock 2>/dev/null; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.poolcalc-lock
fi

# Trunk builds with `cargo --offline`, so every crate must be in the local registry first.
cargo fetch --locked >/dev/null
# ... and so must the standard library's own dependencies, for the release build's build-std.
RUSTC_BOOTSTRAP=1 cargo fetch -Zbuild-std=std,panic_abort --target wasm32-unknown-unknown >/dev/null

if [ "$what" = test ] || [ "$what" = host ]; then
  wanted=("${DEBIAN_PACKAGES[@]}")
  [ "$what" = host ] && wanted=("${HOST_PACKAGES[@]}")
  missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}"
  fi
fi
if [ "$what" = test ]; then
  # The librdkafka-based Kafka client, apart from the root package (tests/real/native/package.json).
  # Its prebuilt download cannot work here, so it builds the binding and the librdkafka it
  # bundles, linked dynamically, against node's own headers (no header download).
  native=tests/real/native
  if ! cmp -s "$native/package-lock.json" "$native/node_modules/.poolcalc-lock" 2>/dev/null; then
    log "building @confluentinc/kafka-javascript and its librdkafka (about a minute)"
    (cd "$native" && CKJS_LINKING=dynamic npm_config_nodedir=/usr npm ci --no-audit --no-fund)
    cp "$native/package-lock.json" "$native/node_modules/.poolcalc-lock"
  fi
fi
log "ready ($what)"
