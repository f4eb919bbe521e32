// The planner's option strings, parsed strictly: a malformed one is an Error (EINVAL) that
// quotes it and says what was expected. Shared by the C API and the CLI's own checks.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace zaccel {

/// A decimal number in [min, max] and nothing else (no sign, space, suffix or leading zero
/// but "0" itself). Throws Error (EINVAL) naming `what`.
uint32_t parse_uint(std::string_view text, uint32_t min, uint32_t max, std::string_view what);

/// Layers split across IPs: "LAYER=C,C,...;LAYER=in:C,C,..." (';'-separated items, empty ones
/// allowed; at least two parts of 1 to 65535 channels each; a layer named once).
struct SplitSpec {
  std::map<std::string, std::vector<uint32_t>> out;  ///< by output channel
  std::map<std::string, std::vector<uint32_t>> in;   ///< by input channel (a cascade)
};
SplitSpec parse_split(std::string_view text);

/// Layer names separated by commas, e.g. "conv1,fc1" (empty items skipped; each a valid name
/// and named once).
std::vector<std::string> parse_layer_list(std::string_view text);

/// A layer name: 1 to 64 characters of letters, digits, '_', '.', '/', '-', ':' and '[' ']'.
bool valid_layer_name(std::string_view name);

/// "LAYER=WBITS:ABITS", each width 2 to 16.
struct LayerBitsSpec {
  std::string layer;
  unsigned wbits = 0, abits = 0;
};
LayerBitsSpec parse_layer_bits(std::string_view text);

}  // namespace zaccel
