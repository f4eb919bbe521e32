// libFuzzer, stateful: a sequence of uapi ioctls on a fresh emulated PYNQ-Z2 (the same surface
// as the kernel driver, zaccel_drm.h plus GEM_CLOSE and SYNCOBJ_*), decoded from the input:
// BO create/write/close, PREP/FINI, RECONFIG with valid (possibly mutated) or random partials,
// SUBMIT with random arguments and registers, syncobj create/wait/reset/signal/destroy and
// REGION_QUERY. Every -errno and every completion record's error must be one the uapi
// documents; after the sequence every region must still load a good partial and compute the
// right output. Anything else aborts.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "bitstream/partial.h"
#include "device/device.h"
#include "device/region_desc.h"
#include "kernels/conv2d.h"
#include "util/error.h"
#include "zaccel_drm.h"

namespace {

using zaccel::dev::Device;

constexpr uint32_t kImages = 2;
constexpr uint32_t kShift = 4;
constexpr size_t kMaxOps = 32;
constexpr uint64_t kMaxBo = 8192;

[[noreturn]] void finding(const char *what, int err) {
  std::fprintf(stderr, "device_fuzz: %s: errno %d (%s)\n", what, err, std::strerror(err));
  std::abort();
}

/// DEVICE_FUZZ_TRACE=1 prints every ioctl of the sequence and its result (reproducing).
const bool kTrace = std::getenv("DEVICE_FUZZ_TRACE") != nullptr;

/// What an ioctl may return (positive errno), per zaccel_drm.h and the DRM core.
void check_ioctl(const char *what, int rc) {
  if (kTrace) std::fprintf(stderr, "device_fuzz: %s -> %d\n", what, rc);
  switch (-rc) {
    case 0:
    case EINVAL:
    case ENOENT:
    case ENOMEM:
    case ETIME:
    case ETIMEDOUT:
      return;
    default:
      finding(what, -rc);
  }
}

/// What a completion record may hold.
void check_record(uint32_t err) {
  switch (err) {
    case 0:
    case EINVAL:
    case EBADMSG:
    case ENODEV:
    case EPROTO:
    case ENODATA:
    case ETIMEDOUT:
    case EIO:
    case ECANCELED:
      return;
    default:
      finding("completion record", static_cast<int>(err));
  }
}

drm_zaccel_ip_id test_ip() {
  drm_zaccel_ip_id id{};
  id.magic = ZACCEL_IP_MAGIC;
  id.kind = DRM_ZACCEL_IP_CONV;
  id.version = 1 << 16;
  id.flags = DRM_ZACCEL_IP_RELU;
  id.in_c = 1;
  id.in_h = id.in_w = 6;
  id.out_c = 2;
  id.out_h = id.out_w = 4;
  id.kernel = 3 << 16 | 3;
  id.stride = 1 << 16 | 1;
  id.bits = 8 << 16 | 8 << 8 | 8;
  id.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED;
  id.lanes = 9;
  return id;
}

std::vector<int16_t> weights() {
  std::vector<int16_t> w(2 * 9);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = static_cast<int16_t>(int(i * 13 % 31) - 15);
  return w;
}
const std::vector<int64_t> kBias = {100, -50};

std::vector<int16_t> input() {
  std::vector<int16_t> in(kImages * 36);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<int16_t>((i * 37 % 255) - 127);
  return in;
}

std::vector<int16_t> expected_output() {
  const std::vector<int16_t> in = input(), w = weights();
  zaccel::kernels::ConvParams p{{1, 6, 6}, 2, {3, 3, 1, 1, 0, 0, 0, 0}, {kShift, 8, true}};
  std::vector<int16_t> out(kImages * 2 * 16);
  zaccel::kernels::conv2d(p, kImages, in.data(), w.data(), kBias.data(), out.data());
  return out;
}

/// The good partial of the test IP for each region (the same for every fresh device).
const std::vector<uint8_t> &good_partial(Device &dev, uint32_t region) {
  static std::vector<std::vector<uint8_t>> cache;
  if (cache.size() <= region) cache.resize(region + 1);
  if (cache[region].empty()) {
    zaccel::emu::PartialContents c;
    const zaccel::emu::RegionDesc desc = zaccel::region_desc(dev, region);
    c.interface_id = desc.interface_id;
    zaccel::emu::IpImage ip;
    ip.id = test_ip();
    ip.weights = weights();
    ip.bias = kBias;
    c.ips.push_back(std::move(ip));
    cache[region] = zaccel::emu::build_partial(c, desc);
  }
  return cache[region];
}

struct Bo {
  uint32_t handle = 0;
  uint64_t size = 0;
  uint8_t *map = nullptr;
};

class Session {
 public:
  Session(Device &dev, FuzzedDataProvider &fdp) : dev_(dev), fdp_(fdp) {}
  ~Session() { release(); }

  /// Closes every BO and sync object the sequence left open: what a client that exits does.
  /// The device must then be usable, its DMA pool whole again (a sequence may fill it).
  void release() {
    for (const Bo &b : bos_)
      close_bo(b);
    bos_.clear();
    for (uint32_t s : syncs_)
      destroy_sync(s);
    syncs_.clear();
  }

  void run() {
    regions_ = dev_.num_regions();
    for (size_t n = 0; n < kMaxOps && fdp_.remaining_bytes() > 0; ++n) {
      switch (fdp_.ConsumeIntegralInRange<int>(0, 11)) {
        case 0:
          bo_create();
          break;
        case 1:
          bo_write();
          break;
        case 2:
          bo_prep();
          break;
        case 3:
          bo_fini();
          break;
        case 4:
          reconfig();
          break;
        case 5:
          submit();
          break;
        case 6:
          sync_create();
          break;
        case 7:
          sync_wait();
          break;
        case 8:
          sync_destroy();
          break;
        case 9:
          bo_close();
          break;
        case 10:
          query();
          break;
        case 11:
          sync_reset_or_signal();
          break;
      }
    }
  }

  /// Every region loads the good partial and computes the right output.
  void check_usable() {
    for (uint32_t r = 0; r < regions_; ++r) {
      drm_zaccel_region_query q{};
      q.region = r;
      if (int e = dev_.ioctl(DRM_IOCTL_ZACCEL_REGION_QUERY, &q)) finding("usable: QUERY", -e);
      check_record(q.last_error);
    }
    for (uint32_t r = 0; r < regions_; ++r) {
      const std::vector<uint8_t> &bits = good_partial(dev_, r);
      const Bo bits_bo = make_bo(bits.size(), DRM_ZACCEL_BO_WRITE_COMBINED);
      std::memcpy(bits_bo.map, bits.data(), bits.size());
      const Bo rep = make_bo(2 * sizeof(drm_zaccel_report), DRM_ZACCEL_BO_WRITE_COMBINED);
      const std::vector<int16_t> in = input();
      const Bo in_bo = make_bo(in.size() * 2, DRM_ZACCEL_BO_WRITE_COMBINED);
      std::memcpy(in_bo.map, in.data(), in.size() * 2);
      const Bo out_bo = make_bo(4096, DRM_ZACCEL_BO_WRITE_COMBINED);
      std::memset(out_bo.map, 0x5a, 4096);
      const uint32_t done = make_sync();

      drm_zaccel_ext_report ext{};
      ext.base.id = DRM_ZACCEL_EXT_REPORT;
      ext.handle = rep.handle;
      drm_zaccel_ip_id id = test_ip();
      drm_zaccel_reconfig rc{};
      rc.region = r;
      rc.bo_handle = bits_bo.handle;
      rc.size = bits.size();
      rc.expected = reinterpret_cast<uintptr_t>(&id);
      rc.slot_count = 1;
      rc.out_sync = done;
      rc.extensions = reinterpret_cast<uintptr_t>(&ext);
      if (int e = dev_.ioctl(DRM_IOCTL_ZACCEL_RECONFIG, &rc)) finding("usable: RECONFIG", -e);
      wait_or_abort(done, "usable: RECONFIG wait");
      const auto *reports = reinterpret_cast<const drm_zaccel_report *>(rep.map);
      if (kTrace) std::fprintf(stderr, "device_fuzz: usable region %u\n", r);
      if (reports[0].error) finding("usable: RECONFIG record", static_cast<int>(reports[0].error));

      drm_zaccel_arg args[2] = {{in_bo.handle, DRM_ZACCEL_ARG_READ, 0, in_bo.size},
                                {out_bo.handle, DRM_ZACCEL_ARG_WRITE, 0, out_bo.size}};
      uint32_t regs[2] = {kImages, kShift};
      ext.offset = sizeof(drm_zaccel_report);
      drm_zaccel_submit s{};
      s.region = r;
      s.args = reinterpret_cast<uintptr_t>(args);
      s.arg_count = 2;
      s.regs = reinterpret_cast<uintptr_t>(regs);
      s.reg_count = 2;
      s.out_sync = done;
      s.extensions = reinterpret_cast<uintptr_t>(&ext);
      if (int e = dev_.ioctl(DRM_IOCTL_ZACCEL_SUBMIT, &s)) finding("usable: SUBMIT", -e);
      wait_or_abort(done, "usable: SUBMIT wait");
      if (reports[1].error) finding("usable: SUBMIT record", static_cast<int>(reports[1].error));
      const std::vector<int16_t> want = expected_output();
      if (std::memcmp(out_bo.map, want.data(), want.size() * 2) != 0) {
        finding("usable: wrong output", 0);
      }
      for (const Bo &b : {bits_bo, rep, in_bo, out_bo})
        close_bo(b);
      destroy_sync(done);
    }
  }

 private:
  uint64_t now_plus_us(uint64_t us) { return zaccel::dev::deadline_after_ms(0) + us * 1000; }

  void wait_or_abort(uint32_t sync, const char *what) {
    drm_syncobj_wait w{};
    w.handles = reinterpret_cast<uintptr_t>(&sync);
    w.count_handles = 1;
    w.timeout_nsec = static_cast<int64_t>(now_plus_us(10'000'000));
    if (int e = dev_.ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &w)) finding(what, -e);
  }

  Bo make_bo(uint64_t size, uint32_t flags) {
    drm_zaccel_bo_create c{};
    c.size = size;
    c.flags = flags;
    if (int e = dev_.ioctl(DRM_IOCTL_ZACCEL_BO_CREATE, &c)) finding("usable: BO_CREATE", -e);
    Bo b{c.handle, size, static_cast<uint8_t *>(dev_.backend().map(c.mmap_offset, size))};
    return b;
  }
  uint32_t make_sync() {
    drm_syncobj_create c{};
    if (int e = dev_.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &c)) finding("usable: SYNCOBJ_CREATE", -e);
    return c.handle;
  }
  void close_bo(const Bo &b) {
    drm_gem_close c{};
    c.handle = b.handle;
    dev_.ioctl(DRM_IOCTL_GEM_CLOSE, &c);
    if (b.map) dev_.backend().unmap(b.map, b.size);
  }
  void destroy_sync(uint32_t h) {
    drm_syncobj_destroy d{};
    d.handle = h;
    dev_.ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &d);
  }

  /// A BO handle: mostly a live one, sometimes anything.
  uint32_t any_bo() {
    if (!bos_.empty() && fdp_.ConsumeIntegralInRange<int>(0, 7) != 0) {
      return bos_[fdp_.ConsumeIntegralInRange<size_t>(0, bos_.size() - 1)].handle;
    }
    return fdp_.ConsumeIntegralInRange<uint32_t>(0, 40);
  }
  uint32_t any_sync() {
    if (!syncs_.empty() && fdp_.ConsumeIntegralInRange<int>(0, 7) != 0) {
      return syncs_[fdp_.ConsumeIntegralInRange<size_t>(0, syncs_.size() - 1)];
    }
    return fdp_.ConsumeIntegralInRange<uint32_t>(0, 40);
  }
  uint64_t small_or_any(uint64_t bound) {
    return fdp_.ConsumeIntegralInRange<int>(0, 15) ? fdp_.ConsumeIntegralInRange<uint64_t>(0, bound)
                                                   : fdp_.ConsumeIntegral<uint64_t>();
  }
  uint32_t flags_or_any(uint32_t valid) {
    return fdp_.ConsumeIntegralInRange<int>(0, 15) ? fdp_.ConsumeIntegralInRange<uint32_t>(0, valid)
                                                   : fdp_.ConsumeIntegral<uint32_t>();
  }
  std::vector<uint32_t> syncs_list(uint32_t &count) {
    count = fdp_.ConsumeIntegralInRange<int>(0, 31) ? fdp_.ConsumeIntegralInRange<uint32_t>(0, 3)
                                                    : DRM_ZACCEL_MAX_SYNCS + 1;
    std::vector<uint32_t> v(count ? count : 1);
    for (uint32_t i = 0; i < count; ++i)
      v[i] = any_sync();
    return v;
  }
  /// An optional report extension (pointing into `ext`), else 0.
  uint64_t report_ext(drm_zaccel_ext_report &ext) {
    if (!fdp_.ConsumeBool()) return 0;
    ext = {};
    ext.base.id = fdp_.ConsumeIntegralInRange<int>(0, 15) ? DRM_ZACCEL_EXT_REPORT : 2;
    ext.handle = any_bo();
    ext.offset = fdp_.ConsumeIntegralInRange<int>(0, 7)
                     ? 8 * fdp_.ConsumeIntegralInRange<uint64_t>(0, 64)
                     : small_or_any(kMaxBo);
    ext.pad = fdp_.ConsumeIntegralInRange<int>(0, 15) ? 0 : 1;
    return reinterpret_cast<uintptr_t>(&ext);
  }
  void bo_create() {
    drm_zaccel_bo_create c{};
    c.size = fdp_.ConsumeIntegralInRange<int>(0, 15)
                 ? fdp_.ConsumeIntegralInRange<uint64_t>(1, kMaxBo)
                 : fdp_.ConsumeIntegral<uint64_t>();
    c.flags = flags_or_any(DRM_ZACCEL_BO_FLAGS);
    const int e = dev_.ioctl(DRM_IOCTL_ZACCEL_BO_CREATE, &c);
    check_ioctl("BO_CREATE", e);
    if (e) return;
    Bo b{c.handle, c.size, nullptr};
    try {
      b.map = static_cast<uint8_t *>(dev_.backend().map(c.mmap_offset, c.size));
    } catch (const zaccel::Error &err) {
      finding("map of a new BO", err.err());
    }
    bos_.push_back(b);
  }
  void bo_write() {
    if (bos_.empty()) return;
    const Bo &b = bos_[fdp_.ConsumeIntegralInRange<size_t>(0, bos_.size() - 1)];
    const uint64_t off = fdp_.ConsumeIntegralInRange<uint64_t>(0, b.size - 1);
    const std::vector<uint8_t> bytes =
        fdp_.ConsumeBytes<uint8_t>(fdp_.ConsumeIntegralInRange<size_t>(0, b.size - off));
    if (!bytes.empty()) std::memcpy(b.map + off, bytes.data(), bytes.size());
  }
  void bo_prep() {
    drm_zaccel_bo_prep p{};
    p.handle = any_bo();
    p.flags = flags_or_any(DRM_ZACCEL_PREP_FLAGS);
    p.timeout_ns =
        fdp_.ConsumeBool() ? 0 : now_plus_us(fdp_.ConsumeIntegralInRange<uint64_t>(0, 2000));
    check_ioctl("BO_PREP", dev_.ioctl(DRM_IOCTL_ZACCEL_BO_PREP, &p));
  }
  void bo_fini() {
    drm_zaccel_bo_fini f{};
    f.handle = any_bo();
    f.pad = fdp_.ConsumeIntegralInRange<int>(0, 15) ? 0 : fdp_.ConsumeIntegral<uint32_t>();
    check_ioctl("BO_FINI", dev_.ioctl(DRM_IOCTL_ZACCEL_BO_FINI, &f));
  }
  void bo_close() {
    if (bos_.empty() || !fdp_.ConsumeIntegralInRange<int>(0, 7)) {
      drm_gem_close c{};
      c.handle = fdp_.ConsumeIntegralInRange<uint32_t>(0, 40);
      c.pad = fdp_.ConsumeIntegralInRange<int>(0, 3) ? 0 : 1;
      // Closing a live handle behind the table's back would leave a stale entry; skip those.
      for (const Bo &b : bos_)
        if (b.handle == c.handle) return;
      check_ioctl("GEM_CLOSE", dev_.ioctl(DRM_IOCTL_GEM_CLOSE, &c));
      return;
    }
    const size_t i = fdp_.ConsumeIntegralInRange<size_t>(0, bos_.size() - 1);
    // Unmap first or last: the mapping holds the BO either way.
    drm_gem_close c{};
    c.handle = bos_[i].handle;
    check_ioctl("GEM_CLOSE", dev_.ioctl(DRM_IOCTL_GEM_CLOSE, &c));
    dev_.backend().unmap(bos_[i].map, bos_[i].size);
    bos_.erase(bos_.begin() + static_cast<ptrdiff_t>(i));
  }

  drm_zaccel_ip_id mutated_id() {
    drm_zaccel_ip_id id = test_ip();
    if (fdp_.ConsumeIntegralInRange<int>(0, 3) == 0) {
      auto *w = reinterpret_cast<uint32_t *>(&id);
      const size_t n = sizeof(id) / 4;
      w[fdp_.ConsumeIntegralInRange<size_t>(0, n - 1)] =
          fdp_.ConsumeBool() ? fdp_.ConsumeIntegral<uint32_t>()
                             : fdp_.ConsumeIntegralInRange<uint32_t>(0, 9);
    }
    return id;
  }

  void reconfig() {
    drm_zaccel_reconfig rc{};
    rc.region = fdp_.ConsumeIntegralInRange<int>(0, 15)
                    ? fdp_.ConsumeIntegralInRange<uint32_t>(0, regions_ - 1)
                    : fdp_.ConsumeIntegral<uint32_t>();
    const uint32_t r = rc.region < regions_ ? rc.region : 0;
    const std::vector<uint8_t> &good = good_partial(dev_, r);
    // The bitstream: a BO holding the good partial, mutated or not, or random bytes; or a
    // BO of the sequence's own.
    Bo bits{};
    bool own = false;
    const int kind = fdp_.ConsumeIntegralInRange<int>(0, 3);
    if (kind < 3) {
      drm_zaccel_bo_create c{};
      c.size = good.size();
      const int e = dev_.ioctl(DRM_IOCTL_ZACCEL_BO_CREATE, &c);
      check_ioctl("BO_CREATE", e);
      if (e) return;
      bits = {c.handle, c.size, static_cast<uint8_t *>(dev_.backend().map(c.mmap_offset, c.size))};
      own = true;
      if (kind < 2) {
        std::memcpy(bits.map, good.data(), good.size());
        if (kind == 1) {
          for (int m = fdp_.ConsumeIntegralInRange<int>(1, 4); m > 0; --m) {
            bits.map[fdp_.ConsumeIntegralInRange<size_t>(0, good.size() - 1)] ^=
                fdp_.ConsumeIntegralInRange<uint8_t>(1, 255);
          }
        }
      } else {
        const std::vector<uint8_t> junk =
            fdp_.ConsumeBytes<uint8_t>(fdp_.ConsumeIntegralInRange<size_t>(0, 256));
        std::memset(bits.map, 0, bits.size);
        // Keep the header's first words plausible sometimes: the good preamble, junk after it.
        if (fdp_.ConsumeBool())
          std::memcpy(bits.map, good.data(), std::min<size_t>(good.size(), 64));
        if (!junk.empty()) {
          const size_t at = fdp_.ConsumeIntegralInRange<size_t>(0, bits.size - junk.size());
          std::memcpy(bits.map + at, junk.data(), junk.size());
        }
      }
      rc.bo_handle = bits.handle;
      rc.size =
          fdp_.ConsumeIntegralInRange<int>(0, 15) ? good.size() : small_or_any(good.size() + 8);
      rc.bo_offset = fdp_.ConsumeIntegralInRange<int>(0, 15) ? 0 : small_or_any(64);
    } else {
      rc.bo_handle = any_bo();
      rc.size = fdp_.ConsumeBool() ? good.size() : small_or_any(kMaxBo);
      rc.bo_offset = small_or_any(kMaxBo);
    }
    rc.slot_count = fdp_.ConsumeIntegralInRange<int>(0, 7)
                        ? 1
                        : fdp_.ConsumeIntegralInRange<uint32_t>(0, DRM_ZACCEL_MAX_SLOTS + 1);
    std::vector<drm_zaccel_ip_id> ids(rc.slot_count ? rc.slot_count : 1);
    for (auto &id : ids)
      id = mutated_id();
    rc.expected = reinterpret_cast<uintptr_t>(ids.data());
    std::vector<uint32_t> waits = syncs_list(rc.in_sync_count);
    rc.in_syncs = reinterpret_cast<uintptr_t>(waits.data());
    rc.out_sync = fdp_.ConsumeBool() ? any_sync() : 0;
    rc.flags = fdp_.ConsumeIntegralInRange<int>(0, 15) ? 0 : 1;
    drm_zaccel_ext_report ext{};
    rc.extensions = report_ext(ext);
    check_ioctl("RECONFIG", dev_.ioctl(DRM_IOCTL_ZACCEL_RECONFIG, &rc));
    if (own) {
      // Closed at once: the queued reconfiguration must hold the BO itself.
      drm_gem_close c{};
      c.handle = bits.handle;
      check_ioctl("GEM_CLOSE", dev_.ioctl(DRM_IOCTL_GEM_CLOSE, &c));
      dev_.backend().unmap(bits.map, bits.size);
    }
  }

  void submit() {
    drm_zaccel_submit s{};
    s.region = fdp_.ConsumeIntegralInRange<int>(0, 15)
                   ? fdp_.ConsumeIntegralInRange<uint32_t>(0, regions_ - 1)
                   : fdp_.ConsumeIntegral<uint32_t>();
    s.slot = fdp_.ConsumeIntegralInRange<int>(0, 7)
                 ? 0
                 : fdp_.ConsumeIntegralInRange<uint32_t>(0, DRM_ZACCEL_MAX_SLOTS);
    s.arg_count = fdp_.ConsumeIntegralInRange<uint32_t>(0, DRM_ZACCEL_MAX_ARGS + 1);
    std::vector<drm_zaccel_arg> args(s.arg_count ? s.arg_count : 1);
    for (uint32_t i = 0; i < s.arg_count; ++i) {
      args[i].handle = any_bo();
      args[i].flags = flags_or_any(DRM_ZACCEL_ARG_FLAGS);
      args[i].offset = fdp_.ConsumeIntegralInRange<int>(0, 3) ? 0 : small_or_any(kMaxBo);
      args[i].size = small_or_any(kMaxBo);
    }
    s.args = reinterpret_cast<uintptr_t>(args.data());
    s.reg_count = fdp_.ConsumeIntegralInRange<uint32_t>(0, DRM_ZACCEL_MAX_REGS + 1);
    std::vector<uint32_t> regs(s.reg_count ? s.reg_count : 1);
    for (uint32_t i = 0; i < s.reg_count; ++i) {
      regs[i] = fdp_.ConsumeBool() ? fdp_.ConsumeIntegralInRange<uint32_t>(0, 64)
                                   : fdp_.ConsumeIntegral<uint32_t>();
    }
    s.regs = reinterpret_cast<uintptr_t>(regs.data());
    std::vector<uint32_t> waits = syncs_list(s.in_sync_count);
    s.in_syncs = reinterpret_cast<uintptr_t>(waits.data());
    s.out_sync = fdp_.ConsumeBool() ? any_sync() : 0;
    s.flags = fdp_.ConsumeIntegralInRange<int>(0, 15) ? 0 : 1;
    s.pad = fdp_.ConsumeIntegralInRange<int>(0, 15) ? 0 : 1;
    drm_zaccel_ext_report ext{};
    s.extensions = report_ext(ext);
    check_ioctl("SUBMIT", dev_.ioctl(DRM_IOCTL_ZACCEL_SUBMIT, &s));
  }

  void sync_create() {
    drm_syncobj_create c{};
    c.flags = flags_or_any(DRM_SYNCOBJ_CREATE_SIGNALED);
    const int e = dev_.ioctl(DRM_IOCTL_SYNCOBJ_CREATE, &c);
    check_ioctl("SYNCOBJ_CREATE", e);
    if (!e) syncs_.push_back(c.handle);
  }
  void sync_wait() {
    std::vector<uint32_t> h(fdp_.ConsumeIntegralInRange<uint32_t>(0, 3));
    for (uint32_t &x : h)
      x = any_sync();
    drm_syncobj_wait w{};
    w.handles = reinterpret_cast<uintptr_t>(h.empty() ? nullptr : h.data());
    w.count_handles = static_cast<uint32_t>(h.size());
    w.flags =
        flags_or_any(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
    w.timeout_nsec = static_cast<int64_t>(
        fdp_.ConsumeBool() ? 0 : now_plus_us(fdp_.ConsumeIntegralInRange<uint64_t>(0, 2000)));
    check_ioctl("SYNCOBJ_WAIT", dev_.ioctl(DRM_IOCTL_SYNCOBJ_WAIT, &w));
  }
  void sync_destroy() {
    if (syncs_.empty() || !fdp_.ConsumeIntegralInRange<int>(0, 7)) {
      drm_syncobj_destroy d{};
      d.handle = fdp_.ConsumeIntegralInRange<uint32_t>(0, 40);
      d.pad = fdp_.ConsumeIntegralInRange<int>(0, 3) ? 0 : 1;
      for (uint32_t s : syncs_)
        if (s == d.handle) return;
      check_ioctl("SYNCOBJ_DESTROY", dev_.ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &d));
      return;
    }
    const size_t i = fdp_.ConsumeIntegralInRange<size_t>(0, syncs_.size() - 1);
    drm_syncobj_destroy d{};
    d.handle = syncs_[i];
    check_ioctl("SYNCOBJ_DESTROY", dev_.ioctl(DRM_IOCTL_SYNCOBJ_DESTROY, &d));
    syncs_.erase(syncs_.begin() + static_cast<ptrdiff_t>(i));
  }
  void sync_reset_or_signal() {
    std::vector<uint32_t> h(fdp_.ConsumeIntegralInRange<uint32_t>(1, 3));
    for (uint32_t &x : h)
      x = any_sync();
    drm_syncobj_array a{};
    a.handles = reinterpret_cast<uintptr_t>(h.data());
    a.count_handles = static_cast<uint32_t>(h.size());
    a.pad = fdp_.ConsumeIntegralInRange<int>(0, 15) ? 0 : 1;
    const bool signal = fdp_.ConsumeBool();
    check_ioctl("SYNCOBJ_RESET/SIGNAL",
                dev_.ioctl(signal ? DRM_IOCTL_SYNCOBJ_SIGNAL : DRM_IOCTL_SYNCOBJ_RESET, &a));
  }
  void query() {
    drm_zaccel_region_query q{};
    q.region = fdp_.ConsumeIntegralInRange<uint32_t>(0, regions_);
    q.slot = fdp_.ConsumeIntegralInRange<uint32_t>(0, DRM_ZACCEL_MAX_SLOTS);
    q.pad = fdp_.ConsumeIntegralInRange<int>(0, 15) ? 0 : 1;
    const int e = dev_.ioctl(DRM_IOCTL_ZACCEL_REGION_QUERY, &q);
    check_ioctl("REGION_QUERY", e);
    if (!e) {
      if (kTrace)
        std::fprintf(stderr, "device_fuzz: region %u last_error %u\n", q.region, q.last_error);
      check_record(q.last_error);
    }
  }

  Device &dev_;
  FuzzedDataProvider &fdp_;
  uint32_t regions_ = 0;
  std::vector<Bo> bos_;
  std::vector<uint32_t> syncs_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  std::unique_ptr<Device> dev = Device::open("emu:pynq-z2");
  {
    Session s(*dev, fdp);
    s.run();
    s.release();
    s.check_usable();
  }
  dev.reset();
  return 0;
}
