# Sourced by the Python-checked suites' run.sh (tests/citations, tests/feedvalidator): a
# virtual environment beside the suite with its requirements.txt installed from PyPI, and
# GLOSS_BIN set to the gloss binary to check (tests/gloss-bin.sh).
# Expects `here` (the suite's folder) and `repo` to be set.
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
source "$repo/tests/gloss-bin.sh"
