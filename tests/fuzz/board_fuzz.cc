// libFuzzer: the emulator's board reader (emulator/fabric/board.h) on arbitrary bytes as a
// device-tree overlay blob (libfdt checks the structure; the reader, the zaccel nodes).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "fabric/board.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // libfdt wants its blob 8-byte aligned, as a file read into memory is.
  auto *buf = static_cast<uint8_t *>(std::malloc(size ? size : 1));
  if (size) std::memcpy(buf, data, size);
  try {
    (void)zaccel::emu::parse_board(buf, size, "fuzz.dtbo");
  } catch (const zaccel::Error &) {
  }
  std::free(buf);
  return 0;
}
