// An IP's manifest: what the IP computes (its identity block, as its registers will read
// after loading), what it costs (resources, latency model), what it was cut from, and its
// partial bitstream for each region it targets, with size and SHA-256. One JSON file per IP,
// beside its partials.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fabric/board.h"
#include "lib/shell.h"
#include "model/quantize.h"
#include "zaccel_drm.h"

namespace zaccel::lib {

inline constexpr const char *kIpSchema = "zaccel-ip/1";

/// One partial of an IP: the file (relative to the manifest) for one region of the shell.
struct PartialFile {
  uint32_t region = 0;
  uint32_t interface_id = 0;
  std::string file;
  uint64_t bytes = 0;
  std::string sha256;     ///< lowercase hex
  std::string signature;  ///< detached signature file, empty if unsigned
};

struct IpManifest {
  std::string name;
  drm_zaccel_ip_id id{};
  emu::Resources resources;
  uint64_t cycles_per_image = 0, pipeline_cycles = 0;  ///< latency: images x per image + pipeline
  std::string layer;                                   ///< the model layer it was built from
  uint32_t out_lo = 0, out_hi = 0;                     ///< its output channels of that layer
  std::string weights_sha256;  ///< embedded weights: weights_digest of what it holds; else empty
  std::vector<PartialFile> partials;

  const PartialFile *partial_for(uint32_t region) const;
};

/// SHA-256 (hex) of `l`'s weights as 16-bit then its bias as 64-bit little-endian words: what
/// an IP with embedded weights computes with.
std::string weights_digest(const QLayer &l);

/// Name of a DRM_ZACCEL_IP_* kind ("conv", "pool", "fc") and of a DRM_ZACCEL_WEIGHTS_* mode.
const char *kind_name(uint32_t kind);
const char *weight_mode_name(uint32_t mode);

nlohmann::ordered_json to_json(const IpManifest &m);

/// Reads a manifest and checks it against itself and against `shell`. Throws Error (EINVAL)
/// naming `what` and the field for one missing or mistyped, and for contradictions: an
/// identity the IP model rejects, resources or latency that are not the identity's, a weight
/// mode a pool cannot have, a region the shell lacks, an interface ID or size that is not the
/// region's, a region given twice, an IP over its region's budget, a partial's file or
/// signature that is not a plain name beside the manifest ('/', backslash, NUL, leading '.').
IpManifest parse_manifest(const nlohmann::json &j, const std::string &what, const Shell &shell);

}  // namespace zaccel::lib
