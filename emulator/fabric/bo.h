// Buffer objects of the emulated device: memory from the board's reserved DMA pool, with the
// Zynq's non-coherence modelled. A cached BO has what the device sees (DDR) apart from what
// the CPU sees through its mapping (the cache): BO_FINI writes the bytes the CPU changed since
// the last sync back to DDR, BO_PREP for reading refreshes the CPU's view from DDR. A
// write-combined BO maps DDR directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace zaccel::emu {

inline constexpr uint64_t kPageSize = 4096;
/// Device address of the pool (the reserved-memory region's base as the PL sees it).
inline constexpr uint64_t kPoolBase = 0x30000000;

class Bo {
 public:
  Bo(uint64_t size, bool write_combined, uint64_t dev_addr, uint64_t mmap_offset);

  uint64_t size() const { return ddr_.size(); }
  uint64_t dev_addr() const { return dev_addr_; }
  uint64_t mmap_offset() const { return mmap_offset_; }
  /// What the CPU's mapping shows.
  uint8_t *cpu() { return wc_ ? ddr_.data() : cache_.data(); }
  /// What the device's DMA reads and writes.
  uint8_t *ddr() { return ddr_.data(); }

  /// BO_PREP: the CPU will read (refresh the view from DDR) and/or write.
  void sync_for_cpu(bool read);
  /// BO_FINI: write back the bytes the CPU changed.
  void sync_for_device();

  /// Jobs queued or running that use this BO (protected by the device's lock).
  unsigned busy = 0;

 private:
  bool wc_;
  uint64_t dev_addr_, mmap_offset_;
  std::vector<uint8_t> ddr_;
  std::vector<uint8_t> cache_;  ///< the CPU's view (cached BOs)
  std::vector<uint8_t> clean_;  ///< the CPU's view at the last sync, to find dirty bytes
};

/// First-fit allocator over the pool's device addresses.
class BoPool {
 public:
  explicit BoPool(uint64_t bytes) : bytes_(bytes) {}
  /// A page-aligned range of `size` bytes, or 0 when the pool has no room.
  uint64_t alloc(uint64_t size);
  void free(uint64_t addr);
  uint64_t bytes() const { return bytes_; }

 private:
  uint64_t bytes_;
  std::map<uint64_t, uint64_t> used_;  ///< address -> size
};

}  // namespace zaccel::emu
