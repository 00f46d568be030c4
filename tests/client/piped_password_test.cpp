// Unit tests of the piped client's answer to the password prompt (--password-file).
#include "client/piped_password.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

#include "chat/protocol.hpp"

namespace {

namespace protocol = chat::protocol;
using client::PipedPassword;

}  // namespace

BOOST_AUTO_TEST_SUITE(client_piped_password)

BOOST_AUTO_TEST_CASE(without_a_password_file_the_input_goes_at_once) {
  PipedPassword password("");
  BOOST_CHECK(password.inputMayGo());
  std::string reply;
  password.fromServer(std::string(protocol::kWelcome) + std::string(protocol::kPasswordPrompt),
                      reply);
  BOOST_CHECK(reply.empty());  // piped, the input's first line is the password, as for nc
}

BOOST_AUTO_TEST_CASE(the_input_waits_for_the_password_prompt_which_is_answered) {
  PipedPassword password("hunter2");
  std::string reply;
  BOOST_CHECK(!password.inputMayGo());
  password.fromServer(protocol::kWelcome, reply);
  password.fromServer("[ENTER THE PASS", reply);
  BOOST_CHECK(!password.inputMayGo());
  BOOST_CHECK(reply.empty());
  password.fromServer("WORD]: ", reply);
  BOOST_CHECK(password.inputMayGo());
  BOOST_CHECK_EQUAL(reply, "hunter2\n");
  password.fromServer(
      std::string(protocol::kNamePrompt) + "\n" + std::string(protocol::kPasswordPrompt), reply);
  BOOST_CHECK_EQUAL(reply, "hunter2\n");  // once only
}

BOOST_AUTO_TEST_CASE(a_server_without_a_password_gets_the_input_at_its_name_prompt) {
  PipedPassword password("hunter2");
  std::string reply;
  password.fromServer(std::string(protocol::kWelcome) + std::string(protocol::kNamePrompt), reply);
  BOOST_CHECK(password.inputMayGo());
  BOOST_CHECK(reply.empty());
}

BOOST_AUTO_TEST_CASE(only_a_whole_line_that_is_the_prompt_is_answered) {
  PipedPassword password("hunter2");
  std::string reply;
  password.fromServer("Chat is full: [ENTER THE PASSWORD]: ", reply);
  password.fromServer(std::string(200, 'x'), reply);
  password.fromServer(std::string(protocol::kPasswordPrompt), reply);  // same long line
  BOOST_CHECK(reply.empty());
  BOOST_CHECK(!password.inputMayGo());
  password.fromServer("\n", reply);
  password.fromServer(std::string(protocol::kPasswordPrompt), reply);
  BOOST_CHECK_EQUAL(reply, "hunter2\n");
}

BOOST_AUTO_TEST_SUITE_END()
