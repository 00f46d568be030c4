// Line editing keys (README.md, "Joining without nc") on a line of glyphs: insertion, motion,
// deletion, history.
#include "client/line_editor.hpp"

#include "client/utf8.hpp"

namespace client {
namespace {

constexpr char kEscape = '\x1b';

constexpr char ctrl(char letter) { return static_cast<char>(letter & 0x1F); }

bool isCsiFinal(unsigned char byte) { return byte >= 0x40 && byte <= 0x7E; }

}  // namespace

void LineEditor::feed(std::string_view keys, std::vector<EditorAction>& actions) {
  std::string input;
  if (!pending_.empty()) {
    input = pending_ + std::string(keys);
    pending_.clear();
    keys = input;
  }
  while (!keys.empty()) {
    const auto byte = static_cast<unsigned char>(keys[0]);
    std::size_t taken = 0;
    if (byte == '\n' && after_cr_) {
      after_cr_ = false;
      keys.remove_prefix(1);
      continue;
    }
    after_cr_ = byte == '\r';
    if (byte == static_cast<unsigned char>(kEscape)) {
      taken = takeEscape(keys);
    } else if (byte < 0x20 || byte == 0x7F) {
      control(static_cast<char>(byte), actions);
      taken = 1;
    } else {
      taken = takeText(keys);
    }
    if (taken == 0) {  // the key is not complete yet
      pending_ = std::string(keys);
      return;
    }
    keys.remove_prefix(taken);
    if (!actions.empty() && actions.back().kind == EditorAction::Kind::Leave) return;
  }
}

// ESC [ params intermediates final, ESC O final, or ESC and one more byte (Alt+key). Returns 0
// while the sequence may still be arriving.
std::size_t LineEditor::takeEscape(std::string_view keys) {
  if (keys.size() < 2) return 0;
  std::size_t end = 0;
  if (keys[1] == '[') {
    std::size_t i = 2;
    while (i < keys.size() && !isCsiFinal(static_cast<unsigned char>(keys[i]))) ++i;
    if (i >= keys.size()) {
      if (keys.size() >= kMaxEscapeBytes) return keys.size();  // garbage: drop what came
      return 0;
    }
    end = i + 1;
  } else if (keys[1] == 'O') {
    if (keys.size() < 3) return 0;
    end = 3;
  } else if (keys[1] == kEscape) {
    return 1;  // a lone Escape followed by the next key
  } else {
    end = 2;
  }
  namedKey(keys.substr(0, end));
  return end;
}

std::size_t LineEditor::takeText(std::string_view keys) {
  const utf8::Decoded d = utf8::decode(keys);
  if (d.incomplete) return 0;
  std::string bytes;
  utf8::append(d.valid ? d.code_point : utf8::kReplacement, bytes);
  if (bytes_ + bytes.size() > kMaxLineBytes) return d.length;
  std::vector<Glyph> added;
  appendGlyphs(bytes, added);
  if (added.empty()) return d.length;
  if (added[0].width == 0 && cursor_ > 0) {
    glyphs_[cursor_ - 1].bytes += added[0].bytes;  // a mark joins the character before it
  } else {
    glyphs_.insert(glyphs_.begin() + static_cast<std::ptrdiff_t>(cursor_), added[0]);
    ++cursor_;
  }
  bytes_ += bytes.size();
  return d.length;
}

void LineEditor::control(char key, std::vector<EditorAction>& actions) {
  switch (key) {
    case '\r':
    case '\n':
      submit(actions);
      break;
    case ctrl('C'):
      actions.push_back({EditorAction::Kind::Leave, {}});
      break;
    case ctrl('D'):
      if (glyphs_.empty()) {
        actions.push_back({EditorAction::Kind::Leave, {}});
      } else {
        erase(cursor_, cursor_ + 1);
      }
      break;
    case ctrl('A'):
      cursor_ = 0;
      break;
    case ctrl('E'):
      cursor_ = glyphs_.size();
      break;
    case ctrl('B'):
      if (cursor_ > 0) --cursor_;
      break;
    case ctrl('F'):
      if (cursor_ < glyphs_.size()) ++cursor_;
      break;
    case ctrl('H'):
    case 0x7F:
      if (cursor_ > 0) erase(cursor_ - 1, cursor_);
      break;
    case ctrl('U'):
      erase(0, cursor_);
      break;
    case ctrl('K'):
      erase(cursor_, glyphs_.size());
      break;
    case ctrl('W'):
      eraseWordBefore();
      break;
    case ctrl('L'):
      actions.push_back({EditorAction::Kind::Redraw, {}});
      break;
    case ctrl('P'):
      recall(-1);
      break;
    case ctrl('N'):
      recall(+1);
      break;
    case '\t':
      takeText(" ");
      break;
    default:
      break;  // other control keys mean nothing here, and are never put into the line
  }
}

void LineEditor::namedKey(std::string_view sequence) {
  // The final byte decides for the arrows (ESC [ D, ESC O D, and ESC [ 1 ; 5 D with modifiers
  // alike); the ~ keys are told apart by their number.
  const std::string_view body = sequence.substr(2);
  const char final = sequence.back();
  if (sequence[1] == '[' && final == '~') {
    const std::string_view number = body.substr(0, body.find_first_of(";~"));
    if (number == "1" || number == "7") cursor_ = 0;
    if (number == "4" || number == "8") cursor_ = glyphs_.size();
    if (number == "3") erase(cursor_, cursor_ + 1);
    return;
  }
  if (sequence[1] != '[' && sequence[1] != 'O') return;  // Alt+key: nothing to do
  switch (final) {
    case 'D':
      if (cursor_ > 0) --cursor_;
      break;
    case 'C':
      if (cursor_ < glyphs_.size()) ++cursor_;
      break;
    case 'H':
      cursor_ = 0;
      break;
    case 'F':
      cursor_ = glyphs_.size();
      break;
    case 'A':
      recall(-1);
      break;
    case 'B':
      recall(+1);
      break;
    default:
      break;  // swallowed whole: an unknown key never lands in the line
  }
}

void LineEditor::setSecret(bool secret) {
  if (secret_ && !secret) {
    glyphs_.clear();
    cursor_ = 0;
    bytes_ = 0;
  }
  secret_ = secret;
}

void LineEditor::submit(std::vector<EditorAction>& actions) {
  std::string line = text();
  const bool secret = secret_;
  secret_ = false;
  if (!secret && !line.empty() && (history_.empty() || history_.back() != line)) {
    history_.push_back(line);
    if (history_.size() > kMaxHistory) history_.pop_front();
  }
  recalled_ = history_.size();
  draft_.clear();
  glyphs_.clear();
  cursor_ = 0;
  bytes_ = 0;
  actions.push_back({EditorAction::Kind::Submit, std::move(line), secret});
}

void LineEditor::recall(int step) {
  if (secret_) return;
  if (step < 0 && recalled_ == 0) return;
  if (step > 0 && recalled_ >= history_.size()) return;
  if (recalled_ == history_.size()) draft_ = text();
  recalled_ = step < 0 ? recalled_ - 1 : recalled_ + 1;
  setText(recalled_ == history_.size() ? draft_ : history_[recalled_]);
}

void LineEditor::setText(std::string_view text) {
  glyphs_.clear();
  appendGlyphs(text, glyphs_);
  cursor_ = glyphs_.size();
  bytes_ = text.size();
}

void LineEditor::erase(std::size_t from, std::size_t to) {
  if (to > glyphs_.size()) to = glyphs_.size();
  if (from >= to) return;
  for (std::size_t i = from; i < to; ++i) bytes_ -= glyphs_[i].bytes.size();
  glyphs_.erase(glyphs_.begin() + static_cast<std::ptrdiff_t>(from),
                glyphs_.begin() + static_cast<std::ptrdiff_t>(to));
  if (cursor_ > to) {
    cursor_ -= to - from;
  } else if (cursor_ > from) {
    cursor_ = from;
  }
}

// As in shells: the spaces before the cursor, then the word before them.
void LineEditor::eraseWordBefore() {
  std::size_t start = cursor_;
  while (start > 0 && glyphs_[start - 1].bytes == " ") --start;
  while (start > 0 && glyphs_[start - 1].bytes != " ") --start;
  erase(start, cursor_);
}

std::string LineEditor::text() const {
  std::string out;
  out.reserve(bytes_);
  for (const Glyph& glyph : glyphs_) out += glyph.bytes;
  return out;
}

int LineEditor::cursorColumn() const {
  int columns = 0;
  for (std::size_t i = 0; i < cursor_; ++i) columns += glyphs_[i].width;
  return columns;
}

}  // namespace client
