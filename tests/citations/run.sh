#!/usr/bin/env bash
# Builds the bundled briefing and loads its citations (citations.bib, citations.json and
# every cite/* download) with pybtex, citeproc-py and rispy, installed from PyPI into a
# virtual environment here. `.ci/run` runs it. GLOSS_BIN names the gloss binary to use;
# without it target/debug/gloss is built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../python-suite.sh
source "$here/../python-suite.sh"
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cp -r "$repo/site.toml" "$repo/seeds" "$repo/content" "$site/"
"$GLOSS_BIN" --root "$site" build >/dev/null
"$here/.venv/bin/python" "$here/check.py" "$site/public"
