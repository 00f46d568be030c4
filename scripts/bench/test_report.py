# Tests of report.py: the pages the templates make from kept runs.
import re
import unittest

import plan
from report import (Profile, Quiet, client_figures, client_section, plot_data, plot_script, server_report,
                    web_section, web_share)
from results import Results, Run
from sections import CLIENT, WEB, section_of

DATE = "2026-12-04 21:54 UTC"
MACHINE = ["- CPU: Test CPU, 2 logical CPUs, 2600.000 MHz, cache 512 KB", "- Memory: 23.5 GiB",
           "- Kernel: Linux 6.1.0 x86_64 GNU/Linux", "- Compiler: g++ 12.2.0", "- ncat: Ncat: Version 7.93"]
# deliveries per server CPU second of the closed loop at 10 clients, by server
CLOSED_10 = {"netcat-chat": 3315259, "netcat-chat-no-pause": 2625264, "ncat": 2107559, "relay": 1689961}
HEADINGS = ["# Benchmarks", "## Machine", "## Targets (10 clients)", "## Closed loop: throughput and CPU cost",
            "## Open loop: latency (µs)", "## History and memory (netcat-chat)", "## Instructions per delivery",
            "## Integrity", "## Commands"]


def run(test, server, n, rep=1, disturbed=False, **fields):
    values = {"server": server, "wall_s": "2.000", "server_cpu_s": "1.16", "loadgen_cpu_s": "1.24",
              "other_cpu_s": "0.00", "steal_s": "0.00", "lost": "0", "duplicates": "0", "reordered": "0",
              "malformed": "0", "deliv_per_s": "1922713"}
    values.update({key: str(value) for key, value in fields.items()})
    return Run(test, rep, n, 1, disturbed, values)


def full_run() -> Results:
    """Three rounds of every cell the report reads, with figures that tell the cells apart."""
    runs = []
    for rep in (1, 2, 3):
        for n in plan.CLIENT_COUNTS:
            for server in plan.CLOSED_SERVERS:
                base = CLOSED_10[server] if n == 10 else 1000 * n
                runs.append(run("closed", server, n, rep, deliv_per_cpu_s=base + rep - 2, rss_peak_kib=5000 + n))
            for server in plan.SERVERS:
                for test in ("open", "openqa"):
                    runs.append(run(test, server, n, rep, lat_p50_us=f"{100 + n + rep}.5",
                                    lat_p99_us=f"{300 + n + rep}.0", lat_p999_us=f"{2000 + n}.3"))
        for server in plan.CLOSED_SERVERS:
            runs.append(run("closednc", server, 10, rep, deliv_per_cpu_s=3000000 + rep))
        runs.append(run("replay", "netcat-chat", 0, rep, replay_ms_p50=f"1.0{rep}", replay_ms_max=f"1.{rep}3",
                        replay_lines=10000))
        runs.append(run("rss", "netcat-chat", 10, rep, rss_peak_kib=5600 + rep))
        runs.append(run("rsslong", "netcat-chat", 10, rep, rss_peak_kib=7200 + rep, disturbed=rep == 3,
                        steal_s="0.05"))
    return Results(runs)


PROFILE = Profile(instructions=[("netcat-chat", "429"), ("ncat", "335"), ("relay", "8")],
                  callgrind_top=["2,512,995 (17.92%)  ???:std::string::_M_append(char const*, unsigned long)"])


class ServerReportTest(unittest.TestCase):
    def setUp(self):
        self.page = server_report(full_run(), PROFILE, MACHINE, DATE, Quiet(failed_runs=1, probes_waited=7))

    def test_the_page_has_the_sections_of_the_report_in_order(self):
        self.assertEqual([line for line in self.page.splitlines() if line.startswith("#")], HEADINGS)

    def test_every_placeholder_is_filled(self):
        self.assertNotIn("$", self.page)

    def test_the_targets_compare_the_ten_client_medians(self):
        self.assertIn("| deliveries per server CPU second ≥ 1.5× ncat --chat | 1.57× | met | |", self.page)
        self.assertIn("| deliveries per server CPU second ≥ 0.9× raw relay | 1.96× | met | |", self.page)
        self.assertIn("| (the same against ncat, built without the gather pause) | 1.25× | | |", self.page)
        self.assertIn("| latency p50 ≤ 200 µs at 1000 msg/s, nc-like clients | 112.5 µs | met | 112.5 µs |",
                      self.page)
        self.assertIn("| peak RSS ≤ 8 MiB, 10 clients, 10000 history lines | 5.5 MiB | met | |", self.page)
        self.assertIn("| newcomer gets 10000 history lines ≤ 100 ms (worst of all replays) | 1.33 ms | met | |",
                      self.page)

    def test_a_missed_target_is_bold(self):
        results = full_run()
        for kept in results.runs:
            if kept.test == "open" and kept.fields["server"] == "netcat-chat" and kept.n == 10:
                kept.fields["lat_p99_us"] = "512.0"
        page = server_report(results, PROFILE, MACHINE, DATE, Quiet())
        self.assertIn("| latency p99 ≤ 400 µs at 1000 msg/s, nc-like clients | 512.0 µs | **NOT met** |", page)

    def test_the_closed_loop_table_has_a_row_per_clients_and_server(self):
        rows = [line for line in self.page.splitlines() if re.match(r"\| (1 \(\+1 listener\)|\d+) \| [a-z-]+ \|", line)]
        self.assertEqual(len(rows), len(plan.CLIENT_COUNTS) * len(plan.CLOSED_SERVERS))
        self.assertEqual(rows[0], "| 1 (+1 listener) | netcat-chat | 1922713 | 58% | 62% | 1000 |  |")
        self.assertEqual(rows[-1], "| 10 | relay | 1922713 | 58% | 62% | 1689961 | 1.96 |")

    def test_the_latency_tables_show_p50_p99_and_p999_per_server(self):
        self.assertIn("| 10 | 112.5 / 312.0 / 2010.3 | 112.5 / 312.0 / 2010.3 | 112.5 / 312.0 / 2010.3 |", self.page)
        self.assertIn("| 1 (+1 listener) | 103.5 / 303.0 / 2001.3 |", self.page)

    def test_history_and_memory(self):
        self.assertIn("| newcomer: name sent → own prompt, 10000 history lines (ms) | 1.02 | 1.33 |", self.page)
        self.assertIn("| the same with 200 bytes of text per line instead of 40 (KiB) | 7202 | 7203 |", self.page)

    def test_instructions_and_the_callgrind_rows(self):
        self.assertIn("|---|---|\n| netcat-chat | 429 |\n| ncat | 335 |\n| relay | 8 |\n\nWhere", self.page)
        self.assertIn("```\n2,512,995 (17.92%)  ???:std::string::_M_append(char const*, unsigned long)\n```\n\n"
                      "## Integrity", self.page)

    def test_without_perf_its_parts_are_left_out(self):
        self.assertNotIn("perf record", self.page)
        self.assertNotIn("| server | send() |", self.page)

    def test_with_perf_its_parts_follow_the_callgrind_rows(self):
        profile = Profile(PROFILE.instructions, PROFILE.callgrind_top, ["    83.32%  [kernel.kallsyms]  ", "",
                                                                        "    41.05%     0.38%  [.] __libc_recv"],
                          ["| netcat-chat | 0.066 | 0.028 | 0.007 | 0.088 |"])
        page = server_report(full_run(), profile, MACHINE, DATE, Quiet())
        self.assertIn("unsigned long)\n```\n\nWhere netcat-chat's CPU time goes", page)
        self.assertIn("```\n    83.32%  [kernel.kallsyms]  \n\n    41.05%     0.38%  [.] __libc_recv\n```\n\n"
                      "System calls", page)
        self.assertIn("|---|---|---|---|---|\n| netcat-chat | 0.066 | 0.028 | 0.007 | 0.088 |\n\n## Integrity", page)

    def test_integrity_counts_every_kept_run(self):
        kept = len(full_run().runs)
        self.assertIn("Over all runs: 0 lost, 0 duplicated, 0 reordered,\n0 malformed deliveries; 1 runs failed",
                      self.page)
        self.assertIn(f"Other work on the machine: 1 of {kept} kept runs", self.page)
        self.assertIn("script waited 7×0.3 s for quiet. Stolen time over all runs: 0.15 s.", self.page)

    def test_the_date_and_machine_are_stated(self):
        self.assertIn(f"`scripts/bench.sh` on {DATE}. Each cell is the median of 3 runs,", self.page)
        self.assertIn("## Machine\n\n" + "\n".join(MACHINE) + "\n- Server pinned to CPU 1", self.page)

    def test_an_empty_run_says_not_available_rather_than_failing(self):
        page = server_report(Results(), Profile(), MACHINE, DATE, Quiet())
        self.assertIn("| deliveries per server CPU second ≥ 1.5× ncat --chat | n/a× | **NOT met** | |", page)
        self.assertIn("| 10 | n/a / n/a / n/a | n/a / n/a / n/a | n/a / n/a / n/a |", page)


class PlotTest(unittest.TestCase):
    def test_a_row_per_client_count_with_three_figures_per_server(self):
        rows = plot_data(full_run()).splitlines()
        self.assertEqual(len(rows), len(plan.CLIENT_COUNTS))
        self.assertEqual(rows[-1].split(), ["10", "3315259", "112.5", "312.0", "2107559", "112.5", "312.0",
                                            "1689961", "112.5", "312.0"])

    def test_missing_figures_are_what_gnuplot_skips(self):
        self.assertEqual(plot_data(Results()).splitlines()[0], "1" + " n/a" * 9)
        self.assertIn('set datafile missing "n/a"', plot_script("plot.dat", "out.png"))

    def test_the_script_names_its_files(self):
        script = plot_script("/tmp/w/plot.dat", "/r/docs/benchmarks.png")
        self.assertIn('set output "/r/docs/benchmarks.png"', script)
        self.assertIn('plot "/tmp/w/plot.dat" using 1:2', script)
        self.assertNotIn("$", script)


CLIENT_OUTPUT = """\
history_lines 10000
replays 5
replay_ms_median 36.8
replay_ms_worst 48.9
replay_client_cpu_ms_median 14.5
flood_lines 20000
flood_seconds 0.174
flood_keys_typed 28
flood_typed_line_intact yes
cpu_us_per_line 1.16
"""


class ClientSectionTest(unittest.TestCase):
    def test_the_section_from_client_bench_figures(self):
        section = client_section(client_figures(CLIENT_OUTPUT), "2026-12-01 21:41 UTC")
        self.assertEqual(section_of(section, CLIENT), section.rstrip("\n"))
        self.assertIn("`scripts/bench.sh --client` on 2026-12-01 21:41 UTC: the client", section)
        self.assertIn("| Enter after the name until the prompt below a 10000-line history is written (5 runs) | "
                      "median 36.8 ms, worst 48.9 ms | ≤ 200 ms, met |", section)
        self.assertIn("| the flood reached the screen in | 0.174 s, 28 keys typed meanwhile, "
                      "typed line intact: yes | |", section)

    def test_a_slow_client_misses_its_target(self):
        section = client_section(client_figures(CLIENT_OUTPUT.replace("48.9", "201.0")), "x")
        self.assertIn("worst 201.0 ms | ≤ 200 ms, NOT met |", section)


class WebSectionTest(unittest.TestCase):
    def setUp(self):
        runs = []
        for rep in (1, 2, 3):
            runs.append(run("tcp", "netcat-chat-web", 10, rep, deliv_per_cpu_s=1635042 + rep, lat_p50_us="298.4",
                            lat_p99_us="469.7"))
            runs.append(run("web", "netcat-chat-web", 10, rep, deliv_per_cpu_s=1477103 + rep, lat_p50_us="296.9",
                            lat_p99_us="520.8"))
        self.results = Results(runs)

    def test_half_on_websocket_against_all_on_tcp(self):
        self.assertEqual(web_share(self.results), ("0.90", "met"))
        section = web_section(self.results, DATE, Quiet())
        self.assertEqual(section_of(section, WEB), section.rstrip("\n"))
        self.assertIn("| 10 on TCP | 1635044 | 1922713 | 58% | 298.4 | 469.7 |\n"
                      "| 5 on TCP + 5 on WebSocket | 1477105 | 1922713 | 58% | 296.9 | 520.8 |\n\n", section)
        self.assertIn("**0.90** (target ≥ 0.85, met).", section)
        self.assertIn("0 runs failed; 0 of 6 runs had other processes using more than 10% of a CPU.", section)
        self.assertNotIn("$", section)

    def test_a_slow_websocket_path_misses_the_target(self):
        for kept in self.results.runs:
            if kept.test == "web":
                kept.fields["deliv_per_cpu_s"] = "1300000"
        self.assertEqual(web_share(self.results), ("0.80", "**NOT met**"))


if __name__ == "__main__":
    unittest.main()
