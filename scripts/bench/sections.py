# Sections of docs/BENCHMARKS.md between marker lines, which other runs write and every run keeps.
"""A section runs from a line that is exactly its begin marker to a line that is exactly its end
marker, both included. The full run rewrites the page and appends the sections it found, as they
were; --client and --web replace their own section and leave every other byte of the page alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional


@dataclass(frozen=True)
class Markers:
    begin: str
    end: str


# The --connect client's figures (scripts/bench.sh --client).
CLIENT = Markers("<!-- client benchmark: scripts/bench.sh --client -->", "<!-- end of client benchmark -->")
# Browsers beside TCP clients (scripts/bench.sh --web).
WEB = Markers("<!-- web benchmark: scripts/bench.sh --web -->", "<!-- end of web benchmark -->")
# The password's costs (scripts/bench_storm.py and an instruction count), written by hand from their runs.
ACCESS = Markers("<!-- access benchmark: scripts/bench_storm.py -->", "<!-- end of access benchmark -->")
# IRC clients beside nc clients (scripts/bench.sh --irc, which runs scripts/bench_irc.py).
IRC = Markers("<!-- irc benchmark: scripts/bench_irc.py -->", "<!-- end of irc benchmark -->")
# In the order a full run appends them after its own report.
KEPT = (CLIENT, WEB, ACCESS, IRC)


def lines_of(text: str) -> List[str]:
    """The lines of TEXT split at "\\n" only (a carriage return stays part of its line)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def section_of(text: str, markers: Markers) -> str:
    """The section's lines as they stand, markers included, without a final newline; "" when the
    page has none. A begin marker with no end runs to the end of the page."""
    kept: List[str] = []
    inside = False
    for line in lines_of(text):
        if line == markers.begin:
            inside = True
        if inside:
            kept.append(line)
        if line == markers.end:
            inside = False
    return "\n".join(kept).rstrip("\n")


def replace_section(text: Optional[str], markers: Markers, section: str) -> str:
    """The page with SECTION (which starts with the begin marker and ends with the end marker) in
    place of the one there, or appended after a blank line when there is none yet."""
    section = section.rstrip("\n")
    if text is None or not section_of(text, markers):
        return (text or "") + "\n" + section + "\n"
    out: List[str] = []
    skipping = False
    for line in lines_of(text):
        if line == markers.begin:
            out.extend(lines_of(section + "\n"))
            skipping = True
        elif line == markers.end:
            skipping = False
        elif not skipping:
            out.append(line)
    return "".join(line + "\n" for line in out)


def append_kept(report: str, kept: List[str]) -> str:
    """The freshly written REPORT followed by each kept section that is not empty, a blank line
    before each."""
    return report + "".join("\n" + section + "\n" for section in kept if section)
