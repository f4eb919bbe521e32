#include "lib/signature.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdio>
#include <memory>

#include "util/error.h"

namespace zaccel::lib {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

/// Reads a PEM key, private or public. Ed25519 signs the message itself, so no digest is
/// named for it; every other key type signs its SHA-256.
Key read_key(const std::string &path, bool priv) {
  std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "r"), &std::fclose);
  if (!f) fail(ENOENT, path, ": cannot open");
  EVP_PKEY *k = priv ? PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr)
                     : PEM_read_PUBKEY(f.get(), nullptr, nullptr, nullptr);
  if (!k) fail(EINVAL, path, ": no PEM ", priv ? "private" : "public", " key");
  return Key(k, &EVP_PKEY_free);
}

const EVP_MD *digest_for(EVP_PKEY *k) {
  return EVP_PKEY_get_id(k) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
}

}  // namespace

std::vector<uint8_t> sign_data(const std::vector<uint8_t> &data, const std::string &key_path) {
  const Key key = read_key(key_path, true);
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t len = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, digest_for(key.get()), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, data.data(), data.size()) != 1)
    fail(EIO, key_path, ": cannot sign");
  std::vector<uint8_t> sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, data.data(), data.size()) != 1)
    fail(EIO, key_path, ": cannot sign");
  sig.resize(len);
  return sig;
}

bool verify_signature(const std::vector<uint8_t> &data, const std::vector<uint8_t> &sig,
                      const std::string &key_path) {
  const Key key = read_key(key_path, false);
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, digest_for(key.get()), nullptr, key.get()) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), data.data(), data.size()) == 1;
}

}  // namespace zaccel::lib
