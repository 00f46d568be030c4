// Constant-time password comparison, after Redis's time_independent_strcmp.
#include "chat/password.hpp"

#include <algorithm>
#include <array>

namespace chat {

bool passwordMatches(std::string_view password, std::string_view guess) {
  std::array<unsigned char, kMaxPasswordBytes> want{};
  std::array<unsigned char, kMaxPasswordBytes> got{};
  // std::copy_n, not memcpy: an empty view may hold a null pointer, which memcpy may not get.
  std::copy_n(password.begin(), std::min(password.size(), want.size()), want.begin());
  std::copy_n(guess.begin(), std::min(guess.size(), got.size()), got.begin());
  // Every byte is looked at whatever the earlier ones held: no early exit for the timing to show.
  unsigned difference = password.size() == guess.size() ? 0U : 1U;
  for (std::size_t i = 0; i < want.size(); ++i) difference |= want[i] ^ got[i];
  return difference == 0 && password.size() <= kMaxPasswordBytes;
}

}  // namespace chat
