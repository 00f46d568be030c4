#!/usr/bin/env python3
"""Measures what a storm of wrong passwords costs the people already chatting.

Usage: scripts/bench_storm.py [--seconds S] [--storm-rate N] [--message-rate M] [--runs K]

Starts the Release build of netcat-chat with a password, then measures message latency between
two members (tests/bench_tools/loadgen, open loop at M messages a second) twice per run: with nothing
else going on, and while this script opens N connections a second that each send a wrong
password, from a new loopback address every few connections (so the server's guess limit keeps
answering some with its refusal, and its table of addresses keeps filling and forgetting). Prints
the latency percentiles of each phase, the storm's outcomes and the server's peak memory. Traffic
stays on loopback; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import selectors
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "bin" / "linux" / "Release"
PASSWORD = "the chat's real password"
# Connections from one source address before the next: past 5 the guess limit refuses them.
PER_ADDRESS = 8
# Storm connections open at once, at most: a bound on this script's sockets.
MAX_IN_FLIGHT = 400
# One storm connection may take this long before it is counted as stuck and closed.
CONNECTION_DEADLINE_S = 5.0
WAIT_S = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def source_address(index: int) -> str:
    # 127.1.0.1 upwards: loopback, so nothing leaves the machine.
    return f"127.1.{index // 250 % 250}.{index % 250 + 1}"


class Storm:
    """Wrong passwords at a fixed rate, each on a connection of its own, non-blocking."""

    def __init__(self, port: int, rate: float) -> None:
        self.port, self.rate = port, rate
        self.selector = selectors.DefaultSelector()
        self.outcomes: dict[str, int] = {}
        self.opened = 0

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def open_one(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.bind((source_address(self.opened // PER_ADDRESS), 0))
        self.opened += 1
        err = sock.connect_ex(("127.0.0.1", self.port))
        if err not in (0, errno.EINPROGRESS):
            self.count("connect failed")
            sock.close()
            return
        state = {"sent": False, "got": b"", "since": time.monotonic()}
        self.selector.register(sock, selectors.EVENT_WRITE | selectors.EVENT_READ, state)

    def service(self, timeout: float) -> None:
        for key, events in self.selector.select(timeout):
            sock, state = key.fileobj, key.data
            if events & selectors.EVENT_WRITE and not state["sent"]:
                try:
                    sock.send(b"not the password\n")  # typed ahead, as a script would
                except OSError:
                    self.finish(sock, "reset")
                    continue
                state["sent"] = True
                self.selector.modify(sock, selectors.EVENT_READ, state)
            if events & selectors.EVENT_READ:
                try:
                    data = sock.recv(65536)
                except OSError:
                    self.finish(sock, "reset")
                    continue
                if data:
                    state["got"] += data[-200:]
                    continue
                got = state["got"]
                self.finish(sock, "wrong password" if got.endswith(b"Wrong password.\n") else
                            "too many wrong" if got.startswith(b"Too many wrong") else
                            "chat full" if got.startswith(b"Chat is full") else "other")

    def finish(self, sock: socket.socket, outcome: str) -> None:
        self.count(outcome)
        self.selector.unregister(sock)
        sock.close()

    def expire(self) -> None:
        now = time.monotonic()
        for key in list(self.selector.get_map().values()):
            if now - key.data["since"] > CONNECTION_DEADLINE_S:
                self.finish(key.fileobj, "stuck")

    def run_while(self, process: subprocess.Popen) -> None:
        started = time.monotonic()
        while process.poll() is None:
            due = int((time.monotonic() - started) * self.rate)
            while self.opened < due and len(self.selector.get_map()) < MAX_IN_FLIGHT:
                self.open_one()
            self.service(0.001)
            self.expire()
        for key in list(self.selector.get_map().values()):
            self.finish(key.fileobj, "left open at the end")


def measure(port: int, pid: int, seconds: float, message_rate: float, storm_rate: float):
    command = [str(BIN / "loadgen"), "--port", str(port), "--mode", "chat", "--clients", "2",
               "--senders", "1", "--rate", str(message_rate), "--duration", str(seconds),
               "--password", PASSWORD, "--nodelay", "--quickack", "--server-pid", str(pid),
               "--strict"]
    loadgen = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    storm = Storm(port, storm_rate)
    if storm_rate > 0:
        storm.run_while(loadgen)
    output, _ = loadgen.communicate(timeout=seconds + WAIT_S)
    result = next((line for line in output.splitlines() if line.startswith("RESULT ")), "")
    if loadgen.returncode != 0 or not result:
        raise SystemExit(f"loadgen failed:\n{output}")
    fields = dict(re.findall(r"(\w+)=(\S+)", result))
    return fields, storm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--storm-rate", type=float, default=1000.0)
    parser.add_argument("--message-rate", type=float, default=200.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(["premake4", "--file=premake5.lua", "gmake"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["make", "-C", "build/linux", "-j2", "config=release", "netcat-chat", "loadgen"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"storm of {args.storm_rate:.0f} wrong passwords/s, {args.message_rate:.0f} messages/s "
          f"between two members, {args.seconds:.0f} s per phase, {args.runs} runs")
    with tempfile.TemporaryDirectory(prefix="netcat-chat-storm-") as work:
        secret = Path(work) / "password"
        secret.write_text(PASSWORD + "\n")
        secret.chmod(0o600)
        for run in range(1, args.runs + 1):
            port = free_port()
            server = subprocess.Popen(
                [str(BIN / "netcat-chat"), str(port), "--password-file", str(secret), "--rate", "0",
                 "--max-clients", "500"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                deadline = time.monotonic() + WAIT_S
                while time.monotonic() < deadline:
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=1).close()
                        break
                    except OSError:
                        time.sleep(0.05)
                for storm_rate in (0.0, args.storm_rate):
                    fields, storm = measure(port, server.pid, args.seconds, args.message_rate,
                                            storm_rate)
                    phase = "storm" if storm_rate else "quiet"
                    achieved = storm.opened / args.seconds if storm_rate else 0.0
                    print(f"run {run} {phase}: p50 {fields.get('lat_p50_us')} us, p99 "
                          f"{fields.get('lat_p99_us')} us, max {fields.get('lat_max_us')} us, "
                          f"{fields.get('deliveries', '?')} deliveries, server CPU "
                          f"{fields.get('server_cpu_s', '?')} s, peak RSS "
                          f"{fields.get('rss_peak_kib', '?')} KiB; storm {achieved:.0f}/s "
                          f"{dict(sorted(storm.outcomes.items()))}")
                    sys.stdout.flush()
            finally:
                server.terminate()
                server.wait(timeout=WAIT_S)
    return 0


if __name__ == "__main__":
    sys.exit(main())
