// An IP library on disk, for one board:
//   DIR/shell.json                 the regions the partials were implemented against
//   DIR/<ip>/manifest.json         one per IP (lib/manifest.h)
//   DIR/<ip>/<file>.bin [.sig]     its partial for each region it targets, and signatures
// Every partial is verified before it may be loaded: present, of the manifest's size and
// SHA-256, for the region's interface, its header and IP identity those of the manifest, and
// signed by a trusted key when that is required.
#pragma once

#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/manifest.h"
#include "lib/shell.h"

namespace zaccel::lib {

struct VerifyOptions {
  std::string trusted_key;      ///< PEM public key that signatures are checked with
  bool require_signed = false;  ///< refuse partials without a valid signature
};

class Library {
 public:
  /// Reads DIR/shell.json and every DIR/<ip>/manifest.json. Throws Error: ENOENT for a
  /// missing shell.json, EINVAL (naming the file and field) for a malformed one or a manifest
  /// whose name is not its directory's, EEXIST for an IP name given twice.
  static Library open(const std::string &dir);

  const std::string &dir() const { return dir_; }
  const Shell &shell() const { return shell_; }
  const std::vector<IpManifest> &ips() const { return ips_; }
  /// Throws Error (ENOENT) if there is no IP `name`.
  const IpManifest &find(const std::string &name) const;

  /// Reads `ip`'s partial for `region` and verifies it. Throws Error: ENOENT for no partial
  /// for that region or a missing file, EBADMSG for a truncated or oversized file (signature
  /// files included), one that is not a regular file, a hash
  /// other than the manifest's, a corrupt header or an IP identity other than the manifest's,
  /// ENODEV for a partial of another region's interface, EKEYREJECTED for a bad signature,
  /// EPERM for an unsigned partial when signatures are required.
  std::vector<uint8_t> verified_partial(const IpManifest &ip, uint32_t region,
                                        const VerifyOptions &opts) const;

 private:
  std::string dir_;
  Shell shell_;
  std::vector<IpManifest> ips_;
};

/// Size limits of the files a library holds besides partials (whose limit is their size in
/// the manifest, itself the region's).
inline constexpr uint64_t kMaxJsonBytes = uint64_t{16} << 20;
inline constexpr uint64_t kMaxSignatureBytes = uint64_t{64} << 10;

/// Reads a whole regular file of at most `max_bytes`, never reading more than one byte past
/// that. Throws Error: ENOENT if it cannot be opened, EIO for a read error, `refused` for a
/// file that is not a regular one (a device, a FIFO, a directory) or is larger than
/// `max_bytes`.
std::vector<uint8_t> read_file(const std::string &path, uint64_t max_bytes = kMaxJsonBytes,
                               int refused = EINVAL);

}  // namespace zaccel::lib
