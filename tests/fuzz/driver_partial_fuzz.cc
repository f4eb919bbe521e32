// libFuzzer: the driver's partial reader (driver/zaccel_partial.c, with zaccel_ip.c, built in
// userspace over kshim/) on arbitrary bytes, and against the emulator's parser: a partial the
// driver accepts, of an 8-frame region's size, the emulator must accept too, with the same IPs
// (the driver also checks embedded weights against each identity, which the emulator leaves to
// loading: the converse need not hold).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "bitstream/partial.h"
#include "util/error.h"

extern "C" {
int zaccel_partial_check_header(const uint8_t *buf, size_t size, uint32_t interface_id);
int zaccel_partial_parse(const uint8_t *buf, size_t size, uint32_t interface_id,
                         struct drm_zaccel_ip_id *ids, uint32_t *count);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  constexpr uint32_t kInterface = 0x5a520001;
  // The driver reads whole words from a 4-byte aligned buffer, as its callers give it.
  auto *buf = static_cast<uint8_t *>(std::malloc(size ? size : 1));
  if (size) std::memcpy(buf, data, size);
  drm_zaccel_ip_id ids[DRM_ZACCEL_MAX_SLOTS] = {};
  uint32_t count = 0;
  (void)zaccel_partial_check_header(buf, size, kInterface);
  const int ret = zaccel_partial_parse(buf, size, kInterface, ids, &count);

  zaccel::emu::RegionDesc region;
  region.name = "rp0";
  region.frames = 8;
  region.interface_id = kInterface;
  region.budget = {80, 100, 16000, 32000};
  if (ret == 0 && size == region.partial_bytes()) {
    try {
      const zaccel::emu::PartialContents c = zaccel::emu::parse_partial(buf, size, region);
      if (count != c.ips.size()) std::abort();
      for (uint32_t i = 0; i < count; ++i)
        if (std::memcmp(&ids[i], &c.ips[i].id, sizeof ids[i]) != 0) std::abort();
    } catch (const zaccel::Error &) {
      std::abort();
    }
  }
  std::free(buf);
  return 0;
}
