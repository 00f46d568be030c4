// IRC text rules: formatting codes removed, CTCP ACTION recognised, nicks judged, names mapped to
// nicks.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "chat/text.hpp"

namespace faces::irc {

// The longest nick: the same as the longest name (docs/PROTOCOL.md §5.4, 32 characters), since
// every nick is a name here; nicks are ASCII, so characters and bytes agree. Advertised as NICKLEN
// in 005.
inline constexpr std::size_t kNickLen = 32;

// Appends `in` to `out` without IRC formatting codes: bold, italic, underline, strikethrough,
// monospace, reverse, reset, and colours (0x03 with up to two digits and ",NN"; 0x04 with RRGGBB
// and ",RRGGBB"), digits and all, so "\x03" "04red" becomes "red", not "04red". Meant to run before
// the chat's own control-character cleaning, which would leave the colour digits behind.
void stripFormatting(std::string_view in, std::string& out);

// CTCP (a text framed by 0x01): ACTION is what `/me` sends; every other CTCP (VERSION, PING,
// DCC, ...) is a request to the client program, which this server neither answers nor relays.
enum class CtcpKind { None, Action, Other };
struct Ctcp {
  CtcpKind kind;
  // None: the whole text. Action: what the person does ("waves"). Other: the CTCP command.
  std::string_view text;
};
Ctcp classifyCtcp(std::string_view text);

// The PRIVMSG text that shows `action` as "* nick action": "\x01" "ACTION waves\x01".
std::string ctcpAction(std::string_view action);

// RFC 2812 §2.3.1 nick syntax, less '[' and ']' (a nick is a name too, and names have no
// brackets): 1..kNickLen bytes of letters, digits and "\`_^{|}-", not starting with a digit or '-'.
bool isValidNick(std::string_view nick);

// The nick that shows a chat name to IRC clients. A name that is a valid nick is its own nick.
// Any other name (spaces, '!', '@', digits first, non-ASCII, ...) becomes '[' + its characters
// + ']', where ASCII letters, digits and '-' stand for themselves, a space is '_', and every other
// character is '{' + its code point in lower-case hex without leading zeros + '}':
//   "Ana Lee" -> "[Ana_Lee]", "x@y!" -> "[x{40}y{21}]", "9lives" -> "[9lives]",
//   "José" -> "[Jos{e9}]", "a_b c" -> "[a{5f}b_c]".
// Names never hold brackets, so no name is such a nick and no such nick is a name. The mapping
// is injective and commutes with ASCII case folding (hex digits are written in lower case and
// everything else is kept as it is), so two names differ ignoring ASCII case exactly when their
// nicks do, as CASEMAPPING=ascii compares them. Stable: it depends on the name alone. Bytes that
// are not UTF-8 (names never have them) are taken as U+FFFD. The result may exceed kNickLen
// (at most 2 + 8 bytes per character); clients accept longer nicks from a server.
std::string nickForName(std::string_view name);

// The inverse of nickForName: the name a nick stands for, compared ignoring ASCII case. Nothing
// for a nick that nickForName never gives (a bad escape, a non-canonical spelling such as
// "[abc]" for the valid nick "abc", or "{05f}" for "{5f}").
std::optional<std::string> nameForNick(std::string_view nick);

// The chat's own comparison of names: nicks compare as names do (CASEMAPPING=ascii).
using chat::text::equalsIgnoringAsciiCase;

// The name among `names` (a range of things convertible to std::string_view) that `nick` stands
// for, or nullptr: what a PRIVMSG to a nick needs.
template <class Names>
auto findNameByNick(std::string_view nick, const Names& names) -> decltype(&*std::begin(names)) {
  const std::optional<std::string> name = nameForNick(nick);
  if (!name) return nullptr;
  for (const auto& candidate : names) {
    if (equalsIgnoringAsciiCase(std::string_view(candidate), *name)) return &candidate;
  }
  return nullptr;
}

}  // namespace faces::irc
