// File permissions on Windows: ACLs, which the owner manages; no mode bit says "everyone".
#include "file.hpp"

namespace net {

bool readableByEveryone(const std::string&, bool& everyone, std::string&) {
  everyone = false;
  return true;
}

}  // namespace net
