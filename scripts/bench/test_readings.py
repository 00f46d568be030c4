# Tests of readings.py: /proc and the profilers' output, read as the report needs them.
import unittest

from readings import (busy_ticks, callgrind_totals, ephemeral_low, first_value, listening_ports, local_ports,
                      memory_gib, perf_top, quiet_allowance, shorten_symbols, syscall_row, top_functions)

PROC_STAT = """\
cpu  1384126 95937 414421 359637 1404 0 3618 0 0 0
cpu0 692063 47968 207210 179818 702 0 1809 0 0 0
intr 123456
"""
TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:D457 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1332547 1
   1: 0100007F:9E41 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1332546 1
"""
TCP6 = """\
  sl  local_address                         remote_address                        st tx_queue rx_queue
   0: 00000000000000000000000000000000:4E21 00000000000000000000000000000000:0000 0A 00000000:00000000
   1: 0000000000000000FFFF00000100007F:426A 0000000000000000FFFF00000100007F:EA7C 06 00000000:00000000
"""
ANNOTATE = """\
--------------------------------------------------------------------------------
Ir
--------------------------------------------------------------------------------
14,012,345 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                  file:function
--------------------------------------------------------------------------------
2,512,995 (17.92%)  ???:std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_append(char const*, unsigned long) [/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30]
  842,800 ( 6.01%)  build/linux/../../src/chat/chat.cpp:chat::Chat::queueWithPrompt(chat::Chat::Client&, std::basic_string_view<char, std::char_traits<char> >, chat::Now const&) [/bin/netcat-chat]
"""
PERF_BY_BINARY = """\
# Samples: 8K of event 'cpu-clock'
#
    83.32%  [kernel.kallsyms]  
     9.38%  netcat-chat-symbols
"""
PERF_BY_SYMBOL = """\
# Children      Self  Symbol
    41.05%     0.38%  [.] __libc_recv
    39.15%     1.37%  [k] tcp_recvmsg_locked
    12.00%     2.00%  [k] some_other_function
     4.55%     0.15%  [.] __select
            |
            ---__select
"""
PERF_STAT = """\
# started on Mon Dec  7 01:12:46 2026

66000,,syscalls:sys_enter_sendto,2960843,100.00,,
28000,,syscalls:sys_enter_recvfrom,2960843,100.00,,
<not counted>,,syscalls:sys_enter_pselect6,0,0.00,,
88000,,net:net_dev_xmit,2960843,100.00,,
"""


class ProcTest(unittest.TestCase):
    def test_busy_ticks_are_user_nice_system_irq_and_softirq_of_all_cpus(self):
        self.assertEqual(busy_ticks(PROC_STAT), 1384126 + 95937 + 414421 + 0 + 3618)

    def test_quiet_allows_a_share_of_one_cpu_per_probe(self):
        self.assertEqual(quiet_allowance(100, 0.3, 10), 3)
        self.assertEqual(quiet_allowance(100, 0.25, 10), 2)

    def test_listening_ports_from_both_tables(self):
        self.assertEqual(listening_ports(TCP, TCP6), {0xD457, 0x4E21})

    def test_connected_sockets_do_not_listen(self):
        self.assertNotIn(0x9E41, listening_ports(TCP))
        self.assertNotIn(0x426A, listening_ports(TCP6))

    def test_a_connection_takes_its_local_port_too(self):
        self.assertEqual(local_ports(TCP, TCP6), {0xD457, 0x9E41, 0x4E21, 0x426A})

    def test_outgoing_connections_take_ports_from_the_ephemeral_range(self):
        self.assertEqual(ephemeral_low("32768\t60999\n"), 32768)
        self.assertEqual(ephemeral_low("1024 65535"), 1024)
        self.assertEqual(ephemeral_low(""), 32768)

    def test_machine_facts(self):
        cpuinfo = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\ncpu MHz\t\t: 2600.000\n"
        self.assertEqual(first_value(cpuinfo, "model name"), "Intel(R) Xeon(R) Processor")
        self.assertEqual(first_value(cpuinfo, "cpu MHz"), "2600.000")
        self.assertIsNone(first_value(cpuinfo, "cache size"))
        self.assertEqual(memory_gib("MemTotal:       24641260 kB\nMemFree: 1 kB\n"), "23.5 GiB")


class ProfilerTest(unittest.TestCase):
    def test_callgrind_totals(self):
        self.assertEqual(callgrind_totals("events: Ir\nsummary: 99\ntotals: 14012345\n"), 14012345)
        self.assertIsNone(callgrind_totals("events: Ir\n"))

    def test_top_functions_are_the_rows_under_the_heading_shortened(self):
        self.assertEqual(top_functions(ANNOTATE), [
            "2,512,995 (17.92%)  ???:std::string::_M_append(char const*, unsigned long)",
            "  842,800 ( 6.01%)  src/chat/chat.cpp:chat::Chat::queueWithPrompt(chat::Chat::Client&, std::string_view, "
            "chat::Now const&)",
        ])

    def test_top_functions_stop_at_the_count(self):
        self.assertEqual(len(top_functions(ANNOTATE, count=1)), 1)

    def test_long_symbols_are_cut(self):
        self.assertEqual(len(shorten_symbols(["x" * 300])[0]), 140)
        self.assertEqual(shorten_symbols(["  1.0%  main - - "]), ["  1.0%  main"])

    def test_perf_shows_binaries_then_the_chosen_functions(self):
        self.assertEqual(perf_top(PERF_BY_BINARY, PERF_BY_SYMBOL), [
            "    83.32%  [kernel.kallsyms]  ",
            "     9.38%  netcat-chat-symbols",
            "",
            "    41.05%     0.38%  [.] __libc_recv",
            "    39.15%     1.37%  [k] tcp_recvmsg_locked",
            "     4.55%     0.15%  [.] __select",
        ])

    def test_system_calls_per_delivery(self):
        self.assertEqual(syscall_row("netcat-chat", PERF_STAT, 1_000_000),
                         "| netcat-chat | 0.066 | 0.028 | 0.000 | 0.088 |")

    def test_no_row_for_a_run_that_delivered_nothing(self):
        self.assertIsNone(syscall_row("ncat", PERF_STAT, 0))


if __name__ == "__main__":
    unittest.main()
