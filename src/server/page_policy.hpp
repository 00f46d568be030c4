// The page's Content-Security-Policy: its own inline <script> and <style> elements, allowed by
// their SHA-256 hashes, WebSocket connections to its own origin, and nothing from anywhere else.
#pragma once

#include <string>
#include <string_view>

namespace server {

// The policy for `page`. Only whole <script> and <style> elements are allowed: style="..."
// attributes and on...= handlers in the markup are not, so nothing injected could run either.
std::string pagePolicy(std::string_view page);

// "'sha256-...'" for each element's text, separated by spaces; "'none'" when there is none.
std::string inlineHashes(std::string_view page, std::string_view element);

}  // namespace server
