# Tests of the stage runner with fake stages, small shell commands; run as the runner-selftest stage.
from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import commands  # noqa: E402
from actions import external, python_tests, shell, tests  # noqa: E402
from stages import Runner, Stage, check_plan, failure_lines  # noqa: E402
from steps import sanitize_tests, shard_of, shards_cover  # noqa: E402

# A stage that sleeps this long in each of two lanes: side by side they end well before the sum.
SLEEP_S = 5
# How long two such lanes may take, at most: less than the sum, with seconds to spare for a loaded
# machine, where starting a process can take a second.
SIDE_BY_SIDE_BOUND_S = 2 * SLEEP_S - 1
# The run timeout of the timeout test, and the most its stage may take (the command sleeps 60 s).
SHORT_TIMEOUT_S = 1
TIMED_OUT_BOUND_S = 20
# A process sent KILL has this long to be gone.
DYING_S = 5

# A Boost.Test report at --report_level=short, as the tests binary writes it.
SAMPLE_REPORT = """<TestResult><TestSuite name="netcat_chat_tests" result="failed" assertions_passed="1200"
 assertions_failed="2" warnings_failed="0" expected_failures="0" test_cases_passed="410"
 test_cases_passed_with_warnings="3" test_cases_failed="1" test_cases_skipped="190"
 test_cases_aborted="2" test_cases_timed_out="0" test_suites_passed="40" test_suites_failed="1"
 test_suites_skipped="9" test_suites_aborted="0" test_suites_timed_out="0"/></TestResult>"""

# What --list_content prints: four spaces per level, "*" on what a plain run runs.
SAMPLE_LISTING = "alpha*\n    one*\n    two*\nbeta*\n    three*\n    off \nslow \n    waits \n"


def detailed_report(*cases: str) -> str:
    """A report at --report_level=detailed naming the cases "suite/case" given, and one skipped."""
    suites: dict = {}
    for case in cases:
        suite, name = case.split("/")
        suites.setdefault(suite, []).append(f'<TestCase name="{name}" result="passed"></TestCase>')
    body = "".join(f'<TestSuite name="{suite}" result="passed">{"".join(units)}</TestSuite>'
                   for suite, units in suites.items())
    skipped = '<TestSuite name="slow" result="skipped"><TestCase name="waits" result="skipped"></TestCase></TestSuite>'
    return (f'<TestResult><TestSuite name="module" result="passed" test_cases_passed="{len(cases)}" '
            f'test_cases_failed="0">{body}{skipped}</TestSuite></TestResult>')


def sh(script: str) -> tuple:
    return ("sh", "-c", script)


def running(pid: int) -> bool:
    """Whether the process runs: a killed one may stay a zombie until its new parent reaps it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def counted(passed: int, failed: int, exit_status: int = 0):
    return external(*sh(f"echo '{passed} passed, {failed} failed'; exit {exit_status}"))


class RunnerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.directory = tempfile.TemporaryDirectory(prefix="runner-selftest-")
        self.root = Path(self.directory.name)
        self.out = io.StringIO()

    def tearDown(self) -> None:
        self.directory.cleanup()

    def run_plan(self, stages, run_timeout_s: float = 60) -> Runner:
        runner = Runner(stages, self.root / "logs", self.out, run_timeout_s)
        runner.run()
        return runner

    def rows(self, runner: Runner, name: str):
        return [(row.name, row.passed, row.failed, row.remark) for row in runner.outcomes[name].rows]

    def summary_line(self, name: str) -> str:
        return next(line for line in self.out.getvalue().splitlines() if line.startswith(f"  {name} "))


class Dependencies(RunnerTest):
    def test_a_failed_stage_skips_its_dependents_and_theirs(self) -> None:
        runner = self.run_plan([
            Stage("build", "build", (), counted(0, 1, 1)),
            Stage("run", "native", ("build",), counted(5, 0)),
            Stage("after-run", "other", ("run",), counted(5, 0)),
            Stage("unrelated", "other", (), counted(2, 0)),
        ])
        runner.report()
        self.assertEqual(self.rows(runner, "run"), [("run", 0, 0, "not run: build failed")])
        self.assertEqual(self.rows(runner, "after-run"), [("after-run", 0, 0, "not run: build failed")])
        self.assertIsNone(runner.outcomes["run"].seconds)
        self.assertEqual(self.rows(runner, "unrelated"), [("unrelated", 2, 0, "")])
        self.assertEqual((runner.log_dir / "run.log").read_text(), "not run: build failed\n")
        self.assertEqual(self.summary_line("run").split(), ["run", "0", "0", "-", "not", "run:", "build", "failed"])
        self.assertNotIn("run: started", self.out.getvalue())
        self.assertIn("run: ended, 0 passed, 0 failed", self.out.getvalue())

    def test_a_passed_dependency_lets_its_dependent_run_after_it(self) -> None:
        marker = self.root / "built"
        runner = self.run_plan([
            Stage("build", "build", (), external(*sh(f"sleep 1; touch {marker}; echo '0 passed, 0 failed'"))),
            Stage("run", "native", ("build",), external(*sh(f"test -f {marker} && echo '1 passed, 0 failed'"))),
            Stage("run-after-absent", "native", ("not-in-the-plan",), counted(1, 0)),
            Stage("after-one-name", "other", ("build"), counted(1, 0)),
        ])
        self.assertEqual(runner.stages[-1].after, ("build",))
        self.assertEqual(self.rows(runner, "run"), [("run", 1, 0, "")])
        self.assertEqual(self.rows(runner, "run-after-absent"), [("run-after-absent", 1, 0, "")])

    def test_a_plan_that_waits_in_a_circle_is_refused(self) -> None:
        with self.assertRaisesRegex(ValueError, "wait for each other"):
            check_plan([Stage("a", "one", ("b",), counted(1, 0)), Stage("b", "two", ("a",), counted(1, 0))])
        with self.assertRaisesRegex(ValueError, "wait for each other"):
            check_plan([Stage("a", "one", ("b",), counted(1, 0)), Stage("b", "one", (), counted(1, 0))])
        with self.assertRaisesRegex(ValueError, "named twice"):
            check_plan([Stage("a", "one", (), counted(1, 0)), Stage("a", "two", (), counted(1, 0))])


class Counting(RunnerTest):
    def test_a_timeout_is_a_failure_and_ends_the_whole_process_group(self) -> None:
        pid_file = self.root / "background.pid"
        started = time.monotonic()
        runner = self.run_plan([Stage("hangs", "one", (), external(*sh(f"sleep 60 & echo $! >{pid_file}; wait")))],
                               run_timeout_s=SHORT_TIMEOUT_S)
        self.assertLess(time.monotonic() - started, TIMED_OUT_BOUND_S)
        [(name, passed, failed, remark)] = self.rows(runner, "hangs")
        self.assertEqual((name, passed, failed), ("hangs", 0, 1))
        self.assertIn(f"timed out after {SHORT_TIMEOUT_S}s", remark)
        # KILL is sent to the group on the way out; on a loaded machine dying takes a moment.
        background = int(pid_file.read_text())
        deadline = time.monotonic() + DYING_S
        while running(background) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertFalse(running(background), "the background sleep outlived the timeout")

    def test_a_timeout_after_a_count_line_is_still_a_failure(self) -> None:
        runner = self.run_plan([Stage("hangs", "one", (), external(*sh("echo '3 passed, 0 failed'; sleep 60")))],
                               run_timeout_s=SHORT_TIMEOUT_S)
        self.assertEqual(self.rows(runner, "hangs"), [("hangs", 3, 1, f"timed out after {SHORT_TIMEOUT_S}s")])

    def test_a_missing_count_line_is_a_failure(self) -> None:
        runner = self.run_plan([Stage("quiet", "one", (), external(*sh("echo all fine; echo '2 passed, 0 failed' extra")))])
        self.assertEqual(self.rows(runner, "quiet"),
                         [("quiet", 0, 1, "no 'N passed, M failed' line at the end (exit status 0)")])

    def test_the_count_line_is_the_last_non_blank_line(self) -> None:
        self.assertEqual(commands.count_line("log\r\n7 passed, 2 failed\r\n\n  \n"), (7, 2))
        self.assertIsNone(commands.count_line("7 passed, 2 failed\nmore\n"))
        self.assertIsNone(commands.count_line(""))

    def test_a_non_zero_exit_with_nothing_failed_is_one_failure(self) -> None:
        runner = self.run_plan([Stage("liar", "one", (), counted(4, 0, 3))])
        self.assertEqual(self.rows(runner, "liar"),
                         [("liar", 4, 1, "exit status 3 with no failed test case: counted as one failure")])

    def test_a_missing_test_report_is_a_failure(self) -> None:
        runner = self.run_plan([Stage("crashes", "one", (), tests(*sh("echo started; exit 134")))])
        self.assertEqual(self.rows(runner, "crashes"), [("crashes", 0, 1, "no test report (exit status 134)")])

    def test_a_boost_test_report_is_counted_with_warnings_and_aborted_cases(self) -> None:
        sample = self.root / "sample.xml"
        sample.write_text(SAMPLE_REPORT)
        self.assertEqual(commands.boost_counts(sample), (413, 2))
        # The fake binary copies the sample to the report sink (its third option) and skips a case.
        binary = sh(f'cp {sample} "${{2#--report_sink=}}"; echo "e2e_net/vanish skipped: no namespaces"; exit 1')
        runner = self.run_plan([Stage("unit", "one", (), tests(*binary))])
        self.assertEqual(self.rows(runner, "unit"), [("unit", 413, 2, "1 skipped, reasons in its log")])

    def test_a_cut_off_report_is_no_report(self) -> None:
        cut = self.root / "cut.xml"
        cut.write_text(SAMPLE_REPORT[:100])
        self.assertIsNone(commands.boost_counts(cut))
        self.assertIsNone(commands.boost_counts(self.root / "absent.xml"))

    def test_a_stage_that_reports_nothing_fails(self) -> None:
        runner = self.run_plan([Stage("silent", "one", (), lambda ctx: ctx.say("did nothing"))])
        self.assertEqual(self.rows(runner, "silent"), [("silent", 0, 1, "the stage reported nothing")])

    def test_a_shell_function_reports_its_rows_with_note_result(self) -> None:
        script = self.root / "checks.sh"
        script.write_text('two_checks() {\n  note_result first 1 0 "fine"\n  note_result second 0 1 "$WHY"\n}\n')
        runner = self.run_plan([Stage("checks", "one", (), shell(str(script), "two_checks", {"WHY": "a\treason"}))])
        self.assertEqual(self.rows(runner, "checks"), [("first", 1, 0, "fine"), ("second", 0, 1, "a\treason")])

    def test_unittest_results_are_counted_from_unittest_itself(self) -> None:
        module = self.root / "tests" / "test_sample_for_runner.py"
        module.parent.mkdir()
        module.write_text("import unittest\nclass T(unittest.TestCase):\n"
                          "    def test_passes(self): pass\n"
                          "    def test_fails(self): self.fail('on purpose')\n"
                          "    @unittest.skip('not here')\n    def test_skipped(self): pass\n")
        runner = self.run_plan([Stage("py", "one", (), python_tests(module.parent, "test_sample_for_runner.py"))])
        sys.modules.pop("test_sample_for_runner", None)
        self.assertEqual(self.rows(runner, "py"), [("py", 1, 1, "1 skipped, reasons in its log")])


class Shards(RunnerTest):
    def test_the_listing_gives_the_cases_a_plain_run_runs(self) -> None:
        self.assertEqual(commands.enabled_cases(SAMPLE_LISTING), ["alpha/one", "alpha/two", "beta/three"])
        self.assertEqual(commands.enabled_suites(SAMPLE_LISTING), ["alpha", "beta"])
        self.assertEqual(commands.enabled_cases("outer*\n    inner*\n        case*\n    last*\n"),
                         ["outer/inner/case", "outer/last"])
        self.assertIsNone(commands.enabled_cases("Test setup error: no such option\n"))
        self.assertIsNone(commands.enabled_cases("alpha*\n        too_deep*\n"))

    def test_a_detailed_report_names_the_cases_that_ran_not_those_skipped(self) -> None:
        report = self.root / "detailed.xml"
        report.write_text(detailed_report("alpha/one", "beta/three"))
        self.assertEqual(commands.cases_run(report), ["alpha/one", "beta/three"])
        self.assertEqual(commands.boost_counts(report), (2, 0))
        self.assertIsNone(commands.cases_run(self.root / "absent.xml"))

    def test_the_first_shard_takes_the_named_suites_and_the_second_every_other(self) -> None:
        listed = ["alpha", "beta", "gamma", "added_later"]
        first, second = shard_of(("gamma", "beta", "gone"), 0)(listed), shard_of(("gamma", "beta", "gone"), 1)(listed)
        self.assertEqual(first, ["beta", "gamma"])
        self.assertEqual(second, ["alpha", "added_later"])

    def test_a_shard_runs_its_suites_and_fails_on_a_sanitizer_report(self) -> None:
        # A fake tests binary: its listing; on a run, its arguments to a file, the report, and a
        # sanitizer report when the second shard runs.
        binary = self.root / "fake-tests"
        report = self.root / "sample.xml"
        report.write_text(detailed_report("beta/three"))
        binary.write_text("#!/bin/sh\n"
                          f"if [ \"$1\" = --list_content ]; then printf '{SAMPLE_LISTING}' >&2; exit 0; fi\n"
                          f'echo "$@" >>{self.root}/arguments\n'
                          f'for a; do case $a in --report_sink=*) cp {report} "${{a#--report_sink=}}";; esac; done\n'
                          'case $1 in *alpha*) echo "ERROR: AddressSanitizer" >"${ASAN_OPTIONS##*log_path=}.7";; esac\n')
        binary.chmod(0o755)
        sanitizer_dir = self.root / "logs" / "sanitizer"
        runner = self.run_plan([
            Stage("san-1", "one", (), sanitize_tests(str(binary), sanitizer_dir, shard_of(("beta",), 0))),
            Stage("san-2", "two", (), sanitize_tests(str(binary), sanitizer_dir, shard_of(("beta",), 1))),
        ])
        self.assertEqual(sorted((self.root / "arguments").read_text().splitlines()), [
            "--run_test=alpha --report_format=XML --report_level=detailed "
            f"--report_sink={self.root}/logs/san-2.xml",
            "--run_test=beta --report_format=XML --report_level=detailed "
            f"--report_sink={self.root}/logs/san-1.xml",
        ])
        self.assertEqual(self.rows(runner, "san-1"), [("san-1", 1, 0, "")])
        self.assertEqual(self.rows(runner, "san-2"), [
            ("san-2", 1, 0, ""), ("sanitizer-reports", 0, 1, f"1 report file(s) in {sanitizer_dir}/san-2")])

    def run_shards(self, first: tuple, second: tuple) -> list:
        """Two fake shards, each writing a detailed report of the cases given, then the check."""
        stages = []
        for name, cases in (("shard-1", first), ("shard-2", second)):
            report = self.root / f"{name}-sample.xml"
            report.write_text(detailed_report(*cases))
            stages.append(Stage(name, name, (), tests(*sh(f'cp {report} "${{2#--report_sink=}}"'))))
        listing = sh(f"printf '{SAMPLE_LISTING}'")
        stages.append(Stage("cover", "shard-1", ("shard-1", "shard-2"), shards_cover(listing, ("shard-1", "shard-2"))))
        return self.rows(self.run_plan(stages), "cover")

    def test_shards_that_ran_every_case_once_pass_the_check(self) -> None:
        [(name, passed, failed, remark)] = self.run_shards(("alpha/one", "alpha/two"), ("beta/three",))
        self.assertEqual((name, passed, failed), ("cover", 1, 0))
        self.assertIn("each of the 3 cases ran once", remark)

    def test_a_case_left_out_or_run_twice_or_not_in_a_plain_run_fails_the_check(self) -> None:
        [(_, passed, failed, remark)] = self.run_shards(("alpha/one", "beta/three"), ("beta/three", "slow/waits"))
        self.assertEqual((passed, failed), (0, 1))
        self.assertEqual(remark, "1 not run (first: alpha/two); 1 run but not in a plain run (first: slow/waits); "
                                 "1 run twice (first: beta/three)")

    def test_a_shard_without_a_detailed_report_fails_the_check(self) -> None:
        stages = [Stage("shard-1", "one", (), counted(1, 0)),
                  Stage("cover", "one", (), shards_cover(sh(f"printf '{SAMPLE_LISTING}'"), ("shard-1",)))]
        self.assertEqual(self.rows(self.run_plan(stages), "cover"), [("cover", 0, 1, "no detailed report of shard-1")])


class Lanes(RunnerTest):
    def test_two_lanes_run_side_by_side(self) -> None:
        started = time.monotonic()
        self.run_plan([
            Stage("sleeps-here", "one", (), external(*sh(f"sleep {SLEEP_S}; echo '1 passed, 0 failed'"))),
            Stage("sleeps-there", "two", (), external(*sh(f"sleep {SLEEP_S}; echo '1 passed, 0 failed'"))),
        ])
        self.assertLess(time.monotonic() - started, SIDE_BY_SIDE_BOUND_S)

    def test_one_lane_runs_its_stages_in_order(self) -> None:
        order = self.root / "order"
        self.run_plan([
            Stage("first", "one", (), external(*sh(f"sleep 1; echo first >>{order}; echo '1 passed, 0 failed'"))),
            Stage("second", "one", (), external(*sh(f"echo second >>{order}; echo '1 passed, 0 failed'"))),
        ])
        self.assertEqual(order.read_text().split(), ["first", "second"])


class Report(RunnerTest):
    def test_the_report_ends_with_the_count_of_all_stages(self) -> None:
        runner = self.run_plan([
            Stage("one", "a", (), counted(3, 0)),
            Stage("two", "b", (), external(*sh("echo 'error: in \"suite/case\": check failed'; echo '4 passed, 1 failed'; exit 1"))),
        ])
        self.assertEqual(runner.report(), (7, 1))
        lines = self.out.getvalue().splitlines()
        self.assertEqual(lines[-1], "7 passed, 1 failed")
        self.assertTrue(lines[-2].startswith("  all stages in "))
        # Logs in the plan's order, then the failure lines, then the summary.
        order = [lines.index(marker) for marker in (
            "=== log of one (%s)" % (self.root / "logs/one.log"), "=== log of two (%s)" % (self.root / "logs/two.log"),
            "=== failures in two (%s)" % (self.root / "logs/two.log"), "=== summary")]
        self.assertEqual(order, sorted(order))
        self.assertIn('  error: in "suite/case": check failed', lines)
        self.assertEqual(self.summary_line("two").split()[:3], ["two", "4", "1"])

    def test_a_stage_of_several_rows_lists_them_below_its_line(self) -> None:
        def two_rows(ctx) -> None:
            ctx.note("fuzz-a", 1, 0, "100 executions")
            ctx.note("fuzz-b", 0, 1, "found a failure")

        runner = self.run_plan([Stage("fuzz", "a", (), two_rows)])
        runner.report()
        lines = self.out.getvalue().splitlines()
        at = lines.index(self.summary_line("fuzz"))
        self.assertEqual(lines[at].split()[:3], ["fuzz", "1", "1"])
        self.assertEqual(lines[at + 1].split(), ["fuzz-a", "1", "0", "100", "executions"])
        self.assertEqual(lines[at + 2].split(), ["fuzz-b", "0", "1", "found", "a", "failure"])

    def test_failure_lines_are_limited_per_stage(self) -> None:
        log = "".join(f"\x1b[31mFAILED case {n}\x1b[0m\n" for n in range(40))
        lines = failure_lines(log)
        self.assertEqual(lines[0], "FAILED case 0")
        self.assertEqual(len(lines), 31)
        self.assertEqual(lines[-1], "... and 10 more lines in the log")
        self.assertEqual(failure_lines("a\nb\n"), ["(no line of the log names it; its last lines:)", "a", "b"])


if __name__ == "__main__":
    unittest.main()
