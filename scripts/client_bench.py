#!/usr/bin/env python3
"""Measures the --connect client on a pseudo-terminal: how long it takes to show a 10,000-line
history, and the CPU it spends per incoming line while someone types. Run by
`scripts/bench.sh --client`; prints `key value` lines for it.

The client runs on a pty of a fixed size, as in a terminal, and this script reads the pty as the
terminal would: what is timed is the client's own work (reading, sanitising, one write per turn),
not a terminal emulator's drawing. Loopback only; every loop is bounded in count and time.
"""
import fcntl
import os
import pty
import select
import socket
import statistics
import struct
import sys
import termios
import time

HISTORY_LINES = 10000
REPLAYS = 5
FLOOD_LINES = 20000
KEY_INTERVAL_S = 0.005  # a fast typist: 200 keys a second
TIMEOUT_S = 60.0
COLUMNS, ROWS = 100, 30


def now():
    return time.monotonic()


def cpu_ns(pid):
    # schedstat: nanoseconds on a CPU, finer than the 10 ms ticks of /proc/PID/stat.
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


class Chatter:
    """A plain TCP member of the chat, as nc would be."""

    def __init__(self, port, name):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
        self.buffer = b""
        self.read_until(b"[ENTER YOUR NAME]: ")
        self.sock.sendall(name.encode() + b"\n")
        self.prompt = b"][" + name.encode() + b"]:"
        self.read_until(self.prompt)

    def read_until(self, token, count=1):
        deadline = now() + TIMEOUT_S
        while self.buffer.count(token) < count:
            if now() > deadline:
                raise RuntimeError(f"timed out waiting for {token!r}")
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("server closed")
            self.buffer += chunk
        self.buffer = b""

    def say_many(self, lines):
        self.sock.sendall(b"".join(line.encode() + b"\n" for line in lines))

    def close(self):
        self.sock.close()


class PtyClient:
    """The client under test on a pseudo-terminal."""

    def __init__(self, binary, port):
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(binary, [binary, "--connect", "127.0.0.1", str(port)])
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.output = bytearray()

    def read_until(self, token, start=0):
        deadline = now() + TIMEOUT_S
        # Only the bytes that came since the last look can complete the token.
        while self.output.find(token, start) < 0:
            if now() > deadline:
                raise RuntimeError(f"client: timed out waiting for {token!r}")
            start = max(start, len(self.output) - len(token))
            ready, _, _ = select.select([self.fd], [], [], 1.0)
            if ready:
                self.output += os.read(self.fd, 1 << 20)
        return now()

    def drain(self):
        while select.select([self.fd], [], [], 0)[0]:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def type(self, data):
        os.write(self.fd, data)

    def leave(self):
        self.type(b"\x03")
        deadline = now() + TIMEOUT_S
        while now() < deadline:
            self.drain()
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.01)
        os.close(self.fd)


def history_replay(binary, port):
    """Milliseconds from Enter after the name to the prompt below the last history line."""
    times, cpu = [], []
    for i in range(REPLAYS):
        client = PtyClient(binary, port)
        client.read_until(b"[ENTER YOUR NAME]: ")
        start_at = len(client.output)
        cpu_before = cpu_ns(client.pid)
        t0 = now()
        client.type(f"Reader{i}\r".encode())
        last = f"history line {HISTORY_LINES - 1}\r\n".encode()
        client.read_until(last, start_at)
        t1 = client.read_until(f"][Reader{i}]:".encode(), client.output.find(last, start_at))
        times.append((t1 - t0) * 1000.0)
        cpu.append((cpu_ns(client.pid) - cpu_before) / 1e6)
        client.leave()
    return times, cpu


def flood_while_typing(binary, port):
    """Client CPU per incoming line, and whether every typed key was shown, under a flood."""
    flooder = Chatter(port, "Flooder")
    client = PtyClient(binary, port)
    client.read_until(b"[ENTER YOUR NAME]: ")
    client.type(b"Typist\r")
    client.read_until(b"][Typist]:")
    time.sleep(0.2)  # the join settles; this is before the measurement, not in it
    client.drain()
    typed = b"typing along while the room floods "
    cpu_before = cpu_ns(client.pid)
    t0 = now()
    flooder.say_many(f"flood line {i}" for i in range(FLOOD_LINES))
    next_key, keys = now(), 0
    last = f"flood line {FLOOD_LINES - 1}\r\n".encode()
    deadline = now() + TIMEOUT_S
    while client.output.find(last) < 0 and now() < deadline:
        if now() >= next_key and keys < len(typed):
            client.type(typed[keys:keys + 1])
            keys += 1
            next_key += KEY_INTERVAL_S
        ready, _, _ = select.select([client.fd], [], [], KEY_INTERVAL_S / 2)
        if ready:
            client.output += os.read(client.fd, 1 << 20)
    elapsed = now() - t0
    client.drain()
    cpu = cpu_ns(client.pid) - cpu_before
    # Every key typed during the flood is on the input row after it, in order.
    shown = client.output.rfind(b"][Typist]:" + typed[:keys].rstrip()) > client.output.find(last)
    flooder.close()
    client.leave()
    return cpu / FLOOD_LINES, elapsed, keys, shown


def main():
    binary, port = sys.argv[1], int(sys.argv[2])
    filler = Chatter(port, "Filler")
    lines = [f"history line {i}" for i in range(HISTORY_LINES)]
    filler.say_many(lines)
    filler.read_until(filler.prompt, HISTORY_LINES)
    filler.close()
    replays, replay_cpu = history_replay(binary, port)
    print(f"history_lines {HISTORY_LINES}")
    print(f"replays {REPLAYS}")
    print(f"replay_ms_median {statistics.median(replays):.1f}")
    print(f"replay_ms_worst {max(replays):.1f}")
    print(f"replay_client_cpu_ms_median {statistics.median(replay_cpu):.1f}")
    per_line_ns, elapsed, keys, shown = flood_while_typing(binary, port)
    print(f"flood_lines {FLOOD_LINES}")
    print(f"flood_seconds {elapsed:.3f}")
    print(f"flood_keys_typed {keys}")
    print(f"flood_typed_line_intact {'yes' if shown else 'no'}")
    print(f"cpu_us_per_line {per_line_ns / 1000.0:.2f}")


if __name__ == "__main__":
    main()
