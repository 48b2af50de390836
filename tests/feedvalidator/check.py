"""Runs the W3C Feed Validation Service's checker on a built gloss site's feed.xml at its
strictest compatibility level ("AAA": errors, warnings and the experimental checks) and
fails on any event it logs. The feed is read from disk, so the validator is told the address it will be
published at: the feed's own `rel="self"` link. Usage: python check.py OUT_DIR [--future-dated]

`--future-dated` is for invented test sites dated after today (tests/fixtures/zh lives in
2031): the validator rightly calls such dates implausible, and only that warning is let
through for them.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "vendor"))

import feedvalidator  # noqa: E402
from feedvalidator import compatibility  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402

out = Path(sys.argv[1])
future_dated = "--future-dated" in sys.argv[2:]
feed = out / "feed.xml"
if not feed.is_file():
    sys.exit(f"{feed}: no feed was written")
self_link = re.search(rb'<link[^>]*rel="self"[^>]*>', feed.read_bytes())
if not self_link:
    sys.exit(f"{feed}: the feed has no rel=\"self\" link")
location = re.search(rb'href="([^"]+)"', self_link.group(0)).group(1).decode()

with feed.open("rb") as stream:
    try:
        events = feedvalidator.validateStream(stream, firstOccurrenceOnly=0, base=location)[
            "loggedEvents"
        ]
    except feedvalidator.logging.ValidationFailure as failure:
        events = [failure.event]

events = compatibility.AAA(events)
if future_dated:
    events = [e for e in events if not isinstance(e, feedvalidator.logging.ImplausibleDate)]
report = Formatter(events)
if report:
    print(f"{feed}: the W3C feed validator (AAA) reports:")
    print("\n".join(report))
    sys.exit(1)
entries = feed.read_bytes().count(b"<entry>")
print(f"{feed}: valid at AAA, no warnings ({entries} entries)")
