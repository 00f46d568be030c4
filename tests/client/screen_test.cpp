// Unit tests of the client's screen: server bytes and the editor's state in, terminal bytes out.
#include "client/screen.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "client/line_editor.hpp"
#include "support/wire.hpp"

namespace {

using client::EditorAction;
using client::LineEditor;
using client::Screen;

constexpr const char* kErase = "\r\x1b[K";

// A screen and an editor wired as the client's loop wires them.
struct Terminal {
  explicit Terminal(int columns = 80) : screen(columns) {}

  Terminal& server(std::string_view bytes) {
    screen.serverBytes(bytes);
    return *this;
  }
  Terminal& keys(std::string_view bytes) {
    std::vector<EditorAction> actions;
    editor.feed(bytes, actions);
    for (const EditorAction& action : actions) {
      if (action.kind == EditorAction::Kind::Submit && action.secret) {
        screen.submittedSecret();
        sent += action.line + "\n";
      } else if (action.kind == EditorAction::Kind::Submit) {
        screen.submitted(action.line);
        sent += action.line + "\n";
      }
      if (action.kind == EditorAction::Kind::Redraw) screen.clear();
    }
    return *this;
  }
  std::string frame() { return screen.render(editor); }

  Screen screen;
  LineEditor editor;
  std::string sent;
};

std::string cursorAt(int column) {
  return column == 0 ? "\r" : "\r\x1b[" + std::to_string(column) + "C";
}

#define CHECK_FRAME(terminal, expected) \
  BOOST_CHECK_EQUAL(::e2e::shown((terminal).frame()), ::e2e::shown(expected))

const std::string kPrompt = "[2024-01-02 03:04:05][Alice]:";

}  // namespace

BOOST_AUTO_TEST_SUITE(client_screen)

BOOST_AUTO_TEST_CASE(the_first_frame_draws_an_empty_input_row) {
  Terminal t;
  CHECK_FRAME(t, std::string(kErase) + "\r");
  CHECK_FRAME(t, "");  // nothing changed since
}

BOOST_AUTO_TEST_CASE(the_input_row_starts_on_the_last_row) {
  Terminal t;
  t.screen.moveToLastRow(30);
  CHECK_FRAME(t, std::string("\x1b[30;1H") + kErase + "\r");
  t.keys("a");
  CHECK_FRAME(t, std::string(kErase) + "a" + cursorAt(1));
}

BOOST_AUTO_TEST_CASE(the_unfinished_last_line_is_the_prompt) {
  Terminal t;
  t.frame();
  t.server("Welcome to TCP-Chat!\n[ENTER YOUR NAME]: ");
  CHECK_FRAME(t,
              std::string(kErase) + "Welcome to TCP-Chat!\r\n[ENTER YOUR NAME]: " + cursorAt(19));
}

BOOST_AUTO_TEST_CASE(typing_redraws_the_prompt_and_the_text) {
  Terminal t;
  t.server(kPrompt);
  t.frame();
  t.keys("hi");
  CHECK_FRAME(t, kErase + kPrompt + "hi" + cursorAt(31));
}

BOOST_AUTO_TEST_CASE(a_message_goes_above_a_half_typed_line_which_stays_as_it_was) {
  Terminal t;
  t.server(kPrompt);
  t.keys("half typed").keys("\x1b[D\x1b[D");
  t.frame();
  t.server("\n[2024-01-02 03:04:06][Bob]:hello\n" + kPrompt);
  CHECK_FRAME(t, kErase + std::string("[2024-01-02 03:04:06][Bob]:hello\r\n") + kPrompt +
                     "half typed" + cursorAt(29 + 8));
  BOOST_TEST(t.editor.text() == "half typed");
}

BOOST_AUTO_TEST_CASE(a_prompt_ended_by_the_servers_framing_leaves_no_line) {
  Terminal t;
  t.server(kPrompt);
  t.frame();
  t.server("\nBob has joined our chat...\n" + kPrompt);
  CHECK_FRAME(t, kErase + std::string("Bob has joined our chat...\r\n") + kPrompt + cursorAt(29));
}

BOOST_AUTO_TEST_CASE(prompts_between_messages_that_arrive_at_once_leave_no_lines) {
  Terminal t;
  t.server(kPrompt);
  t.frame();
  t.server("\nBob has joined our chat...\n" + kPrompt + "\nBob has left our chat...\n" + kPrompt);
  CHECK_FRAME(t, kErase +
                     std::string("Bob has joined our chat...\r\nBob has left our chat...\r\n") +
                     kPrompt + cursorAt(29));
}

BOOST_AUTO_TEST_CASE(the_name_prompt_ended_by_a_timeout_leaves_no_line) {
  Terminal t;
  t.server("[ENTER YOUR NAME]: ");
  t.frame();
  t.server("\nTimed out waiting for a name.\n");
  CHECK_FRAME(t, std::string(kErase) + "Timed out waiting for a name.\r\n\r");
}

BOOST_AUTO_TEST_CASE(a_message_that_ends_like_a_prompt_is_still_shown) {
  Terminal t;
  t.server(kPrompt);
  t.frame();
  t.server("\n[2024-01-02 03:04:06][Bob]:see [this]:\n[x]:\n" + kPrompt);
  CHECK_FRAME(t, kErase + std::string("[2024-01-02 03:04:06][Bob]:see [this]:\r\n") + kPrompt +
                     cursorAt(29));
}

BOOST_AUTO_TEST_CASE(a_message_split_before_its_newline_is_not_taken_for_a_prompt) {
  Terminal t;
  t.server(kPrompt);
  t.frame();
  t.server("\n[2024-01-02 03:04:06][Bob]:hello");
  t.frame();
  t.server("\n" + kPrompt);
  CHECK_FRAME(
      t, kErase + std::string("[2024-01-02 03:04:06][Bob]:hello\r\n") + kPrompt + cursorAt(29));
}

BOOST_AUTO_TEST_CASE(enter_keeps_prompt_and_line_as_one_line_and_sends_the_line) {
  Terminal t;
  t.server(kPrompt);
  t.keys("hello");
  t.frame();
  t.keys("\r");
  CHECK_FRAME(t, kErase + kPrompt + "hello\r\n" + "\r");
  BOOST_TEST(t.sent == "hello\n");
  t.server(kPrompt);
  CHECK_FRAME(t, kErase + kPrompt + cursorAt(29));
}

BOOST_AUTO_TEST_CASE(enter_on_an_empty_line_sends_it_but_leaves_no_row_of_a_prompt) {
  Terminal t;
  t.server(kPrompt);
  t.frame();
  t.keys("\r").keys("  \r");
  CHECK_FRAME(t, std::string(kErase) + "\r");
  BOOST_TEST(t.sent == "\n  \n");
  t.server(kPrompt);
  CHECK_FRAME(t, kErase + kPrompt + cursorAt(29));
}

BOOST_AUTO_TEST_CASE(the_prompts_answering_a_paste_show_as_one) {
  Terminal t;
  t.server(kPrompt);
  t.keys("one\rtwo\r");
  t.frame();
  t.server(kPrompt + kPrompt);
  CHECK_FRAME(t, kErase + kPrompt + cursorAt(29));
  t.server("\n[2024-01-02 03:04:06][Bob]:hi\n" + kPrompt);
  CHECK_FRAME(t,
              kErase + std::string("[2024-01-02 03:04:06][Bob]:hi\r\n") + kPrompt + cursorAt(29));
}

BOOST_AUTO_TEST_CASE(framing_that_crosses_an_enter_leaves_no_empty_line) {
  Terminal t;
  t.server(kPrompt);
  t.keys("hello\r");
  t.frame();
  t.server("\n[2024-01-02 03:04:06][Bob]:hi\n" + kPrompt);
  CHECK_FRAME(t,
              kErase + std::string("[2024-01-02 03:04:06][Bob]:hi\r\n") + kPrompt + cursorAt(29));
}

BOOST_AUTO_TEST_CASE(a_pasted_block_keeps_each_line_on_screen_and_sends_each) {
  Terminal t;
  t.server(kPrompt);
  t.frame();
  t.keys("one\rtwo\r");
  CHECK_FRAME(t, kErase + kPrompt + "one\r\ntwo\r\n\r");
  BOOST_TEST(t.sent == "one\ntwo\n");
}

BOOST_AUTO_TEST_CASE(control_characters_from_the_server_are_not_shown) {
  Terminal t;
  t.frame();
  t.server("\x1b[2J\x1b[Hred\x07\ttab\r\n");
  CHECK_FRAME(t, std::string(kErase) + "[2J[Hred tab\r\n\r");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_from_the_server_shows_as_replacement_characters) {
  Terminal t;
  t.frame();
  t.server(
      "a\xff"
      "b\xc3\n");
  CHECK_FRAME(t, std::string(kErase) +
                     "a\xef\xbf\xbd"
                     "b\xef\xbf\xbd\r\n\r");
}

BOOST_AUTO_TEST_CASE(a_character_split_across_reads_is_shown_whole) {
  Terminal t;
  t.server("[\xe6\x97");
  CHECK_FRAME(t, std::string(kErase) + "[" + cursorAt(1));
  t.server("\xa5]:");
  CHECK_FRAME(t, std::string(kErase) + "[\xe6\x97\xa5]:" + cursorAt(5));
}

BOOST_AUTO_TEST_CASE(wide_characters_put_the_cursor_two_columns_on) {
  Terminal t;
  t.server("> ");
  t.keys(
      "\xe6\x97\xa5\xf0\x9f\x98\x80"
      "e\xcc\x81");  // 日 😀 é (combining)
  CHECK_FRAME(t, std::string(kErase) +
                     "> \xe6\x97\xa5\xf0\x9f\x98\x80"
                     "e\xcc\x81" +
                     cursorAt(7));
}

BOOST_AUTO_TEST_CASE(a_line_wider_than_the_screen_scrolls_to_keep_the_cursor_in_view) {
  Terminal t(10);
  t.server("> ");
  t.keys("abcdefghijkl");  // 14 columns with the prompt; 9 fit beside the cursor's column
  CHECK_FRAME(t, std::string(kErase) + "defghijkl" + cursorAt(9));
}

BOOST_AUTO_TEST_CASE(home_on_a_long_line_shows_the_prompt_again) {
  Terminal t(10);
  t.server("> ");
  t.keys("abcdefghijkl");
  t.frame();
  t.keys("\x01");
  CHECK_FRAME(t, std::string(kErase) + "> abcdefg" + cursorAt(2));
}

BOOST_AUTO_TEST_CASE(a_wide_character_cut_by_the_left_edge_shows_as_a_space) {
  Terminal t(6);
  t.keys(
      "a\xe6\x97\xa5"
      "bcde");  // columns: a, 日 twice, b c d e; the cursor at 7
  CHECK_FRAME(t, std::string(kErase) + " bcde" + cursorAt(5));
}

BOOST_AUTO_TEST_CASE(a_narrower_window_erases_the_rows_the_input_row_was_rewrapped_onto) {
  Terminal t(40);
  t.keys(std::string(30, 'x'));
  t.frame();
  t.screen.resize(20);
  CHECK_FRAME(t, "\x1b[1A\r\x1b[J" + std::string(19, 'x') + cursorAt(19));
}

BOOST_AUTO_TEST_CASE(a_wider_window_redraws_the_row_in_place) {
  Terminal t(10);
  t.keys(std::string(12, 'x'));
  t.frame();
  t.screen.resize(20);
  CHECK_FRAME(t, kErase + std::string(12, 'x') + cursorAt(12));
}

BOOST_AUTO_TEST_CASE(ctrl_l_clears_the_screen_and_draws_the_input_row_at_the_top) {
  Terminal t;
  t.server(kPrompt);
  t.keys("abc");
  t.frame();
  t.keys("\x0c");
  CHECK_FRAME(t, "\x1b[H\x1b[2J" + kPrompt + "abc" + cursorAt(32));
}

BOOST_AUTO_TEST_CASE(a_ten_thousand_line_history_is_one_frame) {
  Terminal t;
  t.frame();
  std::string history;
  for (int i = 0; i < 10000; ++i)
    history += "[2024-01-02 03:04:05][Bob]:line " + std::to_string(i) + "\n";
  t.server(history + kPrompt);
  const std::string frame = t.frame();
  BOOST_TEST(frame.find("line 0\r\n") != std::string::npos);
  BOOST_TEST(frame.find("line 9999\r\n" + kPrompt) != std::string::npos);
  BOOST_TEST(t.frame().empty());
}

BOOST_AUTO_TEST_CASE(the_farewell_keeps_the_typed_line_and_ends_it) {
  Terminal t;
  t.server(kPrompt);
  t.keys("bye");
  t.frame();
  BOOST_CHECK_EQUAL(e2e::shown(t.screen.finish(t.editor, true)),
                    e2e::shown(kErase + kPrompt + "bye" + cursorAt(32) + "\r\n"));
}

BOOST_AUTO_TEST_CASE(a_notice_replaces_the_input_row_when_the_server_closes) {
  Terminal t;
  t.server(kPrompt);
  t.frame();
  t.server("\nServer is shutting down.\n");
  t.screen.notice("Connection closed by the server.");
  BOOST_CHECK_EQUAL(e2e::shown(t.screen.finish(t.editor, false)),
                    e2e::shown(std::string(kErase) +
                               "Server is shutting down.\r\nConnection closed by the server.\r\n"));
}

BOOST_AUTO_TEST_CASE(while_no_server_is_there_the_last_prompt_stays_on_the_input_row) {
  Terminal t;
  t.server(kPrompt).keys("half").frame();
  t.server("\nServer is shutting down.\n");  // its "\n" ends the prompt's line
  t.screen.notice("Connection closed by the server.");
  t.screen.keepLastPrompt();
  CHECK_FRAME(t, std::string(kErase) +
                     "Server is shutting down.\r\nConnection closed by the server.\r\n" + kPrompt +
                     "half" + cursorAt(33));
  // A line sent while away leaves the prompt for the next one.
  t.keys("\r");
  t.screen.keepLastPrompt();
  CHECK_FRAME(t, std::string(kErase) + kPrompt + "half\r\n" + kPrompt + cursorAt(29));
}

BOOST_AUTO_TEST_CASE(a_new_connection_does_not_continue_the_old_prompt) {
  Terminal t;
  t.server(kPrompt).frame();
  t.screen.dropPrompt();
  t.server("You are now in games.\n" + kPrompt);
  CHECK_FRAME(t, std::string(kErase) + "You are now in games.\r\n" + kPrompt + cursorAt(29));
}

BOOST_AUTO_TEST_CASE(a_secret_line_shows_nothing_of_what_is_typed) {
  const std::string password_prompt = "[ENTER THE PASSWORD]: ";
  Terminal t;
  t.server("Welcome!\n" + password_prompt);
  CHECK_FRAME(t, std::string(kErase) + "Welcome!\r\n" + password_prompt + cursorAt(22));
  t.editor.setSecret(true);
  t.keys("hunter2");
  CHECK_FRAME(t, "");  // the row does not change, not even its cursor
  t.keys("\x1b[D\x1b[D");
  CHECK_FRAME(t, "");
  t.keys("\r");
  CHECK_FRAME(t, std::string(kErase) + password_prompt + "\r\n" + cursorAt(0));
  BOOST_CHECK_EQUAL(t.sent, "hunter2\n");
  t.server("[ENTER YOUR NAME]: ");
  CHECK_FRAME(t, std::string(kErase) + "[ENTER YOUR NAME]: " + cursorAt(19));
}

BOOST_AUTO_TEST_CASE(a_secret_never_reaches_the_last_bytes_either) {
  Terminal t;
  t.server("[ENTER THE PASSWORD]: ");
  t.editor.setSecret(true);
  t.keys("hunter2");
  t.frame();
  t.server("Wrong password.\n");
  const std::string last = t.screen.finish(t.editor, true);
  BOOST_CHECK_EQUAL(last.find("hunter2"), std::string::npos);
  BOOST_CHECK_NE(last.find("Wrong password."), std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
