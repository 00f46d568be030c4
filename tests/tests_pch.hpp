// The headers every test file includes, compiled once per configuration (premake5.lua, tests_pch).
// No include guard: the gmake builds only ever compile it as the precompiled header, and name it
// before any test file's first line.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>
