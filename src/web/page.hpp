// The browser page (page.html beside this file), built into the binary.
#pragma once

#include <string_view>

namespace web {

// The whole page, as page.html holds it.
std::string_view page();
// The Content-Security-Policy sources that allow exactly the page's own inline scripts and
// styles: one 'sha256-...' per <script> and <style> element.
std::string_view pageScriptSources();
std::string_view pageStyleSources();

}  // namespace web
