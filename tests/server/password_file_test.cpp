// Unit tests of reading --password-file: the first line alone, its line end dropped, every refusal.
#include "server/password_file.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace {

struct File {
  explicit File(const std::string& contents) {
    std::random_device random;
    path = (std::filesystem::temp_directory_path() /
            ("netcat-chat-pw-" + std::to_string(random()) + "-" + std::to_string(random())))
               .string();
    std::ofstream(path, std::ios::binary) << contents;
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  ~File() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
  std::string path;
};

std::string load(const std::string& contents, std::string& why) {
  File file(contents);
  std::string password;
  return server::loadPassword(file.path, false, password, why) ? password : "<refused>";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(password_file)

BOOST_AUTO_TEST_CASE(the_first_line_without_its_line_end_is_the_password) {
  std::string why;
  BOOST_TEST(load("secret\nsecond line\n", why) == "secret");
  BOOST_TEST(load("secret\r\n", why) == "secret");
  BOOST_TEST(load("secret", why) == "secret");
  BOOST_TEST(load(" spaced out \n", why) == " spaced out ");  // byte for byte, no trimming
}

BOOST_AUTO_TEST_CASE(the_longest_password_ends_alike_with_lf_crlf_or_nothing) {
  const std::string longest(256, 'p');
  std::string why;
  BOOST_TEST(load(longest + "\n", why) == longest);
  BOOST_TEST(load(longest + "\r\n", why) == longest);
  BOOST_TEST(load(longest, why) == longest);
}

BOOST_AUTO_TEST_CASE(an_empty_or_too_long_first_line_is_refused_with_a_reason) {
  std::string why;
  BOOST_TEST(load("\nsecret\n", why) == "<refused>");
  BOOST_TEST(why.find("empty first line") != std::string::npos, why);
  BOOST_TEST(load("\r\n", why) == "<refused>");
  BOOST_TEST(load(std::string(257, 'p') + "\n", why) == "<refused>");
  BOOST_TEST(why.find("longer than 256 bytes") != std::string::npos, why);
  BOOST_TEST(load(std::string(257, 'p') + "\r\n", why) == "<refused>");
  BOOST_TEST(load(std::string(5000, 'p'), why) == "<refused>");
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_refused_naming_it) {
  std::string password;
  std::string why;
  BOOST_TEST(!server::loadPassword("/nonexistent/netcat-chat-password", false, password, why));
  BOOST_TEST(why.find("/nonexistent/netcat-chat-password") != std::string::npos, why);
}

BOOST_AUTO_TEST_SUITE_END()
