// The input line of the terminal client: key bytes in, a line of glyphs and a cursor out.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "client/display_text.hpp"

namespace client {

// What the keys asked for, in the order they were pressed.
struct EditorAction {
  enum class Kind { Submit, Leave, Redraw };
  Kind kind;
  std::string line;     // Submit: the text of the line, without its end
  bool secret = false;  // Submit: typed as a secret (the password): never shown, never kept
};

class LineEditor {
 public:
  // Bounds the memory a paste without a newline can take; the server refuses lines past its
  // own limit (4096 bytes) with a message, which is better than cutting them here unseen.
  static constexpr std::size_t kMaxLineBytes = 64 * 1024;
  // Lines of this session that Up and Down walk through.
  static constexpr std::size_t kMaxHistory = 1000;
  // An escape sequence longer than this is no key any terminal sends: it is dropped.
  static constexpr std::size_t kMaxEscapeBytes = 32;

  // Interprets `keys` (they may end in the middle of a key; the rest waits for the next call)
  // and appends what they ask for to `actions`.
  void feed(std::string_view keys, std::vector<EditorAction>& actions);

  // At the password prompt the line is a secret: the screen shows none of it, Enter keeps it
  // out of the lines that Up and Down walk through (and ends the secret: it is one line), and
  // Up and Down bring no earlier line into it. A secret that ends before Enter takes its text
  // with it, so that no half-typed password is ever shown.
  void setSecret(bool secret);
  bool secret() const { return secret_; }

  const std::vector<Glyph>& glyphs() const { return glyphs_; }
  std::size_t cursor() const { return cursor_; }  // in glyphs
  std::string text() const;
  int cursorColumn() const;  // columns of the glyphs before the cursor

 private:
  std::size_t takeEscape(std::string_view keys);
  std::size_t takeText(std::string_view keys);
  void control(char key, std::vector<EditorAction>& actions);
  void namedKey(std::string_view sequence);
  void submit(std::vector<EditorAction>& actions);
  void recall(int step);
  void setText(std::string_view text);
  void erase(std::size_t from, std::size_t to);
  void eraseWordBefore();

  std::vector<Glyph> glyphs_;
  std::size_t cursor_ = 0;
  std::size_t bytes_ = 0;  // UTF-8 bytes in glyphs_
  std::string pending_;    // the unfinished start of a key
  bool after_cr_ = false;  // a CR was the last key: a LF right after it ends no second line
  std::deque<std::string> history_;
  std::size_t recalled_ = 0;  // history_.size() when no earlier line is shown
  std::string draft_;         // the line being typed before Up was pressed
  bool secret_ = false;
};

}  // namespace client
