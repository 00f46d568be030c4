// Unit tests of --connect's --password-file: the first line of the file, 1 to 256 bytes.
#include "client/password_file.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>

#include "e2e/temp_log.hpp"

namespace {

// The password in `text`, or "refused: <why>".
std::string passwordIn(const std::string& text) {
  std::string password;
  std::string why;
  return client::passwordFromText(text, password, why) ? password : "refused: " + why;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_password_file)

BOOST_AUTO_TEST_CASE(the_password_is_the_first_line_without_its_line_end) {
  BOOST_CHECK_EQUAL(passwordIn("hunter2"), "hunter2");
  BOOST_CHECK_EQUAL(passwordIn("hunter2\n"), "hunter2");
  BOOST_CHECK_EQUAL(passwordIn("hunter2\r\n"), "hunter2");
  BOOST_CHECK_EQUAL(passwordIn("correct horse \tbattery\nsecond line\n"),
                    "correct horse \tbattery");
  BOOST_CHECK_EQUAL(passwordIn(" x \n"), " x ");  // spaces are part of it
}

BOOST_AUTO_TEST_CASE(an_empty_first_line_is_refused) {
  BOOST_CHECK_EQUAL(passwordIn(""), "refused: its first line is empty");
  BOOST_CHECK_EQUAL(passwordIn("\nhunter2\n"), "refused: its first line is empty");
  BOOST_CHECK_EQUAL(passwordIn("\r\n"), "refused: its first line is empty");
}

BOOST_AUTO_TEST_CASE(a_password_may_be_256_bytes_and_no_more) {
  const std::string longest(256, 'p');
  BOOST_CHECK_EQUAL(passwordIn(longest + "\r\n"), longest);
  BOOST_CHECK_EQUAL(passwordIn(longest + "p\n"),
                    "refused: its first line is longer than 256 bytes");
}

BOOST_AUTO_TEST_CASE(reads_the_file_and_names_what_is_wrong_with_it) {
  e2e::TempLog file;
  std::string password;
  std::string why;
  BOOST_CHECK(!client::readPasswordFile(file.path, password, why));
  BOOST_CHECK_EQUAL(why, "cannot open it for reading");
  {
    std::ofstream out(file.path, std::ios::binary);
    out << std::string(256, 'p') << "\r\n" << std::string(100000, 'x');
  }
  BOOST_REQUIRE_MESSAGE(client::readPasswordFile(file.path, password, why), why);
  BOOST_CHECK_EQUAL(password, std::string(256, 'p'));
  {
    std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
    out << std::string(100000, 'x');
  }
  BOOST_CHECK(!client::readPasswordFile(file.path, password, why));
  BOOST_CHECK_EQUAL(why, "its first line is longer than 256 bytes");
  { std::ofstream out(file.path, std::ios::binary | std::ios::trunc); }
  BOOST_CHECK(!client::readPasswordFile(file.path, password, why));
  BOOST_CHECK_EQUAL(why, "its first line is empty");
}

BOOST_AUTO_TEST_SUITE_END()
