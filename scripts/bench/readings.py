# What the benchmark reads from /proc and from the profilers' output, as pure functions of the text.
from __future__ import annotations

import re
from typing import Dict, List, Optional, Set

# /proc/net/tcp's state code for a listening socket.
TCP_LISTEN = "0A"
# Long C++ symbols are cut here so that the report's code blocks stay readable.
SYMBOL_COLUMNS = 140
# premake's makefiles compile from build/linux, so debug information names src/ through it.
BUILD_DIR_PREFIX = "build/linux/../../"
# How many of netcat-chat's most expensive functions (callgrind, self cost) the report lists.
TOP_FUNCTIONS = 12
# The system calls and kernel functions that show where a server's time goes on loopback.
PERF_FUNCTIONS = re.compile(
    r"\[\.\] (__send|__libc_recv|__select|chat::|server::)"
    r"|\[k\] (tcp_sendmsg_locked|__tcp_transmit_skb|net_rx_action|tcp_v4_rcv|do_select|tcp_recvmsg_locked)")
PERF_SHARE = re.compile(r"^ +[0-9.]+%")
SYSCALL_EVENTS = ("syscalls:sys_enter_sendto", "syscalls:sys_enter_recvfrom", "syscalls:sys_enter_pselect6",
                  "net:net_dev_xmit")


def busy_ticks(proc_stat: str) -> int:
    """Busy time of all CPUs in clock ticks (user, nice, system, irq, softirq) from /proc/stat."""
    for line in proc_stat.splitlines():
        fields = line.split()
        if fields and fields[0] == "cpu":
            return sum(int(fields[i]) for i in (1, 2, 3, 6, 7))
    raise ValueError("no 'cpu' line in /proc/stat")


def quiet_allowance(ticks_per_second: int, probe_s: float, share_percent: float) -> int:
    """Busy ticks other processes may use during one probe while the machine counts as quiet."""
    return int(ticks_per_second * probe_s * share_percent / 100)


def listening_ports(*proc_net_tcp: str) -> Set[int]:
    """The local ports of listening sockets in /proc/net/tcp and /proc/net/tcp6."""
    return local_ports(*proc_net_tcp, state=TCP_LISTEN)


def local_ports(*proc_net_tcp: str, state: Optional[str] = None) -> Set[int]:
    """The local ports of the sockets in /proc/net/tcp and /proc/net/tcp6 (in STATE, or any): a
    server cannot listen on the local port of a connection either."""
    ports: Set[int] = set()
    for text in proc_net_tcp:
        for line in text.splitlines()[1:]:
            fields = line.split()
            if len(fields) > 3 and (state is None or fields[3] == state):
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def ephemeral_low(ip_local_port_range: str, default: int = 32768) -> int:
    """The first port the kernel hands to outgoing connections, from
    /proc/sys/net/ipv4/ip_local_port_range."""
    fields = ip_local_port_range.split()
    return int(fields[0]) if fields and fields[0].isdigit() else default


def first_value(text: str, key: str) -> Optional[str]:
    """The value of the first "KEY : value" line of /proc/cpuinfo or /proc/meminfo."""
    for line in text.splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip() == key:
            return value.strip()
    return None


def memory_gib(meminfo: str) -> str:
    kib = int((first_value(meminfo, "MemTotal") or "0 kB").split()[0])
    return f"{kib / 1048576:.1f} GiB"


def shorten_symbols(lines: List[str]) -> List[str]:
    """C++ symbols as a person writes them: std::string for the long spelling, no ABI tags at the
    end, no trailing dashes, at most SYMBOL_COLUMNS characters; source files from the repository's
    root, not from the build directory premake compiles in."""
    out = []
    for line in lines:
        line = line.replace(BUILD_DIR_PREFIX, "")
        line = line.replace("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >",
                            "std::string")
        line = line.replace("std::basic_string_view<char, std::char_traits<char> >", "std::string_view")
        line = re.sub(r" \[[^]]*\]$", "", line)
        line = re.sub(r" *- *- *$", "", line)
        out.append(line[:SYMBOL_COLUMNS])
    return out


def callgrind_totals(callgrind_out: str) -> Optional[int]:
    """The instructions of a whole run from callgrind's output file ("totals: N")."""
    match = re.search(r"^totals:\s+(\d+)", callgrind_out, re.MULTILINE)
    return int(match.group(1)) if match else None


def top_functions(annotate_output: str, count: int = TOP_FUNCTIONS) -> List[str]:
    """The first COUNT rows under callgrind_annotate's "file:function" heading."""
    rows: List[str] = []
    on = False
    for line in annotate_output.splitlines():
        if not on:
            on = "file:function" in line
            continue
        if re.match(r"^ *[0-9]", line):
            rows.append(line)
            if len(rows) == count:
                break
    return shorten_symbols(rows)


def perf_top(by_binary: str, by_symbol: str) -> List[str]:
    """perf report's share of samples by binary, a blank line, then the chosen functions' rows."""
    binaries = [line for line in by_binary.splitlines() if PERF_SHARE.match(line)]
    functions = [line for line in by_symbol.splitlines() if PERF_SHARE.match(line) and PERF_FUNCTIONS.search(line)]
    return shorten_symbols(binaries + [""] + functions)


def perf_counts(perf_stat_csv: str) -> Dict[str, float]:
    """Event counts from `perf stat -x,` output; an event it could not count is 0."""
    counts: Dict[str, float] = {}
    for line in perf_stat_csv.splitlines():
        fields = line.split(",")
        for event in SYSCALL_EVENTS:
            if event in line:
                try:
                    counts[event] = float(fields[0])
                except ValueError:
                    counts[event] = 0.0
    return counts


def syscall_row(server: str, perf_stat_csv: str, deliveries: int) -> Optional[str]:
    """The report's row of system calls and transmitted segments per delivery, or None when the
    run delivered nothing."""
    if deliveries <= 0:
        return None
    counts = perf_counts(perf_stat_csv)
    per = [counts.get(event, 0.0) / deliveries for event in SYSCALL_EVENTS]
    return f"| {server} | " + " | ".join(f"{value:.3f}" for value in per) + " |"
