#!/usr/bin/env python3
"""Checks that the sections of docs/PROTOCOL.md that the code cites exist.

Usage: scripts/check_citations.py

Every tracked source, test and script file is read; each "docs/PROTOCOL.md §N" (also "§N.M",
"§N–§M", "§N, §M and §K", a citation wrapped onto the next comment line) must name a heading of
docs/PROTOCOL.md, and no file may cite a document that is not in the repository. One check per
file that cites, one for the document that is not there; the last line is "N passed, M failed".
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = "docs/PROTOCOL.md"
CODE = (".cpp", ".hpp", ".h", ".py", ".sh", ".js", ".html", ".lua")
# A citation: the document, then one or more sections joined by dashes, commas or "and".
CITATION = re.compile(r"docs/PROTOCOL\.md((?:\s*(?:,|and|–|-)?\s*§\d+(?:\.\d+)?)+)")
SECTION = re.compile(r"§(\d+(?:\.\d+)?)")
# A comment's continuation on the next line, so that a wrapped citation reads as one.
CONTINUATION = re.compile(r"\n\s*(?://|#|\*)\s*")
# The contract this project was built from is not part of it: code cites its own documents.
FOREIGN = re.compile(r"\bSPEC(?:\.md| §)")


def headings() -> set[str]:
    text = (ROOT / PROTOCOL).read_text(encoding="utf-8")
    return set(re.findall(r"^#{2,4} §(\d+(?:\.\d+)?) ", text, re.M))


def main() -> int:
    known = headings()
    files = subprocess.run(["git", "ls-files", "src", "platform", "tests", "scripts", "premake5.lua"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    passed = failed = 0
    foreign = []
    for name in files:
        if not name.endswith(CODE) or name == "scripts/check_citations.py":
            continue
        text = CONTINUATION.sub(" ", (ROOT / name).read_text(encoding="utf-8", errors="replace"))
        if FOREIGN.search(text):
            foreign.append(name)
        cited = [s for match in CITATION.finditer(text) for s in SECTION.findall(match.group(1))]
        if not cited:
            continue
        missing = sorted(set(cited) - known, key=lambda s: [int(p) for p in s.split(".")])
        if missing:
            failed += 1
            print(f"FAILED: {name} cites {PROTOCOL} " + ", ".join("§" + s for s in missing) +
                  ", which it does not have")
        else:
            passed += 1
    if foreign:
        failed += 1
        print("FAILED: these cite a document that is not in the repository: " + ", ".join(foreign))
    else:
        passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
