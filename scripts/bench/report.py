# docs/BENCHMARKS.md from the kept runs: the full run's report, the client's and the web section.
"""The prose lives in the templates beside this file (string.Template: ${name} is a value); this
module computes the values and the tables. Nothing here runs a program or reads the clock: the
caller passes the date, the machine and the profiles, so every line can be tested.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Dict, List, Mapping, Tuple

import plan
from results import Results, kib_to_mib, percent, ratio, verdict

TEMPLATES = Path(__file__).resolve().parent
# The client's verdict was never bold; the server's and the web section's misses are.
CLIENT_MISSED = "NOT met"


def template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def render(name: str, values: Mapping[str, object]) -> str:
    """Template NAME with VALUES; a placeholder without a value is an error, not a blank."""
    return template(name).substitute({key: str(value) for key, value in values.items()})


def lines(rows: List[str]) -> str:
    """Rows for a code block: each ends with a newline."""
    return "".join(row + "\n" for row in rows)


@dataclass
class Profile:
    """What the profilers found: instructions per delivery by server, netcat-chat's most
    expensive functions, and (where perf works) its CPU samples and system calls per delivery."""
    instructions: List[Tuple[str, str]] = field(default_factory=list)
    callgrind_top: List[str] = field(default_factory=list)
    perf_top: List[str] = field(default_factory=list)
    syscall_rows: List[str] = field(default_factory=list)


@dataclass
class Quiet:
    """How the run dealt with other work on the machine."""
    failed_runs: int = 0
    probes_waited: int = 0


def plan_values() -> Dict[str, object]:
    """The plan's figures as the report states them."""
    return {
        "runs": plan.RUNS, "window": plan.WINDOW, "closed_seconds": plan.CLOSED_SECONDS,
        "closed_nc_clients": plan.CLOSED_NC_CLIENTS, "open_rate": plan.OPEN_RATE,
        "open_seconds": plan.OPEN_SECONDS, "history_lines": plan.HISTORY_LINES, "replays": plan.REPLAYS,
        "rss_clients": plan.RSS_CLIENTS, "rss_seconds": plan.RSS_SECONDS,
        "rss_long_payload": plan.RSS_LONG_PAYLOAD, "profile_clients": plan.PROFILE_CLIENTS,
        "profile_messages_low": plan.PROFILE_MESSAGES_LOW, "profile_messages_high": plan.PROFILE_MESSAGES_HIGH,
        "perf_seconds": plan.PERF_SECONDS, "quiet_share_percent": plan.QUIET_SHARE_PERCENT,
        "quiet_probe_s": plan.QUIET_PROBE_S, "max_attempts": plan.MAX_ATTEMPTS,
        "target_vs_ncat": plan.TARGET_VS_NCAT, "target_vs_relay": plan.TARGET_VS_RELAY,
        "target_p50_us": plan.TARGET_P50_US, "target_p99_us": plan.TARGET_P99_US,
        "target_rss_mib": plan.TARGET_RSS_KIB // 1024, "target_replay_ms": plan.TARGET_REPLAY_MS,
        "closed_args": " ".join(plan.closed_args()), "closed_nc_args": " ".join(plan.closed_nc_args()),
        "open_args": " ".join(plan.open_args()),
    }


def closed_table(results: Results) -> str:
    rows = ["| clients | server | deliveries/s | server CPU | load generator CPU | deliveries per server CPU s "
            "| netcat-chat vs this |",
            "|---|---|---|---|---|---|---|"]
    for n in plan.CLIENT_COUNTS:
        chat = results.median("closed", "netcat-chat", n, "deliv_per_cpu_s")
        for server in plan.CLOSED_SERVERS:
            this = results.median("closed", server, n, "deliv_per_cpu_s")
            versus = "" if server == "netcat-chat" else ratio(chat, this)
            rows.append(f"| {plan.row_label(n)} | {server} | {results.median('closed', server, n, 'deliv_per_s')} | "
                        f"{percent(results.median('closed', server, n, 'server_share'))} | "
                        f"{percent(results.median('closed', server, n, 'loadgen_share'))} | {this} | {versus} |")
    return "\n".join(rows)


def closed_nc_table(results: Results) -> str:
    rows = ["| server | deliveries/s | server CPU | deliveries per server CPU s | netcat-chat vs this |",
            "|---|---|---|---|---|"]
    n = plan.CLOSED_NC_CLIENTS
    chat = results.median("closednc", "netcat-chat", n, "deliv_per_cpu_s")
    for server in plan.CLOSED_SERVERS:
        this = results.median("closednc", server, n, "deliv_per_cpu_s")
        versus = "" if server == "netcat-chat" else ratio(chat, this)
        rows.append(f"| {server} | {results.median('closednc', server, n, 'deliv_per_s')} | "
                    f"{percent(results.median('closednc', server, n, 'server_share'))} | {this} | {versus} |")
    return "\n".join(rows)


def latency_table(results: Results, test: str) -> str:
    rows = ["| clients | netcat-chat p50 / p99 / p99.9 | ncat p50 / p99 / p99.9 | relay p50 / p99 / p99.9 |",
            "|---|---|---|---|"]
    for n in plan.CLIENT_COUNTS:
        cells = [" / ".join(results.median(test, server, n, key) for key in ("lat_p50_us", "lat_p99_us", "lat_p999_us"))
                 for server in plan.SERVERS]
        rows.append(f"| {plan.row_label(n)} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def integrity_values(results: Results, quiet: Quiet) -> Dict[str, object]:
    return {
        "lost": results.total("lost"), "duplicates": results.total("duplicates"),
        "reordered": results.total("reordered"), "malformed": results.total("malformed"),
        "failed_runs": quiet.failed_runs, "disturbed": results.total("disturbed"),
        "kept_runs": len(results.runs),
    }


def server_report(results: Results, profile: Profile, machine: List[str], date: str, quiet: Quiet) -> str:
    """The full run's page, without the sections it keeps from other runs."""
    median = results.median
    chat10, ncat10, relay10 = (median("closed", server, 10, "deliv_per_cpu_s") for server in plan.SERVERS)
    vs_ncat, vs_relay = ratio(chat10, ncat10), ratio(chat10, relay10)
    p50, p99 = median("open", "netcat-chat", 10, "lat_p50_us"), median("open", "netcat-chat", 10, "lat_p99_us")
    rss = median("rss", "netcat-chat", plan.RSS_CLIENTS, "rss_peak_kib")
    replay = results.maximum("replay", "netcat-chat", 0, "replay_ms_max")
    common = {**plan_values(), "profile_clients": plan.PROFILE_CLIENTS, "perf_seconds": plan.PERF_SECONDS}
    perf_part = render("perf.md.in", {**common, "perf_top": lines(profile.perf_top)}) if profile.perf_top else ""
    syscalls_part = (render("syscalls.md.in", {**common, "syscall_rows": "\n".join(profile.syscall_rows)})
                     if profile.syscall_rows else "")
    values = {
        **common,
        **integrity_values(results, quiet),
        "date": date, "machine": "\n".join(machine),
        "vs_ncat": vs_ncat, "vs_ncat_verdict": verdict(vs_ncat, ">=", plan.TARGET_VS_NCAT),
        "vs_relay": vs_relay, "vs_relay_verdict": verdict(vs_relay, ">=", plan.TARGET_VS_RELAY),
        "no_pause_vs_ncat": ratio(median("closed", "netcat-chat-no-pause", 10, "deliv_per_cpu_s"), ncat10),
        "p50": p50, "p50_verdict": verdict(p50, "<=", plan.TARGET_P50_US),
        "p99": p99, "p99_verdict": verdict(p99, "<=", plan.TARGET_P99_US),
        "relay_p50": median("open", "relay", 10, "lat_p50_us"), "relay_p99": median("open", "relay", 10, "lat_p99_us"),
        "relay_p999": median("open", "relay", 10, "lat_p999_us"),
        "rss_mib": kib_to_mib(rss), "rss_verdict": verdict(rss, "<=", plan.TARGET_RSS_KIB),
        "replay": replay, "replay_verdict": verdict(replay, "<=", plan.TARGET_REPLAY_MS),
        "closed_table": closed_table(results), "closed_nc_table": closed_nc_table(results),
        "open_table": latency_table(results, "open"), "openqa_table": latency_table(results, "openqa"),
        "replay_median": median("replay", "netcat-chat", 0, "replay_ms_p50"),
        "replay_lines": median("replay", "netcat-chat", 0, "replay_lines"),
        "rss": rss, "rss_worst": results.maximum("rss", "netcat-chat", plan.RSS_CLIENTS, "rss_peak_kib"),
        "rss_long": median("rsslong", "netcat-chat", plan.RSS_CLIENTS, "rss_peak_kib"),
        "rss_long_worst": results.maximum("rsslong", "netcat-chat", plan.RSS_CLIENTS, "rss_peak_kib"),
        "ncat_rss": median("closed", "ncat", 10, "rss_peak_kib"),
        "relay_rss": median("closed", "relay", 10, "rss_peak_kib"),
        "instructions_rows": "\n".join(f"| {server} | {per} |" for server, per in profile.instructions),
        "callgrind_top": lines(profile.callgrind_top),
        "perf_part": perf_part, "syscalls_part": syscalls_part,
        "quiet_probes_waited": quiet.probes_waited, "steal_s": results.total("steal_s"),
    }
    return render("report.md.in", values)


def plot_data(results: Results) -> str:
    """gnuplot's data: a row per client count, then for each server its closed-loop deliveries
    per CPU second and its open-loop p50 and p99."""
    rows = []
    for n in plan.CLIENT_COUNTS:
        cells = [str(n)]
        for server in plan.SERVERS:
            cells += [results.median("closed", server, n, "deliv_per_cpu_s"),
                      results.median("open", server, n, "lat_p50_us"), results.median("open", server, n, "lat_p99_us")]
        rows.append(" ".join(cells))
    return lines(rows)


def plot_script(data: Path, png: Path) -> str:
    return render("plot.gp.in", {"data": data, "png": png, "window": plan.WINDOW, "open_rate": plan.OPEN_RATE})


def client_section(figures: Mapping[str, str], date: str) -> str:
    """The client's section from scripts/client_bench.py's `key value` lines."""
    def figure(key: str) -> str:
        return figures.get(key, "")

    worst = figure("replay_ms_worst")
    return render("client.md.in", {
        "date": date, "history": plan.CLIENT_HISTORY, "history_lines": figure("history_lines"),
        "replays": figure("replays"), "median": figure("replay_ms_median"), "worst": worst,
        "target_ms": plan.TARGET_CLIENT_REPLAY_MS,
        "verdict": verdict(worst, "<=", plan.TARGET_CLIENT_REPLAY_MS, missed=CLIENT_MISSED),
        "replay_cpu": figure("replay_client_cpu_ms_median"), "cpu_per_line": figure("cpu_us_per_line"),
        "flood_lines": figure("flood_lines"), "flood_seconds": figure("flood_seconds"),
        "flood_keys": figure("flood_keys_typed"), "intact": figure("flood_typed_line_intact"),
    })


def client_figures(output: str) -> Dict[str, str]:
    """scripts/client_bench.py's `key value` lines as a mapping."""
    figures: Dict[str, str] = {}
    for line in output.splitlines():
        words = line.split()
        if len(words) >= 2:
            figures.setdefault(words[0], words[1])
    return figures


def web_share(results: Results) -> Tuple[str, str]:
    """Half on WebSocket against all on TCP, deliveries per server CPU second, and its verdict."""
    tcp = results.median("tcp", "netcat-chat-web", plan.WEB_CLIENTS, "deliv_per_cpu_s")
    web = results.median("web", "netcat-chat-web", plan.WEB_CLIENTS, "deliv_per_cpu_s")
    share = ratio(web, tcp)
    return share, verdict(share, ">=", plan.TARGET_WEB_VS_TCP)


def web_section(results: Results, date: str, quiet: Quiet) -> str:
    def row(test: str, label: str) -> str:
        cells = [results.median(test, "netcat-chat-web", plan.WEB_CLIENTS, key)
                 for key in ("deliv_per_cpu_s", "deliv_per_s", "server_share", "lat_p50_us", "lat_p99_us")]
        cells[2] = percent(cells[2])
        return f"| {label} | " + " | ".join(cells) + " |"

    share, share_verdict = web_share(results)
    rows = [row("tcp", f"{plan.WEB_CLIENTS} on TCP"),
            row("web", f"{plan.WEB_CLIENTS - plan.WEB_HALF} on TCP + {plan.WEB_HALF} on WebSocket")]
    return render("web.md.in", {
        **plan_values(), **integrity_values(results, quiet),
        "date": date, "web_clients": plan.WEB_CLIENTS, "web_half": plan.WEB_HALF, "rows": "\n".join(rows),
        "share": share, "target": plan.TARGET_WEB_VS_TCP, "verdict": share_verdict,
    })
