// The chat's password (docs/PROTOCOL.md): how long it may be, and the one comparison with a guess.
#pragma once

#include <cstddef>
#include <string_view>

namespace chat {

// A password is one line of a file: long enough for any passphrase, short enough that the
// comparison below can always look at every byte it may hold.
inline constexpr std::size_t kMaxPasswordBytes = 256;

// Whether `guess` is `password`, in a time that depends on neither: both are copied into buffers
// of the largest size a password may have and every byte of those is compared, so a wrong guess
// takes as long whether it is right up to its last byte or wrong from its first.
bool passwordMatches(std::string_view password, std::string_view guess);

}  // namespace chat
