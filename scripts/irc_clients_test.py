#!/usr/bin/env python3
"""Runs real IRC clients (Debian's weechat-headless and ii) beside nc users against netcat-chat --irc.

Usage: scripts/irc_clients_test.py [SERVER_BINARY] [--only GROUP]... [--list]

SERVER_BINARY defaults to bin/linux/Release/netcat-chat (or NETCAT_CHAT_BIN). Each group starts
the server on free loopback ports with --irc, connects nc users on the chat port and one IRC client
on the IRC port, and checks what each side shows of the other (docs/PROTOCOL.md §6, §7 and §13):
joins, messages both ways, private messages, renames, history with server-time, parts and quits.
Every check is one counted case; a check whose group could not get that far is counted as failed
with the reason. WeeChat is driven through its FIFO and read from its logs (the channel's and the
raw protocol's); ii through its `in` FIFOs and `out` files. The last line is "N passed, M failed"; the exit status is 1 when a case failed.

Needs: weechat-headless and weechat-plugins (its fifo plugin), ii.
"""

from __future__ import annotations

import argparse
import datetime
import errno
import os
import re
import select
import shutil
import signal
import socket
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List

from harness import (  # noqa: E402  (scripts/harness.py)
    LOOPBACK, POLL_S, WAIT_S, CaseFailure, Child, Run, check, free_port, port_open, read_text, shown,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BIN = Path(os.environ.get("NETCAT_CHAT_BIN", ROOT / "bin" / "linux" / "Release" / "netcat-chat"))

# The server's name in IRC replies, so that the checks do not depend on this machine's host name.
IRC_NAME = "irc.test"
# A port found free may be taken by another program before the server binds it: try again.
START_ATTEMPTS = 3
RECEIVE_CHUNK = 65536
# The nc stamp is whole seconds of local time and WeeChat logs whole seconds: one second apart at most.
STAMP_SLACK_S = 1

NAME_PROMPT = "[ENTER YOUR NAME]: "
# A chat message in the --log file from long before the test: its replay must keep this time.
OLD_STAMP = "2020-01-02 03:04:05"
# The IRCv3 tags a line may start with (a client with server-time gets @time= on every message).
TAGS = r"^(?:@\S+ +)?"
STAMP = r"\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\]"


# ------------------------------------------------------------------------------------------------
# Processes (harness.py): each started by the group, stopped by its PID when the group ends,
# whatever happened.


# ------------------------------------------------------------------------------------------------
# The server.


@dataclass
class Server:
    child: Child
    chat_port: int
    irc_port: int


def start_server(run: Run, binary: Path, extra: tuple = ()) -> Server:
    child = None
    for _ in range(START_ATTEMPTS):
        chat_port, irc_port = free_port(), free_port()
        args = [binary, chat_port, "--irc", irc_port, "--bind", LOOPBACK, "--irc-name", IRC_NAME,
                *extra]
        child = run.start(f"netcat-chat-{len(run.children)}", args)
        listening = f"Listening on the port :{chat_port}"
        wait_until(lambda: listening in child.output() or not child.running(),
                   f"'{listening}' from {binary}")
        if listening in child.output():
            # A connection that never registers is harmless: it only shows that the port is open.
            wait_until(lambda: port_open(irc_port) or not child.running(), f"IRC port {irc_port}")
            if child.running():
                return Server(child, chat_port, irc_port)
    raise CaseFailure(f"netcat-chat did not start:\n{child.output()[-2000:] if child else ''}")


# ------------------------------------------------------------------------------------------------
# nc users: raw bytes over TCP, as nc shows them.


class NcUser:
    def __init__(self, run: Run, port: int, name: str) -> None:
        self.name = name
        self.received = b""
        self.closed = False
        self.sock = socket.create_connection((LOOPBACK, port), timeout=WAIT_S)
        run.sockets.append(self.sock)

    def text(self) -> str:
        return self.received.decode("utf-8", errors="replace")

    def mark(self) -> int:
        """Where the next wait starts looking: what arrived before is not taken for a new event."""
        self.more(0)
        return len(self.text())

    def more(self, timeout: float) -> None:
        readable, _, _ = select.select([self.sock], [], [], timeout)
        if not readable:
            return
        data = self.sock.recv(RECEIVE_CHUNK)
        if not data:
            self.closed = True
        self.received += data

    def wait_for(self, pattern: str, start: int = 0, what: str = "",
                 timeout: float = WAIT_S) -> re.Match:
        """Waits for a regular expression in what arrived since `start`."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.compile(pattern).search(self.text(), start)
            if match:
                return match
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise CaseFailure(f"the nc user {self.name} did not receive {what or pattern!r} "
                                  f"within {timeout:.0f} s; got {shown(self.text()[start:])}")
            self.more(min(left, 1.0))

    def wait_literal(self, token: str, start: int = 0, timeout: float = WAIT_S) -> re.Match:
        return self.wait_for(re.escape(token), start, token, timeout)

    def send(self, line: str) -> None:
        self.sock.sendall(line.encode() + b"\n")

    def join(self) -> None:
        self.wait_literal(NAME_PROMPT)
        start = self.mark()
        self.send(self.name)
        self.wait_for(STAMP + re.escape(f"[{self.name}]:"), start, f"its prompt [ts][{self.name}]:")

    def say(self, text: str) -> str:
        """Says `text` and returns the stamp of the fresh prompt that follows, as a lower bound."""
        start = self.mark()
        self.send(text)
        return self.wait_for(STAMP + re.escape(f"[{self.name}]:"), start).group(1)


def local_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def message_tags(line: str) -> dict:
    """The IRCv3 tags of a line that starts with '@' (values left escaped: times need no escaping)."""
    return dict(tag.partition("=")[::2] for tag in line[1:].split(" ", 1)[0].split(";"))


def server_time(value: str) -> datetime.datetime:
    """An IRCv3 server-time value (UTC, with or without milliseconds)."""
    for layout in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.datetime.strptime(value, layout).replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            pass
    raise CaseFailure(f"@time={value} is not an ISO 8601 UTC time")


def seconds_apart(a: str, b: str) -> float:
    fmt = "%Y-%m-%d %H:%M:%S"
    return abs((datetime.datetime.strptime(a, fmt) - datetime.datetime.strptime(b, fmt)).total_seconds())


# ------------------------------------------------------------------------------------------------
# WeeChat: driven through its FIFO, read from its logs. The raw buffer (the protocol lines in both
# directions) is logged too, so that the checks can name what arrived on the wire.


class WeeChat:
    SERVER = "chat"

    def __init__(self, run: Run, irc_port: int, nick: str) -> None:
        self.nick = nick
        self.home = run.dir / "weechat"
        self.home.mkdir()
        self.logs = self.home / "logs"
        commands = [
            # Every line in the logs at once, every buffer logged with every message level.
            "/set logger.file.flush_delay 0",
            "/set logger.level.irc 9",
            # No delay between the lines it sends: the server's own flood control is what applies.
            "/set irc.server_default.anti_flood_prio_high 0",
            "/set irc.server_default.anti_flood_prio_low 0",
            # The protocol in both directions, logged: WeeChat marks its raw buffer as not to be
            # logged, this undoes that.
            "/server raw",
            "/command -buffer irc.irc_raw * /buffer set localvar_del_no_log",
            f"/server add {self.SERVER} {LOOPBACK}/{irc_port} -notls -nicks={nick} -autojoin=#general",
            f"/connect {self.SERVER}",
        ]
        args = ["weechat-headless", "--dir", self.home, "--plugins", "irc,logger,fifo", "--no-script",
                "--stdout"]
        for command in commands:
            args += ["--run-command", command]
        self.child = run.start("weechat", args)

    def log_files(self) -> List[Path]:
        return sorted(self.logs.glob("*.weechatlog"))

    def raw(self) -> str:
        return read_text(self.logs / "irc.irc_raw.weechatlog")

    def channel(self) -> str:
        return read_text(self.logs / f"irc.{self.SERVER}.#general.weechatlog")

    def chat_logs(self) -> str:
        """Every buffer's log but the raw one: what the person at WeeChat sees."""
        return "".join(read_text(path) for path in self.log_files() if "irc_raw" not in path.name)

    def received(self) -> str:
        """The protocol lines that arrived, without WeeChat's date and direction columns."""
        lines = []
        for line in self.raw().splitlines():
            parts = line.split("\t", 2)
            if len(parts) == 3 and parts[1].startswith("-->"):
                lines.append(parts[2])
        return "\n".join(lines)

    def wait_for(self, read: Callable[[], str], pattern: str, what: str, start: int = 0) -> re.Match:
        deadline = time.monotonic() + WAIT_S
        compiled = re.compile(pattern, re.MULTILINE)
        while True:
            match = compiled.search(read(), start)
            if match:
                return match
            if time.monotonic() > deadline or not self.child.running():
                state = "" if self.child.running() else f" (weechat exited: {self.child.process.poll()})"
                raise CaseFailure(f"WeeChat did not show {what} within {WAIT_S:.0f} s{state}; "
                                  f"its log has {shown(read()[start:])}")
            time.sleep(POLL_S)

    def fifo(self) -> Path:
        found: List[Path] = []

        def present() -> bool:
            found[:] = list(self.home.glob("weechat_fifo_*"))
            return bool(found) or not self.child.running()

        wait_until(present, f"WeeChat's FIFO in {self.home}")
        check(bool(found), f"WeeChat exited before making its FIFO: {shown(self.child.output())}")
        return found[0]

    def command(self, buffer: str, text: str) -> None:
        """Types `text` (a message or a /command) into one of WeeChat's buffers."""
        write_fifo(self.fifo(), f"{buffer} *{text}\n")

    def in_channel(self, text: str) -> None:
        self.command(f"irc.{self.SERVER}.#general", text)

    def in_server(self, text: str) -> None:
        self.command(f"irc.server.{self.SERVER}", text)


def write_fifo(path: Path, text: str) -> None:
    """Writes a whole line to a FIFO whose reader may be reopening it: retried until a deadline."""
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:
            if error.errno not in (errno.ENXIO, errno.ENOENT) or time.monotonic() > deadline:
                raise CaseFailure(f"could not open {path} for writing: {error}")
            time.sleep(POLL_S)
            continue
        try:
            os.write(descriptor, text.encode())
            return
        finally:
            os.close(descriptor)


# ------------------------------------------------------------------------------------------------
# ii: one FIFO `in` and one file `out` per server, channel and query.


class Ii:
    def __init__(self, run: Run, irc_port: int, nick: str) -> None:
        self.nick = nick
        self.prefix = run.dir / "ii"
        self.prefix.mkdir()
        self.server_dir = self.prefix / LOOPBACK
        self.child = run.start("ii", ["ii", "-s", LOOPBACK, "-p", irc_port, "-n", nick,
                                      "-i", self.prefix])

    def out(self, where: str = "") -> str:
        return read_text(self.server_dir / where / "out")

    def protocol(self) -> str:
        """ii prints each line it receives on its standard output."""
        return self.child.output()

    def write(self, where: str, line: str) -> None:
        path = self.server_dir / where / "in"
        wait_until(lambda: path.exists() or not self.child.running(), f"{path}")
        check(self.child.running(), f"ii exited ({self.child.process.poll()}): {shown(self.protocol())}")
        write_fifo(path, line + "\n")

    def wait_for(self, read: Callable[[], str], pattern: str, what: str, start: int = 0) -> re.Match:
        deadline = time.monotonic() + WAIT_S
        compiled = re.compile(pattern, re.MULTILINE)
        while True:
            match = compiled.search(read(), start)
            if match:
                return match
            if time.monotonic() > deadline:
                raise CaseFailure(f"ii did not show {what} within {WAIT_S:.0f} s; it has "
                                  f"{shown(read()[start:])}; it received {shown(self.protocol())}")
            time.sleep(POLL_S)


# ------------------------------------------------------------------------------------------------
# Groups: a server, its users and a sequence of checks that build on each other.


@dataclass
class Step:
    name: str
    run: Callable[[], None]
    # Later steps cannot run once this one failed (a client that never connected).
    required: bool = False


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0


def run_steps(tally: Tally, steps: List[Step]) -> None:
    blocked = ""
    for step in steps:
        if blocked:
            print(f"FAIL {step.name}: not tried, {blocked} failed first")
            tally.failed += 1
            continue
        started = time.monotonic()
        try:
            step.run()
        except CaseFailure as error:
            failure = str(error)
        except Exception:
            failure = traceback.format_exc()
        else:
            failure = ""
        took = time.monotonic() - started
        if failure:
            print(f"FAIL {step.name} ({took:.1f} s): {failure}")
            tally.failed += 1
            if step.required:
                blocked = step.name
        else:
            print(f"PASS {step.name} ({took:.1f} s)")
            tally.passed += 1
        sys.stdout.flush()


def weechat_group(run: Run, binary: Path) -> List[Step]:
    """WeeChat negotiates CAP (server-time, batch): the modern client's whole path."""
    state: dict = {}
    nick = "weeuser"

    def connects_and_joins() -> None:
        log = run.dir / "chat.log"
        log.write_text(f"[{OLD_STAMP}][Old Timer]:from long ago\n")
        server = start_server(run, binary, ("--log", log))
        nelly, ana = NcUser(run, server.chat_port, "Nelly"), NcUser(run, server.chat_port, "Ana Lee")
        nelly.join()
        ana.join()
        # Said before WeeChat comes: the history it must get with its original time.
        start = ana.mark()
        nelly.say("said before weechat came")
        state["history_stamp"] = ana.wait_for(STAMP + re.escape("[Nelly]:said before weechat came\n"),
                                              start).group(1)
        state.update(server=server, nelly=nelly, ana=ana, joined_at=nelly.mark())
        weechat = WeeChat(run, server.irc_port, nick)
        state["weechat"] = weechat
        weechat.wait_for(weechat.received, rf"^\S+ 001 {nick} ", "the welcome (001)")
        weechat.wait_for(weechat.channel, rf"-->\t{nick} \(\S+@\S+\) has joined #general",
                         "its own JOIN of #general")
        nelly.wait_literal(f"\n{nick} has joined our chat...\n", state["joined_at"])

    def sees_the_nc_users() -> None:
        weechat = state["weechat"]
        names = weechat.wait_for(weechat.received, r"^\S+ 353 \S+ [=*@] #general :(.*)$",
                                 "the names of #general (353)").group(1).split()
        bare = [name.lstrip("@+") for name in names]
        check("Nelly" in bare, f"353 lists {names}, expected Nelly (a valid nick) unchanged")
        bracketed = [name for name in bare if name.startswith("[") and name.endswith("]")]
        check(len(bracketed) == 1 and "Ana" in bracketed[0],
              f"353 lists {names}, expected one bracketed nick standing for 'Ana Lee'")
        state["ana_nick"] = bracketed[0]

    def history_with_server_time() -> None:
        weechat = state["weechat"]
        line = weechat.wait_for(
            weechat.received, r"^@(\S*)\s+:Nelly!\S+ PRIVMSG #general :said before weechat came$",
            "the history line as a tagged PRIVMSG").group(0)
        tags = message_tags(line)
        check("time" in tags, f"the history line carries no time tag: {line!r}")
        moment = server_time(tags["time"])
        sent = state["history_stamp"]
        check(seconds_apart(local_stamp(moment), sent) <= STAMP_SLACK_S,
              f"@time={tags['time']} is {local_stamp(moment)} local time, but the nc users saw the "
              f"line stamped {sent}")
        shown_line = weechat.wait_for(weechat.channel, r"^(\S+ \S+)\tNelly\tsaid before weechat came$",
                                      "the history line in #general")
        check(seconds_apart(shown_line.group(1), sent) <= STAMP_SLACK_S,
              f"WeeChat shows the history line at {shown_line.group(1)}, said at {sent}")

    def history_from_the_log_keeps_its_time() -> None:
        weechat = state["weechat"]
        line = weechat.wait_for(weechat.received,
                                r"^@(\S*)\s+:\S+!\S+ PRIVMSG #general :from long ago$",
                                "the line reloaded from --log as a tagged PRIVMSG").group(0)
        tags = message_tags(line)
        expected = datetime.datetime.strptime(OLD_STAMP, "%Y-%m-%d %H:%M:%S").astimezone()
        check("time" in tags and server_time(tags["time"]) == expected,
              f"the line said at {OLD_STAMP} local time ({expected.astimezone(datetime.timezone.utc)}"
              f" UTC) arrived as {line!r}")
        weechat.wait_for(weechat.channel, rf"^{re.escape(OLD_STAMP)}\t\S+\tfrom long ago$",
                         f"the reloaded line in #general at {OLD_STAMP}")

    def nc_to_weechat() -> None:
        weechat, nelly = state["weechat"], state["nelly"]
        nelly.say("hello weechat")
        weechat.wait_for(weechat.received, TAGS + r":Nelly!\S+@\S+ PRIVMSG #general :hello weechat$",
                         "':Nelly!user@host PRIVMSG #general :hello weechat'")
        weechat.wait_for(weechat.channel, r"\tNelly\thello weechat$", "Nelly's line in #general")

    def weechat_to_nc() -> None:
        weechat, nelly, ana = state["weechat"], state["nelly"], state["ana"]
        starts = nelly.mark(), ana.mark()
        weechat.in_channel("hello nc users")
        for user, start in zip((nelly, ana), starts):
            user.wait_for("\n" + STAMP + re.escape(f"[{nick}]:hello nc users\n"), start,
                          f"\\n[ts][{nick}]:hello nc users\\n")

    def private_nc_to_weechat() -> None:
        weechat, nelly = state["weechat"], state["nelly"]
        start = nelly.mark()
        nelly.send(f"/msg {nick} psst, weechat")
        nelly.wait_for(STAMP + re.escape(f"[to {nick}][private]:psst, weechat\n"), start,
                       "its own copy of the private message")
        weechat.wait_for(weechat.received, TAGS + rf":Nelly!\S+@\S+ PRIVMSG {nick} :psst, weechat$",
                         f"':Nelly!user@host PRIVMSG {nick} :psst, weechat'")
        weechat.wait_for(weechat.chat_logs, r"\tNelly\tpsst, weechat$", "Nelly's private message")

    def private_weechat_to_nc() -> None:
        weechat, nelly, ana = state["weechat"], state["nelly"], state["ana"]
        start, ana_start = nelly.mark(), ana.mark()
        weechat.in_server("/msg Nelly just for you")
        nelly.wait_for("\n" + STAMP + re.escape(f"[{nick}][private]:just for you\n"), start,
                       f"\\n[ts][{nick}][private]:just for you\\n")
        ana.more(0)
        check("just for you" not in ana.text()[ana_start:],
              f"Ana Lee received the private message too: {shown(ana.text()[ana_start:])}")

    def bracketed_nick_both_ways() -> None:
        weechat, ana = state["weechat"], state["ana"]
        ana_nick = state.get("ana_nick")
        check(ana_nick is not None, "no bracketed nick for Ana Lee was listed (see the names case)")
        ana.say("Ana here")
        weechat.wait_for(weechat.received,
                         TAGS + rf":{re.escape(ana_nick)}!\S+@\S+ PRIVMSG #general :Ana here$",
                         f"':{ana_nick}!user@host PRIVMSG #general :Ana here'")
        start = ana.mark()
        weechat.in_server(f"/msg {ana_nick} hi Ana")
        ana.wait_for("\n" + STAMP + re.escape(f"[{nick}][private]:hi Ana\n"), start,
                     f"\\n[ts][{nick}][private]:hi Ana\\n")

    def nc_rename_seen_by_weechat() -> None:
        weechat, nelly = state["weechat"], state["nelly"]
        start = nelly.mark()
        nelly.send("/name Nora")
        nelly.wait_for(STAMP + re.escape("[Nora]:"), start, "its prompt under the new name")
        nelly.name = "Nora"
        weechat.wait_for(weechat.received, TAGS + r":Nelly!\S+@\S+ NICK :?Nora$",
                         "':Nelly!user@host NICK Nora'")
        weechat.wait_for(weechat.channel, r"\tNelly is now known as Nora$", "the rename in #general")

    def weechat_rename_seen_by_nc() -> None:
        weechat, nora, ana = state["weechat"], state["nelly"], state["ana"]
        starts = nora.mark(), ana.mark()
        weechat.in_server("/nick weebie")
        weechat.wait_for(weechat.received, TAGS + rf":{nick}!\S+@\S+ NICK :?weebie$",
                         "its own NICK echoed")
        for user, start in zip((nora, ana), starts):
            user.wait_literal(f"\n{nick} changed their name to weebie.\n", start)
        start = nora.mark()
        weechat.in_channel("renamed")
        nora.wait_for("\n" + STAMP + re.escape("[weebie]:renamed\n"), start,
                      "\\n[ts][weebie]:renamed\\n")

    def action_seen_by_nc() -> None:
        weechat, nora = state["weechat"], state["nelly"]
        start = nora.mark()
        weechat.in_channel("/me waves")
        nora.wait_for(re.escape("* weebie waves") + r"\n", start, "'* weebie waves'")

    def nc_leave_seen_by_weechat() -> None:
        weechat, ana = state["weechat"], state["ana"]
        # Without the names case's finding, any nick that stands for Ana Lee.
        ana_nick = re.escape(state["ana_nick"]) if "ana_nick" in state else r"\S*Ana\S*"
        ana.send("/quit")
        ana.wait_literal("Goodbye.\n")
        weechat.wait_for(weechat.received, TAGS + rf":{ana_nick}!\S+@\S+ QUIT\b",
                         f"the QUIT of Ana Lee's nick ({ana_nick})")

    def weechat_quit_seen_by_nc() -> None:
        weechat, nora = state["weechat"], state["nelly"]
        start = nora.mark()
        weechat.command("core.weechat", "/quit see you")
        nora.wait_literal("\nweebie has left our chat...\n", start)
        wait_until(lambda: not weechat.child.running(), "WeeChat to exit after /quit")

    return [
        Step("weechat-connects-and-joins", connects_and_joins, required=True),
        Step("weechat-names-list-nc-users", sees_the_nc_users),
        Step("weechat-history-with-server-time", history_with_server_time),
        Step("weechat-history-from-log-keeps-its-time", history_from_the_log_keeps_its_time),
        Step("weechat-receives-nc-message", nc_to_weechat),
        Step("weechat-message-reaches-nc", weechat_to_nc),
        Step("weechat-receives-private-from-nc", private_nc_to_weechat),
        Step("weechat-private-reaches-nc", private_weechat_to_nc),
        Step("weechat-bracketed-nick-both-ways", bracketed_nick_both_ways),
        Step("weechat-sees-nc-rename", nc_rename_seen_by_weechat),
        Step("weechat-rename-seen-by-nc", weechat_rename_seen_by_nc),
        Step("weechat-action-seen-by-nc", action_seen_by_nc),
        Step("weechat-sees-nc-leave", nc_leave_seen_by_weechat),
        Step("weechat-quit-seen-by-nc", weechat_quit_seen_by_nc),
    ]


def ii_group(run: Run, binary: Path) -> List[Step]:
    """ii negotiates nothing: plain RFC 1459 registration, no history."""
    state: dict = {}
    nick = "iiuser"

    def connects_and_joins() -> None:
        server = start_server(run, binary)
        nelly = NcUser(run, server.chat_port, "Nelly")
        nelly.join()
        nelly.say("said before ii came")
        ii = Ii(run, server.irc_port, nick)
        state.update(nelly=nelly, ii=ii)
        ii.wait_for(ii.protocol, rf"^\d+ :\S+ 001 {nick} ", "the welcome (001)")
        start = nelly.mark()
        ii.write("", "/j #general")
        ii.wait_for(lambda: ii.out("#general"), rf"-!- {nick}\(\S+\) has joined #general",
                    "its JOIN of #general")
        nelly.wait_literal(f"\n{nick} has joined our chat...\n", start)

    def no_history_without_server_time() -> None:
        ii, nelly = state["ii"], state["nelly"]
        # Something said after the join, so that a history line would have arrived before it.
        nelly.say("after ii joined")
        ii.wait_for(lambda: ii.out("#general"), r"<Nelly> after ii joined$", "Nelly's line")
        check("said before ii came" not in ii.protocol(),
              f"ii got history without server-time: {shown(ii.protocol())}")

    def nc_to_ii() -> None:
        ii, nelly = state["ii"], state["nelly"]
        nelly.say("hello ii")
        ii.wait_for(ii.protocol, r"^\d+ :Nelly!\S+@\S+ PRIVMSG #general :hello ii$",
                    "':Nelly!user@host PRIVMSG #general :hello ii'")
        ii.wait_for(lambda: ii.out("#general"), r"^\d+ <Nelly> hello ii$", "'<Nelly> hello ii'")

    def ii_to_nc() -> None:
        ii, nelly = state["ii"], state["nelly"]
        start = nelly.mark()
        ii.write("#general", "hello from ii")
        nelly.wait_for("\n" + STAMP + re.escape(f"[{nick}]:hello from ii\n"), start,
                       f"\\n[ts][{nick}]:hello from ii\\n")

    def part_seen_by_nc() -> None:
        ii, nelly = state["ii"], state["nelly"]
        start = nelly.mark()
        ii.write("#general", "/l gone for now")
        nelly.wait_literal(f"\n{nick} has left our chat...\n", start)
        ii.wait_for(ii.protocol, rf"^\d+ :{nick}!\S+@\S+ PART #general", "its PART echoed")
        nelly.say("while ii is away")
        # The server answers in order: once this PONG is in, the line above would be too.
        ii.write("", "/PING after-part")
        ii.wait_for(ii.protocol, r"^\d+ :\S+ PONG \S+ :?after-part$", "the PONG after its PART")
        check("while ii is away" not in ii.protocol(),
              f"ii received a line said in #general after it parted: {shown(ii.protocol())}")

    def quit_seen_by_nc() -> None:
        ii, nelly = state["ii"], state["nelly"]
        start = nelly.mark()
        ii.write("", "/j #general")
        nelly.wait_literal(f"\n{nick} has joined our chat...\n", start)
        start = nelly.mark()
        ii.write("", "/q bye all")
        nelly.wait_literal(f"\n{nick} has left our chat...\n", start)
        wait_until(lambda: not ii.child.running(), "ii to exit once the server closed after QUIT")

    return [
        Step("ii-connects-and-joins", connects_and_joins, required=True),
        Step("ii-no-history-without-server-time", no_history_without_server_time),
        Step("ii-receives-nc-message", nc_to_ii),
        Step("ii-message-reaches-nc", ii_to_nc),
        Step("ii-part-seen-by-nc", part_seen_by_nc),
        Step("ii-quit-seen-by-nc", quit_seen_by_nc),
    ]


def weechat_present() -> str:
    """What is missing for the WeeChat group, or ''."""
    if shutil.which("weechat-headless") is None:
        return "weechat-headless is not installed"
    if not any(Path("/usr/lib").glob("*/weechat/plugins/fifo.so")) and \
            not Path("/usr/lib/weechat/plugins/fifo.so").exists():
        return "WeeChat's fifo plugin is not installed (package weechat-plugins)"
    return ""


def ii_present() -> str:
    return "" if shutil.which("ii") else "ii is not installed"


GROUPS = {"weechat": (weechat_group, weechat_present), "ii": (ii_group, ii_present)}


def run_group(name: str, binary: Path, tally: Tally) -> None:
    make, present = GROUPS[name]
    run = Run(Path(tempfile.mkdtemp(prefix=f"netcat-chat-irc-{name}-")))
    try:
        steps = make(run, binary)
        missing = present()
        if missing:
            for step in steps:
                print(f"FAIL {step.name}: {missing}")
            tally.failed += len(steps)
            return
        before = tally.failed
        run_steps(tally, steps)
        if tally.failed > before:
            print(run.logs())
    finally:
        run.stop_all()
        shutil.rmtree(run.dir, ignore_errors=True)


def stop_on_signal(signum: int, _frame) -> None:
    """A CI timeout's TERM: leave through the finally blocks, which stop the children by PID and
    remove the temporary directories."""
    sys.exit(128 + signum)


def main() -> int:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary", nargs="?", default=str(DEFAULT_BIN), help="the server to test")
    parser.add_argument("--only", action="append", default=[], choices=sorted(GROUPS),
                        help="run only this group of checks")
    parser.add_argument("--list", action="store_true", help="list the groups and their checks")
    args = parser.parse_args()
    binary = Path(args.binary).resolve()
    if args.list:
        for name, (make, _) in GROUPS.items():
            for step in make(Run(Path(tempfile.gettempdir())), binary):
                print(f"{name}\t{step.name}")
        return 0
    tally = Tally()
    if not os.access(binary, os.X_OK):
        print(f"no server binary at {binary}: build it first")
        tally.failed += 1
    else:
        for name in GROUPS:
            if not args.only or name in args.only:
                run_group(name, binary, tally)
    print(f"{tally.passed} passed, {tally.failed} failed")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
