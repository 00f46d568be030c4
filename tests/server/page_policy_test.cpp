// Unit tests of SHA-256 and of the page's Content-Security-Policy built from its inline elements.
#include "server/page_policy.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

#include "server/base64.hpp"
#include "server/sha256.hpp"
#include "web/page.hpp"

namespace {

std::string b64(const server::Sha256Digest& digest) {
  return server::base64Encode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(page_policy)

// FIPS 180-2 appendix B, written as base64 as CSP wants it.
BOOST_AUTO_TEST_CASE(sha256_matches_the_fips_vectors) {
  BOOST_TEST(b64(server::sha256("abc")) == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  BOOST_TEST(b64(server::sha256("")) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  BOOST_TEST(b64(server::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
             "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=");
}

BOOST_AUTO_TEST_CASE(hashes_each_inline_element_text) {
  const std::string page =
      "<style>a{}</style><script>x()</script><SCRIPT type=\"text/javascript\">y()</SCRIPT>"
      "<scripts>not one</scripts>";
  BOOST_TEST(server::inlineHashes(page, "style") == "'sha256-" + b64(server::sha256("a{}")) + "'");
  BOOST_TEST(server::inlineHashes(page, "script") == "'sha256-" + b64(server::sha256("x()")) +
                                                         "' 'sha256-" + b64(server::sha256("y()")) +
                                                         "'");
  BOOST_TEST(server::inlineHashes("<p>none</p>", "script") == "'none'");
}

BOOST_AUTO_TEST_CASE(policy_allows_nothing_from_elsewhere) {
  const std::string policy = server::pagePolicy(web::page());
  BOOST_TEST(policy.rfind("default-src 'none'; ", 0) == 0u);
  BOOST_TEST(policy.find("connect-src 'self'") != std::string::npos);
  BOOST_TEST(policy.find("unsafe") == std::string::npos);
  BOOST_TEST(policy.find("http") == std::string::npos);
  BOOST_TEST(policy.find("*") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
