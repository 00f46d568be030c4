// Test runner entry point: Boost.Test compiled header-only into the tests binary.
#define BOOST_TEST_MODULE netcat_chat
#include <boost/test/included/unit_test.hpp>
