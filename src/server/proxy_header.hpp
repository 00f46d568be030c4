// The PROXY protocol's version 1 header (haproxy's proxy-protocol.txt §2.1), which a trusted
// proxy sends first to name the client it speaks for: "need more", "done" or "bad", never
// reading past the CRLF that ends it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/ip_address.hpp"

namespace server {

// The protocol's own bound: "PROXY UNKNOWN" with the longest addresses and CRLF fits in it.
inline constexpr std::size_t kMaxProxyHeaderBytes = 107;

class ProxyHeaderParser {
 public:
  enum class Status { NeedMore, Done, Bad };

  // Reads from `bytes`; `used` says how many belonged to the header (the rest are the client's
  // own first bytes). Once Done or Bad, it takes nothing more.
  Status feed(std::string_view bytes, std::size_t& used);
  Status status() const { return status_; }
  // With Done: whether the header named a client (TCP4, TCP6), or not (UNKNOWN: the proxy's
  // own address stands, as the protocol says).
  bool hasSource() const { return has_source_; }
  const IpAddress& source() const { return source_; }
  std::uint16_t sourcePort() const { return source_port_; }
  // Bytes the header took in all, CRLF included.
  std::size_t length() const { return length_; }
  // With Bad: what was wrong, for the log.
  const std::string& problem() const { return problem_; }

 private:
  Status take(char c);
  Status fail(std::string problem);
  Status parseLine(std::string_view line);

  std::string line_;
  std::size_t length_ = 0;
  Status status_ = Status::NeedMore;
  bool has_source_ = false;
  IpAddress source_;
  std::uint16_t source_port_ = 0;
  std::string problem_;
};

}  // namespace server
