// How a fuzz target reports a broken invariant: the invariant on stderr, then abort(), which
// libFuzzer takes for a crash and saves the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace fuzz {

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

inline void require(bool ok, const char* what) {
  if (!ok) fail(what);
}

}  // namespace fuzz
