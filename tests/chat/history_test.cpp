// Unit tests of a room's history: the last N lines by sequence number, in memory close to their
// size.
#include "chat/history.hpp"

#include <boost/test/unit_test.hpp>
#include <deque>
#include <random>
#include <string>

using chat::History;

namespace {
// A line like the chat keeps: stamp, name, text padded to `length` bytes in all.
std::string line(std::size_t number, std::size_t length) {
  std::string text = "[2026-11-28 04:00:00][user" + std::to_string(number % 10) +
                     "]:" + std::to_string(number) + " ";
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

BOOST_AUTO_TEST_CASE(lines_of_every_length_come_back_as_added) {
  // Against the obvious model, with lengths from empty to longer than a chat line.
  std::mt19937 random(20261128);
  for (const std::size_t capacity : {1u, 2u, 7u, 50u}) {
    History history(capacity);
    std::deque<std::string> model;
    for (std::size_t i = 0; i < 3000; ++i) {
      const std::size_t length = random() % 4 == 0 ? random() % 5000 : random() % 120;
      const std::string text = line(i, length);
      history.add(text);
      model.push_back(text);
      if (model.size() > capacity) model.pop_front();
      BOOST_TEST_REQUIRE(history.size() == model.size());
      BOOST_TEST_REQUIRE(history.endSeq() == i + 1);
      for (std::size_t k = 0; k < model.size(); ++k) {
        BOOST_TEST_REQUIRE(history.at(history.beginSeq() + k) == model[k],
                           "capacity " << capacity << ", add " << i << ", line " << k);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(lines_of_about_the_same_size_reuse_the_dropped_buffers) {
  constexpr std::size_t kLines = 100;
  History history(kLines);
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 200));
  const std::size_t held = history.bytesHeld();
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 190));
  BOOST_TEST(history.bytesHeld() == held);  // the 200-byte buffers now hold 190-byte lines
}

BOOST_AUTO_TEST_CASE(lines_a_little_longer_than_the_ones_they_replace_do_not_double_memory) {
  constexpr std::size_t kLines = 10000;
  History history(kLines);
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 240));
  // Every later line is one byte longer than the one it replaces, round after round.
  for (std::size_t round = 1; round <= 3; ++round) {
    for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 240 + round));
  }
  BOOST_TEST(history.at(history.endSeq() - 1) == line(kLines - 1, 243));
  const std::size_t text = kLines * 243;
  const std::size_t bound = text + text / 10;
  BOOST_TEST(history.bytesHeld() >= text);
  BOOST_TEST(history.bytesHeld() <= bound, "held " << history.bytesHeld() << " for " << text);
}

BOOST_AUTO_TEST_CASE(short_lines_after_long_ones_give_the_memory_back) {
  constexpr std::size_t kLines = 1000;
  History history(kLines);
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 2000));
  BOOST_TEST(history.bytesHeld() >= kLines * 2000);
  for (std::size_t i = 0; i < kLines; ++i) history.add(line(i, 60));
  BOOST_TEST(history.at(history.beginSeq()) == line(0, 60));
  const std::size_t bound = kLines * 200;  // not the two megabytes the long lines took
  BOOST_TEST(history.bytesHeld() <= bound, "held " << history.bytesHeld());
}

BOOST_AUTO_TEST_CASE(an_empty_history_holds_nothing_however_large_its_capacity) {
  History history(1000000);
  BOOST_TEST(history.bytesHeld() == 0u);
  history.add(line(0, 100));
  BOOST_TEST(history.bytesHeld() < 64u * 1024);
}

BOOST_AUTO_TEST_SUITE_END()
