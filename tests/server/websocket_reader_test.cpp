// Unit tests of the WebSocket frame reader: every rule of docs/PROTOCOL.md §12.3 and its close
// code.
#include "server/websocket_reader.hpp"

#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string>

#include "support/websocket_bytes.hpp"

namespace server {
std::ostream& operator<<(std::ostream& out, WebSocketReader::State state) {
  return out << static_cast<int>(state);
}
}  // namespace server

using server::WebSocketReader;
using State = WebSocketReader::State;
using test::clientFrame;

namespace {

struct Read {
  State state;
  std::uint16_t code;
  std::string messages;
  std::string replies;
};

Read readAll(const std::string& bytes) {
  WebSocketReader reader;
  Read result;
  result.state = reader.read(bytes, result.messages, result.replies);
  result.code = reader.failCode();
  return result;
}

// The same bytes fed one at a time.
Read readByteByByte(const std::string& bytes) {
  WebSocketReader reader;
  Read result{State::Open, 0, {}, {}};
  for (const char c : bytes)
    result.state = reader.read(std::string_view(&c, 1), result.messages, result.replies);
  result.code = reader.failCode();
  return result;
}

std::uint16_t failure(const std::string& bytes) {
  const Read result = readAll(bytes);
  return result.state == State::Failed ? result.code : 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(websocket_reader)

BOOST_AUTO_TEST_CASE(masked_text_frame_gives_its_text) {
  const Read result = readAll(clientFrame(test::kOpText, "alice\n"));
  BOOST_TEST(result.state == State::Open);
  BOOST_TEST(result.messages == "alice\n");
  BOOST_TEST(result.replies.empty());
}

BOOST_AUTO_TEST_CASE(lengths_of_7_16_and_64_bits_are_read) {
  const std::string small(125, 'a');
  const std::string medium(126, 'b');
  const std::string large(65535, 'c');
  const std::string bytes = clientFrame(test::kOpText, small) + clientFrame(test::kOpText, medium) +
                            clientFrame(test::kOpText, large);
  BOOST_TEST(readAll(bytes).messages == small + medium + large);
  // 64-bit lengths are refused only when not minimal; a 65536-byte message is allowed.
  const std::string limit(server::kMaxWebSocketMessage, 'd');
  BOOST_TEST(readAll(clientFrame(test::kOpText, limit)).messages == limit);
}

BOOST_AUTO_TEST_CASE(frames_split_anywhere_read_the_same) {
  const std::string bytes = clientFrame(test::kOpText, "h\xC3\xA9llo", {false}) +
                            clientFrame(test::kOpPing, "p") +
                            clientFrame(test::kOpContinuation, std::string(300, 'x'));
  const Read whole = readAll(bytes);
  const Read pieces = readByteByByte(bytes);
  BOOST_TEST(whole.messages == "h\xC3\xA9llo" + std::string(300, 'x'));
  BOOST_TEST(pieces.messages == whole.messages);
  BOOST_TEST(pieces.replies == whole.replies);
}

BOOST_AUTO_TEST_CASE(fragments_are_joined_and_a_ping_between_them_answered) {
  const std::string bytes =
      clientFrame(test::kOpText, "hel", {false}) + clientFrame(test::kOpPing, "are you there") +
      clientFrame(test::kOpContinuation, "lo ", {false}) + clientFrame(test::kOpPong, "unasked") +
      clientFrame(test::kOpContinuation, "world\n");
  const Read result = readAll(bytes);
  BOOST_TEST(result.state == State::Open);
  BOOST_TEST(result.messages == "hello world\n");
  BOOST_TEST(result.replies == std::string("\x8A\x0D") + "are you there");
}

BOOST_AUTO_TEST_CASE(an_unfinished_message_gives_nothing_yet) {
  WebSocketReader reader;
  std::string messages, replies;
  reader.read(clientFrame(test::kOpText, "part", {false}), messages, replies);
  BOOST_TEST(messages.empty());
  BOOST_TEST(reader.held() == 4u);
  reader.read(clientFrame(test::kOpContinuation, "\n"), messages, replies);
  BOOST_TEST(messages == "part\n");
}

BOOST_AUTO_TEST_CASE(unmasked_frame_is_1002) {
  test::FrameOptions unmasked;
  unmasked.masked = false;
  BOOST_TEST(failure(clientFrame(test::kOpText, "hi", unmasked)) == 1002);
}

BOOST_AUTO_TEST_CASE(reserved_bits_and_opcodes_are_1002) {
  for (const std::uint8_t bits : {1, 2, 4}) {
    test::FrameOptions reserved;
    reserved.reserved = bits;
    BOOST_TEST(failure(clientFrame(test::kOpText, "hi", reserved)) == 1002);
  }
  for (const std::uint8_t opcode : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
    BOOST_TEST(failure(clientFrame(opcode, "hi")) == 1002);
  }
}

BOOST_AUTO_TEST_CASE(fragment_rules_are_1002) {
  BOOST_TEST(failure(clientFrame(test::kOpContinuation, "stray")) == 1002);
  BOOST_TEST(failure(clientFrame(test::kOpText, "a", {false}) + clientFrame(test::kOpText, "b")) ==
             1002);
  BOOST_TEST(failure(clientFrame(test::kOpPing, "x", {false})) == 1002);
  BOOST_TEST(failure(clientFrame(test::kOpPing, std::string(126, 'x'))) == 1002);
}

BOOST_AUTO_TEST_CASE(lengths_not_in_their_shortest_form_are_1002) {
  test::FrameOptions long16;
  long16.length_bits = 16;
  BOOST_TEST(failure(clientFrame(test::kOpText, "short", long16)) == 1002);
  test::FrameOptions long64;
  long64.length_bits = 64;
  BOOST_TEST(failure(clientFrame(test::kOpText, "short", long64)) == 1002);
}

BOOST_AUTO_TEST_CASE(a_64_bit_length_with_the_top_bit_set_is_1002) {
  std::string frame = "\x81\xFF";
  frame += std::string("\x80\x00\x00\x00\x00\x00\x00\x01", 8);
  frame += "mask";
  BOOST_TEST(failure(frame) == 1002);
}

BOOST_AUTO_TEST_CASE(binary_is_1003) {
  BOOST_TEST(failure(clientFrame(test::kOpBinary, "\x01\x02")) == 1003);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_1007_as_soon_as_it_arrives) {
  BOOST_TEST(failure(clientFrame(test::kOpText, "bad \xFF")) == 1007);
  BOOST_TEST(failure(clientFrame(test::kOpText, "\xED\xA0\x80")) == 1007);
  // An unfinished character at the end of the message.
  BOOST_TEST(failure(clientFrame(test::kOpText, "end \xC3")) == 1007);
  // The first fragment already fails: no need to wait for the rest.
  BOOST_TEST(failure(clientFrame(test::kOpText, "\xC0\xAF", {false})) == 1007);
  // Split between fragments, a character is fine.
  const Read split = readAll(clientFrame(test::kOpText, "\xE2\x82", {false}) +
                             clientFrame(test::kOpContinuation, "\xAC"));
  BOOST_TEST(split.state == State::Open);
  BOOST_TEST(split.messages == "\xE2\x82\xAC");
}

BOOST_AUTO_TEST_CASE(a_message_over_64_kib_is_1009_from_its_header_alone) {
  // Only the header of a 64 KiB + 1 frame: refused before any payload arrives.
  std::string header =
      clientFrame(test::kOpText, std::string(server::kMaxWebSocketMessage + 1, 'x'));
  header.resize(2 + 8 + 4);
  BOOST_TEST(failure(header) == 1009);
  // Fragments adding up to more than 64 KiB.
  const std::string half(server::kMaxWebSocketMessage / 2, 'y');
  WebSocketReader reader;
  std::string messages, replies;
  reader.read(clientFrame(test::kOpText, half, {false}), messages, replies);
  reader.read(clientFrame(test::kOpContinuation, half, {false}), messages, replies);
  std::string third = clientFrame(test::kOpContinuation, "z");
  BOOST_TEST((reader.read(third, messages, replies) == State::Failed));
  BOOST_TEST(reader.failCode() == 1009);
  BOOST_TEST(reader.held() == 0u);
}

BOOST_AUTO_TEST_CASE(close_is_echoed_with_its_code) {
  WebSocketReader reader;
  std::string messages, replies;
  BOOST_TEST((reader.read(clientFrame(test::kOpClose, test::closePayload(1000, "bye")) +
                              clientFrame(test::kOpText, "after\n"),
                          messages, replies) == State::Closed));
  BOOST_TEST(reader.peerCode() == 1000);
  BOOST_TEST(replies == std::string("\x88\x02\x03\xE8", 4));
  BOOST_TEST(messages.empty());
}

BOOST_AUTO_TEST_CASE(empty_close_is_echoed_empty) {
  const Read result = readAll(clientFrame(test::kOpClose, ""));
  BOOST_TEST(result.state == State::Closed);
  BOOST_TEST(result.replies == std::string("\x88\x00", 2));
}

BOOST_AUTO_TEST_CASE(bad_close_payloads_fail) {
  BOOST_TEST(failure(clientFrame(test::kOpClose, "x")) == 1002);
  BOOST_TEST(failure(clientFrame(test::kOpClose, test::closePayload(1005))) == 1002);
  BOOST_TEST(failure(clientFrame(test::kOpClose, test::closePayload(999))) == 1002);
  BOOST_TEST(failure(clientFrame(test::kOpClose, test::closePayload(5000))) == 1002);
  BOOST_TEST(failure(clientFrame(test::kOpClose, test::closePayload(1000, "\xFF"))) == 1007);
  BOOST_TEST(readAll(clientFrame(test::kOpClose, test::closePayload(4000))).state == State::Closed);
}

BOOST_AUTO_TEST_CASE(nothing_is_read_after_a_failure) {
  WebSocketReader reader;
  std::string messages, replies;
  reader.read(clientFrame(test::kOpBinary, "x") + clientFrame(test::kOpText, "later\n"), messages,
              replies);
  BOOST_TEST(messages.empty());
  BOOST_TEST(replies.empty());
  BOOST_TEST(reader.failCode() == 1003);
}

BOOST_AUTO_TEST_SUITE_END()
