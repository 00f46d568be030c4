// Computes the page's policy from the page itself, so the page can change without anyone
// updating hashes by hand.
#include "server/page_policy.hpp"

#include "chat/text.hpp"
#include "server/base64.hpp"
#include "server/sha256.hpp"

namespace server {

std::string inlineHashes(std::string_view page, std::string_view element) {
  const std::string lower = chat::text::asciiLower(page);
  const std::string open = "<" + std::string(element);
  const std::string close = "</" + std::string(element);
  std::string sources;
  std::size_t at = 0;
  while ((at = lower.find(open, at)) != std::string::npos) {
    const std::size_t after_name = at + open.size();
    // "<scripts" or "<style-x" are other elements.
    if (after_name >= lower.size() ||
        std::string_view(" \t\r\n>").find(lower[after_name]) == std::string_view::npos) {
      at = after_name;
      continue;
    }
    const std::size_t text_start = lower.find('>', after_name);
    if (text_start == std::string::npos) break;
    const std::size_t text_end = lower.find(close, text_start + 1);
    if (text_end == std::string::npos) break;
    const Sha256Digest digest = sha256(page.substr(text_start + 1, text_end - text_start - 1));
    if (!sources.empty()) sources += ' ';
    sources += "'sha256-" +
               base64Encode(
                   std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) +
               "'";
    at = text_end + close.size();
  }
  return sources.empty() ? "'none'" : sources;
}

std::string pagePolicy(std::string_view page) {
  // 'self' in connect-src covers ws: and wss: to the page's own host and port (CSP Level 3,
  // which browsers follow since 2018); img-src allows data: URLs the page may build itself.
  return "default-src 'none'; script-src " + inlineHashes(page, "script") + "; style-src " +
         inlineHashes(page, "style") +
         "; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
         "frame-ancestors 'none'";
}

}  // namespace server
