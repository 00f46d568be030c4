// The browser page (page.html beside this file), built into the binary.
#pragma once

#include <string_view>

namespace web {

// The whole page, as page.html holds it. Its Content-Security-Policy (server/page_policy.hpp)
// allows its inline <script> and <style> elements by their hashes, and nothing else inline: no
// style="..." attributes, no on...= handlers.
std::string_view page();

}  // namespace web
