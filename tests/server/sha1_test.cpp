// Unit tests of SHA-1 against the test vectors of RFC 3174 §7.3.
#include "server/sha1.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

namespace {

std::string hex(const server::Sha1Digest& digest) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const std::uint8_t byte : digest) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xF];
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sha1)

BOOST_AUTO_TEST_CASE(hashes_rfc3174_test1_abc) {
  BOOST_TEST(hex(server::sha1("abc")) == "A9993E364706816ABA3E25717850C26C9CD0D89D");
}

BOOST_AUTO_TEST_CASE(hashes_rfc3174_test2_two_blocks) {
  BOOST_TEST(hex(server::sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
             "84983E441C3BD26EBAAE4AA1F95129E5E54670F1");
}

BOOST_AUTO_TEST_CASE(hashes_rfc3174_test3_a_million_a) {
  server::Sha1 hash;
  for (int i = 0; i < 1000000 / 1000; ++i) hash.update(std::string(1000, 'a'));
  BOOST_TEST(hex(hash.finish()) == "34AA973CD4C4DAA4F61EEB2BDBAD27316534016F");
}

BOOST_AUTO_TEST_CASE(hashes_rfc3174_test4_repeated_pattern) {
  server::Sha1 hash;
  for (int i = 0; i < 10; ++i) {
    hash.update("0123456701234567012345670123456701234567012345670123456701234567");
  }
  BOOST_TEST(hex(hash.finish()) == "DEA356A2CDDD90C7A7ECEDC5EBB563934F460452");
}

BOOST_AUTO_TEST_CASE(hashes_the_empty_string) {
  BOOST_TEST(hex(server::sha1("")) == "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
}

BOOST_AUTO_TEST_CASE(pieces_hash_as_the_whole) {
  const std::string text(200, 'x');
  for (std::size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 199u}) {
    server::Sha1 hash;
    hash.update(text.substr(0, cut));
    hash.update(text.substr(cut));
    BOOST_TEST(hex(hash.finish()) == hex(server::sha1(text)));
  }
}

BOOST_AUTO_TEST_SUITE_END()
