#!/usr/bin/env bash
# Browser end-to-end tests of `gloss serve` (live reload, search) in Debian's Chromium. Needs node, npm and
# /usr/bin/chromium (apt-get install chromium). GLOSS_BIN names the gloss binary;
# without it, target/debug/gloss is built and used.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
source "$repo/tests/gloss-bin.sh"
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
exec node --test --test-concurrency=1 live-reload.test.mjs search.test.mjs cjk.test.mjs fragments.test.mjs
