// The terminal client's screen: server text above, the input line on the last row, as bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "client/display_text.hpp"
#include "client/line_editor.hpp"

namespace client {

// Knows what is on the terminal and produces the exact bytes that change it: server lines are
// written above the input row, which is then drawn again (prompt, typed text, cursor). Nothing
// here touches a terminal; the bytes of one loop turn collect in one string for one write.
class Screen {
 public:
  // A server line that never ends is shown once it is this long, so memory stays bounded;
  // no prompt of the protocol comes near it.
  static constexpr std::size_t kMaxUnfinishedLineBytes = 64 * 1024;
  // Narrower terminals are treated as this wide, so there is always a column for the cursor.
  static constexpr int kMinColumns = 2;

  explicit Screen(int columns);

  // Bytes from the server. Complete lines go above the input row; the unfinished last line is
  // the prompt. A prompt of the protocol that the server ends with "\n" leaves no line behind.
  void serverBytes(std::string_view bytes);
  // Enter: the prompt and `line` stay on screen as one line (unless `line` is blank); the
  // prompt is used up.
  void submitted(std::string_view line);
  // Enter on a secret line (the password): the prompt stays on screen alone, as a terminal that
  // does not echo leaves it; the prompt is used up.
  void submittedSecret();
  void resize(int columns);
  // Puts the input row on the last of `rows` rows at the next render, so that the editor sits at
  // the bottom of the screen from the start and what arrives scrolls up above it.
  void moveToLastRow(int rows);
  // Ctrl-L: clear the screen, then draw the input row at the top.
  void clear();
  // The connection that sent the prompt is gone and a new one is about to be shown: its prompt
  // is forgotten, so the new connection's first line does not continue it.
  void dropPrompt();
  // No server is there to send a prompt (the client waits to reconnect): the input row shows
  // the last prompt the server sent, so the typed text stays where it was.
  void keepLastPrompt();
  // Text of the client's own on a line of its own, e.g. "Connection closed by the server.".
  void notice(std::string_view line);

  // The bytes that bring the terminal up to date (empty when nothing changed), drawing the
  // input row from `editor` (nothing of its text while it is a secret); afterwards the screen
  // counts them as written.
  std::string render(const LineEditor& editor);
  // The bytes that leave the terminal for the shell: the input row stays as it is, the cursor
  // goes to the start of a fresh line.
  std::string finish(const LineEditor& editor, bool keep_input_row);

  // What the input row shows now: the prompt's glyphs.
  const std::vector<Glyph>& prompt() const { return prompt_; }

 private:
  void completeLine(std::string_view rest);
  void drawInputRow(const LineEditor& editor, std::string& out);
  void updatePrompt();

  int columns_;
  std::string unfinished_;     // the server's last line so far, raw
  std::vector<Glyph> prompt_;  // unfinished_ as shown
  std::string last_prompt_;    // the last prompt of the protocol that unfinished_ held
  bool after_submit_ = false;  // nothing came from the server since Enter used the prompt up
  std::string above_;          // lines to write above the input row at the next render
  bool clear_ = false;
  int move_to_row_ = 0;     // 1-based row to move to at the next render; 0: stay
  bool dirty_ = true;       // the input row must be drawn again
  int scroll_ = 0;          // first column of prompt + text that the input row shows
  int drawn_column_ = 0;    // where the cursor was left on the input row
  int rewrapped_rows_ = 0;  // rows above the cursor that a narrower window wrapped it onto
  // What was drawn last, to know whether the editor changed.
  std::string drawn_text_;
  std::size_t drawn_glyphs_ = 0;
  std::size_t drawn_cursor_ = 0;
};

}  // namespace client
