#!/usr/bin/env bash
# Builds the bundled briefing under a local base URL, serves it on 127.0.0.1 and reads every
# page with open-graph-scraper, as a site that unfurls links would: each page's og:image
# must be found, fetched and be a 1200×630 PNG. Not run by `cargo test`: it needs npm;
# `.ci/run` runs it. Usage: tests/ogscraper/run.sh
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
node check.mjs "$GLOSS_BIN" "$site"
