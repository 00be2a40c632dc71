#!/usr/bin/env bash
# `make release`: the release bundle of the built dist/ and its server config,
#   target/bundle/poolcalc-<version>.tar.gz   poolcalc-<version>/{dist/, Caddyfile, poolcalc.env}
#   target/bundle/poolcalc-<version>.tar.gz.sha256
# Unpacked, it runs as it is: `cd poolcalc-<version> && caddy run --config Caddyfile --adapter
# caddyfile --envfile poolcalc.env` (README, "Hosting"). The tarball is reproducible (sorted names,
# the last commit's time, no owners), and this script checks it by serving the unpacked bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "release.sh: no dist/: run make dist first" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
name="poolcalc-$version"
out=target/bundle
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out" "$stage/$name"
cp -R dist "$stage/$name/dist"
cp deploy/Caddyfile "$stage/$name/Caddyfile"
# The policy of this build's index.html; POOLCALC_DIST defaults to ./dist beside the Caddyfile.
scripts/host-env.sh dist | grep '^POOLCALC_CSP=' > "$stage/$name/poolcalc.env"
echo "POOLCALC_DIST=dist" >> "$stage/$name/poolcalc.env"
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 0)
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$stage" -cf - "$name" | gzip -9n > "$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

# The bundle as a deployer uses it: check the checksum, unpack, serve, ask for the page.
check=$(mktemp -d)
trap 'rm -rf "$stage" "$check"' EXIT
(cd "$out" && sha256sum --check --quiet "$name.tar.gz.sha256")
tar -xzf "$out/$name.tar.gz" -C "$check"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
(cd "$check/$name" && POOLCALC_ADDRESS="127.0.0.1:$port" exec caddy run --config Caddyfile --adapter caddyfile --envfile poolcalc.env >"$check/caddy.log" 2>&1) &
caddy_pid=$!
ok=
for _ in $(seq 1 50); do
  if csp=$(node -e 'fetch(process.argv[1]).then((r) => { console.log(r.headers.get("content-security-policy")); process.exit(r.ok ? 0 : 1); }, () => process.exit(1))' "http://127.0.0.1:$port/" 2>/dev/null); then ok=1; break; fi
  sleep 0.1
done
kill "$caddy_pid" 2>/dev/null || true
wait "$caddy_pid" 2>/dev/null || true
[ -n "$ok" ] || { echo "release.sh: the unpacked bundle did not serve the page:" >&2; cat "$check/caddy.log" >&2; exit 1; }
grep -q "frame-ancestors 'self'" <<<"$csp" || { echo "release.sh: no policy header from the bundle: $csp" >&2; exit 1; }
echo "release: $out/$name.tar.gz ($(stat -c %s "$out/$name.tar.gz") bytes), sha256 $(cut -d' ' -f1 "$out/$name.tar.gz.sha256")"
