#!/usr/bin/env bash
# Apache Annotator anchors every selector of the bundled briefing's annotations.jsonld in
# the document its target names (the published source.txt, the article page), read by
# jsdom. GLOSS_BIN names the gloss binary; without it target/debug/gloss is built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$repo/tests/gloss-bin.sh"
(cd "$here" && timeout 300 npm ci --no-audit --no-fund --loglevel=error)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM
"$GLOSS_BIN" build --root "$repo" --out "$tmp/public" >/dev/null
export SITE_DIR="$tmp/public"
cd "$here"
node --test anchors.test.mjs
