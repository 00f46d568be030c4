// Text as the client shows it: glyphs with their widths, and server text made harmless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace client {

// What the cursor steps over: one character with the zero-width marks that follow it.
struct Glyph {
  std::string bytes;  // valid UTF-8, no control characters
  int width = 1;      // columns on the terminal (0 only for a mark with nothing to sit on)
};

// Appends `text` as glyphs the way the screen shows server text: control characters are
// dropped, tabs become one space, invalid UTF-8 becomes U+FFFD. An incomplete sequence at the
// very end is left out (`complete` false) so that text still arriving is not shown as broken.
void appendGlyphs(std::string_view text, std::vector<Glyph>& out, bool complete = true);

// Appends `text` made safe for the terminal, by the same rules as appendGlyphs.
void appendShown(std::string_view text, std::string& out);

int totalWidth(const std::vector<Glyph>& glyphs);

}  // namespace client
