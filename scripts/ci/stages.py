# The stage machinery: runs a plan of stages in lanes, then prints the logs, failures and summary.
from __future__ import annotations

import re
import shutil
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Dict, List, Mapping, Optional, Sequence, TextIO, Tuple

import commands

# The lines of a failed stage's log that say what failed: Boost.Test's errors and exceptions,
# node's failed cases, sanitizer reports, timeouts. Printed next to the summary so that the end of
# a long output names the failure as well as counting it.
FAILURE_LINE = re.compile(
    r'error: in "|fatal error|exception|Test setup error|^ *✖|^not ok|ERROR: [A-Za-z]*Sanitizer'
    r"|runtime error:|timed out|no test report|failed:|FAILED"
)
FAILURE_LINES_PER_STAGE = 30
# A failed stage whose log has no such line shows its last lines instead.
LAST_LINES_SHOWN = 10
# Log lines are cut to this many characters in the failure lines: some are a whole page long.
FAILURE_LINE_CHARS = 400
TERMINAL_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Row:
    """One row of the summary: a stage's own, or one of several that a stage reports."""

    name: str
    passed: int
    failed: int
    remark: str = ""


@dataclass
class StageContext:
    """What a stage's action gets: where to write, how to run commands, how to report rows."""

    name: str
    log_dir: Path
    log: BinaryIO  # the stage's log, open for appending
    run_timeout_s: float
    rows: List[Row] = field(default_factory=list)

    def note(self, name: str, passed: int, failed: int, remark: str = "") -> None:
        self.rows.append(Row(name, passed, failed, remark))

    def say(self, text: str) -> None:
        """Writes text, and a newline, to the stage's log."""
        self.log.write(text.encode("utf-8", "surrogateescape") + b"\n")
        self.log.flush()

    def include(self, path: Path) -> str:
        """Copies a file that a command wrote into the stage's log; returns its text."""
        text = commands.read_text(path)
        self.log.write(text.encode("utf-8", "surrogateescape"))
        self.log.flush()
        return text

    def path(self, suffix: str, name: Optional[str] = None) -> Path:
        """build/test-logs/NAME.SUFFIX, where a stage keeps what its commands wrote."""
        return self.log_dir / f"{name or self.name}.{suffix}"

    def run(
        self,
        argv: Sequence[str],
        output: commands.Output = None,
        timeout_s: Optional[float] = None,
        env: Optional[Mapping[str, str]] = None,
    ) -> commands.CommandResult:
        """Runs argv under a timeout (the run timeout unless given); its output goes to the file
        output, or into the stage's log when none is given."""
        return commands.run(argv, self.log if output is None else output,
                            timeout_s or self.run_timeout_s, env)


Action = Callable[[StageContext], None]


@dataclass(frozen=True)
class Stage:
    """One line of the plan: a lane runs its stages in order, the lanes run side by side; a stage
    waits until each stage named in `after` has ended and is not run if one of them failed (a
    name not in the plan is not waited for). `when` False leaves the stage out of the plan."""

    name: str
    lane: str
    after: Tuple[str, ...]
    action: Action
    when: bool = True

    def __post_init__(self) -> None:
        # ("build") is a string, not a tuple of one: take it as the one name it means.
        if isinstance(self.after, str):
            object.__setattr__(self, "after", (self.after,))


@dataclass
class Outcome:
    rows: List[Row]
    seconds: Optional[int]  # None: not run
    # Why it was not run ("build-linux-release failed"): its dependents are not run either.
    not_run: Optional[str] = None

    @property
    def passed(self) -> int:
        return sum(row.passed for row in self.rows)

    @property
    def failed(self) -> int:
        return sum(row.failed for row in self.rows)


def check_plan(stages: Sequence[Stage]) -> None:
    """Raises ValueError for a plan that cannot run: a name twice, or stages waiting in a circle
    (counting the wait of each stage for the one before it in its lane)."""
    names = [stage.name for stage in stages]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise ValueError(f"stages named twice: {', '.join(doubled)}")
    waits: Dict[str, List[str]] = {stage.name: [a for a in stage.after if a in names] for stage in stages}
    last_in_lane: Dict[str, str] = {}
    for stage in stages:
        if stage.lane in last_in_lane:
            waits[stage.name].append(last_in_lane[stage.lane])
        last_in_lane[stage.lane] = stage.name
    done: set = set()
    for name in names:
        path: List[str] = []
        _visit(name, waits, done, path)


def _visit(name: str, waits: Dict[str, List[str]], done: set, path: List[str]) -> None:
    if name in done:
        return
    if name in path:
        raise ValueError("stages wait for each other: " + " -> ".join(path[path.index(name):] + [name]))
    path.append(name)
    for other in waits[name]:
        _visit(other, waits, done, path)
    path.pop()
    done.add(name)


class Runner:
    """Runs a plan once. Progress lines go to `out` as stages start and end; report() prints the
    logs in the plan's order, the failure lines, the summary and the last line."""

    def __init__(self, stages: Sequence[Stage], log_dir: Path, out: TextIO, run_timeout_s: float) -> None:
        self.stages = [stage for stage in stages if stage.when]
        check_plan(self.stages)
        self.log_dir = log_dir
        self.out = out
        self.run_timeout_s = run_timeout_s
        self.outcomes: Dict[str, Outcome] = {}
        self._ended = {stage.name: threading.Event() for stage in self.stages}
        self._out_lock = threading.Lock()
        self._stopping = threading.Event()
        self._started = time.monotonic()

    def lanes(self) -> List[str]:
        return list(dict.fromkeys(stage.lane for stage in self.stages))

    def run(self) -> None:
        """Runs every lane in a thread of its own and returns when all have ended. The threads are
        daemons: a run stopped by a signal does not wait for them (see stop())."""
        shutil.rmtree(self.log_dir, ignore_errors=True)
        self.log_dir.mkdir(parents=True)
        self._started = time.monotonic()
        threads = [threading.Thread(target=self._run_lane, args=(lane,), name=f"lane {lane}", daemon=True)
                   for lane in self.lanes()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def stop(self) -> None:
        """No stage starts from now on; the running commands are ended by commands.GROUPS."""
        self._stopping.set()

    def elapsed(self) -> int:
        return int(time.monotonic() - self._started)

    def _progress(self, text: str) -> None:
        with self._out_lock:
            self.out.write(f"=== {self.elapsed():5d}s {text}\n")
            self.out.flush()

    def _run_lane(self, lane: str) -> None:
        for stage in (stage for stage in self.stages if stage.lane == lane):
            try:
                outcome = self._run_stage(stage)
            except Exception as error:  # a defect of the runner: this stage fails, the lane goes on
                outcome = Outcome([Row(stage.name, 0, 1, f"the runner failed: {error!r}")], None)
            self.outcomes[stage.name] = outcome
            # Said before its dependents hear of it, so that their "started" comes after this line.
            self._progress(f"{stage.name}: ended, {outcome.passed} passed, {outcome.failed} failed")
            self._ended[stage.name].set()

    def _failed_before(self, stage: Stage) -> Optional[str]:
        """Waits for the stages this one comes after; says why this one is not to run: the first
        of them that failed, or was not run itself; None when it is to run."""
        for other in stage.after:
            if other not in self._ended:
                continue
            self._ended[other].wait()
            outcome = self.outcomes.get(other)
            if outcome is None or outcome.failed > 0:
                return f"{other} failed"
            if outcome.not_run:
                return outcome.not_run
        return "the run was stopped" if self._stopping.is_set() else None

    def _run_stage(self, stage: Stage) -> Outcome:
        log_path = self.log_dir / f"{stage.name}.log"
        why_not = self._failed_before(stage)
        if why_not:
            log_path.write_text(f"not run: {why_not}\n")
            return Outcome([Row(stage.name, 0, 0, f"not run: {why_not}")], None, why_not)
        started = time.monotonic()
        self._progress(f"{stage.name}: started")
        with open(log_path, "ab") as log:
            context = StageContext(stage.name, self.log_dir, log, self.run_timeout_s)
            try:
                stage.action(context)
            except commands.Stopped:
                context.note(stage.name, 0, 1, "stopped with the run")
            except Exception as error:  # a defect of the action: its stage fails, the others run
                context.say(traceback.format_exc())
                context.note(stage.name, 0, 1, f"the stage's action raised {type(error).__name__}: {error}")
        # A stage that reported nothing failed in a way its action did not foresee.
        if not context.rows:
            context.note(stage.name, 0, 1, "the stage reported nothing")
        return Outcome(context.rows, int(time.monotonic() - started))

    # -------------------------------------------------------------------------------------------
    # After the run.

    def totals(self) -> Tuple[int, int]:
        outcomes = [self.outcomes.get(stage.name) for stage in self.stages]
        return (sum(o.passed for o in outcomes if o), sum(o.failed for o in outcomes if o))

    def report(self) -> Tuple[int, int]:
        """Prints the logs, the failure lines, the summary and the last line; returns the totals."""
        self.print_logs()
        self.print_failures()
        self.print_summary()
        passed, failed = self.totals()
        self.out.write(f"{passed} passed, {failed} failed\n")
        self.out.flush()
        return passed, failed

    def _outcome(self, name: str) -> Outcome:
        # A stage missing here had its lane stopped before it: not run.
        return self.outcomes.get(name) or Outcome([Row(name, 0, 0, "not run: the run was stopped")], None)

    def print_logs(self) -> None:
        for stage in self.stages:
            log_path = self.log_dir / f"{stage.name}.log"
            self.out.write(f"=== log of {stage.name} ({log_path})\n")
            self.out.write(commands.read_text(log_path))
        self.out.flush()

    def print_failures(self) -> None:
        for stage in self.stages:
            if self._outcome(stage.name).failed == 0:
                continue
            log_path = self.log_dir / f"{stage.name}.log"
            self.out.write(f"=== failures in {stage.name} ({log_path})\n")
            for line in failure_lines(commands.read_text(log_path)):
                self.out.write(f"  {line}\n")
        self.out.flush()

    def print_summary(self) -> None:
        write = self.out.write
        write("=== summary\n")
        write(f"  {'stage':<24} {'passed':>6} {'failed':>6} {'seconds':>8}\n")
        for stage in self.stages:
            outcome = self._outcome(stage.name)
            seconds = "-" if outcome.seconds is None else str(outcome.seconds)
            # A stage that is one row of its own name has that row's remark on its line; any other
            # stage lists its rows below it.
            alone = len(outcome.rows) == 1 and outcome.rows[0].name == stage.name
            remark = outcome.rows[0].remark if alone else ""
            write(f"  {stage.name:<24} {outcome.passed:>6} {outcome.failed:>6} {seconds:>8}  {remark}".rstrip() + "\n")
            if not alone:
                for row in outcome.rows:
                    write(f"    {row.name:<22} {row.passed:>6} {row.failed:>6}           {row.remark}".rstrip() + "\n")
        write(f"  all stages in {self.elapsed()} s\n")
        self.out.flush()


def failure_lines(log: str) -> List[str]:
    """The lines of a log that name a failure (its last lines when none does), at most
    FAILURE_LINES_PER_STAGE, without terminal colours and cut to a readable length."""
    lines = [TERMINAL_COLOUR.sub("", line)[:FAILURE_LINE_CHARS] for line in log.rstrip("\n").split("\n")]
    named = [line for line in lines if FAILURE_LINE.search(line)]
    if not named:
        return ["(no line of the log names it; its last lines:)"] + lines[-LAST_LINES_SHOWN:]
    shown = named[:FAILURE_LINES_PER_STAGE]
    if len(named) > FAILURE_LINES_PER_STAGE:
        shown.append(f"... and {len(named) - FAILURE_LINES_PER_STAGE} more lines in the log")
    return shown
