# Builds and runs every test of netcat-chat in lanes of stages; scripts/test.sh calls it (docs/CI.md).
"""Usage: scripts/test.sh [--no-windows] [--no-sanitize] [--no-fuzz] [--no-package]
The last line printed is always "N passed, M failed" (test cases, summed over all stages).

The work is cut into stages, each one row of the summary: name, passed, failed, seconds. Stages are
arranged in lanes: a lane runs its stages one after another, and the lanes run side by side, so that
test runs that mostly wait (on sockets, on terminals, on Wine) overlap with the builds and with each
other. Each stage writes its output to build/test-logs/NAME.log; the logs are printed in the order of
the plan once everything has ended, then the lines that name what failed, then the summary, then
the count.

Adding a stage is one line in plan() below, in the lane whose resource it uses:
  Stage(NAME, LANE, after=(STAGE, ...), action=ACTION)
with ACTION one of
  tests(COMMAND...)      a Boost.Test binary, counted from its XML report (--run_test=SUITE/CASE
                         runs a case that is disabled by default)
  external(COMMAND...)   any command whose last line of output is "N passed, M failed"; its exit
                         status must be non-zero when M is
  checks(FUNCTION)       a function of scripts/package_checks.sh, which reports with note_result
  a function of ctx      (scripts/ci/steps.py), which reports its rows with ctx.note
`after` waits until those stages have ended (a stage not in the plan is not waited for) and skips
this one if one of them failed or was not run; use it for a binary or a package another lane makes.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import List, Optional, Sequence

# The sources stay as they are: no __pycache__ beside them in a CI checkout.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

import commands  # noqa: E402
from actions import external, python_tests, shell, tests  # noqa: E402
from stages import Runner, Stage  # noqa: E402
from steps import (  # noqa: E402
    BUILD_TIMEOUT_S, Wine, bench_smoke, build_linux, build_windows, e2e_against, e2e_installed,
    fuzz_runs, host_os, sanitize_tests, shard_of, shards_cover,
)

ROOT = Path(__file__).resolve().parents[2]
LOG_DIR = Path("build/test-logs")
# One test binary run, end-to-end tests included; Wine runs are the slowest.
RUN_TIMEOUT_S = int(os.environ.get("NETCAT_CHAT_TEST_TIMEOUT_S", "900"))
# Each libFuzzer target gets this long in CI, enough to replay the corpus and try new inputs for a
# while; a campaign is scripts/fuzz.sh SECONDS.
FUZZ_SECONDS = int(os.environ.get("NETCAT_CHAT_FUZZ_SECONDS", "15"))
# The first shard of the sanitizer run: its four longest suites and e2e_cli, 348 s of the 627 s
# that a whole run took; the second shard runs every other suite, new ones included. The second
# slows more on a loaded machine (many short server runs), hence a bit more than half here
# (docs/CI.md has the measurements).
SANITIZE_FIRST_SHARD = ("e2e_shutdown", "e2e_dead_peer", "soak", "e2e_abuse", "e2e_cli")
OPTIONS = ("--no-windows", "--no-sanitize", "--no-fuzz", "--no-package")


def plan(options: Sequence[str], wine: Wine) -> List[Stage]:
    """Which stage runs in which lane, after what. The order here is the order of the logs and of
    the summary. docs/CI.md explains the lanes and records what each stage costs."""
    windows, sanitize = "--no-windows" not in options, "--no-sanitize" not in options
    fuzz, package = "--no-fuzz" not in options, "--no-package" not in options
    os_name = host_os()
    linux = os_name == "linux"
    release, sanitized = f"build-{os_name}-release", f"build-{os_name}-sanitize"
    linux_tests = f"bin/{os_name}/Release/tests"
    sanitized_tests, sanitizer_dir = f"bin/{os_name}/Sanitize/tests", ROOT / LOG_DIR / "sanitizer"
    exe_tests = "bin/windows/Release/tests.exe"
    checks_env = {"LOG_DIR": str(LOG_DIR), "OS": os_name, "WITH_WINDOWS": str(int(windows)),
                  "KILL_GRACE_S": str(commands.KILL_GRACE_S)}

    def checks(function: str, timeout_s: Optional[float] = None):
        return shell("scripts/package_checks.sh", function, checks_env, timeout_s)

    return [
        # The compilers, one configuration after another, each with both cores.
        Stage(release, "build", (), build_linux("release")),
        Stage("build-windows-release", "build", (), build_windows, when=windows),
        Stage(sanitized, "build", (), build_linux("sanitize"), when=sanitize),
        Stage("fuzz", "build", (), fuzz_runs(FUZZ_SECONDS), when=fuzz and linux),

        # The native test runs, which mostly wait on sockets and terminals; first this runner's
        # own tests, while the Release build runs.
        Stage("runner-selftest", "native", (), python_tests(ROOT / "scripts/ci", "test_*.py")),
        # The benchmark's statistics, report and kept sections (scripts/bench), without running it.
        Stage("bench-selftest", "native", (), python_tests(ROOT / "scripts/bench", "test_*.py")),
        # Every section of docs/PROTOCOL.md that the code cites exists.
        Stage("citations", "native", (), external("python3", "scripts/check_citations.py")),
        Stage(f"{os_name}-release", "native", (release,), tests(linux_tests)),
        Stage("docs", "native", (release,), checks("docs_checks"), when=linux),
        # The package's fail2ban filter against a log the server wrote with wrong passwords.
        Stage("fail2ban", "native", (release,), external("python3", "scripts/fail2ban_test.py"),
              when=linux),
        # After the sanitize build too: bench.sh runs premake and make in build/linux.
        Stage("bench-smoke", "native", (release, sanitized), bench_smoke, when=linux),

        # The sanitizer run mostly waits on sockets and terminals, like the Release run, but is
        # three times slower: two shards side by side, each suite in one of them, then a check that
        # together they ran every case exactly once.
        Stage(f"{os_name}-sanitize-1", "sanitize", (sanitized,),
              sanitize_tests(sanitized_tests, sanitizer_dir, shard_of(SANITIZE_FIRST_SHARD, 0)), when=sanitize),
        Stage(f"{os_name}-sanitize-2", "sanitize-2", (sanitized,),
              sanitize_tests(sanitized_tests, sanitizer_dir, shard_of(SANITIZE_FIRST_SHARD, 1)), when=sanitize),
        Stage(f"{os_name}-sanitize-shards", "sanitize", (f"{os_name}-sanitize-1", f"{os_name}-sanitize-2"),
              shards_cover((sanitized_tests, "--list_content"), (f"{os_name}-sanitize-1", f"{os_name}-sanitize-2")),
              when=sanitize),

        # A vanished peer at the default --keepalive takes two minutes of waiting, alone in its lane.
        Stage(f"{os_name}-dead-peer-default", "dead-peer", (release,),
              tests(linux_tests, "--run_test=e2e_dead_peer_default"), when=linux),
        # An idle WebSocket's first ping, 30 s after the last frame: waiting, in the same lane.
        Stage(f"{os_name}-web-ping", "dead-peer", (release,),
              tests(linux_tests, "--run_test=e2e_web_ping"), when=linux),

        # The web page in headless Chromium beside raw TCP clients.
        Stage("browser", "browser", (release,), external("bash", "scripts/browser_test.sh"), when=linux),
        # nginx, Caddy and stunnel in front, with TLS, Chromium and ncat, openssl and socat through
        # them; after the browser stage, whose npm ci it shares.
        Stage("fronts", "browser", (release, "browser"),
              external("python3", "scripts/fronts_test.py", "--skip", "idle"), when=linux),
        # A WebSocket through nginx kept alive through 70 s of silence: mostly waiting, alone.
        Stage("fronts-idle", "fronts-idle", (release,),
              external("python3", "scripts/fronts_test.py", "--only", "idle"), when=linux),

        # Real IRC clients (weechat-headless, ii) beside nc users against --irc: mostly waiting on
        # their logs and FIFOs, in a lane of its own.
        Stage("irc-clients", "irc-clients", (release,),
              external("python3", "scripts/irc_clients_test.py"), when=linux),

        # Wine: one prefix and one Wine server, so its stages take turns.
        Stage("wine-prefix", "wine", (), wine.prefix_stage, when=windows),
        Stage("windows-wine", "wine", ("build-windows-release",), tests("wine", exe_tests), when=windows),
        # The console cases skip themselves in windows-wine, with no terminal for Wine to make a
        # console of; here they get one.
        Stage("windows-console", "wine", ("build-windows-release",),
              tests("bash", "scripts/in_terminal.sh", "wine", exe_tests, "--run_test=terminal"), when=windows),
        Stage("e2e-wine", "wine", ("build-windows-release", release),
              e2e_against(os_name, str(ROOT / "bin/windows/Release/netcat-chat.exe"), "wine"), when=windows),
        Stage("zip-exe-under-wine", "wine", ("package",), checks("check_zip_under_wine"),
              when=windows and package and linux),

        # The packages: built from a copy of the sources with the packaging's own flags, installed,
        # tested as installed, removed. After the Windows build, so that the package's two builds
        # do not slow that one.
        Stage("package", "package", (release, "build-windows-release"),
              checks("package_build", BUILD_TIMEOUT_S), when=package and linux),
        Stage("package-checks", "package", ("package",), checks("package_inspect"), when=package and linux),
        Stage("package-install", "package", ("package",), checks("package_install"), when=package and linux),
        Stage("e2e-installed", "package", ("package-install", release), e2e_installed(os_name),
              when=package and linux),
        Stage("package-remove", "package", ("package-install",), checks("check_remove"), when=package and linux),
    ]


class Signalled(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


def on_signal(signum: int, _frame) -> None:
    raise Signalled(signum)


def main(argv: Sequence[str]) -> int:
    if any(arg in ("-h", "--help") for arg in argv):
        print(__doc__.split("\n\n")[0])
        return 0
    unknown = [arg for arg in argv if arg not in OPTIONS]
    if unknown:
        print(f"unknown option: {unknown[0]} (try --help)", file=sys.stderr)
        return 2
    os.chdir(ROOT)
    sys.stdout.reconfigure(errors="backslashreplace")
    wine = Wine(ROOT / "build/windows/wine-prefix", LOG_DIR, "--no-windows" not in argv)
    os.environ.update(wine.environment())
    runner = Runner(plan(argv, wine), LOG_DIR, sys.stdout, RUN_TIMEOUT_S)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    try:
        runner.run()
    except BaseException as error:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        runner.stop()
        commands.GROUPS.stop_all()
        if not isinstance(error, Signalled):
            raise
        print(f"=== stopped by signal {error.signum}", flush=True)
        return 128 + error.signum
    finally:
        # On every way out: the Wine server would otherwise outlive the run.
        wine.stop()
    _, failed = runner.report()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
