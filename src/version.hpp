// The one version number: --version, the .deb, the Windows zip and the man page all take it here.
#pragma once

#include <string_view>

// scripts/package.sh reads the number from this line with sed: keep it a plain literal.
inline constexpr std::string_view kVersion = "1.2.0";
