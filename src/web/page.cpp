// The page's bytes come from page.html through the build, which writes them out as a byte list
// (premake5.lua: embedFile) so the page stays a file of its own, edited as HTML.
#include "web/page.hpp"

#include <cstddef>

namespace web {
namespace {

// The generated list ends in one 0 byte more than the file, so it is never empty.
constexpr unsigned char kPageBytes[] = {
#include "web_page.inc"
};

}  // namespace

std::string_view page() {
  return std::string_view(reinterpret_cast<const char*>(kPageBytes), sizeof(kPageBytes) - 1);
}

}  // namespace web
