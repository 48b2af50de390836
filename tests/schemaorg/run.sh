#!/usr/bin/env bash
# Builds the bundled briefing and type-checks its JSON-LD against schema.org (schema-dts).
# Not run by `cargo test`: it needs npm; `.ci/run` runs it. Usage: tests/schemaorg/run.sh
# GLOSS_BIN names the gloss binary to use; without it target/debug/gloss is built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [ -n "${GLOSS_BIN:-}" ]; then GLOSS_BIN="$(realpath "$GLOSS_BIN")"; fi
cd "$here"
timeout 600 npm ci --no-audit --no-fund --loglevel=error
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cp -r "$repo/site.toml" "$repo/seeds" "$repo/content" "$site/"
if [ -z "${GLOSS_BIN:-}" ]; then
  (cd "$repo" && cargo build --locked --quiet)
  GLOSS_BIN="$repo/target/debug/gloss"
fi
"$GLOSS_BIN" --root "$site" build >/dev/null
node check.mjs "$site/public"
