// Telnet command bytes (RFC 854, 860, 1073), spelled out so the tests read like the protocol.
#pragma once

#include <string>

namespace telnet_bytes {

inline constexpr char kIac = '\xff';
inline constexpr char kDont = '\xfe';
inline constexpr char kDo = '\xfd';
inline constexpr char kWont = '\xfc';
inline constexpr char kWill = '\xfb';
inline constexpr char kAyt = '\xf6';
inline constexpr char kIp = '\xf4';
inline constexpr char kEcho = 1;
inline constexpr char kSuppressGoAhead = 3;
inline constexpr char kTimingMark = 6;
inline constexpr char kNaws = 31;

// IAC <verb> <option>: a negotiation such as IAC DO TIMING-MARK.
inline std::string cmd(char verb, char option) { return {kIac, verb, option}; }

}  // namespace telnet_bytes
