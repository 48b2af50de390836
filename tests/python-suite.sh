# Sourced by the Python-checked suites' run.sh (tests/citations, tests/feedvalidator): a
# virtual environment beside the suite with its requirements.txt installed from PyPI, and
# GLOSS_BIN set to the gloss binary to check (given, or target/debug/gloss, built).
# Expects `here` (the suite's folder) and `repo` to be set.
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
if [ -n "${GLOSS_BIN:-}" ]; then
  GLOSS_BIN="$(realpath "$GLOSS_BIN")"
else
  (cd "$repo" && cargo build --locked --quiet)
  GLOSS_BIN="$repo/target/debug/gloss"
fi
