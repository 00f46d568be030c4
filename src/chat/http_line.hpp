// Whether a connection's first bytes are an HTTP request line ("GET / HTTP/1.1"), which on the
// chat port is a browser sent there by some web page, never a person (docs/PROTOCOL.md).
#pragma once

#include <string_view>

namespace chat {

enum class HttpGuess { No, Maybe, Yes };

// A whole line, without its line end: METHOD SP TARGET SP HTTP/d.d (RFC 9112 §3).
bool isHttpRequestLine(std::string_view line);
// A connection's first bytes: Yes once they hold a whole request line, No as soon as they cannot
// be the start of one (a name, telnet's negotiation), Maybe while they still could.
HttpGuess guessHttpRequest(std::string_view first_bytes);

}  // namespace chat
