// Unit tests of the client's line editor: keys in, the line and the cursor out.
#include "client/line_editor.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "client/utf8.hpp"

namespace {

using client::EditorAction;
using client::LineEditor;

struct Typed {
  LineEditor editor;
  std::vector<EditorAction> actions;

  Typed& keys(std::string_view bytes) {
    editor.feed(bytes, actions);
    return *this;
  }
  std::string text() const { return editor.text(); }
  std::size_t cursor() const { return editor.cursor(); }
  std::vector<std::string> submitted() const {
    std::vector<std::string> lines;
    for (const EditorAction& action : actions) {
      if (action.kind == EditorAction::Kind::Submit) lines.push_back(action.line);
    }
    return lines;
  }
  bool left() const { return !actions.empty() && actions.back().kind == EditorAction::Kind::Leave; }
};

const char* kLeft = "\x1b[D";
const char* kRight = "\x1b[C";
const char* kUp = "\x1b[A";
const char* kDown = "\x1b[B";

}  // namespace

BOOST_AUTO_TEST_SUITE(line_editor)

BOOST_AUTO_TEST_CASE(printable_text_is_inserted_at_the_cursor) {
  Typed t;
  t.keys("helo").keys(kLeft).keys("l");
  BOOST_TEST(t.text() == "hello");
  BOOST_TEST(t.cursor() == 4u);
}

BOOST_AUTO_TEST_CASE(left_and_right_stop_at_the_ends) {
  Typed t;
  t.keys("ab").keys(kLeft).keys(kLeft).keys(kLeft);
  BOOST_TEST(t.cursor() == 0u);
  t.keys(kRight).keys(kRight).keys(kRight);
  BOOST_TEST(t.cursor() == 2u);
}

BOOST_AUTO_TEST_CASE(every_home_and_end_sequence_moves_the_cursor) {
  for (const char* home : {"\x1b[H", "\x1bOH", "\x1b[1~", "\x1b[7~", "\x01"}) {
    Typed t;
    t.keys("abc").keys(home);
    BOOST_TEST(t.cursor() == 0u, "home key " << home + 1);
  }
  for (const char* end : {"\x1b[F", "\x1bOF", "\x1b[4~", "\x1b[8~", "\x05"}) {
    Typed t;
    t.keys("abc").keys("\x01").keys(end);
    BOOST_TEST(t.cursor() == 3u, "end key " << end + 1);
  }
}

BOOST_AUTO_TEST_CASE(backspace_in_both_encodings_erases_before_the_cursor) {
  Typed t;
  t.keys("abcd").keys("\x7f").keys(kLeft).keys("\x08");
  BOOST_TEST(t.text() == "ac");
  BOOST_TEST(t.cursor() == 1u);
  t.keys("\x01").keys("\x7f");
  BOOST_TEST(t.text() == "ac");
}

BOOST_AUTO_TEST_CASE(delete_erases_under_the_cursor) {
  Typed t;
  t.keys("abc").keys("\x01").keys("\x1b[3~");
  BOOST_TEST(t.text() == "bc");
  BOOST_TEST(t.cursor() == 0u);
  t.keys("\x05").keys("\x1b[3~");
  BOOST_TEST(t.text() == "bc");
}

BOOST_AUTO_TEST_CASE(ctrl_u_and_ctrl_k_cut_to_the_start_and_to_the_end) {
  Typed t;
  t.keys("hello world").keys("\x01");
  for (int i = 0; i < 5; ++i) t.keys(kRight);
  t.keys("\x0b");
  BOOST_TEST(t.text() == "hello");
  t.keys(kLeft).keys("\x15");
  BOOST_TEST(t.text() == "o");
  BOOST_TEST(t.cursor() == 0u);
}

BOOST_AUTO_TEST_CASE(ctrl_w_erases_the_word_before_the_cursor_and_its_spaces) {
  Typed t;
  t.keys("one two  three  ").keys("\x17");
  BOOST_TEST(t.text() == "one two  ");
  t.keys("\x17");
  BOOST_TEST(t.text() == "one ");
  t.keys("\x17").keys("\x17");
  BOOST_TEST(t.text() == "");
}

BOOST_AUTO_TEST_CASE(enter_submits_the_line_and_empties_it) {
  Typed t;
  t.keys("hi there\r");
  BOOST_TEST(t.submitted() == std::vector<std::string>{"hi there"});
  BOOST_TEST(t.text() == "");
  BOOST_TEST(t.cursor() == 0u);
}

BOOST_AUTO_TEST_CASE(cr_lf_is_one_enter_and_lf_alone_is_one_too) {
  Typed t;
  t.keys("a\r\nb\nc\r").keys("\nd\r\r");
  BOOST_TEST(t.submitted() == (std::vector<std::string>{"a", "b", "c", "d", ""}));
}

BOOST_AUTO_TEST_CASE(a_paste_of_several_lines_submits_each_in_order) {
  Typed t;
  t.keys("first\rsecond\rthird");
  BOOST_TEST(t.submitted() == (std::vector<std::string>{"first", "second"}));
  BOOST_TEST(t.text() == "third");
}

BOOST_AUTO_TEST_CASE(ctrl_c_leaves_whatever_is_typed) {
  Typed t;
  t.keys("half").keys("\x03");
  BOOST_TEST(t.left());
}

BOOST_AUTO_TEST_CASE(ctrl_d_leaves_only_on_an_empty_line) {
  Typed t;
  t.keys("ab").keys("\x01").keys("\x04");
  BOOST_TEST(!t.left());
  BOOST_TEST(t.text() == "b");
  t.keys("\x04").keys("\x04");
  BOOST_TEST(t.left());
}

BOOST_AUTO_TEST_CASE(keys_after_leaving_are_not_taken) {
  Typed t;
  t.keys("\x03more\r");
  BOOST_TEST(t.left());
  BOOST_TEST(t.submitted().empty());
}

BOOST_AUTO_TEST_CASE(ctrl_l_asks_for_a_redraw_and_keeps_the_line) {
  Typed t;
  t.keys("abc\x0c");
  BOOST_REQUIRE(!t.actions.empty());
  BOOST_TEST((t.actions.back().kind == EditorAction::Kind::Redraw));
  BOOST_TEST(t.text() == "abc");
}

BOOST_AUTO_TEST_CASE(unknown_escape_sequences_are_swallowed_whole) {
  Typed t;
  t.keys("a\x1b[1;2P\x1b[15~\x1b[200~\x1bOP\x1b[99;99;99Zb\x1bxc");
  BOOST_TEST(t.text() == "abc");
}

BOOST_AUTO_TEST_CASE(other_control_keys_are_never_inserted) {
  Typed t;
  t.keys(
      std::string("a\x07\x00\x1c\x1f"
                  "b",
                  6));
  BOOST_TEST(t.text() == "ab");
}

BOOST_AUTO_TEST_CASE(a_tab_is_typed_as_a_space) {
  Typed t;
  t.keys("a\tb");
  BOOST_TEST(t.text() == "a b");
}

BOOST_AUTO_TEST_CASE(a_key_split_across_reads_is_understood) {
  Typed t;
  t.keys("ab").keys("\x1b").keys("[").keys("D").keys("\xe6\x97").keys("\xa5");
  BOOST_TEST(t.text() ==
             "a\xe6\x97\xa5"
             "b");
  BOOST_TEST(t.cursor() == 2u);
}

BOOST_AUTO_TEST_CASE(utf8_characters_are_one_step_of_the_cursor) {
  Typed t;
  t.keys("h\xc3\xa9llo").keys(kLeft).keys(kLeft).keys(kLeft).keys(kLeft).keys("\x7f");
  BOOST_TEST(t.text() == "\xc3\xa9llo");
  BOOST_TEST(t.cursor() == 0u);
}

BOOST_AUTO_TEST_CASE(wide_characters_take_two_columns_before_the_cursor) {
  Typed t;
  t.keys(
      "a\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80"
      "b");  // a 日 本 😀 b
  BOOST_TEST(t.editor.cursorColumn() == 8);
  t.keys(kLeft).keys(kLeft);
  BOOST_TEST(t.editor.cursorColumn() == 5);
}

BOOST_AUTO_TEST_CASE(combining_marks_stay_with_their_character) {
  Typed t;
  t.keys("e\xcc\x81x").keys(kLeft).keys(kLeft);  // e + COMBINING ACUTE, x
  BOOST_TEST(t.cursor() == 0u);
  BOOST_TEST(t.editor.glyphs().size() == 2u);
  t.keys("\x1b[3~");
  BOOST_TEST(t.text() == "x");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_typed_as_a_replacement_character) {
  Typed t;
  t.keys(
      "a\xff"
      "b");
  BOOST_TEST(t.text() ==
             "a\xef\xbf\xbd"
             "b");
}

BOOST_AUTO_TEST_CASE(up_and_down_walk_this_sessions_lines_and_keep_the_draft) {
  Typed t;
  t.keys("one\rtwo\rdraft");
  t.keys(kUp);
  BOOST_TEST(t.text() == "two");
  BOOST_TEST(t.cursor() == 3u);
  t.keys(kUp).keys(kUp);
  BOOST_TEST(t.text() == "one");
  t.keys(kDown);
  BOOST_TEST(t.text() == "two");
  t.keys(kDown);
  BOOST_TEST(t.text() == "draft");
  t.keys(kDown);
  BOOST_TEST(t.text() == "draft");
}

BOOST_AUTO_TEST_CASE(a_recalled_line_is_sent_again_with_enter) {
  Typed t;
  t.keys("hello\r").keys(kUp).keys("!\r");
  BOOST_TEST(t.submitted() == (std::vector<std::string>{"hello", "hello!"}));
}

BOOST_AUTO_TEST_CASE(empty_and_repeated_lines_are_not_kept_twice) {
  Typed t;
  t.keys("same\rsame\r\r").keys(kUp);
  BOOST_TEST(t.text() == "same");
  t.keys(kUp);
  BOOST_TEST(t.text() == "same");
  t.keys(kDown);
  BOOST_TEST(t.text() == "");
}

BOOST_AUTO_TEST_CASE(application_mode_arrows_work_too) {
  Typed t;
  t.keys("ab\x1bOD\x1bODx");
  BOOST_TEST(t.text() == "xab");
}

BOOST_AUTO_TEST_CASE(a_line_is_bounded_in_bytes) {
  Typed t;
  t.keys(std::string(LineEditor::kMaxLineBytes + 100, 'x'));
  BOOST_TEST(t.text().size() == LineEditor::kMaxLineBytes);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(utf8_width)

BOOST_AUTO_TEST_CASE(ascii_latin_and_cyrillic_are_one_column) {
  BOOST_TEST(client::utf8::width(std::string_view("abc \xc3\xa9\xd0\x96")) == 6);
}

BOOST_AUTO_TEST_CASE(east_asian_wide_and_fullwidth_are_two_columns) {
  BOOST_TEST(client::utf8::width(U'\u65e5') == 2);  // 日
  BOOST_TEST(client::utf8::width(U'\uac00') == 2);  // 가
  BOOST_TEST(client::utf8::width(U'\uff21') == 2);  // Ａ
  BOOST_TEST(client::utf8::width(U'\u3042') == 2);  // あ
  BOOST_TEST(client::utf8::width(U'\uff61') == 1);  // halfwidth ｡
}

BOOST_AUTO_TEST_CASE(emoji_are_two_columns) {
  BOOST_TEST(client::utf8::width(U'\U0001F600') == 2);
  BOOST_TEST(client::utf8::width(U'\U0001F44D') == 2);
  BOOST_TEST(client::utf8::width(U'\u2705') == 2);
}

BOOST_AUTO_TEST_CASE(combining_marks_and_zero_width_characters_take_no_column) {
  BOOST_TEST(client::utf8::width(U'\u0301') == 0);
  BOOST_TEST(client::utf8::width(U'\u200b') == 0);
  BOOST_TEST(client::utf8::width(U'\ufe0f') == 0);
}

BOOST_AUTO_TEST_CASE(decoding_rejects_overlong_forms_surrogates_and_values_past_the_last) {
  BOOST_TEST(!client::utf8::decode("\xc0\xaf").valid);
  BOOST_TEST(!client::utf8::decode("\xed\xa0\x80").valid);
  BOOST_TEST(!client::utf8::decode("\xf4\x90\x80\x80").valid);
  BOOST_TEST(client::utf8::decode("\xf0\x9f\x98").incomplete);
  BOOST_TEST(client::utf8::decode("\xf0\x9f\x98\x80").code_point == U'\U0001F600');
}

BOOST_AUTO_TEST_CASE(a_secret_line_is_submitted_as_a_secret_and_never_recalled) {
  Typed t;
  t.keys("hello\r");
  t.editor.setSecret(true);
  t.keys("hunter2\r");
  BOOST_REQUIRE_EQUAL(t.actions.size(), 2u);
  BOOST_CHECK(!t.actions[0].secret);
  BOOST_CHECK(t.actions[1].secret);
  BOOST_CHECK_EQUAL(t.actions[1].line, "hunter2");
  BOOST_CHECK(!t.editor.secret());  // a secret is one line
  t.keys(kUp);
  BOOST_CHECK_EQUAL(t.text(), "hello");
  t.keys(kUp);
  BOOST_CHECK_EQUAL(t.text(), "hello");
  t.keys(kDown);
  BOOST_CHECK_EQUAL(t.text(), "");
}

BOOST_AUTO_TEST_CASE(up_and_down_bring_nothing_into_a_secret) {
  Typed t;
  t.keys("hello\r");
  t.editor.setSecret(true);
  t.keys("pw").keys(kUp).keys("\x10");
  BOOST_CHECK_EQUAL(t.text(), "pw");
  t.keys(kDown).keys("\x0e");
  BOOST_CHECK_EQUAL(t.text(), "pw");
}

BOOST_AUTO_TEST_CASE(a_secret_that_ends_before_enter_takes_its_text_with_it) {
  Typed t;
  t.editor.setSecret(true);
  t.keys("half a pass");
  t.editor.setSecret(false);
  BOOST_CHECK_EQUAL(t.text(), "");
  BOOST_CHECK_EQUAL(t.cursor(), 0u);
  t.keys("name\r");
  BOOST_CHECK_EQUAL(t.submitted().back(), "name");
}

BOOST_AUTO_TEST_CASE(text_typed_before_the_secret_began_becomes_part_of_it) {
  Typed t;
  t.keys("hun");
  t.editor.setSecret(true);
  t.editor.setSecret(true);
  t.keys("ter2\rAlice\r");
  BOOST_REQUIRE_EQUAL(t.actions.size(), 2u);
  BOOST_CHECK(t.actions[0].secret);
  BOOST_CHECK_EQUAL(t.actions[0].line, "hunter2");
  BOOST_CHECK(!t.actions[1].secret);  // the next line of a paste is the name
  BOOST_CHECK_EQUAL(t.actions[1].line, "Alice");
}

BOOST_AUTO_TEST_SUITE_END()
