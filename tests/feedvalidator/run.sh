#!/usr/bin/env bash
# Runs the W3C Feed Validation Service's checker (vendored: it is not on PyPI) at its
# strictest level on the feed of the bundled briefing, of the test fixture sites, and of a
# generated corpus gloss was not tuned for. Not run by `cargo test`: it needs Python
# packages; `.ci/run` runs it. GLOSS_BIN names the gloss binary to use; without it
# target/debug/gloss is built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../python-suite.sh
source "$here/../python-suite.sh"
(cd "$repo" && cargo build --locked --quiet --example gen_corpus)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
validate() { # site folder, then check.py's flags
  local site="$1"
  shift
  "$GLOSS_BIN" --root "$site" build >/dev/null 2>&1
  "$here/.venv/bin/python" "$here/check.py" "$site/public" "$@"
}
mkdir "$work/bundled"
cp -r "$repo/site.toml" "$repo/seeds" "$repo/content" "$work/bundled/"
validate "$work/bundled"
for fixture in mini tiny; do
  cp -r "$repo/tests/fixtures/$fixture" "$work/$fixture"
  validate "$work/$fixture"
done
cp -r "$repo/tests/fixtures/zh" "$work/zh"
validate "$work/zh" --future-dated
"$repo/target/debug/examples/gen_corpus" --out "$work/corpus" --random 5 --articles 200 >/dev/null
validate "$work/corpus/gloss"
