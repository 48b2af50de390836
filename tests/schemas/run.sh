#!/usr/bin/env bash
# The editor schemas as `gloss schema` prints them, compiled by ajv in strict mode and used
# to validate every YAML content file of the repository. GLOSS_BIN names the gloss binary;
# without it target/debug/gloss is built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$repo/tests/gloss-bin.sh"
(cd "$here" && timeout 300 npm ci --no-audit --no-fund --loglevel=error)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM
for kind in articles entities events; do
  "$GLOSS_BIN" schema "$kind" >"$tmp/$kind.json"
done
export SCHEMA_DIR="$tmp" REPO_DIR="$repo"
cd "$here"
node --test schemas.test.mjs
