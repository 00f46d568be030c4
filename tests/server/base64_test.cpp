// Unit tests of base64 against the test vectors of RFC 4648 §10.
#include "server/base64.hpp"

#include <boost/test/unit_test.hpp>

using server::base64Decode;
using server::base64Encode;

BOOST_AUTO_TEST_SUITE(base64)

BOOST_AUTO_TEST_CASE(encodes_rfc4648_vectors) {
  BOOST_TEST(base64Encode("") == "");
  BOOST_TEST(base64Encode("f") == "Zg==");
  BOOST_TEST(base64Encode("fo") == "Zm8=");
  BOOST_TEST(base64Encode("foo") == "Zm9v");
  BOOST_TEST(base64Encode("foob") == "Zm9vYg==");
  BOOST_TEST(base64Encode("fooba") == "Zm9vYmE=");
  BOOST_TEST(base64Encode("foobar") == "Zm9vYmFy");
}

BOOST_AUTO_TEST_CASE(decodes_rfc4648_vectors) {
  BOOST_TEST(*base64Decode("") == "");
  BOOST_TEST(*base64Decode("Zg==") == "f");
  BOOST_TEST(*base64Decode("Zm8=") == "fo");
  BOOST_TEST(*base64Decode("Zm9v") == "foo");
  BOOST_TEST(*base64Decode("Zm9vYg==") == "foob");
  BOOST_TEST(*base64Decode("Zm9vYmE=") == "fooba");
  BOOST_TEST(*base64Decode("Zm9vYmFy") == "foobar");
}

BOOST_AUTO_TEST_CASE(encodes_every_byte_value) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  BOOST_TEST(*base64Decode(base64Encode(all)) == all);
  BOOST_TEST(base64Encode("\xFF\xFE") == "//4=");
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_canonical_base64) {
  BOOST_TEST(!base64Decode("Zg="));       // length not a multiple of 4
  BOOST_TEST(!base64Decode("Zh=="));      // padding bits not zero
  BOOST_TEST(!base64Decode("Zm9=Zm9v"));  // padding in the middle
  BOOST_TEST(!base64Decode("Z===").has_value());
  BOOST_TEST(!base64Decode("Zm9 "));
  BOOST_TEST(!base64Decode("Zm9-"));
}

BOOST_AUTO_TEST_SUITE_END()
