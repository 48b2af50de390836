#!/usr/bin/env bash
# Builds the bundled briefing and type-checks its JSON-LD against schema.org (schema-dts).
# Not run by `cargo test`: it needs npm. Usage: tests/schemaorg/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cp -r "$repo/site.toml" "$repo/seeds" "$repo/content" "$site/"
if [ -n "${GLOSS:-}" ]; then gloss=("$GLOSS"); else gloss=(cargo run --quiet --manifest-path "$repo/Cargo.toml" --); fi
"${gloss[@]}" --root "$site" build >/dev/null
node check.mjs "$site/public"
