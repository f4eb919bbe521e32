// libFuzzer: the IDX reader (libaccel/data/idx.h) on arbitrary bytes, plain or gzip. The reader
// takes a path: the bytes go to a memfd read through /proc/self/fd. The first byte picks the
// number of dimensions asked for (1 to 4); the rest is the file.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "data/idx.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const uint32_t ndims = 1 + data[0] % 4;
  const int fd = memfd_create("idx_fuzz", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  size_t done = 1;
  while (done < size) {
    const ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<size_t>(n);
  }
  try {
    const zaccel::IdxArray a = zaccel::read_idx("/proc/self/fd/" + std::to_string(fd), ndims);
    size_t total = 1;
    for (uint32_t d : a.dims)
      total *= d;
    if (a.dims.size() != ndims || total != a.data.size()) std::abort();
  } catch (const zaccel::Error &) {
  }
  close(fd);
  return 0;
}
