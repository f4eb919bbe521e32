// SHA-256 of a partial bitstream (OpenSSL), as the lowercase hex its manifest records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace zaccel::lib {

/// Throws Error (EIO) if OpenSSL fails.
std::string sha256_hex(const uint8_t *data, size_t size);

}  // namespace zaccel::lib
