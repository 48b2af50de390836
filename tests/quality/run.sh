#!/usr/bin/env bash
# Quality gates for the default theme, on the bundled briefing as a reader gets it:
#   (a) the Nu Html Checker over every built page,
#   (b) axe-core WCAG 2.1 A/AA on each page kind, light and dark, 1280 and 390 px wide,
#   (c) keyboard use: skip link, focusable highlights with visible focus, notes tied to them,
#   (d) page weight: CSS + JS per page kind, and no request to any other host,
#   (e) reading: continuous article text at 1440 px, page height against text height,
#       folded notes at 390 px, each sentence quoted once on entity pages,
#   (f) the drawn timeline: marks to scale, bars over their range, keyboard, page height,
#   (g) the network of actors: visible and inside the page at 1440 and 390 px, readable labels, axe.
# Needs node + npm; installs Java and Chromium with apt-get when missing (CI is root on
# Debian). GLOSS_BIN names the gloss binary to use; without it target/debug/gloss is built
# (CI's `cargo test` has built it already, and the output is the same as a release build's).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
source "$repo/tests/gloss-bin.sh"

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime; Debian's is used.
(cd "$here" && timeout 600 npm ci --no-audit --no-fund --loglevel=error --ignore-scripts)

tmp="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# A free port on the loopback interface, so parallel runs and other servers don't collide.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# Under a sub-path, as on GitHub Pages project sites: a link that ignores the base URL breaks.
base="http://127.0.0.1:$port/repo/"
"$GLOSS_BIN" build --root "$repo" --out "$tmp/site/repo" --base-url "$base" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }

python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/site" >"$tmp/server.log" 2>&1 &
server=$!
up() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base" 2>/dev/null; }
for _ in $(seq 1 100); do
  up && break
  kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 0.1
done
up || { echo "the site server did not come up at $base"; cat "$tmp/server.log"; exit 1; }

export SITE_DIR="$tmp/site/repo" BASE_URL="$base"
cd "$here"
# One file at a time: the machine has two cores, and each file drives its own Chromium.
timeout 1200 node --test --test-concurrency=1 vnu.test.mjs axe.test.mjs keyboard.test.mjs weight.test.mjs reading.test.mjs timeline.test.mjs network.test.mjs
