// Synthetic partial bitstreams: the emulator's stand-in for a real partial .bin, honest in
// what the runtime can check. Laid out as a 7-series .bin (big-endian words): dummy pad words,
// bus-width detection, the sync word, then the descriptors of the IPs it holds (one per slot)
// and their embedded weights in place of frame data, zero fill to exactly the region's partial size
// (frames x 101 words), a CRC-32 of everything from the sync word on, and a DESYNC command.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fabric/board.h"
#include "zaccel_drm.h"

namespace zaccel::emu {

/// One IP of a partial: its identity and, for embedded weights, the weights themselves.
struct IpImage {
  drm_zaccel_ip_id id{};  ///< what the IP's identity registers read after loading
  std::vector<int16_t> weights;
  std::vector<int64_t> bias;
};

/// What a partial configures: one IP per slot of the region.
struct PartialContents {
  uint32_t interface_id = 0;  ///< the region interface the partial was implemented against
  std::vector<IpImage> ips;   ///< slot 0 first, 1 to DRM_ZACCEL_MAX_SLOTS
};

/// Words before the payload: 8 pad, 2 bus-width, 2 pad, sync, NOOP.
inline constexpr size_t kPreambleWords = 14;
inline constexpr uint32_t kSyncWord = 0xAA995566;

/// Builds the partial for `region`. Throws Error: EINVAL for no IPs or more than the slots,
/// EFBIG if the contents exceed the region's frames or the IPs' estimated resources together
/// its budget.
std::vector<uint8_t> build_partial(const PartialContents &c, const RegionDesc &region);

/// Checks what the configuration port sees first (write_init): the size, preamble, sync word,
/// descriptor magic, version and slot count (EBADMSG) and the target interface (ENODEV).
void check_partial_header(const uint8_t *data, size_t size, const RegionDesc &region);

/// Checks and decodes a partial for `region`: EBADMSG for a bad preamble, sync word, payload
/// or CRC; EINVAL for a size other than the region's partial size; ENODEV for a partial
/// implemented for another region's interface.
PartialContents parse_partial(const uint8_t *data, size_t size, const RegionDesc &region);

}  // namespace zaccel::emu
