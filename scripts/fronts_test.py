#!/usr/bin/env python3
"""Runs netcat-chat behind the TLS fronts it ships configurations for (docs/TLS.md), for real.

Usage: scripts/fronts_test.py [--only NAME]... [--skip NAME]... [--list]

Each case makes a certificate for chat.test in a temporary directory, starts the Release build
of netcat-chat on free loopback ports, starts a front (nginx, Caddy or stunnel) from the files in
scripts/packaging/examples/ with only ports, paths and the certificate changed, runs real clients
through it (Chromium, ncat, openssl s_client, socat, netcat-chat --connect, raw WebSockets) beside
an nc-like user on the plain chat port, and stops every process it started. NAME is a case or a
tag (nginx, caddy, stunnel, browser, proxy, idle); `--skip idle` leaves out the case that waits
through 70 s of silence, `--only idle` runs it alone. The last line is "N passed, M failed"; the
exit status is 1 when a case failed.

Needs: nginx-light, caddy, stunnel4, ncat, openssl, socat, chromium and node (with npm, for
tests/browser's playwright-core). NETCAT_CHAT_BIN names another server binary.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import select
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from harness import (  # noqa: E402  (scripts/harness.py)
    LOOPBACK, POLL_S, WAIT_S, CaseFailure, Child, Run, check, free_port, port_open, shown, wait_until,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scripts" / "packaging" / "examples"
BROWSER_DIR = ROOT / "tests" / "browser"
SERVER_BIN = Path(os.environ.get("NETCAT_CHAT_BIN",
                                 ROOT / "bin" / "linux" / "Release" / "netcat-chat"))

# The name in the test certificate; Chromium maps it to loopback, the other clients are told it.
CERT_NAME = "chat.test"
# Addresses of "other machines" for the cases about the real client address: loopback too.
FAR_CLIENT = "127.0.0.2"
OTHER_CLIENT = "127.0.0.3"
# The nc user on the plain chat port comes from an address of its own: with --trusted-proxy
# 127.0.0.1, a connection from there must start with a PROXY line, as stunnel's do.
NC_SOURCE = "127.0.0.5"
# The browser case's node script bounds itself at 120 s; this is the outer guard.
BROWSER_RUN_S = 180.0
# Preparing tests/browser (npm ci) when it has not been yet.
NPM_CI_S = 600.0
# Longer than nginx's default proxy_read_timeout (60 s), which only pings can outlast.
IDLE_SILENCE_S = 70.0
# The server pings a WebSocket it has sent nothing for 30 s: in 70 s at least two pings.
MIN_PINGS_IN_SILENCE = 2
# A front that could not bind its free port (another program took it meanwhile) is tried again.
START_ATTEMPTS = 3
RECEIVE_CHUNK = 65536

NAME_PROMPT = "[ENTER YOUR NAME]: "
TOO_MANY = "Too many connections from your address.\n"
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_TEXT, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x8, 0x9, 0xA


def wait_for_port(child: Child, port: int) -> bool:
    """True once `port` accepts; False when `child` exits first."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if port_open(port):
            return True
        if not child.running():
            return False
        time.sleep(POLL_S)
    raise CaseFailure(f"{child.name} did not open port {port} within {WAIT_S:.0f} s:\n"
                      f"{child.output()[-2000:]}")


def make_certificate(run: Run) -> tuple:
    cert, key = run.dir / "cert.pem", run.dir / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", f"/CN={CERT_NAME}",
                    "-addext", f"subjectAltName=DNS:{CERT_NAME},IP:{LOOPBACK}",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=WAIT_S)
    return cert, key


# ------------------------------------------------------------------------------------------------
# The server.


def server_help() -> str:
    return subprocess.run([str(SERVER_BIN), "--help"], capture_output=True, text=True,
                          timeout=WAIT_S).stdout


SUPPORTS_PROXY = False  # set in main(): whether this build has --trusted-proxy


@dataclass
class Server:
    child: Child
    chat_port: int
    web_port: int

    def log(self) -> str:
        return self.child.output()


def start_server(run: Run, extra: tuple = ()) -> Server:
    for attempt in range(START_ATTEMPTS):
        chat_port, web_port = free_port(), free_port()
        args = [SERVER_BIN, chat_port, "--bind", LOOPBACK, "--web", web_port, *extra]
        child = run.start(f"netcat-chat-{len(run.children)}", args)
        listening = f"Listening on the port :{chat_port}"
        wait_until(lambda: listening in child.output() or not child.running(),
                   f"'{listening}' from {SERVER_BIN}")
        if listening in child.output():
            return Server(child, chat_port, web_port)
    raise CaseFailure(f"netcat-chat did not start:\n{child.output()[-2000:]}")


# ------------------------------------------------------------------------------------------------
# Clients.


class Reader:
    """What one client received, gathered as it comes, with bounded waits for more."""

    def __init__(self) -> None:
        self.received = b""
        self.closed = False

    def more(self, timeout: float) -> None:
        raise NotImplementedError

    def text(self) -> str:
        return self.received.decode("utf-8", errors="replace")

    def wait_for(self, token: str, timeout: float = WAIT_S, start: int = 0) -> str:
        deadline = time.monotonic() + timeout
        while token not in self.text()[start:]:
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise CaseFailure(f"{self.describe()} did not receive {token!r}; "
                                  f"got {shown(self.text())}")
            self.more(min(left, 1.0))
        return self.text()


class LineUser(Reader):
    """An nc user on the plain chat port (or any address): raw bytes over TCP."""

    def __init__(self, port: int, name: str = "nc user", source: str = NC_SOURCE) -> None:
        super().__init__()
        self.name = name
        self.sock = socket.create_connection((LOOPBACK, port), timeout=WAIT_S,
                                             source_address=(source, 0) if source else None)

    def describe(self) -> str:
        return f"the nc user {self.name}"

    def more(self, timeout: float) -> None:
        readable, _, _ = select.select([self.sock], [], [], timeout)
        if not readable:
            return
        data = self.sock.recv(RECEIVE_CHUNK)
        if not data:
            self.closed = True
        self.received += data

    def send(self, line: str) -> None:
        self.sock.sendall(line.encode() + b"\n")

    def join(self) -> None:
        self.wait_for(NAME_PROMPT)
        self.send(self.name)
        self.wait_for(f"][{self.name}]:")

    def close(self) -> None:
        self.sock.close()


class ProcessUser(Reader):
    """A chat user typing into a client program (ncat, openssl, socat, netcat-chat --connect)."""

    def __init__(self, run: Run, name: str, args: list) -> None:
        super().__init__()
        self.name = name
        self.args = args
        with open(run.dir / f"{name}.err", "wb") as errors:
            self.process = subprocess.Popen([str(a) for a in args], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=errors, cwd=run.dir)
        run.children.append(Child(name, self.process, run.dir / f"{name}.err"))
        os.set_blocking(self.process.stdout.fileno(), False)

    def describe(self) -> str:
        return f"{self.name} ({self.args[0]})"

    def more(self, timeout: float) -> None:
        readable, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not readable:
            if self.process.poll() is not None:
                self.closed = True
            return
        data = os.read(self.process.stdout.fileno(), RECEIVE_CHUNK)
        if not data:
            self.closed = True
        self.received += data

    def send(self, line: str) -> None:
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def join(self) -> None:
        self.wait_for(NAME_PROMPT)
        self.send(self.name)
        self.wait_for(f"][{self.name}]:")


def chat_both_ways(tls: Reader, plain: LineUser, tls_name: str, line: str) -> None:
    """`tls` (already joined) and `plain` (already joined) each see what the other says."""
    tls.send(line)
    plain.wait_for(f"][{tls_name}]:{line}\n")
    seen = len(tls.text())
    plain.send(f"answer to {tls_name}")
    tls.wait_for(f"][{plain.name}]:answer to {tls_name}\n", start=seen)


class WebSocketUser(Reader):
    """A browser's WebSocket, spoken over TLS through a front, frame by frame."""

    def __init__(self, port: int, cert: Path, host_header: str, origin: Optional[str],
                 source: str = "") -> None:
        super().__init__()
        self.name = "WebSocket"
        context = ssl.create_default_context(cafile=str(cert))
        raw = socket.create_connection((LOOPBACK, port), timeout=WAIT_S,
                                       source_address=(source, 0) if source else None)
        self.sock = context.wrap_socket(raw, server_hostname=CERT_NAME)
        self.buffer = b""
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /chat HTTP/1.1\r\nHost: {host_header}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                   "Sec-WebSocket-Version: 13\r\n")
        if origin:
            request += f"Origin: {origin}\r\n"
        self.sock.sendall((request + "\r\n").encode())
        self.status, self.head = self.read_head()
        self.pings = 0

    def describe(self) -> str:
        return "the WebSocket client"

    def fill(self, timeout: float) -> bool:
        self.sock.settimeout(max(timeout, 0.01))
        try:
            data = self.sock.recv(RECEIVE_CHUNK)
        except (socket.timeout, TimeoutError):
            return True
        except (ssl.SSLError, OSError):
            data = b""
        if not data:
            self.closed = True
            return False
        self.buffer += data
        return True

    def read_head(self) -> tuple:
        deadline = time.monotonic() + WAIT_S
        while b"\r\n\r\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.fill(left):
                raise CaseFailure(f"no HTTP answer to the upgrade; got {self.buffer!r}")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        text = head.decode(errors="replace")
        match = re.match(r"HTTP/1\.1 (\d{3}) ", text)
        check(match is not None, f"not an HTTP answer: {text!r}")
        return int(match.group(1)), text

    def take_frame(self) -> Optional[tuple]:
        if len(self.buffer) < 2:
            return None
        first, second = self.buffer[0], self.buffer[1]
        at, length = 2, second & 0x7F
        if length == 126:
            if len(self.buffer) < 4:
                return None
            length, at = struct.unpack(">H", self.buffer[2:4])[0], 4
        elif length == 127:
            if len(self.buffer) < 10:
                return None
            length, at = struct.unpack(">Q", self.buffer[2:10])[0], 10
        check(second & 0x80 == 0, "the server sent a masked frame")
        if len(self.buffer) < at + length:
            return None
        payload = self.buffer[at:at + length]
        self.buffer = self.buffer[at + length:]
        return first & 0x0F, payload

    def read_frame(self, timeout: float) -> Optional[tuple]:
        deadline = time.monotonic() + timeout
        while True:
            frame = self.take_frame()
            if frame is not None:
                return frame
            left = deadline - time.monotonic()
            if left <= 0 or not self.fill(left):
                return None

    def send_frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def more(self, timeout: float) -> None:
        """Reads one frame: text is kept, pings are answered as a browser does."""
        frame = self.read_frame(timeout)
        if frame is None:
            return
        opcode, payload = frame
        if opcode == OP_TEXT:
            self.received += payload
        elif opcode == OP_PING:
            self.pings += 1
            self.send_frame(OP_PONG, payload)
        elif opcode == OP_CLOSE:
            self.closed = True
            self.close_code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None

    def send(self, line: str) -> None:
        self.send_frame(OP_TEXT, line.encode() + b"\n")

    def join(self, name: str) -> None:
        self.name = name
        self.wait_for(NAME_PROMPT)
        self.send(name)
        self.wait_for(f"][{name}]:")

    def close(self) -> None:
        self.sock.close()


# ------------------------------------------------------------------------------------------------
# The fronts, from the shipped examples: ports, paths and the certificate replaced, nothing else.


def render(example: str, replacements: list) -> str:
    """The example with each (old, new, times) replaced exactly `times` times, or a failure."""
    text = (EXAMPLES / example).read_text()
    for old, new, times in replacements:
        found = text.count(old)
        check(found == times, f"{example}: expected {old!r} {times} time(s), found it {found}")
        text = text.replace(old, new)
    return text


def start_front(run: Run, name: str, make: Callable[[int], list], env: Optional[dict] = None,
                port: int = 0) -> int:
    """Starts the front whose command line `make(port)` writes, on `port` or a free one (tried
    again on another when taken meanwhile); returns its port."""
    for attempt in range(1 if port else START_ATTEMPTS):
        chosen = port or free_port()
        child = run.start(f"{name}-{len(run.children)}", make(chosen), env=env)
        if wait_for_port(child, chosen):
            return chosen
    raise CaseFailure(f"{name} did not start:\n{child.output()[-2000:]}")


def start_nginx(run: Run, cert: Path, key: Path, web_port: int, host_line: bool = True,
                port: int = 0) -> int:
    def make(port: int) -> list:
        replacements = [
            ("listen 443 ssl;", f"listen {LOOPBACK}:{port} ssl;", 1),
            ("    listen [::]:443 ssl;\n", "", 1),
            ("listen 80;", f"listen {LOOPBACK}:{free_port()};", 1),
            ("    listen [::]:80;\n", "", 1),
            ("server_name chat.example;", f"server_name {CERT_NAME};", 2),
            ("http://127.0.0.1:8080;", f"http://{LOOPBACK}:{web_port};", 1),
            ("/etc/letsencrypt/live/chat.example/fullchain.pem", str(cert), 1),
            ("/etc/letsencrypt/live/chat.example/privkey.pem", str(key), 1),
        ]
        if not host_line:
            replacements.append(("        proxy_set_header Host $http_host;\n", "", 1))
        site = run.dir / "site.conf"
        site.write_text(render("nginx-netcat-chat.conf", replacements))
        temp = run.dir / "nginx-temp"
        temp.mkdir(exist_ok=True)
        # What /etc/nginx/nginx.conf would hold, confined to the case's directory and one process.
        conf = run.dir / "nginx.conf"
        conf.write_text(
            f"daemon off;\nmaster_process off;\nerror_log {run.dir}/error.log;\n"
            f"pid {run.dir}/nginx.pid;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n  access_log {run.dir}/access.log;\n"
            + "".join(f"  {kind}_temp_path {temp}/{kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {site};\n}}\n")
        return ["nginx", "-p", run.dir, "-e", run.dir / "error.log", "-c", conf]

    return start_front(run, "nginx", make, port=port)


def start_caddy(run: Run, cert: Path, key: Path, web_port: int) -> int:
    home = run.dir / "caddy-home"
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"))

    def make(port: int) -> list:
        site = render("Caddyfile", [
            ("chat.example {",
             f"https://{CERT_NAME}:{port} {{\n\ttls {cert} {key}\n\tbind {LOOPBACK}", 1),
            ("reverse_proxy 127.0.0.1:8080", f"reverse_proxy {LOOPBACK}:{web_port}", 1),
        ])
        caddyfile = run.dir / "Caddyfile"
        # No admin endpoint and no certificate management: a test holds no port but its own.
        caddyfile.write_text("{\n\tadmin off\n\tauto_https off\n}\n" + site)
        return ["caddy", "run", "--adapter", "caddyfile", "--config", caddyfile]

    return start_front(run, "caddy", make, env)


STUNNEL_GLOBALS = "foreground = yes\npid =\n"


def start_stunnel(run: Run, cert: Path, key: Path, chat_port: int, proxy: bool) -> int:
    def make(port: int) -> list:
        replacements = [
            ("accept = 8990", f"accept = {LOOPBACK}:{port}", 1),
            ("connect = 127.0.0.1:8989", f"connect = {LOOPBACK}:{chat_port}", 1),
            ("cert = /etc/letsencrypt/live/chat.example/fullchain.pem", f"cert = {cert}", 1),
            ("key = /etc/letsencrypt/live/chat.example/privkey.pem", f"key = {key}", 1),
        ]
        if not proxy:
            replacements.append(("\nprotocol = proxy\n", "\n", 1))
        conf = run.dir / "stunnel.conf"
        conf.write_text(STUNNEL_GLOBALS + render("stunnel-netcat-chat.conf", replacements))
        return ["stunnel", conf]

    return start_front(run, "stunnel", make)


def start_stunnel_client(run: Run, cert: Path, tls_port: int) -> int:
    def make(port: int) -> list:
        conf = run.dir / "stunnel-client.conf"
        conf.write_text(STUNNEL_GLOBALS + render("stunnel-netcat-chat-client.conf", [
            ("accept = 127.0.0.1:8989", f"accept = {LOOPBACK}:{port}", 1),
            ("connect = chat.example:8990", f"connect = {LOOPBACK}:{tls_port}", 1),
            ("CAfile = /etc/ssl/certs/ca-certificates.crt", f"CAfile = {cert}", 1),
            ("checkHost = chat.example", f"checkHost = {CERT_NAME}", 1),
        ]))
        return ["stunnel", conf]

    return start_front(run, "stunnel-client", make)


# ------------------------------------------------------------------------------------------------
# The cases.


def proxy_args() -> tuple:
    """The server's options behind a front on this machine, when this build has them."""
    return ("--trusted-proxy", LOOPBACK) if SUPPORTS_PROXY else ()


def prepare_browser_tests() -> None:
    if (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=BROWSER_DIR,
                   check=True, stdin=subprocess.DEVNULL, timeout=NPM_CI_S)


def https_get(port: int, cert: Path, path: str = "/") -> str:
    """The answer to GET `path` over TLS, the front's certificate checked against `cert`."""
    context = ssl.create_default_context(cafile=str(cert))
    with socket.create_connection((LOOPBACK, port), timeout=WAIT_S) as raw:
        with context.wrap_socket(raw, server_hostname=CERT_NAME) as tls:
            tls.sendall(f"GET {path} HTTP/1.1\r\nHost: {CERT_NAME}:{port}\r\n"
                        "Connection: close\r\n\r\n".encode())
            answer = b""
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline:
                data = tls.recv(RECEIVE_CHUNK)
                if not data:
                    break
                answer += data
    return answer.decode(errors="replace")


def browser_through(run: Run, server: Server, port: int, cert: Path) -> None:
    page = https_get(port, cert)
    check(page.startswith("HTTP/1.1 200") and "Content-Security-Policy:" in page
          and "</html>" in page, f"GET / through the front got {shown(page[:300])}")
    prepare_browser_tests()
    url = f"https://{CERT_NAME}:{port}/"
    node = run.start("chromium", ["node", BROWSER_DIR / "proxied_page.js", url, server.chat_port],
                     group=True)
    try:
        node.process.wait(timeout=BROWSER_RUN_S)
    except subprocess.TimeoutExpired:
        raise CaseFailure(f"the browser run took over {BROWSER_RUN_S:.0f} s") from None
    check(node.process.returncode == 0,
          f"the browser through {url} failed:\n{node.output()[-2000:]}")
    check('"Webby" joined' in server.log(), "the server's log has no join of Webby")


# The page's cases leave --trusted-proxy out: the node script's nc user comes from 127.0.0.1.
def case_nginx_browser(run: Run) -> None:
    cert, key = make_certificate(run)
    server = start_server(run)
    browser_through(run, server, start_nginx(run, cert, key, server.web_port), cert)


def case_caddy_browser(run: Run) -> None:
    cert, key = make_certificate(run)
    server = start_server(run)
    browser_through(run, server, start_caddy(run, cert, key, server.web_port), cert)


def case_nginx_without_host(run: Run) -> None:
    """Without its Host line nginx passes on its upstream's address as Host, so the browser's
    Origin is not the server's own: the upgrade is refused until --web-origin names it."""
    cert, key = make_certificate(run)
    port = free_port()
    origin = f"https://{CERT_NAME}:{port}"
    plain = start_server(run)
    start_nginx(run, cert, key, plain.web_port, host_line=False, port=port)
    refused = WebSocketUser(port, cert, f"{CERT_NAME}:{port}", origin)
    check(refused.status == 403, f"without --web-origin the upgrade got {refused.head!r}")
    refused.close()
    run.stop_all()  # the case goes on with a new server and a new nginx
    listed = start_server(run, ("--web-origin", origin))
    start_nginx(run, cert, key, listed.web_port, host_line=False, port=port)
    web = WebSocketUser(port, cert, f"{CERT_NAME}:{port}", origin)
    check(web.status == 101, f"with --web-origin {origin} the upgrade got {web.head!r}")
    nc = LineUser(listed.chat_port, "Nelly")
    nc.join()
    web.join("Webby")
    nc.wait_for("Webby has joined our chat...")
    chat_both_ways(web, nc, "Webby", "hello through nginx without Host")


def tls_client_case(run: Run, name: str, client: Callable[[Path, int], list]) -> tuple:
    """`client(cert, port)` is the command line of a TLS client of stunnel's port; a user types
    into it and chats both ways with an nc user on the plain port."""
    cert, key = make_certificate(run)
    server = start_server(run, proxy_args())
    port = start_stunnel(run, cert, key, server.chat_port, proxy=SUPPORTS_PROXY)
    nc = LineUser(server.chat_port, "Nelly")
    nc.join()
    tessa = ProcessUser(run, "Tessa", client(cert, port))
    tessa.join()
    nc.wait_for("Tessa has joined our chat...")
    chat_both_ways(tessa, nc, "Tessa", f"hello over TLS from {name}")
    return tessa, nc


def case_stunnel_ncat(run: Run) -> None:
    # ncat checks DNS names only, not IP addresses: it is told the name to expect.
    tls_client_case(run, "ncat", lambda cert, port: [
        "ncat", "--ssl", "--ssl-verify", "--ssl-trustfile", cert, "--ssl-servername", CERT_NAME,
        LOOPBACK, port])


def case_stunnel_openssl(run: Run) -> None:
    tessa, nc = tls_client_case(run, "openssl", lambda cert, port: [
        "openssl", "s_client", "-quiet", "-verify_return_error", "-CAfile", cert,
        "-verify_hostname", CERT_NAME, "-connect", f"{LOOPBACK}:{port}"])
    # Without -quiet, s_client would take these for its commands (quit, renegotiate).
    for line in ("Q is for quiet", "R is for renegotiate"):
        tessa.send(line)
        nc.wait_for(f"][Tessa]:{line}\n")


def case_stunnel_socat(run: Run) -> None:
    tls_client_case(run, "socat", lambda cert, port: [
        "socat", "-", f"OPENSSL:{LOOPBACK}:{port},cafile={cert}"])


def case_stunnel_connect(run: Run) -> None:
    """netcat-chat --connect speaks no TLS: stunnel in client mode carries it."""
    cert, key = make_certificate(run)
    server = start_server(run, proxy_args())
    tls_port = start_stunnel(run, cert, key, server.chat_port, proxy=SUPPORTS_PROXY)
    local = start_stunnel_client(run, cert, tls_port)
    nc = LineUser(server.chat_port, "Nelly")
    nc.join()
    tessa = ProcessUser(run, "Tessa", [SERVER_BIN, "--connect", LOOPBACK, local])
    tessa.join()
    nc.wait_for("Tessa has joined our chat...")
    chat_both_ways(tessa, nc, "Tessa", "hello from netcat-chat --connect over TLS")


def join_line(server: Server, name: str) -> str:
    """The server's log line of `name`'s join, once it is there."""
    wait_until(lambda: f'"{name}" joined' in server.log(),
               f"the join of {name} in the server's log")
    return next(line for line in server.log().splitlines() if f'"{name}" joined' in line)


def names_address(line: str, address: str, prefix: str = "") -> bool:
    """Whether a log line names the client as `prefix` + `address`, with or without a port."""
    return re.search(rf" {re.escape(prefix + address)}(:\d+)? ", line) is not None


def case_stunnel_proxy(run: Run) -> None:
    """stunnel's PROXY line gives the server the real address: the log names it and
    --max-per-address counts it, not stunnel's."""
    cert, key = make_certificate(run)
    server = start_server(run, ("--trusted-proxy", LOOPBACK, "--max-per-address", "1"))
    port = start_stunnel(run, cert, key, server.chat_port, proxy=True)

    def ncat(name: str, source: str) -> ProcessUser:
        return ProcessUser(run, name, ["ncat", "--ssl", "--ssl-verify", "--ssl-trustfile", cert,
                                       "--ssl-servername", CERT_NAME, "-s", source, LOOPBACK, port])

    nc = LineUser(server.chat_port, "Nelly")
    nc.join()
    far = ncat("Faraway", FAR_CLIENT)
    far.join()
    nc.wait_for("Faraway has joined our chat...")
    joined = join_line(server, "Faraway")
    check(names_address(joined, FAR_CLIENT), f"the log does not name {FAR_CLIENT}: {joined!r}")
    second = ncat("Again", FAR_CLIENT)
    second.wait_for(TOO_MANY)
    other = ncat("Other", OTHER_CLIENT)
    other.join()  # stunnel's own address is not what --max-per-address counted
    nc.wait_for("Other has joined our chat...")


def case_nginx_forwarded(run: Run) -> None:
    """nginx's X-Forwarded-For gives the server the browser's address, as the log and
    --max-per-address see it."""
    cert, key = make_certificate(run)
    server = start_server(run, ("--trusted-proxy", LOOPBACK, "--max-per-address", "1"))
    port = start_nginx(run, cert, key, server.web_port)
    origin = f"https://{CERT_NAME}:{port}"
    far = WebSocketUser(port, cert, f"{CERT_NAME}:{port}", origin, source=FAR_CLIENT)
    check(far.status == 101, f"the upgrade got {far.head!r}")
    far.join("Faraway")
    joined = join_line(server, "Faraway")
    check(names_address(joined, FAR_CLIENT, "web "),
          f"the log does not name web {FAR_CLIENT}: {joined!r}")
    second = WebSocketUser(port, cert, f"{CERT_NAME}:{port}", origin, source=FAR_CLIENT)
    check(second.status == 101, f"the second upgrade got {second.head!r}")
    second.wait_for(TOO_MANY)
    other = WebSocketUser(port, cert, f"{CERT_NAME}:{port}", origin, source=OTHER_CLIENT)
    other.join("Other")


def case_nginx_idle(run: Run) -> None:
    """nginx closes a proxied connection that is silent for 60 s (proxy_read_timeout); the
    server's pings keep a quiet WebSocket open through 70 s."""
    cert, key = make_certificate(run)
    server = start_server(run)
    port = start_nginx(run, cert, key, server.web_port)
    web = WebSocketUser(port, cert, f"{CERT_NAME}:{port}", f"https://{CERT_NAME}:{port}")
    check(web.status == 101, f"the upgrade got {web.head!r}")
    nc = LineUser(server.chat_port, "Nelly")
    nc.join()
    web.join("Quiet")
    nc.wait_for("Quiet has joined our chat...")
    quiet_since = time.monotonic()
    while time.monotonic() < quiet_since + IDLE_SILENCE_S and not web.closed:
        web.more(quiet_since + IDLE_SILENCE_S - time.monotonic())
    check(not web.closed, f"the WebSocket was closed after {time.monotonic() - quiet_since:.0f} s "
          f"of silence ({web.pings} pings)")
    check(web.pings >= MIN_PINGS_IN_SILENCE,
          f"{web.pings} pings in {IDLE_SILENCE_S:.0f} s of silence")
    chat_both_ways(web, nc, "Quiet", f"still here after {IDLE_SILENCE_S:.0f} s")


@dataclass
class Case:
    name: str
    tags: tuple
    run: Callable[[Run], None]
    needs_proxy: bool = False


CASES = [
    Case("nginx-browser", ("nginx", "browser"), case_nginx_browser),
    Case("caddy-browser", ("caddy", "browser"), case_caddy_browser),
    Case("nginx-without-host", ("nginx",), case_nginx_without_host),
    Case("stunnel-ncat", ("stunnel",), case_stunnel_ncat),
    Case("stunnel-openssl", ("stunnel",), case_stunnel_openssl),
    Case("stunnel-socat", ("stunnel",), case_stunnel_socat),
    Case("stunnel-connect", ("stunnel",), case_stunnel_connect),
    Case("stunnel-proxy", ("stunnel", "proxy"), case_stunnel_proxy, needs_proxy=True),
    Case("nginx-forwarded", ("nginx", "proxy"), case_nginx_forwarded, needs_proxy=True),
    Case("nginx-idle", ("nginx", "idle"), case_nginx_idle),
]


def selected(case: Case, only: list, skip: list) -> bool:
    names = {case.name, *case.tags}
    if only and not names.intersection(only):
        return False
    return not names.intersection(skip)


def run_case(case: Case) -> bool:
    started = time.monotonic()
    run = Run(Path(tempfile.mkdtemp(prefix=f"netcat-chat-fronts-{case.name}-")))
    failure = ""
    try:
        case.run(run)
    except CaseFailure as error:
        failure = str(error)
    except Exception:
        failure = traceback.format_exc()
    finally:
        run.stop_all()
    took = time.monotonic() - started
    if failure:
        print(f"FAIL {case.name} ({took:.1f} s): {failure}")
        print(run.logs())
    else:
        print(f"PASS {case.name} ({took:.1f} s)")
    sys.stdout.flush()
    shutil.rmtree(run.dir, ignore_errors=True)
    return not failure


def main() -> int:
    global SUPPORTS_PROXY
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--skip", action="append", default=[], metavar="NAME")
    parser.add_argument("--list", action="store_true", help="list the cases and their tags")
    args = parser.parse_args()
    known = {case.name for case in CASES} | {tag for case in CASES for tag in case.tags}
    for name in args.only + args.skip:
        if name not in known:
            parser.error(f"no case or tag is called {name!r}; known: {', '.join(sorted(known))}")
    if args.list:
        for case in CASES:
            print(f"{case.name}\t{' '.join(case.tags)}")
        return 0
    if not os.access(SERVER_BIN, os.X_OK):
        print(f"no server binary at {SERVER_BIN}: build it first")
        print("0 passed, 1 failed")
        return 1
    SUPPORTS_PROXY = "--trusted-proxy" in server_help()
    passed = failed = 0
    for case in CASES:
        if not selected(case, args.only, args.skip):
            continue
        if case.needs_proxy and not SUPPORTS_PROXY:
            print(f"SKIP {case.name}: {SERVER_BIN} has no --trusted-proxy yet")
            continue
        if run_case(case):
            passed += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
