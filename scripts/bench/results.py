# The load generator's RESULT lines, kept one per run, and the statistics the report takes of them.
"""A run is kept as one line of `key=value` fields: the benchmark's own (test, rep, n, attempts,
disturbed) followed by the fields of loadgen's RESULT line. docs/benchmarks-raw.txt holds the lines
of the last full run.

Figures keep the text loadgen printed: a median is one of the measured values, never an average
of two (with an even count it is the lower middle one), so the report shows "122.4", not "122.40"
or "122.4000001".
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Dict, Iterable, List, Optional

NOT_AVAILABLE = "n/a"
RESULT_PREFIX = "RESULT "
# The fields of a run's progress line, in the order loadgen prints them.
PROGRESS_FIELDS = ("lost", "deliv_per_cpu_s", "other_cpu_s", "lat_p50_us", "lat_p99_us", "rss_peak_kib",
                   "replay_ms_max")


def result_fields(output: str) -> Optional[str]:
    """The fields of the first RESULT line in loadgen's output, or None when it printed none."""
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            return line[len(RESULT_PREFIX):].strip()
    return None


def parse_fields(line: str) -> Dict[str, str]:
    """`a=1 b=x` as {"a": "1", "b": "x"}; a value may hold "=", a word without one is skipped."""
    fields: Dict[str, str] = {}
    for word in line.split():
        key, equals, value = word.partition("=")
        if equals:
            fields[key] = value
    return fields


def number(text: str) -> Optional[Decimal]:
    """The value as printed, exactly; None for "n/a", an empty field or anything not a number."""
    try:
        value = Decimal(text)
    except (InvalidOperation, TypeError):
        return None
    return value if value.is_finite() else None


def as_float(text: str) -> float:
    """A number for arithmetic, 0 for anything else (as awk reads "n/a")."""
    value = number(text)
    return float(value) if value is not None else 0.0


def awk_number(value: float) -> str:
    """A computed number printed as awk prints one: integers whole, others to 6 significant digits."""
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return f"{value:.6g}"


def cpu_share_percent(fields: Dict[str, str], cpu_key: str) -> Optional[str]:
    """CPU seconds of CPU_KEY as a percentage of the run's wall time."""
    wall = as_float(fields.get("wall_s", ""))
    return awk_number(100 * as_float(fields.get(cpu_key, "")) / wall if wall > 0 else 0)


def is_disturbed(fields: Dict[str, str], share_percent: float) -> bool:
    """True when other processes took more than SHARE_PERCENT of one CPU during the run."""
    wall = as_float(fields.get("wall_s", ""))
    return wall > 0 and as_float(fields.get("other_cpu_s", "")) / wall * 100 > share_percent


@dataclass
class Run:
    """One kept run: where it belongs in the plan, how it went, and loadgen's fields."""
    test: str
    rep: int
    n: int
    attempts: int
    disturbed: bool
    fields: Dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        own = f"test={self.test} rep={self.rep} n={self.n} attempts={self.attempts} disturbed={int(self.disturbed)}"
        return own + " " + " ".join(f"{key}={value}" for key, value in self.fields.items())

    @staticmethod
    def from_line(line: str) -> "Run":
        fields = parse_fields(line)
        own = {key: fields.pop(key, "0") for key in ("test", "rep", "n", "attempts", "disturbed")}
        return Run(own["test"], int(own["rep"]), int(own["n"]), int(own["attempts"]),
                   own["disturbed"] == "1", fields)

    def value(self, key: str) -> Optional[str]:
        """A field, or the server's or the load generator's CPU share of the wall time."""
        if key == "server_share":
            return cpu_share_percent(self.fields, "server_cpu_s")
        if key == "loadgen_share":
            return cpu_share_percent(self.fields, "loadgen_cpu_s")
        own = {"test": self.test, "rep": str(self.rep), "n": str(self.n), "attempts": str(self.attempts),
               "disturbed": str(int(self.disturbed))}
        return own.get(key, self.fields.get(key))


def progress_line(test: str, server: str, n: int, fields: Dict[str, str]) -> str:
    """What the console shows of one run."""
    shown = " ".join(f"{key}={fields[key]}" for key in PROGRESS_FIELDS if key in fields)
    return f"  {test:<7} {server:<20} {n:>2} clients  {shown}"


class Results:
    """The runs kept so far, and their statistics by (test, server, clients)."""

    def __init__(self, runs: Iterable[Run] = ()) -> None:
        self.runs: List[Run] = list(runs)

    @staticmethod
    def from_text(text: str) -> "Results":
        return Results(Run.from_line(line) for line in text.splitlines() if line.strip())

    def text(self) -> str:
        return "".join(run.line() + "\n" for run in self.runs)

    def add(self, run: Run) -> None:
        self.runs.append(run)

    def values(self, test: str, server: str, n: int, key: str) -> List[Decimal]:
        """KEY of every run of TEST against SERVER with N clients that has it."""
        found = (run.value(key) for run in self.runs
                 if run.test == test and run.fields.get("server") == server and run.n == n)
        return [value for value in map(number, (text for text in found if text is not None))
                if value is not None]

    def median(self, test: str, server: str, n: int, key: str) -> str:
        """The lower middle of the measured values, as printed; "n/a" when there is none."""
        values = self.values(test, server, n, key)
        return str(statistics.median_low(values)) if values else NOT_AVAILABLE

    def maximum(self, test: str, server: str, n: int, key: str) -> str:
        values = self.values(test, server, n, key)
        return str(max(values)) if values else NOT_AVAILABLE

    def total(self, key: str) -> str:
        """KEY summed over every run (0 when no run has it)."""
        values = (number(run.value(key) or "") for run in self.runs)
        return awk_number(float(sum((value for value in values if value is not None), Decimal(0))))

    def count_disturbed(self) -> int:
        return sum(1 for run in self.runs if run.disturbed)


def ratio(numerator: str, denominator: str) -> str:
    """NUMERATOR / DENOMINATOR to two decimals, "n/a" unless both are positive numbers."""
    top, bottom = as_float(numerator), as_float(denominator)
    return f"{top / bottom:.2f}" if top > 0 and bottom > 0 else NOT_AVAILABLE


def verdict(value: str, operator: str, limit: float, missed: str = "**NOT met**") -> str:
    """"met" when VALUE OPERATOR LIMIT holds ("<=" or ">="), else MISSED; a missing value misses."""
    if number(value) is None:
        return missed
    met = as_float(value) <= limit if operator == "<=" else as_float(value) >= limit
    return "met" if met else missed


def percent(value: str) -> str:
    return f"{as_float(value):.0f}%" if number(value) is not None else NOT_AVAILABLE


def kib_to_mib(value: str) -> str:
    kib = as_float(value)
    return f"{kib / 1024:.1f}" if kib > 0 else NOT_AVAILABLE


def per_delivery(low: tuple, high: tuple) -> str:
    """Instructions per delivery from two runs of (instructions, deliveries): the difference
    cancels start-up and joins. "n/a" unless the larger run has more of both."""
    (i1, d1), (i2, d2) = low, high
    if d2 > d1 and i2 > i1:
        return f"{(i2 - i1) / (d2 - d1):.0f}"
    return NOT_AVAILABLE


def smoke_status(statuses: Iterable[Optional[int]]) -> int:
    """The smoke run's exit status from loadgen's (--strict) statuses: 0 when every run was clean,
    1 when one saw lost, duplicated or reordered messages, and a status above 1 (or 2 for a run
    that had to be ended) when one could not complete, which outweighs the rest."""
    worst = 0
    for status in statuses:
        status = 2 if status is None else status
        if (status == 1 and worst == 0) or status > 1:
            worst = status
    return worst
