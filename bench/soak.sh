#!/usr/bin/env bash
# Serve soak test (issue 5): `gloss serve` on a copy of the bundled briefing, with a browser-like
# SSE client connected, takes 1,000 saves of one annotation file over about a minute (valid
# edits, with every tenth save broken YAML and every seventh an unknown entity). The server's
# resident memory is sampled every second. The script reports start/end/max RSS and fails if
# the server died, stopped serving the page, or grew by more than SOAK_MAX_GROWTH_MIB.
#
# Usage: bench/soak.sh [path/to/gloss]   (default: target/release/gloss, built if missing)
# Env:   SOAK_SAVES (1000), SOAK_SECONDS (60), SOAK_MAX_GROWTH_MIB (64)
# Traffic goes to 127.0.0.1 only; every loop is bounded and the script stops by itself.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
gloss=${1:-$repo/target/release/gloss}
saves=${SOAK_SAVES:-1000}
seconds=${SOAK_SECONDS:-60}
max_growth=${SOAK_MAX_GROWTH_MIB:-64}
if [[ ! -x $gloss ]]; then
    (cd "$repo" && cargo build --release --quiet)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gloss-soak.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

site=$work/site
mkdir -p "$site"
cp -r "$repo/site.toml" "$repo/seeds" "$repo/content" "$site/"
file=$(ls "$site"/content/articles/*.yaml | head -1)
cp "$file" "$work/original.yaml"

"$gloss" --root "$site" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
pids+=("$server")
url=
for _ in $(seq 1 300); do
    url=$(sed -n 's/^Serving //p' "$work/serve.out" | head -1)
    [[ -n $url ]] && break
    sleep 0.1
done
[[ -n $url ]] || { echo "soak: the server did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
url=${url%/}/
# The SSE stream lives under the site's root path, e.g. http://127.0.0.1:PORT/china-us-channels/__gloss/events.
curl -sN --max-time $((seconds + 60)) "${url}__gloss/events" >"$work/events.log" 2>/dev/null &
pids+=("$!")

rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status" 2>/dev/null || echo 0; }
sleep 2
start_rss=$(rss)
max_rss=$start_rss
(
    # One sample a second, in the background, for the whole run.
    while kill -0 "$server" 2>/dev/null; do
        echo "$(date +%s) $(awk '/^VmRSS/ {print $2}' "/proc/$server/status" 2>/dev/null)"
        sleep 1
    done
) >"$work/rss.log" &
pids+=("$!")

interval=$(awk -v s="$seconds" -v n="$saves" 'BEGIN { printf "%.4f", s / n }')
begin=$(date +%s.%N)
for i in $(seq 1 "$saves"); do
    if (( i % 10 == 0 )); then
        # Broken YAML: the server must report it and keep serving the last good build.
        printf 'title: [unclosed\n' >"$file.tmp"
    elif (( i % 7 == 0 )); then
        sed "s/^title: .*/title: \"Soak edit $i\"/; 0,/entities: \[/s//entities: [nobody-$i, /" "$work/original.yaml" >"$file.tmp"
    else
        sed "s/^title: .*/title: \"Soak edit $i\"/" "$work/original.yaml" >"$file.tmp"
    fi
    # Editors save by writing a temporary file and renaming it over the original.
    mv "$file.tmp" "$file"
    sleep "$interval"
done
cp "$work/original.yaml" "$file"
elapsed=$(awk -v b="$begin" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - b }')
sleep 3

alive=no
kill -0 "$server" 2>/dev/null && alive=yes
end_rss=$(rss)
max_rss=$(awk -v m="$max_rss" '$2 > m { m = $2 } END { print m }' "$work/rss.log")
status=$(curl -s -o "$work/page.html" -w '%{http_code}' --max-time 10 "$url" || echo 000)
events=$(grep -c '^data:' "$work/events.log" || true)
samples=$(wc -l <"$work/rss.log")

echo "soak: $saves saves in ${elapsed}s; server alive: $alive; GET $url -> $status"
echo "soak: RSS start $((start_rss / 1024)) MiB, end $((end_rss / 1024)) MiB, max $((max_rss / 1024)) MiB ($samples samples)"
echo "soak: RSS every 10 s (MiB): $(awk 'NR % 10 == 1 { printf "%d ", $2 / 1024 }' "$work/rss.log")"
echo "soak: $events server-sent events received"
[[ $alive == yes && $status == 200 ]] || { tail -20 "$work/serve.err" >&2; exit 1; }
grep -q '</html>' "$work/page.html" || { echo "soak: the page is incomplete" >&2; exit 1; }
if (( (end_rss - start_rss) / 1024 > max_growth )); then
    echo "soak: memory grew by more than $max_growth MiB" >&2
    exit 1
fi
echo "soak: ok"
