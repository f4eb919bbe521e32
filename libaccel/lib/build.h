// Building an IP library from IP specs: each IP is a model layer (or some of its output
// channels) at the model's bit widths, with a weight mode and lanes; its partial is built for
// every region of the shell it fits (or those named), and its manifest written beside them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "device/device.h"
#include "model/quantize.h"

namespace zaccel::lib {

inline constexpr const char *kSpecSchema = "zaccel-ipspec/1";

struct IpSpec {
  std::string name;
  std::string layer;
  uint32_t out_lo = 0, out_hi = 0;  ///< output channels; both 0 for all of them
  uint32_t weight_mode = 0;         ///< DRM_ZACCEL_WEIGHTS_*
  uint32_t lanes = 0;               ///< 0: the default for the layer
  std::vector<uint32_t> regions;    ///< empty: every region the IP fits
};

struct IpSpecs {
  std::string board;
  std::vector<IpSpec> ips;
};

/// Throws Error (EINVAL) naming `what` and the field at fault, or an IP name given twice.
IpSpecs parse_specs(const nlohmann::json &j, const std::string &what);

struct BuildOptions {
  std::string out;       ///< the library's directory: absent or empty
  std::string sign_key;  ///< PEM private key to sign every partial with; empty: unsigned
};

/// Builds the library of `specs` for `dev`'s shell. Throws Error: EEXIST if `out` is not
/// empty, EINVAL for a layer the model lacks or channels it does not have, EFBIG for an IP
/// that fits no region (or a region named for it), EIO for a file that cannot be written.
/// Returns the IPs' names.
std::vector<std::string> build_library(const QModel &q, dev::Device &dev, const IpSpecs &specs,
                                       const BuildOptions &opts);

}  // namespace zaccel::lib
