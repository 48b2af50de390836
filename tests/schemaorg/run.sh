#!/usr/bin/env bash
# Builds the bundled briefing and type-checks its JSON-LD against schema.org (schema-dts).
# Not run by `cargo test`: it needs npm; `.ci/run` runs it. Usage: tests/schemaorg/run.sh
# GLOSS_BIN names the gloss binary to use; without it target/debug/gloss is built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$repo/tests/gloss-bin.sh"
cd "$here"
timeout 600 npm ci --no-audit --no-fund --loglevel=error
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cp -r "$repo/site.toml" "$repo/seeds" "$repo/content" "$site/"
"$GLOSS_BIN" --root "$site" build >/dev/null
node check.mjs "$site/public"
