#include "lib/library.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "bitstream/partial.h"
#include "lib/sha256.h"
#include "lib/signature.h"
#include "util/error.h"

namespace zaccel::lib {
namespace {

namespace fs = std::filesystem;

nlohmann::json read_json(const fs::path &path) {
  const std::vector<uint8_t> bytes = read_file(path.string());
  nlohmann::json j = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (j.is_discarded()) fail(EINVAL, path.string(), ": not valid JSON");
  return j;
}

}  // namespace

std::vector<uint8_t> read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ENOENT, path, ": cannot open");
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail(EIO, path, ": read error");
  return data;
}

Library Library::open(const std::string &dir) {
  Library lib;
  lib.dir_ = dir;
  const fs::path root(dir);
  lib.shell_ = parse_shell(read_json(root / "shell.json"), (root / "shell.json").string());
  std::error_code ec;
  std::vector<fs::path> ip_dirs;
  for (const fs::directory_entry &e : fs::directory_iterator(root, ec))
    if (e.is_directory() && fs::exists(e.path() / "manifest.json")) ip_dirs.push_back(e.path());
  if (ec) fail(EIO, dir, ": ", ec.message());
  std::sort(ip_dirs.begin(), ip_dirs.end());
  for (const fs::path &d : ip_dirs) {
    const fs::path file = d / "manifest.json";
    IpManifest m = parse_manifest(read_json(file), file.string(), lib.shell_);
    if (m.name != d.filename().string())
      fail(EINVAL, file.string(), ".name: \"", m.name, "\" in directory ", d.filename().string());
    lib.ips_.push_back(std::move(m));
  }
  return lib;
}

const IpManifest &Library::find(const std::string &name) const {
  for (const IpManifest &m : ips_)
    if (m.name == name) return m;
  fail(ENOENT, "no IP \"", name, "\" in ", dir_);
}

std::vector<uint8_t> Library::verified_partial(const IpManifest &ip, uint32_t region,
                                               const VerifyOptions &opts) const {
  const PartialFile *p = ip.partial_for(region);
  if (!p) fail(ENOENT, "IP ", ip.name, " has no partial for region ", region);
  const fs::path path = fs::path(dir_) / ip.name / p->file;
  const std::string where =
      "IP " + ip.name + ", region " + std::to_string(region) + " (" + path.string() + ")";
  std::vector<uint8_t> bits;
  try {
    bits = read_file(path.string());
  } catch (const Error &e) {
    fail(e.err(), where, ": ", e.what());
  }
  if (bits.size() < p->bytes)
    fail(EBADMSG, where, ": truncated, ", bits.size(), " of ", p->bytes, " bytes");
  if (bits.size() > p->bytes)
    fail(EBADMSG, where, ": ", bits.size(), " bytes, the manifest says ", p->bytes);
  if (sha256_hex(bits.data(), bits.size()) != p->sha256)
    fail(EBADMSG, where, ": SHA-256 differs from the manifest's");
  if (!p->signature.empty() && !opts.trusted_key.empty()) {
    const std::vector<uint8_t> sig = read_file((fs::path(dir_) / ip.name / p->signature).string());
    if (!verify_signature(bits, sig, opts.trusted_key))
      fail(EKEYREJECTED, where, ": signature does not verify with ", opts.trusted_key);
  } else if (opts.require_signed) {
    fail(EPERM, where,
         p->signature.empty() ? ": unsigned, and signatures are required"
                              : ": signed, but no trusted key was given");
  }
  const emu::RegionDesc &r = shell_.regions.at(region);
  try {
    const emu::PartialContents c = emu::parse_partial(bits.data(), bits.size(), r);
    if (c.ips.size() != 1 || std::memcmp(&c.ips[0].id, &ip.id, sizeof(ip.id)) != 0)
      fail(EBADMSG, "the IP identity in its header is not the manifest's");
  } catch (const Error &e) {
    fail(e.err(), where, ": ", e.what());
  }
  return bits;
}

}  // namespace zaccel::lib
