// Unit tests of a room's history: the last N lines by sequence number, in memory close to their size.
#include "chat/history.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using chat::History;

namespace {
// A line like the chat keeps: stamp, name, text padded to `length` bytes in all.
std::string line(std::size_t number, std::size_t length) {
  std::string text = "[2026-11-28 04:00:00][user" + std::to_string(number % 10) + "]:" +
                     std::to_string(number) + " ";
  text.resize(length, 'x');
  return text;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(history)

BOOST_AUTO_TEST_CASE(keeps_the_last_n_lines_under_lasting_sequence_numbers) {
  History history(3);
  for (std::size_t i = 0; i < 5; ++i) history.add(line(i, 40));
  BOOST_TEST(history.size() == 3u);
  BOOST_TEST(history.beginSeq() == 2u);
  BOOST_TEST(history.endSeq() == 5u);
  for (std::uint64_t seq = 2; seq < 5; ++seq) BOOST_TEST(history.at(seq) == line(seq, 40));
}

BOOST_AUTO_TEST_CASE(a_history_of_zero_lines_counts_but_keeps_nothing) {
  History history(0);
  history.add(line(0, 40));
  BOOST_TEST(history.empty());
  BOOST_TEST(history.endSeq() == 1u);
  BOOST_TEST(history.beginSeq() == 1u);
}

BOOST_AUTO_TEST_CASE(lines_a_little_longer_than_the_ones_they_replace_do_not_double_memory) {
  constexpr std::size_t kLines = 1000;
  History history(kLines);
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 240));
  // Every later line is one byte longer than the one it replaces, round after round.
  for (std::size_t round = 1; round <= 3; ++round) {
    for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 240 + round));
  }
  const std::size_t text = kLines * 243;
  BOOST_TEST(history.at(history.endSeq() - 1) == line(kLines - 1, 243));
  BOOST_TEST(history.bytesHeld() >= text);
  BOOST_TEST(history.bytesHeld() <= text + text / 10, "held " << history.bytesHeld() << " for " << text);
}

BOOST_AUTO_TEST_CASE(short_lines_after_long_ones_do_not_keep_the_long_buffers) {
  constexpr std::size_t kLines = 1000;
  History history(kLines);
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 2000));
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 60));
  BOOST_TEST(history.at(history.beginSeq()) == line(0, 60));
  BOOST_TEST(history.bytesHeld() <= kLines * 200, "held " << history.bytesHeld());
}

BOOST_AUTO_TEST_CASE(lines_of_about_the_same_size_reuse_the_dropped_buffers) {
  constexpr std::size_t kLines = 100;
  History history(kLines);
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 200));
  const std::size_t held = history.bytesHeld();
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 190));
  BOOST_TEST(history.bytesHeld() == held);  // the 200-byte buffers now hold 190-byte lines
}

BOOST_AUTO_TEST_SUITE_END()
