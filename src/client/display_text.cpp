// Turns bytes from a server or the keyboard into glyphs that are safe to put on a terminal.
#include "client/display_text.hpp"

#include "client/utf8.hpp"

namespace client {
namespace {

bool isControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c < 0xA0); }

// Calls `take(code_point)` for each shown code point of `text`, by the rules of appendGlyphs.
template <typename Take>
void forEachShown(std::string_view text, bool complete, Take take) {
  while (!text.empty()) {
    const utf8::Decoded d = utf8::decode(text);
    if (d.incomplete && !complete) return;
    text.remove_prefix(d.length);
    if (!d.valid) {
      take(utf8::kReplacement);
    } else if (d.code_point == '\t') {
      take(U' ');
    } else if (!isControl(d.code_point)) {
      take(d.code_point);
    }
  }
}

}  // namespace

void appendGlyphs(std::string_view text, std::vector<Glyph>& out, bool complete) {
  forEachShown(text, complete, [&out](char32_t c) {
    const int columns = utf8::width(c);
    if (columns == 0 && !out.empty()) {
      utf8::append(c, out.back().bytes);
      return;
    }
    Glyph glyph;
    utf8::append(c, glyph.bytes);
    glyph.width = columns;
    out.push_back(std::move(glyph));
  });
}

void appendShown(std::string_view text, std::string& out) {
  forEachShown(text, true, [&out](char32_t c) { utf8::append(c, out); });
}

int totalWidth(const std::vector<Glyph>& glyphs) {
  int columns = 0;
  for (const Glyph& glyph : glyphs) columns += glyph.width;
  return columns;
}

}  // namespace client
