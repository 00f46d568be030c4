# Runs one command of a stage under a timeout, in a process group of its own, and counts its report.
from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import IO, List, Mapping, Optional, Sequence, Tuple, Union

# After a timeout's TERM, a hung run gets this long before KILL.
KILL_GRACE_S = 10

# The last line of an external stage's output, exactly.
COUNT_LINE = re.compile(r"(\d+) passed, (\d+) failed")
# A test case skipped on purpose prints "<suite>/<case> skipped: <reason>" (Boost.Test counts the
# cases left out by --run_test as skipped too, so its report's number is no use).
SKIPPED_LINE = re.compile(r"^[^ ]* skipped: ", re.MULTILINE)


class Stopped(Exception):
    """The whole run is being stopped: no new command starts."""


@dataclass
class CommandResult:
    status: int  # as a shell reports it: 128 + N for a process ended by signal N
    timed_out: bool
    timeout_s: Optional[float]


class ProcessGroups:
    """The process groups of the commands running now, so that every exit path can end them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self._stopping = False

    def start(self, argv: Sequence[str], **popen_args) -> subprocess.Popen:
        with self._lock:
            if self._stopping:
                raise Stopped(argv[0])
            process = subprocess.Popen(list(argv), start_new_session=True, **popen_args)
            self._running.add(process)
            return process

    def finished(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._running.discard(process)

    def stop_all(self) -> None:
        """Refuses new commands, then ends the running ones: TERM, a grace period, KILL."""
        with self._lock:
            self._stopping = True
            running = list(self._running)
        for process in running:
            signal_group(process, signal.SIGTERM)
        for process in running:
            try:
                process.wait(KILL_GRACE_S)
            except subprocess.TimeoutExpired:
                pass
            signal_group(process, signal.SIGKILL)


# Every command of every stage, in this process.
GROUPS = ProcessGroups()


def signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass  # the group has ended already


def shell_status(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


# A file to create, an open binary file to append to, or nowhere.
Output = Union[Path, IO[bytes], None]


def run(
    argv: Sequence[str],
    output: Output,
    timeout_s: Optional[float],
    env: Optional[Mapping[str, str]] = None,
    groups: ProcessGroups = GROUPS,
) -> CommandResult:
    """Runs argv with no stdin and its output (stdout and stderr) in a file, never a pipe: a Wine
    server or a daemon started by the command would hold a pipe open after the command ended.
    On timeout its whole process group gets TERM, then KILL after KILL_GRACE_S."""
    environment = None if env is None else {**os.environ, **env}
    if isinstance(output, Path):
        with open(output, "wb") as sink:
            return run(argv, sink, timeout_s, env, groups)
    if output is not None:
        output.flush()
    try:
        process = groups.start(argv, stdin=subprocess.DEVNULL, stdout=output or subprocess.DEVNULL,
                               stderr=subprocess.STDOUT, env=environment)
    except OSError as error:
        if output is not None:
            output.write(f"cannot start {argv[0]}: {error}\n".encode())
            output.flush()
        return CommandResult(127, False, timeout_s)
    timed_out = False
    try:
        process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        signal_group(process, signal.SIGTERM)
        try:
            process.wait(KILL_GRACE_S)
        except subprocess.TimeoutExpired:
            pass
        # Whatever of the group outlived the TERM, the leader included.
        signal_group(process, signal.SIGKILL)
        process.wait()
    finally:
        groups.finished(process)
    return CommandResult(shell_status(process.returncode), timed_out, timeout_s)


def read_text(path: Path) -> str:
    """A file's text without carriage returns (Wine's and Windows' output has them), or ""."""
    try:
        return path.read_bytes().decode("utf-8", "replace").replace("\r", "")
    except OSError:
        return ""


def count_line(text: str) -> Optional[Tuple[int, int]]:
    """(passed, failed) from the last non-blank line when it is "N passed, M failed"."""
    lines = [line for line in text.replace("\r", "").split("\n") if line.strip()]
    match = COUNT_LINE.fullmatch(lines[-1]) if lines else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def boost_counts(report: Path) -> Optional[Tuple[int, int]]:
    """(passed, failed) from the top suite of a Boost.Test XML report (--report_level=short):
    passed with or without warnings; failed or aborted, the larger, which guards against a
    Boost.Test version that keeps them apart. None when there is no readable report."""
    try:
        root = ElementTree.parse(report).getroot()
    except (OSError, ElementTree.ParseError):
        return None
    suite = root if root.tag == "TestSuite" else root.find(".//TestSuite")
    if suite is None or suite.get("test_cases_passed") is None:
        return None

    def number(attribute: str) -> int:
        value = suite.get(attribute, "0")
        return int(value) if value.isdigit() else 0

    passed = number("test_cases_passed") + number("test_cases_passed_with_warnings")
    failed = max(number("test_cases_failed"), number("test_cases_aborted"))
    return passed, failed


# One line of Boost.Test's --list_content: four spaces per level, the name, "*" when it would run.
LISTED_UNIT = re.compile(r"^((?:    )*)([^ *]+)(\*?) *$")


def enabled_cases(listing: str) -> Optional[List[str]]:
    """The test cases a run with no --run_test runs, as "suite/case" paths (the module's name left
    out), from the output of --list_content: those marked "*" under suites marked "*". None when a
    line is not of that format. A unit with nothing below it is a case."""
    units: List[Tuple[int, str, bool]] = []
    for line in listing.replace("\r", "").splitlines():
        if not line.strip():
            continue
        match = LISTED_UNIT.match(line)
        if match is None:
            return None
        units.append((len(match.group(1)) // 4, match.group(2), match.group(3) == "*"))
    cases: List[str] = []
    path: List[Tuple[str, bool]] = []
    for index, (depth, name, enabled) in enumerate(units):
        if depth > len(path):
            return None
        del path[depth:]
        path.append((name, enabled))
        is_case = index + 1 == len(units) or units[index + 1][0] <= depth
        if is_case and all(on for _, on in path):
            cases.append("/".join(part for part, _ in path))
    return cases


def enabled_suites(listing: str) -> Optional[List[str]]:
    """The top-level suites that hold a case a run with no --run_test runs, in the listing's order."""
    cases = enabled_cases(listing)
    return None if cases is None else list(dict.fromkeys(case.split("/")[0] for case in cases))


def cases_run(report: Path) -> Optional[List[str]]:
    """The test cases a Boost.Test XML report at --report_level=detailed says ran (whatever their
    result; not those it skipped), as "suite/case" paths; None when there is no readable report."""
    try:
        root = ElementTree.parse(report).getroot()
    except (OSError, ElementTree.ParseError):
        return None
    module = root if root.tag == "TestSuite" else root.find("TestSuite")
    if module is None:
        return None
    found: List[str] = []

    def visit(unit: ElementTree.Element, prefix: str) -> None:
        for child in unit:
            path = f"{prefix}{child.get('name', '?')}"
            if child.tag == "TestSuite":
                visit(child, path + "/")
            elif child.tag == "TestCase" and child.get("result") != "skipped":
                found.append(path)

    visit(module, "")
    return found


def skipped_cases(text: str) -> int:
    return len(SKIPPED_LINE.findall(text))


def judge_exit(result: CommandResult, failed: int) -> Tuple[int, str]:
    """A run that timed out, or exited non-zero with nothing failed, is at least one failure.
    Returns the failed count and a remark ("" when the exit says nothing more)."""
    if result.timed_out:
        return max(failed, 1), f"timed out after {result.timeout_s:g}s"
    if result.status != 0 and failed == 0:
        return 1, f"exit status {result.status} with no failed test case: counted as one failure"
    return failed, ""
