# What netcat-chat's own stages do: builds, the sanitizer run, fuzzing, the bench rows, Wine.
from __future__ import annotations

import os
import shlex
import subprocess
import threading
from collections import Counter
from pathlib import Path
from typing import Callable, List, Optional, Sequence

import commands
from actions import run_boost
from stages import Action, StageContext

MAKE_JOBS = 2
MINGW = "x86_64-w64-mingw32"
# A compiler that hangs should not eat the CI budget; the slowest build (Sanitize, on a loaded
# 2-core machine) took about 1,200 s.
BUILD_TIMEOUT_S = 3600
# A fresh Wine prefix takes seconds; a stuck one should not eat the CI budget.
WINE_BOOT_TIMEOUT_S = 300
# wineserver -k waits for the Wine processes it ends.
WINE_STOP_TIMEOUT_S = 60
# bench.sh's output shown in the log when a row fails.
BENCH_TAIL_LINES = 40
# fuzz.sh's output shown in the log besides its fuzz-result lines.
FUZZ_TAIL_LINES = 80


def host_os() -> str:
    """premake's name for the machine we build on, as scripts/deps.sh's host_os says it."""
    system = os.uname().sysname
    if system == "Darwin":
        return "macosx"
    if system.startswith(("MINGW", "MSYS", "CYGWIN")):
        return "windows"
    return "linux"


def generate(ctx: StageContext, target_os: str) -> bool:
    """premake writes the makefiles of one target OS; it runs before any make there, never beside
    one (the build lane runs one build at a time)."""
    os_option = [] if target_os == host_os() else [f"--os={target_os}"]
    result = ctx.run(["premake4", "--file=premake5.lua", *os_option, "gmake"], timeout_s=BUILD_TIMEOUT_S)
    if result.status != 0:
        ctx.note(f"premake-{target_os}", 0, 1, "premake failed")
    return result.status == 0


def build(ctx: StageContext, directory: str, config: str, *make_args: str) -> None:
    ctx.say(f"=== build {ctx.name}")
    result = ctx.run(["make", "-C", directory, f"-j{MAKE_JOBS}", f"config={config}", *make_args],
                     timeout_s=BUILD_TIMEOUT_S)
    if result.timed_out:
        ctx.note(ctx.name, 0, 1, f"build timed out after {BUILD_TIMEOUT_S}s")
    elif result.status != 0:
        ctx.note(ctx.name, 0, 1, "build failed")
    else:
        ctx.note(ctx.name, 0, 0)


def build_linux(config: str) -> Action:
    """Every configuration is built once, here; the stages that run its binaries wait for this
    one. Only Release builds the benchmark's load generator and relay: bench-smoke runs them."""
    targets = [] if config == "release" else ["netcat-chat", "tests"]

    def action(ctx: StageContext) -> None:
        if generate(ctx, host_os()):
            build(ctx, f"build/{host_os()}", config, *targets)

    return action


def build_windows(ctx: StageContext) -> None:
    # MinGW must see Boost without the rest of /usr/include, whose glibc headers would shadow its own.
    include = Path("build/windows/boost-include")
    include.mkdir(parents=True, exist_ok=True)
    link = include / "boost"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to("/usr/include/boost")
    if generate(ctx, "windows"):
        build(ctx, "build/windows", "release", "netcat-chat", "tests",
              f"CC={MINGW}-gcc", f"CXX={MINGW}-g++", f"AR={MINGW}-ar")


def sanitize_tests(binary: str, sanitizer_dir: Path,
                   suites: Optional[Callable[[List[str]], List[str]]] = None) -> Action:
    """Sanitizer reports go to files so that those of server processes started by the end-to-end
    tests are caught too; any file at all is a failure. With `suites`, the stage is one shard of
    the run: it runs the suites that `suites` picks from those a plain run would run (listed by
    the binary itself), and its report names every case it ran, for sanitize_shards_cover."""

    def action(ctx: StageContext) -> None:
        selection: List[str] = []
        if suites is not None:
            picked = suites(listed_suites(ctx, binary) or [])
            if not picked:
                ctx.note(ctx.name, 0, 1, f"no suite of {binary} --list_content falls to this shard")
                return
            selection = [f"--run_test={','.join(picked)}"]
        reports = sanitizer_dir / ctx.name
        reports.mkdir(parents=True, exist_ok=True)
        env = {
            "ASAN_OPTIONS": "halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:"
            f"strict_string_checks=1:check_initialization_order=1:log_path={reports}/asan",
            "UBSAN_OPTIONS": f"halt_on_error=1:print_stacktrace=1:log_path={reports}/ubsan",
        }
        run_boost(ctx, ctx.name, [binary, *selection], env, "detailed" if selection else "short")
        found = sorted(path for path in reports.rglob("*") if path.is_file())
        if found:
            ctx.say("=== sanitizer reports:")
            for report in found:
                ctx.include(report)
            ctx.note("sanitizer-reports", 0, 1, f"{len(found)} report file(s) in {reports}")

    return action


def listed_suites(ctx: StageContext, binary: str) -> Optional[List[str]]:
    """The top-level suites a plain run of a Boost.Test binary runs, from its --list_content."""
    listing = ctx.path("list")
    ctx.run([binary, "--list_content"], listing)
    return commands.enabled_suites(commands.read_text(listing))


def shard_of(first: Sequence[str], index: int) -> Callable[[List[str]], List[str]]:
    """Two shards of a list of suites: index 0 takes those named in `first`, index 1 every other,
    so that a suite added later runs in the second without a line here."""
    named = set(first)
    return lambda listed: [suite for suite in listed if (suite in named) == (index == 0)]


def shards_cover(listing_argv: Sequence[str], shards: Sequence[str]) -> Action:
    """Checks that the shards of a test run ran, together, every case a plain run of the binary
    runs (listing_argv is its --list_content) and each exactly once, from the detailed reports of
    the stages named in `shards`. One row: passed, or failed naming the cases."""

    def action(ctx: StageContext) -> None:
        listing = ctx.path("list")
        ctx.run(listing_argv, listing)
        expected = commands.enabled_cases(commands.read_text(listing))
        if not expected:
            ctx.note(ctx.name, 0, 1, f"no cases in the output of {shlex.join(listing_argv)}; see {listing}")
            return
        ran: Counter = Counter()
        for shard in shards:
            cases = commands.cases_run(ctx.path("xml", shard))
            if cases is None:
                ctx.note(ctx.name, 0, 1, f"no detailed report of {shard}")
                return
            ran.update(cases)
        problems = []
        for what, cases in (("not run", sorted(set(expected) - set(ran))),
                            ("run but not in a plain run", sorted(set(ran) - set(expected))),
                            ("run twice", sorted(case for case, times in ran.items() if times > 1))):
            if cases:
                ctx.say(f"=== {ctx.name}: {len(cases)} case(s) {what}:\n" + "\n".join(cases))
                problems.append(f"{len(cases)} {what} (first: {cases[0]})")
        if problems:
            ctx.note(ctx.name, 0, 1, "; ".join(problems))
        else:
            ctx.note(ctx.name, 1, 0, f"each of the {len(expected)} cases ran once, in {' or '.join(shards)}")

    return action


def fuzz_runs(seconds: int) -> Action:
    """A short fuzzing run of every target, one row each: passed when it found nothing. fuzz.sh
    bounds each target's run itself; the timeout is for a hang in its builds."""

    def action(ctx: StageContext) -> None:
        output = ctx.path("out", "fuzz")
        ctx.say(f"=== fuzz: {seconds}s per target")
        result = ctx.run(["bash", "scripts/fuzz.sh", str(seconds)], output, timeout_s=BUILD_TIMEOUT_S)
        lines = commands.read_text(output).splitlines()
        ctx.say("\n".join([line for line in lines if not line.startswith("fuzz-result ")][-FUZZ_TAIL_LINES:]))
        results = [line.split() for line in lines if line.startswith("fuzz-result ")]
        for fields in results:
            _, target, verdict, executions, elapsed = (fields + ["?"] * 5)[:5]
            if verdict == "passed":
                ctx.note(f"fuzz-{target}", 1, 0, f"{executions} executions in {elapsed}s")
            else:
                ctx.note(f"fuzz-{target}", 0, 1, f"found a failure; see {output} and build/fuzz/artifacts")
        if result.timed_out:
            ctx.say(f"=== fuzz: timed out after {BUILD_TIMEOUT_S}s")
            ctx.note("fuzz", 0, 1, f"timed out after {BUILD_TIMEOUT_S}s; see {output}")
        elif not results:
            ctx.note("fuzz", 0, 1, f"scripts/fuzz.sh reported nothing; see {output}")

    return action


def bench_row(ctx: StageContext, name: str, *args: str) -> Optional[str]:
    """Runs scripts/bench.sh ARGS with its output in NAME.out; on failure shows the output's end
    and notes the row NAME as failed. Returns the output when it passed."""
    output = ctx.path("out", name)
    ctx.say(f"=== {name}: scripts/bench.sh {' '.join(args)}")
    result = ctx.run(["bash", "scripts/bench.sh", *args], output)
    text = commands.read_text(output)
    if result.status == 0 and not result.timed_out:
        return text
    ctx.say("\n".join(text.splitlines()[-BENCH_TAIL_LINES:]))
    how = f"timed out after {result.timeout_s:g}s; " if result.timed_out else ""
    ctx.note(name, 0, 1, f"{how}see {output}")
    return None


def bench_smoke(ctx: StageContext) -> None:
    """The benchmark in miniature, one test case: it fails on lost, duplicated or reordered
    messages, never on speed. Then the full run's own builds (with symbols, without the gather
    pause), which nothing else compiles: a change that breaks them shows here, not at the next
    full benchmark."""
    text = bench_row(ctx, "bench-smoke", "--smoke")
    if text is not None:
        runs = sum(1 for line in text.splitlines() if line.startswith("RESULT "))
        ctx.note("bench-smoke", 1, 0, f"{runs} load runs, no loss, duplicate or reordering")
    if bench_row(ctx, "bench-builds", "--build") is not None:
        ctx.note("bench-builds", 1, 0, "the full benchmark's two extra builds compile")


def e2e_against(target_os: str, binary: str, runner: str = "") -> Action:
    """The Linux end-to-end suites, driving another build of the server: the .exe under Wine, or
    the installed package's binary."""

    def action(ctx: StageContext) -> None:
        tests = f"bin/{target_os}/Release/tests"
        if not os.access(tests, os.X_OK):
            ctx.note(ctx.name, 0, 1, f"no {tests} to drive {binary} with")
            return
        listing = ctx.path("list")
        ctx.run([tests, "--list_content"], listing)
        if not any(line.startswith("e2e_") for line in commands.read_text(listing).splitlines()):
            ctx.note(ctx.name, 0, 0, "the tests binary has no e2e_* suite; nothing to run")
            return
        run_boost(ctx, ctx.name, [tests, "--run_test=e2e_*"],
                  {"NETCAT_CHAT_BIN": binary, "NETCAT_CHAT_RUNNER": runner})

    return action


def why_not_install() -> str:
    """Root with dpkg is needed to install the package; elsewhere its stages say so and skip."""
    if os.geteuid() != 0:
        return "not root"
    if subprocess.run(["sh", "-c", "command -v dpkg"], stdout=subprocess.DEVNULL).returncode != 0:
        return "no dpkg"
    return ""


def e2e_installed(target_os: str) -> Action:
    run_e2e = e2e_against(target_os, "/usr/bin/netcat-chat")

    def action(ctx: StageContext) -> None:
        why = why_not_install()
        if why:
            ctx.note(ctx.name, 0, 0, f"skipped: {why}")
        else:
            run_e2e(ctx)

    return action


class Wine:
    """One Wine server for all the Windows stages, started by the wine-prefix stage with its output
    in a file: the wine processes that the tests start then attach to it instead of spawning one
    that inherits their output. The prefix is made afresh on a new machine, as a user's would be.
    stop() ends it; it is called at the end of the run and on every way out of it."""

    def __init__(self, prefix: Path, log_dir: Path, enabled: bool) -> None:
        self.prefix = prefix
        self.log_dir = log_dir
        self.enabled = enabled
        self._lock = threading.Lock()

    def environment(self) -> dict:
        return {"WINEPREFIX": str(self.prefix), "WINEDEBUG": "-all", "WINEDLLOVERRIDES": "mscoree,mshtml="}

    def prefix_stage(self, ctx: StageContext) -> None:
        """The persistent server writes the registry files only when it ends, so a prefix made
        here has no system.reg yet; wineboot's status says whether it was made."""
        self.prefix.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / "wineserver.log", "ab") as log:
            commands.run(["wineserver", "-p"], log, WINE_BOOT_TIMEOUT_S)
        if (self.prefix / "system.reg").is_file():
            ctx.note("wine-prefix", 0, 0)
            return
        ctx.say(f"=== creating a Wine prefix in {self.prefix}")
        boot_log = self.log_dir / "wineboot.log"
        result = ctx.run(["wineboot", "-i"], boot_log, timeout_s=WINE_BOOT_TIMEOUT_S)
        if result.status == 0 and not result.timed_out:
            ctx.note("wine-prefix", 0, 0)
        else:
            how = f"timed out after {WINE_BOOT_TIMEOUT_S}s" if result.timed_out else f"exit status {result.status}"
            ctx.note("wine-prefix", 0, 1, f"wineboot -i: {how}; see {boot_log}")

    def stop(self) -> None:
        """Ends the Wine server, if this run may have started one."""
        with self._lock:
            if not (self.enabled and self.prefix.is_dir()):
                return
            try:
                subprocess.run(["wineserver", "-k"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=WINE_STOP_TIMEOUT_S)
            except (OSError, subprocess.TimeoutExpired):
                pass
