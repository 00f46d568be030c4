# The kinds of stage a plan is made of: a Boost.Test binary, a counted command, a shell check.
from __future__ import annotations

import io
import shlex
import unittest
from pathlib import Path
from typing import List, Mapping, Optional, Sequence

import commands
from stages import Action, Row, StageContext

# The bash file that runs a function of a sourced script as a stage, its note_result rows to a file.
SHELL_STAGE = Path(__file__).with_name("shell_stage.sh")


def run_boost(ctx: StageContext, name: str, argv: Sequence[str], env: Optional[Mapping[str, str]] = None,
              report_level: str = "short") -> None:
    """Runs one test binary and notes the row NAME, counted from Boost.Test's XML report (at
    --report_level=detailed it also names every case, for commands.cases_run). A run that dies
    before reporting, times out, or exits non-zero with nothing failed is a failure."""
    report = ctx.path("xml", name)
    output = ctx.path("out", name)
    ctx.say(f"=== {name}: {shlex.join(argv)}")
    result = ctx.run([*argv, "--report_format=XML", f"--report_level={report_level}", f"--report_sink={report}"],
                     output, env=env)
    text = ctx.include(output)
    if result.timed_out:
        ctx.say(f"=== {name}: timed out after {result.timeout_s:g}s; its process group was ended")
    counts = commands.boost_counts(report)
    if counts is None:
        # Boost.Test writes a setup error ("no test cases matching filter") to the report's file.
        if report.is_file():
            ctx.say(f"=== {name}: no counts in {report}, which holds:")
            ctx.include(report)
            ctx.say("")
        how = f"timed out after {result.timeout_s:g}s" if result.timed_out else f"exit status {result.status}"
        ctx.note(name, 0, 1, f"no test report ({how})")
        return
    passed, failed = counts
    failed, remark = commands.judge_exit(result, failed)
    skipped = commands.skipped_cases(text)
    if skipped and not remark:
        remark = f"{skipped} skipped, reasons in its log"
    ctx.note(name, passed, failed, remark)


def tests(*argv: str, env: Optional[Mapping[str, str]] = None) -> Action:
    """A Boost.Test binary (--run_test=SUITE runs one suite, or one disabled by default)."""
    return lambda ctx: run_boost(ctx, ctx.name, argv, env)


def run_external(ctx: StageContext, argv: Sequence[str], env: Optional[Mapping[str, str]] = None) -> None:
    """Runs a command whose last line of output is "N passed, M failed" and notes that. No such
    line, a timeout, or a non-zero exit status with nothing failed is a failure."""
    output = ctx.path("out")
    ctx.say(f"=== {ctx.name}: {shlex.join(argv)}")
    result = ctx.run(argv, output, env=env)
    text = ctx.include(output)
    if result.timed_out:
        ctx.say(f"=== {ctx.name}: timed out after {result.timeout_s:g}s; its process group was ended")
    counts = commands.count_line(text)
    if counts is None:
        how = f"timed out after {result.timeout_s:g}s" if result.timed_out else f"exit status {result.status}"
        ctx.note(ctx.name, 0, 1, f"no 'N passed, M failed' line at the end ({how})")
        return
    passed, failed = counts
    failed, remark = commands.judge_exit(result, failed)
    ctx.note(ctx.name, passed, failed, remark)


def external(*argv: str, env: Optional[Mapping[str, str]] = None) -> Action:
    """Any command that ends its output with "N passed, M failed"; its exit status must be non-zero
    when M is."""
    return lambda ctx: run_external(ctx, argv, env)


def shell(script: str, function: str, env: Mapping[str, str], timeout_s: Optional[float] = None) -> Action:
    """A function of a bash script that reports its checks with note_result NAME PASSED FAILED
    [REMARK], one row each (scripts/package_checks.sh). Its exit status counts for nothing."""

    def action(ctx: StageContext) -> None:
        rows_file = ctx.path("rows")
        result = ctx.run(["bash", str(SHELL_STAGE), str(rows_file), script, function], env=env,
                         timeout_s=timeout_s)
        for row in read_rows(commands.read_text(rows_file)):
            ctx.note(row.name, row.passed, row.failed, row.remark)
        if result.timed_out:
            ctx.say(f"=== {ctx.name}: timed out after {result.timeout_s:g}s; its process group was ended")
            ctx.note(ctx.name, 0, 1, f"timed out after {result.timeout_s:g}s")

    return action


def read_rows(text: str) -> List[Row]:
    """The rows note_result wrote, a line each: name, passed, failed, remark, separated by tabs."""
    rows: List[Row] = []
    for line in text.splitlines():
        fields = line.split("\t", 3)
        if len(fields) >= 3 and fields[1].isdigit() and fields[2].isdigit():
            rows.append(Row(fields[0], int(fields[1]), int(fields[2]), fields[3] if len(fields) > 3 else ""))
        elif rows:  # a remark that held a newline
            rows[-1].remark += " " + line
    return rows


def python_tests(directory: Path, pattern: str) -> Action:
    """The unittest modules named PATTERN in DIRECTORY, run in this process and counted from
    unittest's own result: errors and unexpected successes are failures too."""

    def action(ctx: StageContext) -> None:
        stream = io.StringIO()
        suite = unittest.defaultTestLoader.discover(str(directory), pattern=pattern, top_level_dir=str(directory))
        result = unittest.TextTestRunner(stream=stream, verbosity=2).run(suite)
        ctx.say(stream.getvalue())
        failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        skipped = len(result.skipped)
        if result.testsRun == 0:
            ctx.note(ctx.name, 0, 1, f"no test found in {directory}/{pattern}")
            return
        ctx.note(ctx.name, result.testsRun - failed - skipped, failed,
                 f"{skipped} skipped, reasons in its log" if skipped else "")

    return action
