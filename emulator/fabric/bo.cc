#include "fabric/bo.h"

#include <algorithm>

#include "util/checked.h"

namespace zaccel::emu {

Bo::Bo(uint64_t size, bool write_combined, uint64_t dev_addr, uint64_t mmap_offset)
    : wc_(write_combined),
      dev_addr_(dev_addr),
      mmap_offset_(mmap_offset),
      ddr_(host_size(size), 0) {
  if (!wc_) {
    cache_.assign(ddr_.size(), 0);
    clean_.assign(ddr_.size(), 0);
  }
}

void Bo::sync_for_cpu(bool) {
  if (wc_) return;
  // Invalidate: the CPU's dirty bytes are written back first, as clean+invalidate does. Done
  // for writing too: the view must hold what the device wrote, or a CPU write of the value
  // the stale view already held would look unchanged and never reach DDR at BO_FINI.
  sync_for_device();
  cache_ = ddr_;
  clean_ = ddr_;
}

void Bo::sync_for_device() {
  if (wc_) return;
  for (size_t i = 0; i < cache_.size(); ++i) {
    if (cache_[i] != clean_[i]) ddr_[i] = cache_[i];
  }
  clean_ = cache_;
}

uint64_t BoPool::alloc(uint64_t size) {
  uint64_t at = kPoolBase;
  for (const auto &[addr, len] : used_) {
    if (addr - at >= size) break;
    at = addr + len;
  }
  if (at + size > kPoolBase + bytes_) return 0;
  used_.emplace(at, size);
  return at;
}

void BoPool::free(uint64_t addr) {
  used_.erase(addr);
}

}  // namespace zaccel::emu
