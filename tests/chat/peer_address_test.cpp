// Unit tests of the address part of a peer, as --max-per-address counts it.
#include "chat/peer_address.hpp"

#include <boost/test/unit_test.hpp>

using chat::peerAddress;

BOOST_AUTO_TEST_SUITE(peer_address)

BOOST_AUTO_TEST_CASE(ipv4_peer_loses_its_port) {
  BOOST_TEST(peerAddress("127.0.0.2:40123") == "127.0.0.2");
}

BOOST_AUTO_TEST_CASE(ipv6_peer_loses_brackets_and_port) {
  BOOST_TEST(peerAddress("[::1]:40123") == "::1");
  BOOST_TEST(peerAddress("[2001:DB8::1]:1") == "2001:db8::1");
}

BOOST_AUTO_TEST_CASE(ipv4_mapped_address_is_its_ipv4_address) {
  BOOST_TEST(peerAddress("[::ffff:10.1.2.3]:80") == "10.1.2.3");
  BOOST_TEST(peerAddress("[::FFFF:10.1.2.3]:80") == "10.1.2.3");
}

BOOST_AUTO_TEST_CASE(text_without_a_port_is_kept_whole) {
  BOOST_TEST(peerAddress("10.0.0.1") == "10.0.0.1");
  BOOST_TEST(peerAddress("fe80::1") == "fe80::1");
  BOOST_TEST(peerAddress("") == "");
}

BOOST_AUTO_TEST_CASE(the_way_in_named_before_the_address_is_left_out) {
  BOOST_TEST(peerAddress("web 127.0.0.2:40123") == "127.0.0.2");
  BOOST_TEST(peerAddress("web [::ffff:10.1.2.3]:80") == "10.1.2.3");
  BOOST_TEST(peerAddress("web [::1]:5") == peerAddress("[::1]:6"));
}

BOOST_AUTO_TEST_SUITE_END()
