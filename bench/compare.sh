#!/usr/bin/env bash
# Builds the same synthetic corpus with gloss and with Hugo, in paired runs, and prints
# median wall time, pages per second and peak RSS as ratios of gloss to Hugo. The
# machines here are noisy, so only ratios from runs in the same call mean anything.
#
#   bench/compare.sh [SIZES...]        default: 1000 10000
#   RUNS=5 bench/compare.sh 2000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000}")
[ $# -eq 0 ] && sizes=(1000 10000)
runs=${RUNS:-3}
work=${WORK:-/tmp/gloss-bench}

command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo >/dev/null; }
cargo build --release --quiet --bin gloss --example gen_corpus
gloss=$PWD/target/release/gloss
gen=$PWD/target/release/examples/gen_corpus

# One timed run: prints "seconds max_rss_kb".
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>&1
  cat "$work/time.txt"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "gloss $("$gloss" --version | cut -d' ' -f2) vs $(hugo version | cut -d' ' -f1-2), $runs paired runs, $(nproc) cores"
printf '%-8s %-6s %10s %12s %12s\n' articles tool "wall (s)" "pages/s" "peak RSS MB"
for n in "${sizes[@]}"; do
  mkdir -p "$work"
  "$gen" --articles "$n" --out "$work/c$n" 2>/dev/null
  : >"$work/gloss.txt"; : >"$work/hugo.txt"
  for run in $(seq "$runs"); do
    rm -rf "$work/out-gloss" "$work/out-hugo"
    # The tool that runs first after the deletion pays for it: ext4 without a journal
    # (as on these VMs) skips inodes freed in the last minutes, one by one, on every file
    # it creates. Alternating who goes first shares that cost fairly.
    if [ $((run % 2)) -eq 1 ]; then
      measure "$gloss" --root "$work/c$n/gloss" build --out "$work/out-gloss" >>"$work/gloss.txt"
      measure hugo --quiet --source "$work/c$n/hugo" --destination "$work/out-hugo" >>"$work/hugo.txt"
    else
      measure hugo --quiet --source "$work/c$n/hugo" --destination "$work/out-hugo" >>"$work/hugo.txt"
      measure "$gloss" --root "$work/c$n/gloss" build --out "$work/out-gloss" >>"$work/gloss.txt"
    fi
  done
  gp=$(find "$work/out-gloss" -name '*.html' | wc -l)
  hp=$(find "$work/out-hugo" -name '*.html' | wc -l)
  gt=$(cut -d' ' -f1 "$work/gloss.txt" | median); ht=$(cut -d' ' -f1 "$work/hugo.txt" | median)
  gm=$(cut -d' ' -f2 "$work/gloss.txt" | median); hm=$(cut -d' ' -f2 "$work/hugo.txt" | median)
  div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
  printf '%-8s %-6s %10.2f %12.0f %12.0f\n' "$n" gloss "$gt" "$(div "$gp" "$gt")" "$(div "$gm" 1024)"
  printf '%-8s %-6s %10.2f %12.0f %12.0f\n' "$n" hugo "$ht" "$(div "$hp" "$ht")" "$(div "$hm" 1024)"
  printf '%-8s %-6s %10.2f %12s %12.2f   (gloss / hugo)\n' "$n" ratio "$(div "$gt" "$ht")" "" "$(div "$gm" "$hm")"
done
