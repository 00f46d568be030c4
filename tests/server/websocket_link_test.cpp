// Unit tests of a WebSocket client's output: whole characters per frame, one frame in flight,
// and the chat told only of what left.
#include "server/websocket_link.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "support/websocket_bytes.hpp"

using server::WebSocketLink;

namespace {

std::vector<test::ServerFrame> framesOf(std::string bytes) {
  std::vector<test::ServerFrame> frames;
  test::ServerFrame frame;
  while (test::takeServerFrame(bytes, frame)) frames.push_back(frame);
  BOOST_TEST(bytes.empty());
  return frames;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(websocket_link)

BOOST_AUTO_TEST_CASE(handshake_answer_goes_first_then_text_frames) {
  WebSocketLink link("HTTP/1.1 101 ...\r\n\r\n");
  const std::string pending = "Welcome\n";
  BOOST_TEST(link.wantsToWrite(pending));
  const std::string out(link.output(pending));
  BOOST_TEST(out.rfind("HTTP/1.1 101 ...\r\n\r\n", 0) == 0u);
  const auto frames = framesOf(out.substr(20));
  BOOST_TEST_REQUIRE(frames.size() == 1u);
  BOOST_TEST(frames[0].opcode == test::kOpText);
  BOOST_TEST(frames[0].fin);
  BOOST_TEST(!frames[0].masked);
  BOOST_TEST(frames[0].payload == pending);
  BOOST_TEST(link.took(out.size()) == pending.size());
}

BOOST_AUTO_TEST_CASE(the_chat_hears_only_of_whole_frames_sent) {
  WebSocketLink link;
  const std::string pending(1000, 'a');
  const std::string out(link.output(pending));
  BOOST_TEST(link.took(10) == 0u);
  // The frame in flight stays the same however the chat's queue grows meanwhile.
  const std::string grown = pending + "more";
  BOOST_TEST(std::string(link.output(grown)) == out.substr(10));
  BOOST_TEST(link.took(out.size() - 10) == pending.size());
}

BOOST_AUTO_TEST_CASE(an_unfinished_character_waits_for_its_rest) {
  WebSocketLink link;
  BOOST_TEST(!link.wantsToWrite("\xE2\x82"));
  const std::string first(link.output("ab\xE2\x82"));
  const auto frames = framesOf(first);
  BOOST_TEST_REQUIRE(frames.size() == 1u);
  BOOST_TEST(frames[0].payload == "ab");
  BOOST_TEST(link.took(first.size()) == 2u);
  const std::string second(link.output("\xE2\x82\xAC\n"));
  BOOST_TEST(framesOf(second)[0].payload == "\xE2\x82\xAC\n");
}

BOOST_AUTO_TEST_CASE(a_frame_carries_at_most_its_limit) {
  WebSocketLink link;
  const std::string pending(server::kMaxOutgoingFrame * 2 + 5, 'q');
  const std::string out(link.output(pending));
  const auto frames = framesOf(out);
  BOOST_TEST_REQUIRE(frames.size() == 1u);
  BOOST_TEST(frames[0].payload.size() == server::kMaxOutgoingFrame);
}

BOOST_AUTO_TEST_CASE(invalid_bytes_from_the_chat_leave_as_replacement_characters) {
  WebSocketLink link;
  const std::string out(
      link.output("a\xFF"
                  "b"));
  BOOST_TEST(framesOf(out)[0].payload ==
             "a\xEF\xBF\xBD"
             "b");
  BOOST_TEST(link.took(out.size()) == 3u);
}

BOOST_AUTO_TEST_CASE(pong_is_sent_between_frames) {
  WebSocketLink link;
  const std::string first(link.output("text"));
  std::string input;
  link.read(test::clientFrame(test::kOpPing, "42"), input);
  // The frame in flight finishes first.
  BOOST_TEST(std::string(link.output("text")) == first);
  BOOST_TEST(link.took(first.size()) == 4u);
  const auto frames = framesOf(std::string(link.output("")));
  BOOST_TEST_REQUIRE(frames.size() == 1u);
  BOOST_TEST(frames[0].opcode == test::kOpPong);
  BOOST_TEST(frames[0].payload == "42");
}

BOOST_AUTO_TEST_CASE(a_client_that_pings_without_reading_is_no_longer_read) {
  WebSocketLink link;
  std::string input;
  const std::string ping = test::clientFrame(test::kOpPing, std::string(125, 'p'));
  int pings = 0;
  while (link.wantsInput() && pings < 10000) {
    link.read(ping, input);
    ++pings;
  }
  BOOST_TEST(!link.wantsInput());
  BOOST_TEST(pings * 127 >= static_cast<int>(server::kMaxWaitingReplies));
  // Once the answers have gone, it is read again.
  const std::string out(link.output(""));
  link.took(out.size());
  BOOST_TEST(link.wantsInput());
}

BOOST_AUTO_TEST_CASE(closing_finishes_the_frame_in_flight_then_the_farewell_then_close) {
  WebSocketLink link;
  const std::string pending = "first part ";
  const std::string out(link.output(pending));
  link.took(3);
  const std::string closing = link.closing(pending + "bye\n", server::close_code::kGoingAway);
  const auto frames = framesOf(out.substr(0, 3) + closing);
  BOOST_TEST_REQUIRE(frames.size() == 3u);
  BOOST_TEST(frames[0].payload == pending);
  BOOST_TEST(frames[1].payload == "bye\n");
  BOOST_TEST(frames[2].opcode == test::kOpClose);
  BOOST_TEST(frames[2].closeCode() == 1001);
}

BOOST_AUTO_TEST_CASE(peer_close_is_echoed_once) {
  WebSocketLink link;
  std::string input;
  link.read(test::clientFrame(test::kOpClose, test::closePayload(1000)), input);
  const auto frames = framesOf(link.closing({}, 0));
  BOOST_TEST_REQUIRE(frames.size() == 1u);
  BOOST_TEST(frames[0].closeCode() == 1000);
}

BOOST_AUTO_TEST_CASE(protocol_error_closes_with_its_code) {
  WebSocketLink link;
  std::string input;
  link.read(test::clientFrame(test::kOpBinary, "b"), input);
  const auto frames = framesOf(link.closing({}, link.reader().failCode()));
  BOOST_TEST_REQUIRE(frames.size() == 1u);
  BOOST_TEST(frames[0].closeCode() == 1003);
}

BOOST_AUTO_TEST_CASE(an_idle_link_gets_an_empty_unmasked_ping) {
  WebSocketLink link;
  BOOST_TEST(!link.wantsToWrite(""));
  link.pingIfIdle("");
  BOOST_TEST(link.wantsToWrite(""));
  const std::string out(link.output(""));
  const auto frames = framesOf(out);
  BOOST_TEST_REQUIRE(frames.size() == 1u);
  BOOST_TEST(frames[0].opcode == test::kOpPing);
  BOOST_TEST(frames[0].fin);
  BOOST_TEST(!frames[0].masked);
  BOOST_TEST(frames[0].payload.empty());
  BOOST_TEST(link.took(out.size()) == 0u);  // none of the chat's output went with it
  BOOST_TEST(!link.wantsToWrite(""));
}

BOOST_AUTO_TEST_CASE(a_link_with_output_waiting_gets_no_ping) {
  WebSocketLink link;
  link.pingIfIdle("hello\n");
  const auto frames = framesOf(std::string(link.output("hello\n")));
  BOOST_TEST_REQUIRE(frames.size() == 1u);
  BOOST_TEST(frames[0].opcode == test::kOpText);
  WebSocketLink answering("HTTP/1.1 101 ...\r\n\r\n");
  answering.pingIfIdle("");
  BOOST_TEST(std::string(answering.output("")) == "HTTP/1.1 101 ...\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(a_closed_link_gets_no_ping) {
  WebSocketLink link;
  std::string input;
  link.read(test::clientFrame(test::kOpClose, test::closePayload(1000)), input);
  BOOST_TEST(link.output("").size() == 4u);  // the close echo goes out
  link.took(4);
  link.pingIfIdle("");
  BOOST_TEST(!link.wantsToWrite(""));
}

BOOST_AUTO_TEST_SUITE_END()
