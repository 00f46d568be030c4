"""What the Python test harnesses share: failures, waits, free ports, and the child processes a
case starts and stops by their PID whatever happened.

Used by scripts/fronts_test.py, scripts/irc_clients_test.py and scripts/bench_irc.py (each run as
`python3 scripts/NAME.py`, so this directory is on the import path).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

LOOPBACK = "127.0.0.1"
# Every wait for a port, a line or a file: generous, for a slow and busy machine.
WAIT_S = 30.0
# A process asked to stop (SIGTERM) gets this long before SIGKILL.
STOP_GRACE_S = 10.0
POLL_S = 0.05


class CaseFailure(Exception):
    """What a user would have seen go wrong."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CaseFailure(message)


def shown(text: str, limit: int = 300) -> str:
    return repr(text[-limit:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise CaseFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(POLL_S)


def port_open(port: int, host: str = LOOPBACK) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def read_text(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log: Path
    group: bool = False  # it was started in a process group of its own (node and its Chromium)

    def output(self) -> str:
        return read_text(self.log)

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.process.wait(timeout=STOP_GRACE_S)

    def signal(self, which: int) -> None:
        try:
            if self.group:
                os.killpg(self.process.pid, which)
            else:
                self.process.send_signal(which)
        except ProcessLookupError:
            pass


@dataclass
class Run:
    """One case's temporary directory, children and sockets."""

    dir: Path
    children: list = field(default_factory=list)
    sockets: list = field(default_factory=list)

    def start(self, name: str, args: list, env: Optional[dict] = None, group: bool = False,
              stdin=subprocess.DEVNULL) -> Child:
        log = self.dir / f"{name}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([str(a) for a in args], stdin=stdin, stdout=out,
                                       stderr=subprocess.STDOUT, env=env, cwd=self.dir,
                                       start_new_session=group)
        child = Child(name, process, log, group)
        self.children.append(child)
        return child

    def stop_all(self) -> None:
        for sock in self.sockets:
            sock.close()
        for child in reversed(self.children):
            try:
                child.stop()
            except Exception as error:  # a stuck child must not keep the others running
                print(f"  could not stop {child.name} (pid {child.process.pid}): {error}")

    def logs(self) -> str:
        parts = []
        for child in self.children:
            parts.append(f"--- {child.name} (pid {child.process.pid}, "
                         f"exit {child.process.poll()}):\n{child.output()[-3000:]}")
        return "\n".join(parts)
