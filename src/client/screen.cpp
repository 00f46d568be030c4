// Builds the terminal bytes of each loop turn: erase the input row, write the server's complete
// lines, draw the prompt, the typed text and the cursor again.
#include "client/screen.hpp"

#include <algorithm>

#include "client/prompt_text.hpp"

namespace client {
namespace {

constexpr std::string_view kEraseRow = "\r\x1b[K";
constexpr std::string_view kClearScreen = "\x1b[H\x1b[2J";
constexpr std::string_view kNewLine = "\r\n";

void appendGlyphBytes(const std::vector<Glyph>& glyphs, std::string& out) {
  for (const Glyph& glyph : glyphs) out += glyph.bytes;
}

// What the input row shows of the editor's line: nothing of a secret, not even its length.
const std::vector<Glyph>& shownGlyphs(const LineEditor& editor) {
  static const std::vector<Glyph> kNothing;
  return editor.secret() ? kNothing : editor.glyphs();
}

std::size_t shownCursor(const LineEditor& editor) { return editor.secret() ? 0 : editor.cursor(); }

}  // namespace

Screen::Screen(int columns) : columns_(std::max(columns, kMinColumns)) {}

void Screen::serverBytes(std::string_view bytes) {
  if (bytes.empty()) return;
  while (!bytes.empty()) {
    const std::size_t end = bytes.find('\n');
    if (end == std::string_view::npos) {
      unfinished_.append(bytes.data(), bytes.size());
      break;
    }
    completeLine(bytes.substr(0, end));
    bytes.remove_prefix(end + 1);
  }
  if (unfinished_.size() > kMaxUnfinishedLineBytes) completeLine({});
  updatePrompt();
  after_submit_ = false;
}

void Screen::completeLine(std::string_view rest) {
  const bool framing_of_prompt =
      unfinished_.empty() ? isPrompt(rest) : isPrompt(unfinished_ + std::string(rest));
  const bool framing_after_submit = rest.empty() && unfinished_.empty() && after_submit_;
  if (!framing_of_prompt && !framing_after_submit) {
    appendShown(unfinished_, above_);
    appendShown(rest, above_);
    above_ += kNewLine;
  }
  unfinished_.clear();
  after_submit_ = false;
  dirty_ = true;
}

void Screen::updatePrompt() {
  const std::size_t last = lastPromptStart(unfinished_);
  if (last != std::string::npos && last > 0) unfinished_.erase(0, last);
  if (last != std::string::npos) last_prompt_ = unfinished_;
  prompt_.clear();
  appendGlyphs(unfinished_, prompt_, false);
  dirty_ = true;
}

void Screen::submitted(std::string_view line) {
  // The server answers an empty line with nothing but a fresh prompt: keeping the old one on
  // screen would only leave a row of an empty prompt.
  if (line.find_first_not_of(' ') != std::string_view::npos) {
    appendGlyphBytes(prompt_, above_);
    appendShown(line, above_);
    above_ += kNewLine;
  }
  unfinished_.clear();
  prompt_.clear();
  after_submit_ = true;
  dirty_ = true;
}

void Screen::submittedSecret() {
  appendGlyphBytes(prompt_, above_);
  above_ += kNewLine;
  unfinished_.clear();
  prompt_.clear();
  after_submit_ = true;
  dirty_ = true;
}

// Terminals such as tmux, VTE, Windows Terminal and the Windows console re-wrap rows that no
// longer fit a narrower window, cursor included: the input row drawn for the old width may now
// take several rows, with the cursor on the last of them that it reaches.
void Screen::resize(int columns) {
  columns = std::max(columns, kMinColumns);
  if (columns < columns_) rewrapped_rows_ = drawn_column_ / columns;
  columns_ = columns;
  dirty_ = true;
}

void Screen::moveToLastRow(int rows) {
  move_to_row_ = std::max(rows, 1);
  dirty_ = true;
}

void Screen::clear() {
  clear_ = true;
  dirty_ = true;
}

void Screen::dropPrompt() {
  unfinished_.clear();
  prompt_.clear();
  after_submit_ = false;
  dirty_ = true;
}

void Screen::keepLastPrompt() {
  if (!unfinished_.empty() || last_prompt_.empty()) return;
  unfinished_ = last_prompt_;
  updatePrompt();
  after_submit_ = false;
}

void Screen::notice(std::string_view line) {
  appendShown(line, above_);
  above_ += kNewLine;
  dirty_ = true;
}

std::string Screen::render(const LineEditor& editor) {
  const std::vector<Glyph>& typed = shownGlyphs(editor);
  std::string typed_text;
  appendGlyphBytes(typed, typed_text);
  const bool editor_changed = shownCursor(editor) != drawn_cursor_ ||
                              typed.size() != drawn_glyphs_ || typed_text != drawn_text_;
  if (!dirty_ && !editor_changed) return {};
  std::string out;
  out.reserve(above_.size() + 256);
  if (move_to_row_ > 0) {
    out += "\x1b[" + std::to_string(move_to_row_) + ";1H";
    rewrapped_rows_ = 0;
  }
  move_to_row_ = 0;
  if (clear_) {
    out += kClearScreen;
  } else if (rewrapped_rows_ > 0) {
    out += "\x1b[" + std::to_string(rewrapped_rows_) + "A\r\x1b[J";
  } else {
    out += kEraseRow;
  }
  clear_ = false;
  rewrapped_rows_ = 0;
  out += above_;
  above_.clear();
  drawInputRow(editor, out);
  dirty_ = false;
  drawn_text_ = std::move(typed_text);
  drawn_glyphs_ = typed.size();
  drawn_cursor_ = shownCursor(editor);
  return out;
}

std::string Screen::finish(const LineEditor& editor, bool keep_input_row) {
  std::string out(kEraseRow);
  out += above_;
  above_.clear();
  if (keep_input_row && (!prompt_.empty() || !shownGlyphs(editor).empty())) {
    drawInputRow(editor, out);
    out += kNewLine;
  }
  return out;
}

// One row, never wider than the screen less its last column, so the terminal never wraps it and
// "\r" always finds its start. Longer lines scroll sideways to keep the cursor in view.
void Screen::drawInputRow(const LineEditor& editor, std::string& out) {
  const std::vector<Glyph>& typed = shownGlyphs(editor);
  const int prompt_width = totalWidth(prompt_);
  const int total = prompt_width + totalWidth(typed);
  const int cursor = prompt_width + (editor.secret() ? 0 : editor.cursorColumn());
  const int room = columns_ - 1;
  // The row starts at the prompt whenever the cursor can be seen from there; going left past
  // the edge shows half a screen more at once, so that moving on does not shift it at every key.
  if (cursor <= room) {
    scroll_ = 0;
  } else if (cursor < scroll_) {
    scroll_ = std::max(0, cursor - room / 2);
  }
  if (cursor > scroll_ + room) scroll_ = cursor - room;
  scroll_ = std::min(scroll_, std::max(0, total - room));

  int column = 0;
  auto draw = [&](const std::vector<Glyph>& glyphs) {
    for (const Glyph& glyph : glyphs) {
      const int start = column;
      column += glyph.width;
      if (column <= scroll_) continue;
      if (column - scroll_ > room) return false;
      if (start < scroll_) {
        out.append(static_cast<std::size_t>(column - scroll_), ' ');  // half a wide glyph
      } else {
        out += glyph.bytes;
      }
    }
    return true;
  };
  if (draw(prompt_)) draw(typed);
  out += '\r';
  drawn_column_ = cursor - scroll_;
  if (drawn_column_ > 0) out += "\x1b[" + std::to_string(drawn_column_) + "C";
}

}  // namespace client
