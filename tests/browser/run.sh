#!/usr/bin/env bash
# Browser end-to-end tests of `gloss serve` (live reload, search) in Debian's Chromium. Needs node, npm and
# /usr/bin/chromium (apt-get install chromium). GLOSS_BIN names the gloss binary;
# without it, target/debug/gloss is built and used.
set -euo pipefail
if [ -n "${GLOSS_BIN:-}" ]; then GLOSS_BIN="$(realpath "$GLOSS_BIN")"; fi
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
if [ -z "${GLOSS_BIN:-}" ]; then
  (cd ../.. && cargo build --locked --quiet)
  GLOSS_BIN="$(cd ../.. && pwd)/target/debug/gloss"
fi
export GLOSS_BIN
exec node --test --test-concurrency=1 live-reload.test.mjs search.test.mjs
