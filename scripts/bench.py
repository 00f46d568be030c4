#!/usr/bin/env python3
"""Benchmarks netcat-chat against `ncat -l --chat` and a raw relay; writes docs/BENCHMARKS.md.

  scripts/bench.sh          full run (under ten minutes): docs/BENCHMARKS.md, docs/benchmarks.png
  scripts/bench.sh --smoke  a few seconds against netcat-chat only; exit 1 on lost, duplicated or
                            reordered messages (never on speed)
  scripts/bench.sh --client the --connect client on a pseudo-terminal (seconds): its section of
                            docs/BENCHMARKS.md, which the full run keeps
  scripts/bench.sh --web    10 clients all on TCP against half of them on WebSocket (--web), in
                            one run (about a minute): its section of docs/BENCHMARKS.md, kept too
  scripts/bench.sh --irc    10 clients with 0, 5 or 10 of them on IRC (--irc), and instructions
                            per delivery for each (scripts/bench_irc.py; a few minutes): its
                            section of docs/BENCHMARKS.md, kept too
  scripts/bench.sh --build  builds everything the full run builds and runs nothing (CI checks
                            with it that the full run still compiles)

scripts/bench.sh runs this script with the same arguments. Linux only: the load generator
(tests/bench_tools/loadgen.cpp) uses epoll and reads the server's CPU time and peak RSS in /proc.
The plan is scripts/bench/plan.py, the report's prose the templates in scripts/bench/.
"""
from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, NoReturn, Optional, Sequence

# The sources stay as they are: no __pycache__ beside them.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))

import plan  # noqa: E402
import readings  # noqa: E402
import report  # noqa: E402
import sections  # noqa: E402
from results import (  # noqa: E402
    Results, Run, is_disturbed, parse_fields, per_delivery, progress_line, result_fields, smoke_status,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "bin" / "linux" / "Release"
DOCS = ROOT / "docs"
PAGE = DOCS / "BENCHMARKS.md"
DEPS = ROOT / "scripts" / "deps.sh"
# Profiles need symbols, which the Release link strips: premake5.lua's Profile configuration is
# Release with -g (which does not change the generated code).
PROFILED = ROOT / "bin" / "linux" / "Profile" / "netcat-chat"
# Its NoPause configuration is the same with the gather pause of src/server/server.cpp turned off,
# measured in the closed loop beside the real build so the report shows what the pause buys and
# what it costs.
NO_PAUSE = ROOT / "bin" / "linux" / "NoPause" / "netcat-chat"

# A server gets this long to listen, checked every START_POLL_S.
START_TIMEOUT_S = 5.0
START_POLL_S = 0.1
# A server that ignores TERM this long after a run is killed.
STOP_TIMEOUT_S = 30.0
# The longest load run is 2 s of load, 3 s of draining and a 10,000-line history replayed five
# times; a load generator still running after this is stuck.
LOADGEN_TIMEOUT_S = 120.0
# Under callgrind the server is some fifty times slower; loadgen stops sending after 60 s at most.
CALLGRIND_LOADGEN_TIMEOUT_S = 300.0
# scripts/client_bench.py bounds each of its waits by 60 s; a handful of them in a row.
CLIENT_BENCH_TIMEOUT_S = 600.0
# scripts/bench_irc.py: six callgrind pairs and nine short runs.
IRC_BENCH_TIMEOUT_S = 1800.0
# A compiler that hangs should not hold the run forever (the slowest build takes minutes).
BUILD_TIMEOUT_S = 3600.0
# perf, callgrind_annotate, gnuplot and the version probes each take seconds at most.
TOOL_TIMEOUT_S = 120.0
# Servers listen on ports from here up to the kernel's ephemeral range (where clients' connections
# take their local ports, so a port there may be taken between a look and a bind), upwards from a
# random start, skipping any port a socket uses. Where that range starts lower, PORT_SPAN ports.
PORT_LOW, PORT_SPAN = 20000, 10000
# A server whose port was taken all the same exits at once; it gets this many ports to try.
START_ATTEMPTS = 3
# Without two cores the server and the load generator share one and nothing is pinned.
SERVER_CPU, LOAD_CPU = "1", "0"


class Stop(Exception):
    """TERM or HUP: end like an interrupt, so that the running server is stopped."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


def say(text: str = "", error: bool = False) -> None:
    print(text, file=sys.stderr if error else sys.stdout, flush=True)


def fail(text: str, status: int) -> NoReturn:
    say(text, error=True)
    raise SystemExit(status)


def run_tool(argv: Sequence[str], timeout_s: float = TOOL_TIMEOUT_S, **kwargs) -> subprocess.CompletedProcess:
    """A helper program's output as text; a missing or stuck one gives empty output. Its input is
    INPUT (a keyword argument), or nothing."""
    if "input" not in kwargs:
        kwargs["stdin"] = subprocess.DEVNULL
    try:
        return subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout_s, **kwargs)
    except (OSError, subprocess.TimeoutExpired):
        return subprocess.CompletedProcess(list(argv), 1, "", "")


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def build(mode: str) -> None:
    """What the mode needs: the Release server, loadgen and relay always; the full run's other
    tools and its profiled and NoPause builds for the full run and --build."""
    needs = ["premake4=premake4", "g++=g++", "make=make", "taskset=util-linux"]
    full = mode in ("full", "build")
    if mode == "full":
        needs += ["ncat=ncat", "gnuplot=gnuplot-nox", "valgrind=valgrind"]
    # scripts/deps.sh installs what is missing (as root with apt-get) or names it and fails.
    step(["bash", "-c", 'source "$0"; ensure_packages "$@"', str(DEPS), *needs])
    step(["premake4", "--file=premake5.lua", "gmake"])
    step(["make", "-C", "build/linux", "-j2", "config=release", "netcat-chat", "loadgen", "relay"])
    if full:
        step(["make", "-C", "build/linux", "-j2", "config=profile", "netcat-chat"])
        step(["make", "-C", "build/linux", "-j2", "config=nopause", "netcat-chat"])


def step(argv: List[str]) -> None:
    """One build step, its output on stderr; the run ends with its status if it fails."""
    try:
        status = subprocess.run(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=sys.stderr,
                                timeout=BUILD_TIMEOUT_S).returncode
    except subprocess.TimeoutExpired:
        fail(f"bench: {' '.join(argv)} timed out after {BUILD_TIMEOUT_S:g} s", 2)
    if status != 0:
        raise SystemExit(status)


@dataclass
class Server:
    """A started server: its ports, its process (whose PID loadgen samples) and its log."""
    name: str
    port: int
    web_port: Optional[int]
    process: subprocess.Popen
    log: Path


class Bench:
    """One run of the benchmark: the servers it starts, the runs it keeps, the waits for quiet."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.results = Results()
        self.quiet = report.Quiet()
        self.server: Optional[Server] = None
        ephemeral = readings.ephemeral_low(read_proc("sys/net/ipv4/ip_local_port_range"))
        self.port_span = ephemeral - PORT_LOW if ephemeral > PORT_LOW + PORT_SPAN else PORT_SPAN
        self.next_port = PORT_LOW + random.randrange(self.port_span)
        # The server and the load generator each get a core of their own when there are two, so
        # they never compete for one.
        two = len(os.sched_getaffinity(0)) >= 2
        self.pin_server = ["taskset", "-c", SERVER_CPU] if two else []
        self.pin_load = ["taskset", "-c", LOAD_CPU] if two else []

    # --- servers -------------------------------------------------------------------------------

    def take_port(self) -> int:
        """The next port no socket uses."""
        used = readings.local_ports(read_proc("net/tcp"), read_proc("net/tcp6"))
        for _ in range(self.port_span):
            port = self.next_port
            self.next_port = PORT_LOW + (port + 1 - PORT_LOW) % self.port_span
            if port not in used:
                return port
        fail(f"bench: every port from {PORT_LOW} to {PORT_LOW + self.port_span - 1} is in use", 2)

    def server_command(self, name: str, port: int, web_port: Optional[int]) -> List[str]:
        chat = [str(port), *plan.CHAT_OPTIONS]
        return {
            "netcat-chat": [str(BIN / "netcat-chat"), *chat],
            "netcat-chat-web": [str(BIN / "netcat-chat"), *chat, "--web", str(web_port)],
            "netcat-chat-symbols": [str(PROFILED), *chat],
            "netcat-chat-no-pause": [str(NO_PAUSE), *chat],
            "ncat": ["ncat", "-l", "--chat", "127.0.0.1", str(port)],
            "relay": [str(BIN / "relay"), str(port)],
        }[name]

    def start_server(self, name: str, wrapper: Sequence[str] = (), extra: Sequence[str] = ()) -> Server:
        """NAME on a fresh port (and a web port for netcat-chat-web), listening when this returns."""
        for attempt in range(1, START_ATTEMPTS + 1):
            port = self.take_port()
            web_port = self.take_port() if name == "netcat-chat-web" else None
            log = self.work / f"{name}-{port}.log"
            with open(log, "wb") as out:
                process = subprocess.Popen([*wrapper, *self.server_command(name, port, web_port), *extra],
                                           stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
            self.server = Server(name, port, web_port, process, log)
            if self.wait_listening(port):
                return self.server
            exited = process.poll() is not None
            self.stop_server()
            why = f"bench: {name} did not start listening on port {port}:\n" + log.read_text(errors="replace")
            if not exited or attempt == START_ATTEMPTS:
                break
            say(why.rstrip() + "\n(it has exited: another port)", error=True)
        fail(why, 2)

    def wait_listening(self, port: int) -> bool:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if port in readings.listening_ports(read_proc("net/tcp"), read_proc("net/tcp6")):
                return True
            if self.server is None or self.server.process.poll() is not None:
                return False
            time.sleep(START_POLL_S)
        return False

    def stop_server(self) -> None:
        if self.server is None:
            return
        process, self.server = self.server.process, None
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    # --- load ----------------------------------------------------------------------------------

    def loadgen(self, server: Server, args: Sequence[str], pin: bool = True, sampled: bool = True,
                timeout_s: float = LOADGEN_TIMEOUT_S) -> tuple:
        """Runs the load generator against SERVER; (exit status, output). A stuck one is ended
        and reported as status None. SAMPLED: it reads the server's CPU time and memory and names
        the server in its result; the profilers' runs need neither."""
        argv = [*(self.pin_load if pin else []), str(BIN / "loadgen"), "--port", str(server.port),
                "--mode", plan.mode_of(server.name)]
        if sampled:
            argv += ["--server-pid", str(server.process.pid), "--label", server.name]
        if server.web_port is not None:
            argv += ["--web-port", str(server.web_port)]
        try:
            done = subprocess.run([*argv, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired as stuck:
            output = stuck.output.decode(errors="replace") if isinstance(stuck.output, bytes) else (stuck.output or "")
            return None, output + f"\nloadgen: still running after {timeout_s:g} s; ended\n"
        return done.returncode, done.stdout

    def wait_for_quiet(self) -> None:
        """Waits until other processes use less than the quiet share of one CPU, within the budget."""
        allowed = readings.quiet_allowance(os.sysconf("SC_CLK_TCK"), plan.QUIET_PROBE_S, plan.QUIET_SHARE_PERCENT)
        while self.quiet.probes_waited < plan.QUIET_WAIT_BUDGET_PROBES:
            before = readings.busy_ticks(read_proc("stat"))
            time.sleep(plan.QUIET_PROBE_S)
            if readings.busy_ticks(read_proc("stat")) - before <= allowed:
                return
            self.quiet.probes_waited += 1

    def measure(self, test: str, rep: int, server_name: str, n: int, args: Sequence[str]) -> None:
        """One fresh-server run, kept; repeated (up to MAX_ATTEMPTS) when other work on the machine
        disturbed it, unless the wait for quiet has used its budget."""
        fields = {}
        attempt = 1
        for attempt in range(1, plan.MAX_ATTEMPTS + 1):
            self.wait_for_quiet()
            server = self.start_server(server_name, self.pin_server)
            status, output = self.loadgen(server, args)
            self.stop_server()
            found = result_fields(output)
            if status != 0 or found is None:
                self.quiet.failed_runs += 1
                say(f"bench: {test}/{server_name}/{n} run {rep} failed (status {status}): {output}", error=True)
                return
            fields = parse_fields(found)
            if (not is_disturbed(fields, plan.QUIET_SHARE_PERCENT)
                    or self.quiet.probes_waited >= plan.QUIET_WAIT_BUDGET_PROBES):
                break
        disturbed = is_disturbed(fields, plan.QUIET_SHARE_PERCENT)
        self.results.add(Run(test, rep, n, attempt, disturbed, fields))
        say(progress_line(test, server_name, n, fields))

    # --- the full run --------------------------------------------------------------------------

    def run_matrix(self) -> None:
        for rep in range(1, plan.RUNS + 1):
            say(f"round {rep} of {plan.RUNS}")
            for n in plan.CLIENT_COUNTS:
                for server in plan.CLOSED_SERVERS:
                    self.measure("closed", rep, server, n, plan.client_args(n) + plan.closed_args())
                for server in plan.SERVERS:
                    self.measure("open", rep, server, n, plan.client_args(n) + plan.open_args())
                    self.measure("openqa", rep, server, n, plan.client_args(n) + plan.open_args() + ["--quickack"])
            for server in plan.CLOSED_SERVERS:
                self.measure("closednc", rep, server, plan.CLOSED_NC_CLIENTS,
                             ["--clients", str(plan.CLOSED_NC_CLIENTS)] + plan.closed_nc_args())
            history = ["--preload", str(plan.HISTORY_LINES)]
            self.measure("replay", rep, "netcat-chat", 0, ["--clients", "0", *history, "--replays", str(plan.REPLAYS)])
            rss = ["--clients", str(plan.RSS_CLIENTS), *history, "--window", str(plan.WINDOW),
                   "--duration", str(plan.RSS_SECONDS), "--nodelay", "--quickack"]
            self.measure("rss", rep, "netcat-chat", plan.RSS_CLIENTS, rss)
            self.measure("rsslong", rep, "netcat-chat", plan.RSS_CLIENTS,
                         rss + ["--payload-bytes", str(plan.RSS_LONG_PAYLOAD)])

    def profile_load(self) -> List[str]:
        return ["--clients", str(plan.PROFILE_CLIENTS), "--window", str(plan.WINDOW), "--nodelay", "--quickack"]

    def callgrind_total(self, server_name: str, messages: int) -> tuple:
        """(instructions, deliveries) of one fresh server run under callgrind, user space only."""
        out = self.work / f"callgrind.{server_name}.{messages}"
        server = self.start_server(server_name, ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"])
        _, output = self.loadgen(server, self.profile_load() + ["--messages", str(messages), "--duration", "60"],
                                 pin=False, sampled=False, timeout_s=CALLGRIND_LOADGEN_TIMEOUT_S)
        self.stop_server()
        instructions = readings.callgrind_totals(out.read_text(errors="replace")) if out.is_file() else None
        deliveries = parse_fields(result_fields(output) or "").get("deliveries", "0")
        return instructions or 0, int(deliveries) if deliveries.isdigit() else 0

    def profile(self) -> report.Profile:
        """Instructions per delivery under callgrind, and where perf works, CPU samples and system
        calls. netcat-chat is profiled in its unstripped build: same code, and the tools can name it."""
        found = report.Profile()
        for server in ("netcat-chat-symbols", "ncat", "relay"):
            low = self.callgrind_total(server, plan.PROFILE_MESSAGES_LOW)
            high = self.callgrind_total(server, plan.PROFILE_MESSAGES_HIGH)
            name = server.removesuffix("-symbols")
            per = per_delivery(low, high)
            found.instructions.append((name, per))
            say(f"  callgrind  {name}: {per} instructions per delivery")
        annotated = run_tool(["callgrind_annotate", "--inclusive=no",
                              str(self.work / f"callgrind.netcat-chat-symbols.{plan.PROFILE_MESSAGES_HIGH}")])
        found.callgrind_top = readings.top_functions(annotated.stdout)
        if shutil.which("perf") and run_tool(["perf", "record", "-q", "-e", "cpu-clock", "-o", "/dev/null",
                                              "true"]).returncode == 0:
            found.perf_top = self.perf_profile()
            for server in plan.CLOSED_SERVERS:
                row = self.count_syscalls(server)
                if row:
                    found.syscall_rows.append(row)
        return found

    def perf_profile(self) -> List[str]:
        """CPU samples of netcat-chat under load, kernel included: the split between kernel and
        user space, then the system calls and functions that hold the most time, callees included."""
        data = self.work / "perf.data"
        server = self.start_server("netcat-chat-symbols", self.pin_server)
        perf = subprocess.Popen(["perf", "record", "-q", "-g", "-e", "cpu-clock", "-p", str(server.process.pid),
                                 "-o", str(data), "--", "sleep", str(plan.PERF_SECONDS)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.loadgen(server, self.profile_load() + ["--duration", str(plan.PERF_SECONDS)], sampled=False)
        wait_for(perf)
        self.stop_server()
        by_binary = run_tool(["perf", "report", "-i", str(data), "--stdio", "--no-children", "--sort", "dso"])
        by_symbol = run_tool(["perf", "report", "-i", str(data), "--stdio", "--children", "--sort", "symbol",
                              "--percent-limit", "3"])
        return readings.perf_top(by_binary.stdout, by_symbol.stdout)

    def count_syscalls(self, server_name: str) -> Optional[str]:
        """System calls and transmitted segments per delivery, 10 clients closed loop."""
        counts = self.work / f"syscalls.{server_name}"
        server = self.start_server(server_name, self.pin_server)
        perf = subprocess.Popen(["perf", "stat", "-x,", "-p", str(server.process.pid), "-o", str(counts),
                                 "-e", ",".join(readings.SYSCALL_EVENTS)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, output = self.loadgen(server, self.profile_load() + ["--duration", str(plan.PERF_SECONDS)], sampled=False)
        perf.send_signal(signal.SIGINT)
        wait_for(perf)
        self.stop_server()
        deliveries = parse_fields(result_fields(output) or "").get("deliveries", "0")
        text = counts.read_text(errors="replace") if counts.is_file() else ""
        return readings.syscall_row(server_name, text, int(deliveries) if deliveries.isdigit() else 0)

    def full(self) -> None:
        started = time.monotonic()
        self.run_matrix()
        self.write_page(self.profile())
        say(f"bench: wrote docs/BENCHMARKS.md and docs/benchmarks.png in {time.monotonic() - started:.0f} s")

    def write_page(self, found: report.Profile) -> None:
        """docs/BENCHMARKS.md with the sections of other runs kept, the plot, the raw results."""
        DOCS.mkdir(parents=True, exist_ok=True)
        self.plot()
        old = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else ""
        kept = [sections.section_of(old, markers) for markers in sections.KEPT]
        page = report.server_report(self.results, found, machine(), utc_now(), self.quiet)
        PAGE.write_text(sections.append_kept(page, kept), encoding="utf-8")
        (DOCS / "benchmarks-raw.txt").write_text(self.results.text(), encoding="utf-8")

    def plot(self) -> None:
        data = self.work / "plot.dat"
        data.write_text(report.plot_data(self.results), encoding="utf-8")
        plotted = run_tool(["gnuplot"], input=report.plot_script(data, DOCS / "benchmarks.png"))
        if plotted.returncode != 0:
            say(f"bench: gnuplot failed: {plotted.stderr.strip()}", error=True)

    # --- the other modes -----------------------------------------------------------------------

    def smoke(self) -> None:
        """A few seconds against netcat-chat: exit 1 on lost, duplicated or reordered messages."""
        statuses = []
        for args in (["--clients", "3", "--window", str(plan.WINDOW), "--duration", "1", "--nodelay"],
                     ["--clients", "3", "--rate", "300", "--duration", "1"],
                     ["--clients", "0", "--preload", "500", "--replays", "2"]):
            server = self.start_server("netcat-chat")
            status, output = self.loadgen(server, [*args, "--strict"], pin=False)
            self.stop_server()
            sys.stdout.write(output)
            statuses.append(status)
        worst = smoke_status(statuses)
        if worst == 0:
            say("bench: smoke run clean")
        elif worst == 1:
            fail("bench: smoke run saw lost, duplicated or reordered messages", 1)
        else:
            fail(f"bench: smoke run could not complete (load generator status {worst})", 2)

    def client(self) -> None:
        """scripts/client_bench.py against a fresh server; its figures replace the client's section."""
        server = self.start_server("netcat-chat", self.pin_server, ["--history", str(plan.CLIENT_HISTORY)])
        try:
            done = subprocess.run([*self.pin_load, sys.executable, str(ROOT / "scripts" / "client_bench.py"),
                                   str(BIN / "netcat-chat"), str(server.port)],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True,
                                  timeout=CLIENT_BENCH_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            fail(f"bench: scripts/client_bench.py still running after {CLIENT_BENCH_TIMEOUT_S:g} s", 2)
        self.stop_server()
        sys.stdout.write(done.stdout)
        if done.returncode != 0:
            fail(f"bench: scripts/client_bench.py failed (status {done.returncode})", done.returncode)
        section = report.client_section(report.client_figures(done.stdout), utc_now())
        write_section(sections.CLIENT, section)
        say("bench: wrote the client's section of docs/BENCHMARKS.md")

    def web(self) -> None:
        """All on TCP against half on WebSocket, alternating, each on a fresh server."""
        load = ["--clients", str(plan.WEB_CLIENTS)] + plan.closed_args()
        for rep in range(1, plan.RUNS + 1):
            self.measure("tcp", rep, "netcat-chat-web", plan.WEB_CLIENTS, load + ["--web-clients", "0"])
            self.measure("web", rep, "netcat-chat-web", plan.WEB_CLIENTS, load + ["--web-clients", str(plan.WEB_HALF)])
        sys.stdout.write(self.results.text())
        write_section(sections.WEB, report.web_section(self.results, utc_now(), self.quiet))
        share, share_verdict = report.web_share(self.results)
        say(f"bench: half on WebSocket / all on TCP = {share} ({share_verdict}); wrote the web section of "
            "docs/BENCHMARKS.md")


    def irc(self) -> None:
        """IRC clients beside nc clients: scripts/bench_irc.py measures, its report is the section."""
        done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_irc.py")], capture_output=True,
                              text=True, timeout=IRC_BENCH_TIMEOUT_S, check=False)
        if done.returncode != 0:
            fail(f"bench: scripts/bench_irc.py failed (status {done.returncode}): {done.stderr}", done.returncode)
        write_section(sections.IRC, done.stdout)
        say("bench: wrote the IRC section of docs/BENCHMARKS.md")


def read_proc(name: str) -> str:
    try:
        return (Path("/proc") / name).read_text()
    except OSError:
        return ""


def wait_for(process: subprocess.Popen) -> None:
    try:
        process.wait(timeout=TOOL_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def write_section(markers: sections.Markers, section: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    old = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else None
    PAGE.write_text(sections.replace_section(old, markers, section), encoding="utf-8")


def machine() -> List[str]:
    cpuinfo, meminfo = read_proc("cpuinfo"), read_proc("meminfo")
    cores = len(os.sched_getaffinity(0))
    first = readings.first_value
    ncat = run_tool(["ncat", "--version"])
    return [
        f"- CPU: {first(cpuinfo, 'model name') or ''}, {cores} logical CPUs, {first(cpuinfo, 'cpu MHz') or '?'} MHz, "
        f"cache {first(cpuinfo, 'cache size') or '?'}",
        f"- Memory: {readings.memory_gib(meminfo)}",
        f"- Kernel: {run_tool(['uname', '-srmo']).stdout.strip()}",
        f"- Compiler: {first_line(run_tool(['g++', '--version']).stdout)}",
        f"- ncat: {first_line(ncat.stdout + ncat.stderr)}",
    ]


def first_line(text: str) -> str:
    return text.splitlines()[0] if text.strip() else ""


def on_signal(signum: int, _frame) -> None:
    raise Stop(signum)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench.sh", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = parser.add_mutually_exclusive_group()
    for mode in ("smoke", "client", "web", "irc", "build"):
        modes.add_argument(f"--{mode}", dest="mode", action="store_const", const=mode)
    mode = parser.parse_args(argv).mode or "full"
    os.chdir(ROOT)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    try:
        run(mode)
    except KeyboardInterrupt:
        say("bench: interrupted", error=True)
        return 128 + signal.SIGINT
    except Stop as stopped:
        say(f"bench: stopped by {stopped}", error=True)
        return 128 + stopped.signum
    return 0


def run(mode: str) -> None:
    build(mode)
    if mode == "build":
        say(f"bench: built {BIN}/netcat-chat, loadgen, relay, {PROFILED} and {NO_PAUSE}")
        return
    with tempfile.TemporaryDirectory(prefix="netcat-chat-bench.") as work:
        bench = Bench(Path(work))
        try:
            {"smoke": bench.smoke, "client": bench.client, "web": bench.web, "irc": bench.irc,
             "full": bench.full}[mode]()
        finally:
            bench.stop_server()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
