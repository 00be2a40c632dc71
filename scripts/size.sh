#!/usr/bin/env bash
# Prints the size of each file a browser loads from the built site, raw and gzip (-9), the gzip
# size of what loads only on demand (the audit's own app: on_demand_gzip_bytes=N), and the gzip
# total of the first-load files (wasm, js, css, html) as the last line: total_gzip_bytes=N.
set -euo pipefail
dir=${1:-dist}
[ -d "$dir" ] || { echo "no $dir/: run make dist first" >&2; exit 1; }
total=0
on_demand=0
printf '%-44s %10s %10s\n' file raw_bytes gzip_bytes
while IFS= read -r f; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  printf '%-44s %10d %10d\n' "${f#"$dir"/}" "$raw" "$gz"
  case "${f#"$dir"/}" in
    poolcalc-audit*) on_demand=$((on_demand + gz)) ;;
    *) total=$((total + gz)) ;;
  esac
done < <(find "$dir" -maxdepth 1 -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \) | sort)
echo "on_demand_gzip_bytes=$on_demand"
echo "total_gzip_bytes=$total"
