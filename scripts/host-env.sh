#!/usr/bin/env bash
# Prints the environment deploy/Caddyfile needs for a built site: POOLCALC_DIST and POOLCALC_CSP
# (the policy of the site's own <meta> tag, which the server sends as a header), as lines of an
# env file for `caddy run --envfile`. Usage: scripts/host-env.sh DIST
set -euo pipefail
dist=$(cd "${1:?usage: host-env.sh DIST}" && pwd)
csp=$(sed -n 's/.*<meta http-equiv="Content-Security-Policy" content="\([^"]*\)".*/\1/p' "$dist/index.html")
[ -n "$csp" ] || { echo "host-env.sh: $dist/index.html has no Content-Security-Policy: build it with make dist" >&2; exit 1; }
printf 'POOLCALC_DIST=%s\nPOOLCALC_CSP=%s\n' "$dist" "$csp"
