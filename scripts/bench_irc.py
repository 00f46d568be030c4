#!/usr/bin/env python3
"""Measures what IRC clients cost beside nc clients, and that the faces cost nc clients nothing.

Usage: scripts/bench_irc.py [--baseline BIN] [--runs K] [--seconds S] [--skip-callgrind]

Two measurements, each on a freshly started Release server (`--rate 0 --irc PORT`), driven by
tests/bench_tools/loadgen with 10 clients in the closed loop (window 4), of which 0, 5 or 10 join
by IRC (`--irc-clients`) and the rest by TCP:

- instructions per delivery under `valgrind --tool=callgrind`: the difference between runs of
  1000 and 3000 messages, so start-up and joins cancel; with `--baseline BIN`, the same for an
  older build (netcat-only), to show what the faces cost an nc-only chat;
- deliveries per second and per server CPU second, and the latency p99, for S seconds, K runs
  each (medians), the server pinned to CPU 1 and loadgen to CPU 0 when the machine has two.

Prints a Markdown section for docs/BENCHMARKS.md. Traffic stays on loopback; every run is bounded
in time.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import free_port, port_open, wait_until  # scripts/harness.py

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "bin" / "linux" / "Release"
CLIENTS = 10
IRC_MIXES = (0, 5, 10)
WINDOW = 4
PROFILE_MESSAGES = (1000, 3000)
START_TIMEOUT_S = 30.0
RUN_TIMEOUT_S = 300.0


def wait_listening(port: int, process: subprocess.Popen) -> None:
    wait_until(lambda: port_open(port) or process.poll() is not None, f"port {port}", START_TIMEOUT_S)
    if process.poll() is not None:
        raise RuntimeError(f"the server exited with {process.returncode}")


def pinned(cpu: int, argv: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *argv] if (os.cpu_count() or 1) >= 2 else argv


class Server:
    """A server with a chat port and an IRC port, optionally under a wrapper such as valgrind."""

    def __init__(self, binary: Path, irc: bool, wrapper: list[str] | None = None) -> None:
        self.port, self.irc_port = free_port(), free_port()
        argv = [str(binary), str(self.port), "--rate", "0", "--max-clients", "64"]
        if irc:
            argv += ["--irc", str(self.irc_port), "--irc-name", "bench.test"]
        self.process = subprocess.Popen((wrapper or pinned(1, [])) + argv, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(self.port, self.process)
        if irc:
            wait_listening(self.irc_port, self.process)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def loadgen(server: Server, irc_clients: int, extra: list[str]) -> dict[str, str]:
    argv = [str(BIN / "loadgen"), "--port", str(server.port), "--mode", "chat", "--clients",
            str(CLIENTS), "--window", str(WINDOW), "--nodelay", "--quickack", "--strict", *extra]
    if irc_clients:
        argv += ["--irc-port", str(server.irc_port), "--irc-clients", str(irc_clients)]
    result = subprocess.run(pinned(0, argv), capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                            check=False)
    line = next((l for l in result.stdout.splitlines() if l.startswith("RESULT ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"loadgen failed ({result.returncode}): {result.stdout}{result.stderr}")
    return dict(field.split("=", 1) for field in line.split()[1:])


def callgrind_total(binary: Path, irc_clients: int, messages: int) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "callgrind.out"
        server = Server(binary, irc_clients > 0,
                        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"])
        try:
            fields = loadgen(server, irc_clients, ["--messages", str(messages), "--duration", "60"])
        finally:
            server.stop()
        totals = re.search(r"^totals:\s*(\d+)", out.read_text(), re.MULTILINE)
        if totals is None:
            raise RuntimeError("callgrind wrote no totals")
        return int(totals.group(1)), int(fields["deliveries"])


def instructions_per_delivery(binary: Path, irc_clients: int) -> float:
    (i1, d1), (i2, d2) = (callgrind_total(binary, irc_clients, m) for m in PROFILE_MESSAGES)
    if d2 <= d1 or i2 <= i1:
        raise RuntimeError("callgrind runs gave no difference to divide")
    return (i2 - i1) / (d2 - d1)


def throughput(irc_clients: int, seconds: float, runs: int) -> dict[str, float]:
    rows = []
    for _ in range(runs):
        server = Server(BIN / "netcat-chat", True)
        try:
            fields = loadgen(server, irc_clients, ["--duration", str(seconds),
                                                   "--server-pid", str(server.process.pid)])
        finally:
            server.stop()
        rows.append(fields)
    return {key: statistics.median(float(row[key]) for row in rows)
            for key in ("deliv_per_s", "deliv_per_cpu_s", "lat_p99_us", "lost")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="an older netcat-chat to compare, nc only")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--skip-callgrind", action="store_true")
    args = parser.parse_args()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print("<!-- irc benchmark: scripts/bench_irc.py -->")
    print("## IRC clients beside nc clients\n")
    if not args.skip_callgrind:
        print("Instructions per delivery under `valgrind --tool=callgrind` (10 clients in the closed")
        print("loop, window 4; the difference between runs of 1000 and 3000 messages), Release")
        print(f"builds, {when}:\n")
        print("| build | clients by IRC | instructions per delivery |")
        print("|---|---|---|")
        if args.baseline:
            print(f"| before the faces (`{args.baseline}`) | 0 | "
                  f"{instructions_per_delivery(args.baseline, 0):.1f} |")
        for irc in IRC_MIXES:
            print(f"| with the IRC face | {irc} | "
                  f"{instructions_per_delivery(BIN / 'netcat-chat', irc):.1f} |")
        print()
    print(f"Closed loop, {args.seconds:g} s, medians of {args.runs} runs, {when}:\n")
    print("| clients by IRC (of 10) | deliveries/s | per server CPU s | latency p99 µs | lost |")
    print("|---|---|---|---|---|")
    for irc in IRC_MIXES:
        row = throughput(irc, args.seconds, args.runs)
        print(f"| {irc} | {row['deliv_per_s']:.0f} | {row['deliv_per_cpu_s']:.0f} | "
              f"{row['lat_p99_us']:.0f} | {row['lost']:.0f} |")
    print("\n```\nscripts/bench_irc.py [--baseline OLD/netcat-chat]")
    print("bin/linux/Release/netcat-chat PORT --rate 0 --irc IRCPORT")
    print("bin/linux/Release/loadgen --port PORT --mode chat --clients 10 --window 4 --nodelay "
          "--quickack --irc-port IRCPORT --irc-clients 0|5|10")
    print("```\n<!-- end of irc benchmark -->")
    return 0


if __name__ == "__main__":
    sys.exit(main())
