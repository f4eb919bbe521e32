#include "lib/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>

#include "util/error.h"

namespace zaccel::lib {

std::string sha256_hex(const uint8_t *data, size_t size) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(data, size, md, &len, EVP_sha256(), nullptr)) fail(EIO, "SHA-256 failed");
  std::string hex;
  char byte[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(byte, sizeof(byte), "%02x", md[i]);
    hex += byte;
  }
  return hex;
}

}  // namespace zaccel::lib
