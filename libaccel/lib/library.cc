#include "lib/library.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "bitstream/partial.h"
#include "lib/sha256.h"
#include "lib/signature.h"
#include "util/error.h"

namespace zaccel::lib {
namespace {

namespace fs = std::filesystem;

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

nlohmann::json read_json(const fs::path &path) {
  const std::vector<uint8_t> bytes = read_file(path.string(), kMaxJsonBytes, EINVAL);
  nlohmann::json j = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (j.is_discarded()) fail(EINVAL, path.string(), ": not valid JSON");
  return j;
}

}  // namespace

std::vector<uint8_t> read_file(const std::string &path, uint64_t max_bytes, int refused) {
  // Non-blocking, so that opening a FIFO does not wait for a writer; fstat then refuses it.
  const Fd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)};
  if (fd.fd < 0) fail(ENOENT, path, ": cannot open: ", std::strerror(errno));
  struct stat st {};
  if (fstat(fd.fd, &st) != 0) fail(EIO, path, ": cannot stat: ", std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail(refused, path, ": not a regular file");
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes)
    fail(refused, path, ": ", size, " bytes, more than the ", max_bytes, " allowed");
  // One byte more than fstat said, to see whether the file grew since.
  std::vector<uint8_t> data(static_cast<size_t>(size) + 1);
  size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = ::read(fd.fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(EIO, path, ": read error: ", std::strerror(errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got > size) fail(refused, path, ": grew while being read");
  data.resize(got);
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
    bits = read_file(path.string(), p->bytes, EBADMSG);
  } catch (const Error &e) {
    fail(e.err(), where, ": ", e.what());
  }
  if (bits.size() < p->bytes)
    fail(EBADMSG, where, ": truncated, ", bits.size(), " of ", p->bytes, " bytes");
  if (sha256_hex(bits.data(), bits.size()) != p->sha256)
    fail(EBADMSG, where, ": SHA-256 differs from the manifest's");
  if (!p->signature.empty() && !opts.trusted_key.empty()) {
    std::vector<uint8_t> sig;
    try {
      sig = read_file((fs::path(dir_) / ip.name / p->signature).string(), kMaxSignatureBytes,
                      EBADMSG);
    } catch (const Error &e) {
      fail(e.err(), where, ": signature ", e.what());
    }
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
