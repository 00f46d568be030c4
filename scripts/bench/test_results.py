# Tests of results.py: loadgen's RESULT lines, the kept runs and the report's statistics.
import unittest

from results import (Results, Run, awk_number, is_disturbed, kib_to_mib, parse_fields, per_delivery, percent,
                     progress_line, ratio, result_fields, smoke_status, verdict)

# A real run's output: the RESULT line among loadgen's comment lines.
LOADGEN_OUTPUT = """\
RESULT server=netcat-chat mode=chat loop=closed clients=10 web_clients=0 senders=10 window=4 rate=0 \
quickack=1 nodelay=1 payload_bytes=40 sent=436980 deliveries=3932820 expected=3932820 lost=0 duplicates=0 \
reordered=0 malformed=0 wall_s=2.000 deliv_per_s=1966304 server_cpu_s=1.48 deliv_per_cpu_s=2657311 \
loadgen_cpu_s=1.55 other_cpu_s=0.00 steal_s=0.00 lat_p50_us=144.6 lat_p90_us=210.1 lat_p99_us=355.2 \
lat_p999_us=2072.0 lat_max_us=9614.1 send_lag_p99_us=0.0 rss_peak_kib=5144 preload=0 replays=0 \
replay_ms_p50=0.00 replay_ms_max=0.00 replay_lines=0 replay_ok=1
# netcat-chat: 10 clients (10 sending), 436980 sent, 3932820 of 3932820 delivered in 2.00 s
#   server peak RSS 5144 KiB
"""


def run(test="closed", server="netcat-chat", n=10, rep=1, disturbed=False, **fields):
    values = {"server": server, "wall_s": "2.000", "server_cpu_s": "1.00", "loadgen_cpu_s": "1.00",
              "other_cpu_s": "0.00", "lost": "0", "steal_s": "0.00"}
    values.update({key: str(value) for key, value in fields.items()})
    return Run(test, rep, n, 1, disturbed, values)


class ResultLineTest(unittest.TestCase):
    def test_finds_the_result_line_among_comments(self):
        fields = parse_fields(result_fields(LOADGEN_OUTPUT))
        self.assertEqual(fields["server"], "netcat-chat")
        self.assertEqual(fields["deliv_per_cpu_s"], "2657311")
        self.assertEqual(fields["lat_p50_us"], "144.6")
        self.assertEqual(len(fields), 38)

    def test_output_without_a_result_line_has_none(self):
        self.assertIsNone(result_fields("loadgen: connect: Connection refused\n"))

    def test_a_value_may_hold_an_equals_sign_and_bare_words_are_skipped(self):
        self.assertEqual(parse_fields("a=1 junk b=x=y"), {"a": "1", "b": "x=y"})

    def test_a_kept_run_reads_back_as_written(self):
        line = "test=open rep=2 n=5 attempts=2 disturbed=1 " + result_fields(LOADGEN_OUTPUT)
        kept = Run.from_line(line)
        self.assertEqual((kept.test, kept.rep, kept.n, kept.attempts, kept.disturbed), ("open", 2, 5, 2, True))
        self.assertEqual(kept.line(), line)

    def test_the_progress_line_shows_the_chosen_fields_in_loadgens_order(self):
        fields = parse_fields(result_fields(LOADGEN_OUTPUT))
        self.assertEqual(progress_line("closed", "netcat-chat", 10, fields),
                         "  closed  netcat-chat          10 clients  lost=0 deliv_per_cpu_s=2657311 "
                         "other_cpu_s=0.00 lat_p50_us=144.6 lat_p99_us=355.2 rss_peak_kib=5144 replay_ms_max=0.00")


class StatisticsTest(unittest.TestCase):
    def test_median_is_a_measured_value_as_printed(self):
        results = Results([run(lat_p50_us="122.40"), run(lat_p50_us="99.1"), run(lat_p50_us="130.0")])
        self.assertEqual(results.median("closed", "netcat-chat", 10, "lat_p50_us"), "122.40")

    def test_median_of_an_even_count_is_the_lower_middle(self):
        results = Results([run(rss_peak_kib=v) for v in (5608, 5500, 5700, 5624)])
        self.assertEqual(results.median("closed", "netcat-chat", 10, "rss_peak_kib"), "5608")

    def test_median_sorts_numerically_not_as_text(self):
        results = Results([run(deliv_per_s=v) for v in (9, 10, 100)])
        self.assertEqual(results.median("closed", "netcat-chat", 10, "deliv_per_s"), "10")

    def test_only_runs_of_that_test_server_and_client_count_count(self):
        results = Results([run(lat_p99_us=1), run(test="open", lat_p99_us=2), run(server="ncat", lat_p99_us=3),
                           run(n=5, lat_p99_us=4)])
        self.assertEqual(results.values("closed", "netcat-chat", 10, "lat_p99_us"), [1])

    def test_median_without_runs_is_not_available(self):
        self.assertEqual(Results().median("closed", "netcat-chat", 10, "lat_p50_us"), "n/a")
        self.assertEqual(Results().maximum("replay", "netcat-chat", 0, "replay_ms_max"), "n/a")

    def test_maximum_is_the_worst_run(self):
        results = Results([run("replay", n=0, replay_ms_max=v) for v in ("1.56", "1.73", "0.98")])
        self.assertEqual(results.maximum("replay", "netcat-chat", 0, "replay_ms_max"), "1.73")

    def test_cpu_shares_are_percentages_of_the_wall_time(self):
        results = Results([run(wall_s="2.000", server_cpu_s="1.17", loadgen_cpu_s="1.98")])
        self.assertEqual(percent(results.median("closed", "netcat-chat", 10, "server_share")), "58%")
        self.assertEqual(percent(results.median("closed", "netcat-chat", 10, "loadgen_share")), "99%")

    def test_a_run_without_wall_time_has_no_cpu_share(self):
        results = Results([run(wall_s="0.000", server_cpu_s="0.00")])
        self.assertEqual(results.median("closed", "netcat-chat", 10, "server_share"), "0")

    def test_totals_add_every_run(self):
        results = Results([run(lost=0, steal_s="0.01"), run(lost=3, steal_s="0.15", disturbed=True),
                           run(lost=2, steal_s="0.00")])
        self.assertEqual(results.total("lost"), "5")
        self.assertEqual(results.total("steal_s"), "0.16")
        self.assertEqual(results.total("disturbed"), "1")
        self.assertEqual(results.total("no_such_field"), "0")

    def test_computed_numbers_print_as_awk_prints_them(self):
        self.assertEqual(awk_number(58.0), "58")
        self.assertEqual(awk_number(100 * 1.17 / 2.0), "58.5")
        self.assertEqual(awk_number(100 / 3), "33.3333")


class FormattingTest(unittest.TestCase):
    def test_ratio_has_two_decimals(self):
        self.assertEqual(ratio("3315259", "2107559"), "1.57")

    def test_ratio_of_a_missing_or_zero_figure_is_not_available(self):
        self.assertEqual(ratio("n/a", "2107559"), "n/a")
        self.assertEqual(ratio("3315259", "0"), "n/a")

    def test_verdict_compares_against_the_target(self):
        self.assertEqual(verdict("1.57", ">=", 1.5), "met")
        self.assertEqual(verdict("1.49", ">=", 1.5), "**NOT met**")
        self.assertEqual(verdict("400", "<=", 400), "met")
        self.assertEqual(verdict("400.1", "<=", 400), "**NOT met**")

    def test_a_missing_figure_never_meets_a_target(self):
        self.assertEqual(verdict("n/a", "<=", 100), "**NOT met**")
        self.assertEqual(verdict("", "<=", 200, missed="NOT met"), "NOT met")

    def test_memory_in_mebibytes(self):
        self.assertEqual(kib_to_mib("5608"), "5.5")
        self.assertEqual(kib_to_mib("n/a"), "n/a")

    def test_percent_of_a_missing_share_is_not_available(self):
        self.assertEqual(percent("n/a"), "n/a")
        self.assertEqual(percent("98.5"), "98%")

    def test_instructions_per_delivery_cancel_start_up(self):
        self.assertEqual(per_delivery((10_000_000, 9000), (17_722_000, 27000)), "429")

    def test_instructions_per_delivery_need_more_of_both(self):
        self.assertEqual(per_delivery((0, 0), (0, 27000)), "n/a")
        self.assertEqual(per_delivery((10, 9000), (20, 9000)), "n/a")


class DisturbedTest(unittest.TestCase):
    def test_other_work_above_the_share_disturbs_a_run(self):
        self.assertTrue(is_disturbed({"wall_s": "2.000", "other_cpu_s": "0.21"}, 10))

    def test_other_work_below_the_share_does_not(self):
        self.assertFalse(is_disturbed({"wall_s": "2.000", "other_cpu_s": "0.19"}, 10))
        self.assertFalse(is_disturbed({"wall_s": "2.000", "other_cpu_s": "0.05"}, 10))

    def test_a_run_without_wall_time_is_not_disturbed(self):
        self.assertFalse(is_disturbed({"wall_s": "0.000", "other_cpu_s": "0.50"}, 10))


class SmokeStatusTest(unittest.TestCase):
    def test_clean_runs_pass(self):
        self.assertEqual(smoke_status([0, 0, 0]), 0)

    def test_a_lost_message_fails_the_smoke_run(self):
        self.assertEqual(smoke_status([0, 1, 0]), 1)

    def test_a_run_that_could_not_complete_outweighs_a_lost_message(self):
        self.assertEqual(smoke_status([1, 2, 0]), 2)
        self.assertEqual(smoke_status([1, None, 1]), 2)


if __name__ == "__main__":
    unittest.main()
