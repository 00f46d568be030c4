// libFuzzer target: bytes from a trusted proxy through the PROXY v1 header parser.
//
// Input layout: the first byte picks how the rest is cut into reads (byte + 1 bytes per read;
// 255 means one read), the rest is what the proxy sends. Checks that the parser never takes
// more than it was given, nothing after it is done, and never more than 107 bytes; that the
// outcome is the same in one piece, in the chosen reads and byte by byte; and that a header it
// takes is a real one: its bytes end in CRLF, and re-parsed they give the same client.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/invariant.hpp"
#include "server/proxy_header.hpp"

namespace {

using fuzz::require;
using server::ProxyHeaderParser;

struct Outcome {
  ProxyHeaderParser::Status status = ProxyHeaderParser::Status::NeedMore;
  std::size_t used = 0;
  bool has_source = false;
  std::string source;
};

Outcome parse(std::string_view bytes, std::size_t read_size) {
  ProxyHeaderParser parser;
  Outcome outcome;
  for (std::size_t at = 0; at < bytes.size(); at += read_size) {
    const std::string_view piece = bytes.substr(at, read_size);
    const bool finished = parser.status() != ProxyHeaderParser::Status::NeedMore;
    std::size_t used = 0;
    outcome.status = parser.feed(piece, used);
    require(used <= piece.size(), "the parser took more than it was given");
    require(!finished || used == 0, "the parser took bytes after it was done");
    outcome.used += used;
  }
  require(outcome.used <= server::kMaxProxyHeaderBytes, "the header outgrew 107 bytes");
  require(outcome.used == parser.length(), "length() disagrees with the bytes used");
  if (outcome.status == ProxyHeaderParser::Status::Done) {
    outcome.has_source = parser.hasSource();
    if (outcome.has_source) {
      outcome.source = server::formatPeer(parser.source(), parser.sourcePort());
    }
  }
  return outcome;
}

bool same(const Outcome& a, const Outcome& b) {
  return a.status == b.status && a.used == b.used && a.has_source == b.has_source &&
         a.source == b.source;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t read_size = data[0] == 255 ? size : static_cast<std::size_t>(data[0]) + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const Outcome whole = parse(bytes, bytes.size() + 1);
  require(same(whole, parse(bytes, read_size)), "the outcome depends on how reads are cut");
  require(same(whole, parse(bytes, 1)), "byte by byte differs from one piece");
  if (whole.status == ProxyHeaderParser::Status::Done) {
    const std::string_view header = bytes.substr(0, whole.used);
    require(header.size() >= 2 && header.substr(header.size() - 2) == "\r\n",
            "a header it took does not end in CRLF");
    require(header.substr(0, 6) == "PROXY ", "a header it took does not start with PROXY");
    require(same(whole, parse(header, header.size())), "the header alone parses differently");
  }
  if (whole.status == ProxyHeaderParser::Status::NeedMore) {
    require(whole.used == bytes.size(), "waiting for more without taking all it was given");
  }
  return 0;
}
