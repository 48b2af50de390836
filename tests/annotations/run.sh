#!/usr/bin/env bash
# Apache Annotator anchors every selector of the bundled briefing's annotations.jsonld in
# the document its target names (the published source.txt, the article page), read by
# jsdom. GLOSS_BIN names the gloss binary; without it target/debug/gloss is built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [ -n "${GLOSS_BIN:-}" ]; then GLOSS_BIN="$(realpath "$GLOSS_BIN")"; fi
(cd "$here" && timeout 300 npm ci --no-audit --no-fund --loglevel=error)
if [ -z "${GLOSS_BIN:-}" ]; then
  (cd "$repo" && cargo build --locked --quiet)
  GLOSS_BIN="$repo/target/debug/gloss"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM
"$GLOSS_BIN" build --root "$repo" --out "$tmp/public" >/dev/null
export SITE_DIR="$tmp/public"
cd "$here"
node --test anchors.test.mjs
