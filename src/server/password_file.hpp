// The chat's password from --password-file: the first line of a file that not everyone may read,
// never the command line, which every user of the machine can see.
#pragma once

#include <string>

namespace server {

// Reads the password into `password`; false with one line saying why in `why`. With
// `private_only`, a file every user may read is refused (the server's check; a client only reads
// its own copy).
bool loadPassword(const std::string& path, bool private_only, std::string& password,
                  std::string& why);

}  // namespace server
