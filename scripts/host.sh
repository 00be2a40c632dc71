#!/usr/bin/env bash
# `make host`: serves the built dist/ through the real server config (deploy/Caddyfile) on
# 127.0.0.1, as it would be deployed. POOLCALC_ADDRESS (default 127.0.0.1:8080),
# POOLCALC_FRAME_ANCESTORS and POOLCALC_PREFIX pass through (see deploy/Caddyfile).
set -euo pipefail
cd "$(dirname "$0")/.."
env_file=$(mktemp)
trap 'rm -f "$env_file"' EXIT
scripts/host-env.sh dist > "$env_file"
export POOLCALC_ADDRESS=${POOLCALC_ADDRESS:-127.0.0.1:8080}
echo "poolcalc: http://${POOLCALC_ADDRESS}${POOLCALC_PREFIX:-/} (Ctrl-C stops it)"
caddy run --config deploy/Caddyfile --adapter caddyfile --envfile "$env_file"
