// Constant-time password comparison, after Redis's time_independent_strcmp.
#include "chat/password.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace chat {

bool passwordMatches(std::string_view password, std::string_view guess) {
  std::array<unsigned char, kMaxPasswordBytes> want{};
  std::array<unsigned char, kMaxPasswordBytes> got{};
  std::memcpy(want.data(), password.data(), std::min(password.size(), want.size()));
  std::memcpy(got.data(), guess.data(), std::min(guess.size(), got.size()));
  // Every byte is looked at whatever the earlier ones held: no early exit for the timing to show.
  unsigned difference = password.size() == guess.size() ? 0U : 1U;
  for (std::size_t i = 0; i < want.size(); ++i) difference |= want[i] ^ got[i];
  return difference == 0 && password.size() <= kMaxPasswordBytes;
}

}  // namespace chat
