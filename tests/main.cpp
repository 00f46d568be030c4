// Test runner entry point: Boost.Test compiled header-only into the tests binary.
#include <boost/test/included/unit_test.hpp>

// What BOOST_TEST_MODULE would define, written out: that macro works only when it comes before
// the first include of Boost.Test, and the gmake builds give every file of the tests, this one
// too, the precompiled <boost/test/unit_test.hpp> before its first line (tests/tests_pch.hpp).
static const boost::unit_test::framework::impl::master_test_suite_name_setter kModuleName(
    "netcat_chat");

boost::unit_test::test_suite* init_unit_test_suite(int, char*[]) { return nullptr; }
