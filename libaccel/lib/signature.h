// Detached signatures of partial bitstreams (OpenSSL, SHA-256 with whatever key type the PEM
// file holds: RSA, ECDSA or Ed25519).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zaccel::lib {

/// Signs `data` with the private key in PEM file `key_path`. Throws Error: ENOENT for a
/// missing file, EINVAL for one that holds no private key, EIO if signing fails.
std::vector<uint8_t> sign_data(const std::vector<uint8_t> &data, const std::string &key_path);

/// True if `sig` is a signature of `data` by the public key in PEM file `key_path`. Throws
/// Error: ENOENT for a missing file, EINVAL for one that holds no public key.
bool verify_signature(const std::vector<uint8_t> &data, const std::vector<uint8_t> &sig,
                      const std::string &key_path);

}  // namespace zaccel::lib
