// Unit tests of the command line of SPEC §1: defaults, every option, every mistake.
#include "server/options.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using server::ParsedCommandLine;
using Action = ParsedCommandLine::Action;

namespace {
constexpr std::size_t kLimit = 1000;
ParsedCommandLine parse(std::vector<std::string> args) {
  return server::parseCommandLine(args, kLimit);
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

BOOST_AUTO_TEST_SUITE_END()
