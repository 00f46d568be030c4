#!/usr/bin/env python3
"""Checks the fail2ban filter the package ships against a log the server really wrote.

Usage: scripts/fail2ban_test.py

Starts the Release build of netcat-chat with a password on a free loopback port, sends wrong
passwords from several loopback addresses (and one through a trusted proxy's PROXY header), a
right one, a blocked connection and an HTTP request, keeps what the server printed, and runs
Debian's fail2ban-regex with scripts/packaging/fail2ban/netcat-chat.conf over it. Each wrong
password must match once, with its address, and nothing else may match. The last line is
"N passed, M failed"; the exit status is 1 when a check failed.

Needs: fail2ban (for fail2ban-regex). NETCAT_CHAT_BIN names another server binary.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILTER = ROOT / "scripts" / "packaging" / "fail2ban" / "netcat-chat.conf"
SERVER_BIN = Path(os.environ.get("NETCAT_CHAT_BIN",
                                 ROOT / "bin" / "linux" / "Release" / "netcat-chat"))
PASSWORD = "a password nobody guesses"
# Every wait: generous, for a slow and busy machine.
WAIT_S = 30.0
# Wrong passwords by source address; five from one address shut it out (its sixth connection is
# refused without a prompt, which is no wrong password and must not match).
WRONG_FROM = {"127.0.0.2": 5, "127.0.0.3": 2}
PROXIED_CLIENT = "203.0.113.9"
HTTP_ATTEMPTS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_until(sock: socket.socket, token: bytes) -> bytes:
    sock.settimeout(WAIT_S)
    data = b""
    while token not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def read_to_end(sock: socket.socket) -> bytes:
    sock.settimeout(WAIT_S)
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def connect(port: int, source: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT_S, source_address=(source, 0))
    return sock


def wrong_password(port: int, source: str, proxy_line: bytes = b"") -> bytes:
    with connect(port, source) as sock:
        sock.sendall(proxy_line)
        read_until(sock, b"[ENTER THE PASSWORD]: ")
        sock.sendall(b"guess\n")
        return read_to_end(sock)


def wait_for_line(log: Path, pattern: str, seconds: float = WAIT_S) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if re.search(pattern, log.read_text(errors="replace"), re.M):
            return True
        time.sleep(0.05)
    return False


def drive(port: int) -> list[str]:
    """Talks to the server as users and attackers would; returns the problems seen."""
    problems = []
    for source, count in WRONG_FROM.items():
        for _ in range(count):
            answer = wrong_password(port, source)
            if answer != b"Wrong password.\n":
                problems.append(f"{source}: wrong password answered {answer!r}")
    with connect(port, "127.0.0.2") as blocked:
        answer = read_to_end(blocked)
        if not answer.startswith(b"Too many wrong passwords"):
            problems.append(f"the sixth connection from 127.0.0.2 got {answer[:60]!r}")
    proxy_line = f"PROXY TCP4 {PROXIED_CLIENT} 127.0.0.1 40000 {port}\r\n".encode()
    if wrong_password(port, "127.0.0.1", proxy_line) != b"Wrong password.\n":
        problems.append("the proxied client's wrong password was not refused")
    with connect(port, "127.0.0.4") as right:
        read_until(right, b"[ENTER THE PASSWORD]: ")
        right.sendall(f"{PASSWORD}\nRight\n/quit\n".encode())
        if b"Goodbye." not in read_to_end(right):
            problems.append("the right password did not lead into the chat")
    # Whether a request beats the banner's 250 ms wait is up to the machine's scheduling; one
    # that came after the banner is closed without a word, so a few tries.
    answers = []
    for _ in range(HTTP_ATTEMPTS):
        with connect(port, "127.0.0.4") as browser:
            browser.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            answers.append(read_to_end(browser))
        if not answers[-1].startswith(b"Welcome"):
            break
    if not answers[-1].startswith(b"HTTP/1.1 400"):
        problems.append(f"the HTTP request was not answered 400: {answers[-1][:60]!r}")
    return problems


def run_filter(log: Path) -> tuple[int, list[str], str]:
    """fail2ban-regex over the log: how many lines matched, and the addresses they named."""
    result = subprocess.run(["fail2ban-regex", "--print-all-matched", str(log), str(FILTER)],
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    output = result.stdout + result.stderr
    found = re.search(r"^Lines: \d+ lines, \d+ ignored, (\d+) matched", output, re.M)
    matched = int(found.group(1)) if found else -1
    addresses = re.findall(r"wrong password from (\S+)", output.split("Lines:")[-1])
    return matched, addresses, output


def main() -> int:
    passed = failed = 0

    def check(ok: bool, what: str, detail: str = "") -> None:
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok: {what}")
        else:
            failed += 1
            print(f"FAILED: {what}" + (f"\n{detail}" if detail else ""))

    with tempfile.TemporaryDirectory(prefix="netcat-chat-fail2ban-") as work:
        secret = Path(work) / "password"
        secret.write_text(PASSWORD + "\n")
        secret.chmod(0o600)
        log = Path(work) / "server.log"
        port = free_port()
        with open(log, "wb") as out:
            server = subprocess.Popen(
                [str(SERVER_BIN), str(port), "--password-file", str(secret), "--trusted-proxy",
                 "127.0.0.1", "--rate", "0"],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            up = wait_for_line(log, rf"^Listening on the port :{port}$")
            check(up, "the server started", log.read_text(errors="replace"))
            if up:
                problems = drive(port)
                check(not problems, "users and attackers got the answers they should",
                      "\n".join(problems))
                expected = sum(WRONG_FROM.values()) + 1
                wait_for_line(log, r"#\d+ .*\bRight\b.* left")
        finally:
            server.terminate()
            try:
                server.wait(timeout=WAIT_S)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if up:
            matched, addresses, output = run_filter(log)
            wanted = sorted([a for a, n in WRONG_FROM.items() for _ in range(n)] +
                            [PROXIED_CLIENT])
            check(matched == expected, f"fail2ban-regex matched {matched} lines, {expected} wanted",
                  output + "\n--- the log:\n" + log.read_text(errors="replace"))
            check(sorted(addresses) == wanted, "each match names the wrong password's address",
                  f"got {sorted(addresses)}, wanted {wanted}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
