#!/usr/bin/env bash
# Builds synthetic corpora of several shapes and sizes with gloss, with Hugo alone, and
# with Hugo followed by the Pagefind CLI (what a Hugo user runs to get search), in paired
# runs, and prints the ratios. The machines here are noisy, so only ratios from runs in the
# same call mean anything; each run's order alternates (see below).
#
#   bench/compare.sh [SIZES...]                    default: 2000
#   SHAPES="default random:7 cjk" RUNS=3 bench/compare.sh 2000 10000
#   GLOSS=/path/to/other/gloss bench/compare.sh    compare another gloss binary
#   GEN=/path/to/gen_corpus                        a generator already built
#   CACHE=warm bench/compare.sh                    gloss with the cards an earlier build
#                                                  kept in .gloss-cache/ (default: cold,
#                                                  the cache deleted before every run)
#
# Shapes (the knobs of examples/gen_corpus.rs): default; long (3,000-word articles, 30
# annotations with long notes and code); dense (3,000 entities with 3 aliases each,
# mentioned in 90% of sentences); sparse (short articles, few annotations and entities);
# cjk (half the articles in Chinese characters); random:SEED (every knob drawn from SEED).
# Each corpus's exact knobs are in WORK/SIZE-SHAPE/shape.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ $# -eq 0 ] && sizes=(2000)
read -r -a shapes <<<"${SHAPES:-default random:1 random:2}"
runs=${RUNS:-3}
work=${WORK:-/tmp/gloss-bench}
mkdir -p "$work"

command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo >/dev/null; }
[ -x bench/node_modules/.bin/pagefind ] || (cd bench && npm ci --silent)
pagefind=$PWD/bench/node_modules/.bin/pagefind
if [ -z "${GEN:-}" ]; then
  cargo build --release --quiet --example gen_corpus
  GEN=$PWD/target/release/examples/gen_corpus
fi
if [ -z "${GLOSS:-}" ]; then
  cargo build --release --quiet --bin gloss
  GLOSS=$PWD/target/release/gloss
fi

knobs() {
  case $1 in
    default) echo "" ;;
    long) echo "--words 3000 --annotations 30 --note-words 120 --code 0.2" ;;
    dense) echo "--entities 3000 --aliases 3 --mentions 0.9" ;;
    sparse) echo "--words 300 --annotations 2 --entities 50 --mentions 0.1 --tags 5 --note-words 5" ;;
    cjk) echo "--cjk 0.5" ;;
    random:*) echo "--random ${1#random:}" ;;
    *) echo "unknown shape $1" >&2; exit 2 ;;
  esac
}

# One timed run, appending "wall_s cpu_s max_rss_kb" to $1; a failed build stops the script.
measure() {
  local into=$1; shift
  if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$@" >"$work/log.txt" 2>&1; then
    echo "failed: $*" >&2; tail -20 "$work/log.txt" >&2; exit 1
  fi
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time.txt" >>"$into"
}

median() { sort -g | awk '{a[NR]=$1} END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { cut -d' ' -f"$1" "$2"; }
# Per-run ratios of column $1 of files $2 (numerator) and $3 (+ $4 summed, or max'd with -m).
pair() {
  paste -d' ' "$2" "$3" "${4:-$3}" | awk -v c="$1" -v mode="${5:-sum}" -v has4="${4:+1}" '{
    n = NF / 3; a = $c; b = $(c + n); d = $(c + 2 * n)
    if (has4) { b = (mode == "max") ? (b > d ? b : d) : b + d }
    printf "%.3f\n", a / b }' | median
}

echo "gloss $("$GLOSS" --version | cut -d' ' -f2) vs $(hugo version | cut -d' ' -f1-2) and pagefind $("$pagefind" --version | cut -d' ' -f2), $runs paired runs each, $(nproc) cores"
echo "gloss's build cache (.gloss-cache/): ${CACHE:-cold}; wall and CPU (user + system) in seconds, peak RSS in MiB: medians; h+pf: Hugo then the Pagefind CLI"
echo "(wall and CPU summed, RSS the larger of the two); ratios: medians of per-run ratios, gloss / other"
printf '%-6s %-10s %6s | %7s %7s %7s | %6s %6s %6s | %6s %6s %6s | %6s %6s | %6s %6s | %6s %6s\n' \
  size shape files "gloss" hugo "h+pf" "cpu g" "cpu h" "h+pf" "RSS g" "RSS h" "h+pf" \
  "wall" "" "CPU" "" "RSS" ""
printf '%-6s %-10s %6s | %7s %7s %7s | %6s %6s %6s | %6s %6s %6s | %6s %6s | %6s %6s | %6s %6s\n' \
  "" "" "" "" "" "" "" "" "" "" "" "" "g/h" "g/h+pf" "g/h" "g/h+pf" "g/h" "g/h+pf"
for n in "${sizes[@]}"; do
  for shape in "${shapes[@]}"; do
    corpus="$work/$n-${shape/:/}"
    # shellcheck disable=SC2046 # the knobs are separate arguments
    "$GEN" --articles "$n" --out "$corpus" $(knobs "$shape") 2>/dev/null
    for t in gloss hugo pf; do : >"$work/$t.txt"; done
    rm -rf "$corpus/gloss/.gloss-cache"
    if [ "${CACHE:-cold}" = warm ]; then
      "$GLOSS" --root "$corpus/gloss" build --out "$work/out-gloss" >/dev/null 2>&1
    fi
    for run in $(seq "$runs"); do
      rm -rf "$work/out-gloss" "$work/out-hugo"
      gloss_run() {
        [ "${CACHE:-cold}" = warm ] || rm -rf "$corpus/gloss/.gloss-cache"
        measure "$work/gloss.txt" "$GLOSS" --root "$corpus/gloss" build --out "$work/out-gloss"
      }
      hugo_run() {
        measure "$work/hugo.txt" hugo --quiet --source "$corpus/hugo" --destination "$work/out-hugo"
        measure "$work/pf.txt" "$pagefind" --site "$work/out-hugo" --silent
      }
      # The tool that runs first after the deletion pays for it: ext4 without a journal
      # (as on these VMs) skips inodes freed in the last minutes, one by one, on every file
      # it creates. Alternating who goes first shares that cost fairly.
      if [ $((run % 2)) -eq 1 ]; then gloss_run; hugo_run; else hugo_run; gloss_run; fi
    done
    files=$(find "$work/out-gloss" -type f | wc -l)
    med() { col "$1" "$work/$2.txt" | median; }
    hpf_wall=$(paste -d' ' "$work/hugo.txt" "$work/pf.txt" | awk '{print $1 + $4}' | median)
    hpf_cpu=$(paste -d' ' "$work/hugo.txt" "$work/pf.txt" | awk '{print $2 + $5}' | median)
    hpf_rss=$(paste -d' ' "$work/hugo.txt" "$work/pf.txt" | awk '{print ($3 > $6 ? $3 : $6)}' | median)
    mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
    printf '%-6s %-10s %6s | %7.2f %7.2f %7.2f | %6.1f %6.1f %6.1f | %6s %6s %6s | %6s %6s | %6s %6s | %6s %6s\n' \
      "$n" "$shape" "$files" \
      "$(med 1 gloss)" "$(med 1 hugo)" "$hpf_wall" \
      "$(med 2 gloss)" "$(med 2 hugo)" "$hpf_cpu" \
      "$(mib "$(med 3 gloss)")" "$(mib "$(med 3 hugo)")" "$(mib "$hpf_rss")" \
      "$(pair 1 "$work/gloss.txt" "$work/hugo.txt")" \
      "$(pair 1 "$work/gloss.txt" "$work/hugo.txt" "$work/pf.txt")" \
      "$(pair 2 "$work/gloss.txt" "$work/hugo.txt")" \
      "$(pair 2 "$work/gloss.txt" "$work/hugo.txt" "$work/pf.txt")" \
      "$(pair 3 "$work/gloss.txt" "$work/hugo.txt")" \
      "$(pair 3 "$work/gloss.txt" "$work/hugo.txt" "$work/pf.txt" max)"
  done
done
