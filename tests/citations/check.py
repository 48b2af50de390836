"""Loads a built gloss site's citations with the tools reference managers and citation
processors use: citations.bib and every cite/*.bib with pybtex, citations.json and every
cite/*.json with citeproc-py (formatting each item in its bundled Harvard (Cite Them Right) style), every
cite/*.ris with rispy. The keys must agree across formats. Usage: python check.py OUT_DIR
"""

import json
import sys
from pathlib import Path

import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import parse_string

out = Path(sys.argv[1])
failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def bib_keys(path):
    data = parse_string(path.read_text(encoding="utf-8"), "bibtex")
    for key, entry in data.entries.items():
        check(entry.fields.get("title"), f"{path.name}: {key} has no title")
    return list(data.entries.keys())


def csl_keys(path):
    items = json.loads(path.read_text(encoding="utf-8"))
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"].lower())]))
    entries = [str(e) for e in bibliography.bibliography()]
    check(len(entries) == len(items), f"{path.name}: {len(entries)} of {len(items)} formatted")
    for entry, item in zip(entries, items):
        check(entry.strip(), f"{path.name}: {item['id']} formats as nothing")
    return [item["id"] for item in items]


def ris_keys(path):
    entries = rispy.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        check(entry.get("title") or entry.get("primary_title"), f"{path.name}: an entry without a title")
    return [e.get("id") for e in entries]


whole_bib = bib_keys(out / "citations.bib")
whole_json = csl_keys(out / "citations.json")
check(whole_bib == whole_json, "citations.bib and citations.json list different keys")
check(len(set(whole_bib)) == len(whole_bib), "citations.bib repeats a key")

singles = sorted((out / "cite").glob("*.bib"))
check(len(singles) == len(whole_bib), f"{len(singles)} cite/*.bib files for {len(whole_bib)} references")
for bib in singles:
    key = bib.stem
    for path, keys in [
        (bib, bib_keys(bib)),
        (bib.with_suffix(".json"), csl_keys(bib.with_suffix(".json"))),
        (bib.with_suffix(".ris"), ris_keys(bib.with_suffix(".ris"))),
    ]:
        check(keys == [key], f"{path.name}: keys {keys}, expected [{key}]")

if failures:
    print("\n".join(failures[:50]))
    print(f"0 passed, 1 failed: {len(failures)} problems in {len(whole_bib)} references")
    sys.exit(1)
print(f"{len(whole_bib)} references load in pybtex, citeproc-py and rispy")
print("1 passed, 0 failed")
