// SHA-256 (FIPS 180-4), for the hashes of the page's inline script and style in its
// Content-Security-Policy.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace server {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);

}  // namespace server
