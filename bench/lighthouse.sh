#!/usr/bin/env bash
# Lighthouse scores of the default theme on the bundled briefing: the home page and the
# first article, entity and event page, categories performance, accessibility, best
# practices and SEO. Target: 95 or more in each. Not run in CI (slow, and performance
# scores vary with the machine's load); exits non-zero when a target is missed.
# Uses lighthouse from tests/quality/node_modules and Debian's Chromium (CHROMIUM to
# override). GLOSS_BIN names the gloss binary; without it a release build is made.
# The site is served at the root of a local origin, as on a custom domain, so that
# Lighthouse's robots.txt audit reads the site's own robots.txt.
# Reports (HTML and JSON) are left in $LIGHTHOUSE_OUT (default: target/lighthouse).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
quality="$repo/tests/quality"
if [ -n "${GLOSS_BIN:-}" ]; then GLOSS_BIN="$(realpath "$GLOSS_BIN")"; fi

(cd "$quality" && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts)
if [ -z "${GLOSS_BIN:-}" ]; then
  (cd "$repo" && cargo build --release --locked --quiet)
  GLOSS_BIN="$repo/target/release/gloss"
fi

tmp="$(mktemp -d)"
out="${LIGHTHOUSE_OUT:-$repo/target/lighthouse}"
mkdir -p "$out"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port/"
"$GLOSS_BIN" build --root "$repo" --out "$tmp/site" --base-url "$base" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/site" >/dev/null 2>&1 &
server=$!
for _ in $(seq 1 100); do
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base" 2>/dev/null && break
  sleep 0.1
done

# The first page of each kind, by its folder's name.
first() { (cd "$tmp/site/$1" && find . -mindepth 1 -maxdepth 1 -type d | sort | head -n 1 | sed 's|^\./||'); }
export CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}"
status=0
for page in "" "articles/$(first articles)/" "entities/$(first entities)/" "events/$(first events)/"; do
  name="${page%/}"; name="${name:-home}"; name="${name//\//_}"
  # Otherwise Lighthouse's default settings, those its published scores use: a phone-sized
  # viewport on a simulated slow 4G network and CPU.
  "$quality/node_modules/.bin/lighthouse" "$base$page" \
    --quiet --output=json --output=html --output-path="$out/$name" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking" \
    --max-wait-for-load=60000
  # Print the four scores and any audit that lost points, and check the targets.
  node - "$out/$name.report.json" "$base$page" <<'EOF' || status=1
const r = JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
const target = { performance: 95, accessibility: 95, "best-practices": 95, seo: 95 };
let ok = true;
const scores = Object.entries(target).map(([id, min]) => {
  const s = Math.round(r.categories[id].score * 100);
  if (s < min) ok = false;
  return `${r.categories[id].title} ${s}${s < min ? ` (< ${min})` : ""}`;
});
console.log(`${process.argv[3]}\n  ${scores.join(" · ")}`);
for (const [id, cat] of Object.entries(r.categories)) {
  for (const ref of cat.auditRefs) {
    const a = r.audits[ref.id];
    if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`  ${id}: ${a.id} ${a.score} — ${a.title}${a.displayValue ? ` (${a.displayValue})` : ""}`);
  }
}
process.exit(ok ? 0 : 1);
EOF
done
echo "reports: $out"
exit "$status"
