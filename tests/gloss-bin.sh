# Sourced by every suite's run.sh: sets and exports GLOSS_BIN, the gloss binary the suite
# checks: the one given, made absolute (suites change directory), or else
# target/debug/gloss, built here. Source it before any `cd`; expects `repo` to be set.
if [ -n "${GLOSS_BIN:-}" ]; then
  GLOSS_BIN="$(realpath "$GLOSS_BIN")"
else
  (cd "$repo" && cargo build --locked --quiet)
  GLOSS_BIN="$repo/target/debug/gloss"
fi
export GLOSS_BIN
