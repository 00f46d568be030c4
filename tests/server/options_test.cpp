// Unit tests of the command line of docs/netcat-chat.1: defaults, every option, every mistake.
#include "server/options.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using server::Options;
using server::ParsedCommandLine;
using Action = ParsedCommandLine::Action;
using Mode = Options::Mode;

namespace {
constexpr std::size_t kLimit = 1000;
ParsedCommandLine parse(std::vector<std::string> args) {
  return server::parseCommandLine(args, kLimit);
}

// Checks that `args` is refused with a reason that mentions `mentioned`.
void expectRefused(const std::vector<std::string>& args, const std::string& mentioned) {
  const auto r = parse(args);
  std::string joined;
  for (const auto& arg : args) joined += " " + arg;
  BOOST_TEST((r.action == Action::Usage), "'" << joined << "' should be refused");
  BOOST_TEST(r.problem.find(mentioned) != std::string::npos,
             "'" << joined << "': the reason '" << r.problem << "' does not name " << mentioned);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(options)

BOOST_AUTO_TEST_CASE(no_arguments_means_port_8989_and_spec_defaults) {
  const auto r = parse({});
  BOOST_TEST((r.action == Action::Run));
  BOOST_TEST(r.options.port == 8989);
  BOOST_TEST(r.options.chat.max_clients == 10u);
  BOOST_TEST(r.options.chat.history == 10000u);
  BOOST_TEST(r.options.chat.name_timeout_ms == 60000);
  BOOST_TEST(r.options.bind.empty());
  BOOST_TEST(r.options.log_path.empty());
}

BOOST_AUTO_TEST_CASE(port_and_options_in_any_order_and_both_spellings) {
  const auto r = parse({"--history=5", "2525", "--max-clients", "3", "--log", "chat.log",
                        "--bind=::1", "--name-timeout", "7"});
  BOOST_TEST((r.action == Action::Run));
  BOOST_TEST(r.options.port == 2525);
  BOOST_TEST(r.options.chat.history == 5u);
  BOOST_TEST(r.options.chat.max_clients == 3u);
  BOOST_TEST(r.options.log_path == "chat.log");
  BOOST_TEST(r.options.bind == "::1");
  BOOST_TEST(r.options.chat.name_timeout_ms == 7000);
}

BOOST_AUTO_TEST_CASE(port_bounds_are_1_and_65535) {
  BOOST_TEST(parse({"1"}).options.port == 1);
  BOOST_TEST(parse({"65535"}).options.port == 65535);
  for (const char* bad : {"0", "65536", "99999999999999", "abc", "-1", "12a", "", "+80"}) {
    const auto r = parse({bad});
    BOOST_TEST((r.action == Action::Usage), "port '" << bad << "' should be refused");
    BOOST_TEST(!r.problem.empty());
  }
}

BOOST_AUTO_TEST_CASE(second_positional_is_a_usage_error) {
  const auto r = parse({"2525", "2526"});
  BOOST_TEST((r.action == Action::Usage));
  BOOST_TEST(r.problem.find("2526") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_option_is_a_usage_error_naming_it) {
  const auto r = parse({"--colour"});
  BOOST_TEST((r.action == Action::Usage));
  BOOST_TEST(r.problem.find("--colour") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_values_say_what_was_wrong) {
  const std::vector<std::vector<std::string>> cases = {
      {"--max-clients", "0"},
      {"--max-clients", "1001"},
      {"--max-clients", "ten"},
      {"--history", "-1"},
      {"--history", "1000001"},
      {"--name-timeout", "0"},
      {"--name-timeout", "1.5"},
      {"--log", ""},
      {"--bind="},
      {"--history"},
  };
  for (const auto& args : cases) {
    const auto r = parse(args);
    BOOST_TEST((r.action == Action::Usage), args[0] << " with a bad value should be refused");
    BOOST_TEST(r.problem.find(args[0].substr(0, args[0].find('='))) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(max_clients_is_bounded_by_what_select_can_watch) {
  BOOST_TEST(parse({"--max-clients", "1000"}).options.chat.max_clients == 1000u);
  const auto r = parse({"--max-clients", "1001"});
  BOOST_TEST(r.problem.find("1000") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(help_and_version_win_over_everything) {
  BOOST_TEST((parse({"-h"}).action == Action::Help));
  BOOST_TEST((parse({"2525", "--help"}).action == Action::Help));
  BOOST_TEST((parse({"--version"}).action == Action::Version));
}

BOOST_AUTO_TEST_CASE(help_lists_every_option_with_its_default) {
  const std::string help = server::helpText(kLimit);
  for (const char* word : {"--max-clients", "--history", "--log", "--bind", "--name-timeout",
                           "--help", "--version", "8989", "10000", "60"}) {
    BOOST_TEST(help.find(word) != std::string::npos, "help lacks " << word);
  }
}

BOOST_AUTO_TEST_CASE(flood_and_address_options_have_spec_defaults) {
  const auto r = parse({});
  BOOST_TEST(r.options.chat.rate == 2.0);
  BOOST_TEST(r.options.chat.burst == 20u);
  BOOST_TEST(r.options.chat.max_per_address == 0u);
  BOOST_TEST((r.options.family == net::Family::Any));
  BOOST_TEST((r.options.mode == Mode::Serve));
}

BOOST_AUTO_TEST_CASE(rate_takes_fractions_and_zero) {
  BOOST_TEST(parse({"--rate", "0"}).options.chat.rate == 0.0);
  BOOST_TEST(parse({"--rate", "0.5"}).options.chat.rate == 0.5);
  BOOST_TEST(parse({"--rate=10"}).options.chat.rate == 10.0);
  BOOST_TEST(parse({"--rate", ".25"}).options.chat.rate == 0.25);
  BOOST_TEST(parse({"--rate", "1.000001"}).options.chat.rate == 1.000001);
  for (const char* bad : {"-1", "two", "1e3", ".", "", "1.5.2", "0.0000001", "1000001", "1,5"}) {
    expectRefused({"--rate", bad}, "--rate");
  }
}

BOOST_AUTO_TEST_CASE(burst_and_max_per_address_are_validated) {
  BOOST_TEST(parse({"--burst", "1"}).options.chat.burst == 1u);
  BOOST_TEST(parse({"--burst=50"}).options.chat.burst == 50u);
  BOOST_TEST(parse({"--max-per-address", "3"}).options.chat.max_per_address == 3u);
  BOOST_TEST(parse({"--max-per-address", "0"}).options.chat.max_per_address == 0u);
  expectRefused({"--burst", "0"}, "--burst");
  expectRefused({"--burst", "x"}, "--burst");
  expectRefused({"--max-per-address", "-2"}, "--max-per-address");
  expectRefused({"--max-per-address", "1001"}, "--max-per-address");
}

BOOST_AUTO_TEST_CASE(web_port_is_off_by_default_and_validated) {
  BOOST_TEST(parse({}).options.web_port == 0);
  BOOST_TEST(parse({"2525", "--web", "8080"}).options.web_port == 8080);
  BOOST_TEST(parse({"--web=8081", "-4"}).options.web_port == 8081);
  expectRefused({"--web", "0"}, "--web");
  expectRefused({"--web", "65536"}, "--web");
  expectRefused({"--web", "http"}, "--web");
  expectRefused({"--web"}, "--web");
  expectRefused({"--connect", "host", "--web", "8080"}, "--web");
  BOOST_TEST(server::helpText(kLimit).find("--web PORT") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(web_origins_are_none_by_default_repeatable_and_normalized) {
  BOOST_TEST(parse({"--web", "8080"}).options.web_origins.empty());
  const auto r = parse({"--web", "8080", "--web-origin", "HTTPS://Chat.Example:443",
                        "--web-origin=http://[::1]:8080"});
  BOOST_TEST((r.action == Action::Run));
  BOOST_REQUIRE_EQUAL(r.options.web_origins.size(), 2u);
  BOOST_TEST(r.options.web_origins[0].scheme == "https");
  BOOST_TEST(r.options.web_origins[0].host == "chat.example");
  BOOST_TEST(r.options.web_origins[0].port == 443);
  BOOST_TEST(r.options.web_origins[1].host == "[::1]");
  BOOST_TEST(r.options.web_origins[1].port == 8080);
}

BOOST_AUTO_TEST_CASE(malformed_web_origin_is_a_usage_error_naming_it) {
  for (const char* bad :
       {"chat.example", "ftp://chat.example", "https://chat.example/", "https://chat.example:0",
        "https://chat.example:65536", "https://user@chat.example", "https://", "https://::1",
        "https://[chat]", "https://chat..example", "null", ""}) {
    const auto r = parse({"--web", "8080", "--web-origin", bad});
    BOOST_TEST((r.action == Action::Usage), "--web-origin '" << bad << "' should be refused");
    BOOST_TEST(r.problem.find("--web-origin") != std::string::npos, r.problem);
    BOOST_TEST(r.problem.find("'" + std::string(bad) + "'") != std::string::npos, r.problem);
  }
}

BOOST_AUTO_TEST_CASE(web_origin_goes_with_web_and_only_when_serving) {
  expectRefused({"--web-origin", "https://chat.example"}, "--web PORT");
  expectRefused({"--connect", "h", "--web-origin", "https://chat.example"}, "--web-origin");
  expectRefused({"--web", "8080", "--web-origin"}, "--web-origin");
  BOOST_TEST(server::helpText(kLimit).find("--web-origin ORIGIN") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(nc_port_flag_is_the_positional_port) {
  BOOST_TEST(parse({"-p", "2525"}).options.port == 2525);
  BOOST_TEST(parse({"-p2525"}).options.port == 2525);
  BOOST_TEST(parse({"-lp", "2525"}).options.port == 2525);
  BOOST_TEST(parse({"-lkp2525"}).options.port == 2525);
  expectRefused({"-p", "1", "2"}, "'2'");
  expectRefused({"2", "-p", "1"}, "'1'");
  expectRefused({"-p", "0"}, "0");
  expectRefused({"-p"}, "-p");
}

BOOST_AUTO_TEST_CASE(nc_listen_and_keep_flags_change_nothing) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"-l"}, {"-k"}, {"-lk"}, {"-kl"}, {"-l", "-k"}}) {
    const auto r = parse(args);
    BOOST_TEST((r.action == Action::Run));
    BOOST_TEST((r.options.mode == Mode::Serve));
    BOOST_TEST(r.options.port == 8989);
  }
}

BOOST_AUTO_TEST_CASE(nc_family_flags_group_and_contradict) {
  BOOST_TEST((parse({"-4"}).options.family == net::Family::V4));
  BOOST_TEST((parse({"-6"}).options.family == net::Family::V6));
  BOOST_TEST((parse({"-4l"}).options.family == net::Family::V4));
  BOOST_TEST((parse({"-l6k", "2525"}).options.family == net::Family::V6));
  expectRefused({"-4", "-6"}, "-4 and -6");
  expectRefused({"-46"}, "-4 and -6");
  expectRefused({"-4x"}, "-x");
}

BOOST_AUTO_TEST_CASE(nc_source_flag_is_bind) {
  BOOST_TEST(parse({"-s", "127.0.0.1"}).options.bind == "127.0.0.1");
  BOOST_TEST(parse({"-s::1"}).options.bind == "::1");
  BOOST_TEST(parse({"-4s", "127.0.0.2", "--connect", "h"}).options.bind == "127.0.0.2");
  expectRefused({"-s"}, "-s");
}

BOOST_AUTO_TEST_CASE(connect_takes_host_and_port_in_every_form) {
  struct Case {
    std::vector<std::string> args;
    std::string host;
    std::uint16_t port;
  };
  const std::vector<Case> cases = {
      {{"--connect", "example.org"}, "example.org", 8989},
      {{"--connect", "192.168.1.20", "2525"}, "192.168.1.20", 2525},
      {{"--connect=localhost", "-p", "2525"}, "localhost", 2525},
      {{"--connect", "127.0.0.1:2525"}, "127.0.0.1", 2525},
      {{"--connect", "[::1]:2525"}, "::1", 2525},
      {{"--connect", "[::1]"}, "::1", 8989},
      {{"--connect", "::1"}, "::1", 8989},
      {{"--connect", "fe80::1", "2525"}, "fe80::1", 2525},
      {{"2525", "--connect", "h"}, "h", 2525},
  };
  for (const auto& c : cases) {
    const auto r = parse(c.args);
    BOOST_TEST_CONTEXT(c.args[0] << " " << c.args[1]) {
      BOOST_TEST((r.action == Action::Run));
      BOOST_TEST((r.options.mode == Mode::Connect));
      BOOST_TEST(r.options.connect_host == c.host);
      BOOST_TEST(r.options.port == c.port);
    }
  }
}

BOOST_AUTO_TEST_CASE(connect_mistakes_are_named) {
  expectRefused({"--connect"}, "--connect");
  expectRefused({"--connect", ""}, "--connect");
  expectRefused({"--connect", ":2525"}, "--connect");
  expectRefused({"--connect", "host:"}, "no port");
  expectRefused({"--connect", "[::1"}, "]");
  expectRefused({"--connect", "[::1]x"}, "]");
  expectRefused({"--connect", "[]:2525"}, "--connect");
  expectRefused({"--connect", "host:2525", "2526"}, "2526");
  expectRefused({"--connect", "host", "2525", "2526"}, "2526");
  expectRefused({"--connect", "host:99999"}, "99999");
}

BOOST_AUTO_TEST_CASE(connect_timeout_flag) {
  BOOST_TEST(parse({"--connect", "h"}).options.connect_timeout_ms == 10000);
  BOOST_TEST(parse({"--connect", "h", "-w", "3"}).options.connect_timeout_ms == 3000);
  BOOST_TEST(parse({"-w5", "--connect", "h"}).options.connect_timeout_ms == 5000);
  expectRefused({"--connect", "h", "-w", "0"}, "-w");
  expectRefused({"--connect", "h", "-w", "soon"}, "-w");
}

BOOST_AUTO_TEST_CASE(options_of_the_other_mode_are_a_mistake) {
  for (const char* server_only : {"--max-clients=3", "--history=3", "--log=x", "--name-timeout=3",
                                  "--rate=1", "--burst=3", "--max-per-address=1"}) {
    const std::string option(server_only);
    expectRefused({"--connect", "h", option}, option.substr(0, option.find('=')));
  }
  expectRefused({"--connect", "h", "-l"}, "-l");
  expectRefused({"-k", "--connect", "h"}, "-k");
  expectRefused({"-w", "3"}, "-w");
  expectRefused({"2525", "-w3"}, "-w");
}

BOOST_AUTO_TEST_CASE(keepalive_defaults_to_60_in_both_modes) {
  BOOST_TEST(parse({}).options.keepalive_s == 60);
  BOOST_TEST(parse({"--connect", "h"}).options.keepalive_s == 60);
}

BOOST_AUTO_TEST_CASE(keepalive_takes_0_to_3600_in_both_modes) {
  BOOST_TEST(parse({"--keepalive", "0"}).options.keepalive_s == 0);
  BOOST_TEST(parse({"--keepalive=1"}).options.keepalive_s == 1);
  BOOST_TEST(parse({"2525", "--keepalive", "3600"}).options.keepalive_s == 3600);
  const auto client = parse({"--connect", "h", "--keepalive", "2"});
  BOOST_TEST((client.action == Action::Run));
  BOOST_TEST((client.options.mode == Mode::Connect));
  BOOST_TEST(client.options.keepalive_s == 2);
  BOOST_TEST(parse({"--keepalive", "5", "--connect", "h:2525"}).options.keepalive_s == 5);
}

BOOST_AUTO_TEST_CASE(bad_keepalive_is_a_usage_error_saying_the_range) {
  for (const char* bad : {"3601", "-1", "1.5", "soon", "", "99999999999999", "+5", " 5"}) {
    const auto r = parse({"--keepalive", bad});
    BOOST_TEST((r.action == Action::Usage), "--keepalive '" << bad << "' should be refused");
    BOOST_TEST(r.problem ==
               "--keepalive takes 0 (off) or a whole number of seconds from 1 to "
               "3600, not '" +
                   std::string(bad) + "'");
  }
  expectRefused({"--connect", "h", "--keepalive", "4000"}, "--keepalive");
  expectRefused({"--keepalive"}, "--keepalive needs a value");
}

BOOST_AUTO_TEST_CASE(help_describes_keepalive_with_its_default_and_range) {
  const std::string help = server::helpText(kLimit);
  BOOST_TEST(help.find("--keepalive S") != std::string::npos);
  BOOST_TEST(help.find("(default 60, 0: off, at most 3600)") != std::string::npos, help);
}

BOOST_AUTO_TEST_CASE(flags_that_take_no_value_refuse_one) {
  expectRefused({"--help=yes"}, "--help");
  expectRefused({"--version=2"}, "--version");
}

BOOST_AUTO_TEST_CASE(help_describes_both_modes_and_every_flag) {
  const std::string help = server::helpText(kLimit);
  for (const char* word : {"--rate", "--burst", "--max-per-address", "--connect", "-p PORT",
                           "-s ADDR", "-w S", "-4, -6", "-l, -k", "(default 2)", "(default 20",
                           "HOST:PORT", "[IPv6]:PORT", "--connect 192.168.1.20"}) {
    BOOST_TEST(help.find(word) != std::string::npos, "help lacks " << word);
  }
}

BOOST_AUTO_TEST_CASE(connect_takes_a_password_file) {
  const auto r = parse({"--connect", "h", "--password-file", "chat.pw"});
  BOOST_TEST((r.action == Action::Run));
  BOOST_TEST(r.options.password_file == "chat.pw");
  BOOST_TEST(parse({"--connect", "h"}).options.password_file.empty());
  expectRefused({"--connect", "h", "--password-file", ""}, "--password-file");
  expectRefused({"--connect", "h", "--password-file"}, "--password-file");
}

// --- who may connect (docs/ACCESS.md) ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(allow_deny_and_trusted_proxy_are_repeatable_rules) {
  const auto r =
      parse({"--allow", "192.168.1.0/24", "--allow=2001:db8::/32", "--deny", "192.168.1.13",
             "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1/128"});
  BOOST_TEST((r.action == Action::Run), r.problem);
  const server::AddressRules& rules = r.options.address_rules;
  const auto judge = [&rules](const char* text) {
    return rules.judge(*server::parseIpAddress(text));
  };
  BOOST_TEST(judge("192.168.1.7").allowed);
  BOOST_TEST(judge("2001:db8::7").allowed);
  BOOST_TEST(!judge("10.0.0.1").allowed);
  BOOST_TEST(judge("192.168.1.13").why == "address not allowed (--deny 192.168.1.13)");
  BOOST_TEST(r.options.trusted_proxies.size() == 2u);
}

BOOST_AUTO_TEST_CASE(rule_files_are_kept_in_order_for_start_up) {
  const auto r = parse({"--denyfile", "a.txt", "--allowfile=b.txt", "--denyfile", "c.txt"});
  BOOST_TEST((r.action == Action::Run), r.problem);
  BOOST_REQUIRE(r.options.rule_files.size() == 3u);
  BOOST_TEST((r.options.rule_files[0].first == server::AddressRules::List::Deny));
  BOOST_TEST(r.options.rule_files[0].second == "a.txt");
  BOOST_TEST((r.options.rule_files[1].first == server::AddressRules::List::Allow));
  BOOST_TEST(r.options.rule_files[2].second == "c.txt");
}

BOOST_AUTO_TEST_CASE(bad_address_rules_are_named_with_their_problem) {
  expectRefused({"--allow", "10.0.0.0/33"}, "--allow '10.0.0.0/33': the prefix length");
  expectRefused({"--deny", "example.com"},
                "--deny 'example.com': 'example.com' is not an IPv4 or IPv6 address");
  expectRefused({"--trusted-proxy", "::1/129"}, "from 0 to 128");
  expectRefused({"--deny", ""}, "--deny '': ");
  expectRefused({"--allow"}, "--allow needs a value");
  expectRefused({"--allowfile", ""}, "--allowfile needs a file name");
  std::vector<std::string> many;
  for (int i = 0; i <= 64; ++i) {
    many.push_back("--trusted-proxy");
    many.push_back("10.0.0." + std::to_string(i));
  }
  expectRefused(many, "more than 64 --trusted-proxy rules");
}

BOOST_AUTO_TEST_CASE(address_rules_are_server_options) {
  for (const char* option : {"--allow", "--deny", "--allowfile", "--denyfile", "--trusted-proxy"}) {
    expectRefused({"--connect", "localhost", option, "127.0.0.1"},
                  std::string(option) + " is a server option");
  }
}

BOOST_AUTO_TEST_CASE(help_describes_the_address_rules) {
  const std::string help = server::helpText(kLimit);
  for (const char* word :
       {"--allow ADDR[/BITS]", "--deny ADDR[/BITS]", "--allowfile FILE", "--denyfile FILE",
        "--trusted-proxy ADDR[/BITS]", "X-Forwarded-For", "PROXY protocol"}) {
    BOOST_TEST(help.find(word) != std::string::npos, "help lacks " << word);
  }
}

BOOST_AUTO_TEST_SUITE_END()
