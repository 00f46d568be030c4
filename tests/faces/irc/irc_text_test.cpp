// Unit tests of the IRC text rules: formatting removal, CTCP, nick syntax and the name mapping.
#include "faces/irc/irc_text.hpp"

#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <vector>

namespace irc = faces::irc;

namespace {

std::string stripped(std::string_view in) {
  std::string out;
  irc::stripFormatting(in, out);
  return out;
}

// Names as the chat allows them: spaces, punctuation, non-ASCII; never brackets.
const std::vector<std::string> kNames = {
    "alice",  "Ana Lee",   "ana_lee",     "ana lee ",
    "x@y!",   "9lives",    "-dash",       "José",
    "jose",   "a_b c",     "a b_c",       "{}",
    "{7b}",   "_",         " ",           "\xF0\x9F\x98\x80 smile",
    "Zoë",    "trailing-", "back\\slash", "pipe|and^caret",
    "a{5f}b", "a_b",       "a-b",         "ab",
};

}  // namespace

BOOST_AUTO_TEST_SUITE(irc_text)

BOOST_AUTO_TEST_CASE(plain_formatting_codes_are_removed) {
  BOOST_TEST(stripped("\x02"
                      "bold\x02 \x1Ditalic\x1D \x1Funder\x1F \x1Estrike\x1E \x11mono\x11 "
                      "\x16rev\x16\x0F") == "bold italic under strike mono rev");
}

BOOST_AUTO_TEST_CASE(colour_codes_take_their_digits_with_them) {
  BOOST_TEST(stripped("\x03"
                      "04red\x03 plain") == "red plain");
  BOOST_TEST(stripped("\x03"
                      "4,12on blue\x03") == "on blue");
  BOOST_TEST(stripped("\x03"
                      "04,1x") == "x");
  BOOST_TEST(stripped("\x03"
                      "123") == "3");  // two digits at most
  BOOST_TEST(stripped("\x03"
                      ",5") == ",5");  // no foreground: the comma is text
  BOOST_TEST(stripped("\x03"
                      "5,x") == ",x");
  BOOST_TEST(stripped("\x03"
                      "5,123") == "3");
  BOOST_TEST(stripped("\x03") == "");
}

BOOST_AUTO_TEST_CASE(hex_colour_codes_take_six_hex_digits_and_an_optional_background) {
  BOOST_TEST(stripped("\x04"
                      "FF00aaX") == "X");
  BOOST_TEST(stripped("\x04"
                      "FF00aa,000000X") == "X");
  BOOST_TEST(stripped("\x04"
                      "FF00aa,0000X") == ",0000X");
  BOOST_TEST(stripped("\x04"
                      "FF00 x") == "FF00 x");  // not a colour: only the code goes
}

BOOST_AUTO_TEST_CASE(other_text_and_controls_are_left_for_the_chat_to_clean) {
  BOOST_TEST(stripped("caf\xC3\xA9 \x1b[2J\x07") == "caf\xC3\xA9 \x1b[2J\x07");
}

BOOST_AUTO_TEST_CASE(ctcp_action_is_recognised) {
  irc::Ctcp c = irc::classifyCtcp(
      "\x01"
      "ACTION waves hello\x01");
  BOOST_TEST(static_cast<int>(c.kind) == static_cast<int>(irc::CtcpKind::Action));
  BOOST_TEST(c.text == "waves hello");
  c = irc::classifyCtcp(
      "\x01"
      "ACTION waves");  // the closing 0x01 left out
  BOOST_TEST(static_cast<int>(c.kind) == static_cast<int>(irc::CtcpKind::Action));
  BOOST_TEST(c.text == "waves");
  c = irc::classifyCtcp(
      "\x01"
      "ACTION\x01");
  BOOST_TEST(static_cast<int>(c.kind) == static_cast<int>(irc::CtcpKind::Action));
  BOOST_TEST(c.text == "");
}

BOOST_AUTO_TEST_CASE(other_ctcp_is_told_apart_from_plain_text) {
  irc::Ctcp c = irc::classifyCtcp("\x01VERSION\x01");
  BOOST_TEST(static_cast<int>(c.kind) == static_cast<int>(irc::CtcpKind::Other));
  BOOST_TEST(c.text == "VERSION");
  c = irc::classifyCtcp(
      "\x01"
      "DCC SEND f 1 2 3\x01");
  BOOST_TEST(static_cast<int>(c.kind) == static_cast<int>(irc::CtcpKind::Other));
  BOOST_TEST(c.text == "DCC");
  c = irc::classifyCtcp("ACTION waves");
  BOOST_TEST(static_cast<int>(c.kind) == static_cast<int>(irc::CtcpKind::None));
  BOOST_TEST(c.text == "ACTION waves");
  c = irc::classifyCtcp(
      "\x01"
      "ACTIONS x\x01");
  BOOST_TEST(static_cast<int>(c.kind) == static_cast<int>(irc::CtcpKind::Other));
}

BOOST_AUTO_TEST_CASE(an_action_written_out_reads_back) {
  const std::string text = irc::ctcpAction("waves");
  BOOST_TEST(text ==
             "\x01"
             "ACTION waves\x01");
  BOOST_TEST(irc::classifyCtcp(text).text == "waves");
}

BOOST_AUTO_TEST_CASE(valid_nicks_follow_rfc_2812_less_brackets) {
  for (const char* nick :
       {"alice", "Bob", "a1", "x-y", "_u", "\\o|", "`b", "^c", "{d}", "|e", "A"}) {
    BOOST_TEST(irc::isValidNick(nick), nick);
  }
  BOOST_TEST(irc::isValidNick(std::string(32, 'n')));
}

BOOST_AUTO_TEST_CASE(invalid_nicks_are_refused) {
  for (const char* nick : {"", "1a", "-a", "a b", "a!b", "a@b", "[a]", "a]", "caf\xC3\xA9", "a.b",
                           "a:b", "#a", "a,b", "a*"}) {
    BOOST_TEST(!irc::isValidNick(nick), nick);
  }
  BOOST_TEST(!irc::isValidNick(std::string(33, 'n')));
}

BOOST_AUTO_TEST_CASE(a_name_that_is_a_valid_nick_is_its_own_nick) {
  BOOST_TEST(irc::nickForName("alice") == "alice");
  BOOST_TEST(irc::nickForName("a_b") == "a_b");
  BOOST_TEST(irc::nameForNick("alice").value_or("?") == "alice");
}

BOOST_AUTO_TEST_CASE(other_names_are_bracketed_and_escaped) {
  BOOST_TEST(irc::nickForName("Ana Lee") == "[Ana_Lee]");
  BOOST_TEST(irc::nickForName("x@y!") == "[x{40}y{21}]");
  BOOST_TEST(irc::nickForName("9lives") == "[9lives]");
  BOOST_TEST(irc::nickForName("Jos\xC3\xA9") == "[Jos{e9}]");
  BOOST_TEST(irc::nickForName("a_b c") == "[a{5f}b_c]");
  BOOST_TEST(irc::nickForName("\xF0\x9F\x98\x80") == "[{1f600}]");
}

BOOST_AUTO_TEST_CASE(mapped_nicks_have_nick_syntax_with_brackets) {
  for (const std::string& name : kNames) {
    const std::string nick = irc::nickForName(name);
    if (nick.front() != '[') {
      BOOST_TEST(irc::isValidNick(nick), name);
      continue;
    }
    BOOST_TEST(nick.back() == ']', name);
    const std::string inner = nick.substr(1, nick.size() - 2);
    BOOST_TEST(irc::isValidNick("a" + inner), name);  // only RFC nick characters inside
  }
}

BOOST_AUTO_TEST_CASE(every_name_maps_back_from_its_nick) {
  for (const std::string& name : kNames) {
    BOOST_TEST(irc::nameForNick(irc::nickForName(name)).value_or("<none>") == name, name);
  }
}

BOOST_AUTO_TEST_CASE(distinct_names_get_distinct_nicks_ignoring_case) {
  std::set<std::string> seen;
  for (const std::string& name : kNames) {
    std::string folded = irc::nickForName(name);
    for (char& c : folded) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    BOOST_TEST(seen.insert(folded).second, name);
  }
}

BOOST_AUTO_TEST_CASE(names_equal_ignoring_case_get_nicks_equal_ignoring_case) {
  BOOST_TEST(
      irc::equalsIgnoringAsciiCase(irc::nickForName("Ana Lee!"), irc::nickForName("ANA lee!")));
}

BOOST_AUTO_TEST_CASE(non_canonical_or_malformed_nicks_stand_for_no_name) {
  for (const char* nick :
       {"[alice]", "[]", "[a{05f}b]", "[a{}b]", "[a{5fb]", "[a{d800}]", "[a{110000}]",
        "[a{1234567}]", "[a.b]", "[a b]", "[{41}]", "[a", "a]", "9lives", "[x{zz}]"}) {
    BOOST_TEST(!irc::nameForNick(nick).has_value(), nick);
  }
}

BOOST_AUTO_TEST_CASE(hex_escapes_read_in_either_case) {
  BOOST_TEST(irc::nameForNick("[A{5F}B_C]").value_or("?") == "A_B C");
}

BOOST_AUTO_TEST_CASE(a_nick_finds_its_person_among_the_names_ignoring_case) {
  const std::vector<std::string> names = {"alice", "Ana Lee", "x@y!", "Jos\xC3\xA9"};
  BOOST_TEST(irc::findNameByNick("[ana_LEE]", names) == &names[1]);
  BOOST_TEST(irc::findNameByNick("ALICE", names) == &names[0]);
  BOOST_TEST(irc::findNameByNick("[x{40}y{21}]", names) == &names[2]);
  BOOST_TEST(irc::findNameByNick("[Jos{E9}]", names) == &names[3]);
  BOOST_TEST(irc::findNameByNick("[alice]", names) == nullptr);
  BOOST_TEST(irc::findNameByNick("bob", names) == nullptr);
  const std::vector<std::string_view> views = {"Ana Lee"};
  BOOST_TEST(irc::findNameByNick("[Ana_Lee]", views) == &views[0]);
}

BOOST_AUTO_TEST_SUITE_END()
