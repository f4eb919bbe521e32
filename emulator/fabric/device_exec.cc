// Reconfigurations and jobs on the virtual clock: what each costs on the PCAP, the regions'
// HP ports, the DDR and the IPs, with injected faults applied.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fabric/device.h"
#include "fabric/job_plan.h"
#include "ips/ip.h"
#include "util/checked.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

/// How long the driver waits for a DMA transfer, and for an IP, before it resets the region.
constexpr Picos kDmaTimeout = 10 * kPicosPerSecond / 1000;
constexpr Picos kJobTimeout = 500 * kPicosPerSecond / 1000;
/// Bytes of a partial the PCAP reads before the header can be rejected.
constexpr uint64_t kHeaderBytes = 256;
/// A DMA transfer moves in bursts of at least this many bytes, and at most this many bursts.
constexpr uint64_t kBurstBytes = 16384;
constexpr uint64_t kMaxBursts = 256;

/// The fpga-mgr state a failed load ends in: header faults in write_init, the rest once the
/// configuration logic reports at the end of the write.
uint32_t error_state(bool header) {
  return header ? DRM_ZACCEL_STATE_WRITE_INIT_ERR : DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR;
}

}  // namespace

void Device::execute_reconfig(Work &w) {
  Region &r = regions_[w.region];
  const Picos start = ready_time(w, r);
  // The decoupler isolates the region for the whole load; the old IP is gone from here on.
  r.decoupled = true;
  r.ip.reset();
  std::fill(r.kept.begin(), r.kept.end(), nullptr);
  r.state = DRM_ZACCEL_STATE_WRITE_INIT;
  std::vector<uint8_t> bits(w.bitstream.bo->ddr() + w.bitstream.offset,
                            w.bitstream.bo->ddr() + w.bitstream.offset + w.bitstream.size);
  if (r.fault == Fault::kPrCrc) {
    bits[bits.size() / 2] ^= 0x10;  // a bit flipped on its way through the PCAP
    r.fault = Fault::kNone;
  }
  int error = 0;
  bool header = true;
  uint64_t read = kHeaderBytes;
  try {
    check_partial_header(bits.data(), bits.size(), r.desc);
    header = false;
    r.state = DRM_ZACCEL_STATE_WRITE;
    read = bits.size();
    auto ip = std::make_shared<PartialContents>(parse_partial(bits.data(), bits.size(), r.desc));
    if (ip->ips.size() != w.expected.size()) {
      fail(EPROTO, "partial holds ", ip->ips.size(), " IPs, ", w.expected.size(), " expected");
    }
    for (size_t i = 0; i < w.expected.size(); ++i) {
      if (std::memcmp(&ip->ips[i].id, &w.expected[i], sizeof(w.expected[i])) != 0) {
        fail(EPROTO, "slot ", i, ": IP identity differs from the expected one");
      }
      check_embedded(ip->ips[i]);
    }
    r.ip = std::move(ip);
  } catch (const Error &e) {
    error = e.err();
  }
  const Span s = clock_.reserve(pcap_, start, transfer_time(read, board_.pcap_bytes_per_s),
                                SpanKind::kReconfig, r.desc.name);
  if (error) {
    r.state = error_state(header);
  } else {
    r.state = DRM_ZACCEL_STATE_OPERATING;
    r.decoupled = false;
  }
  finish(w, error, s.start, s.end, 0, 0, read);
}

bool Device::start_job(Work &w) {
  Region &r = regions_[w.region];
  const Picos start = ready_time(w, r);
  RunningJob j;
  j.work = &w;
  j.loaded = r.ip;
  j.ip = j.loaded && w.slot < j.loaded->ips.size() ? &j.loaded->ips[w.slot] : nullptr;
  try {
    if (!j.ip) fail(ENODEV, "region ", w.region, " slot ", w.slot, " holds no working IP");
    j.plan = plan_job(*j.ip, w, r.kept[w.slot]);
  } catch (const Error &e) {
    finish(w, e.err(), start, start, 0, 0, 0);
    return false;
  }
  j.fault = r.fault;
  if (j.fault == Fault::kDmaTimeout || j.fault == Fault::kIpHang) r.fault = Fault::kNone;
  if (j.fault == Fault::kDmaTimeout) {
    const Span s = clock_.reserve(r.hp_port, start, kDmaTimeout, SpanKind::kDma, r.desc.name);
    finish(w, EIO, s.start, s.end, 0, 0, 0);
    return false;
  }
  // A streaming IP: it starts computing once its first chunk of data is in, and its output
  // flows out as it computes; so DMA and compute overlap. A chunk is an image, or with
  // streamed weights one output channel's weights of an image (the IP computes that channel
  // while the next one's weights arrive).
  const drm_zaccel_ip_id &id = j.ip->id;
  j.chunks = uint64_t{j.plan.job.images} *
             (id.weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ? std::max(id.out_c, 1u) : 1);
  j.busy = j.fault == Fault::kIpHang
               ? kJobTimeout
               : cycle_time(ip_cycles(id, j.plan.job.images), board_.pl_clock_hz);
  j.in = begin_transfer(start, j.plan.in_bytes);
  w.started = true;
  running_.push_back(std::move(j));
  return true;
}

bool Device::step_job(RunningJob &j, std::unique_lock<std::mutex> &l) {
  Work &w = *j.work;
  Region &r = regions_[w.region];
  step_transfer(r, j.current());
  if (!j.current().finished()) return false;
  if (!j.computed) {
    // Compute starts once the first chunk is in, and ends no sooner than the last chunk's
    // data plus that chunk's share of the compute.
    const Picos first_in = (j.in.end - j.in.start) / j.chunks;
    const Picos c_ready =
        std::max(j.in.start + first_in, j.in.end + j.busy / j.chunks - std::min(j.busy, j.in.end));
    const Span c =
        clock_.reserve(r.slot_clock[w.slot], c_ready, j.busy, SpanKind::kCompute, r.desc.name);
    j.c0 = c.start;
    j.c1 = c.end;
    if (j.fault == Fault::kIpHang) {
      finish(w, ETIMEDOUT, j.in.start, c.end, c.start, c.end, j.plan.in_bytes);
      return true;
    }
    const uint64_t n = j.plan.job.images;
    const Picos out_time = transfer_time(
        j.plan.out_bytes,
        std::min(board_.hp_port_bytes_per_s * r.desc.hp_ports, board_.ddr_bytes_per_s));
    // Output leaves from when the first image is done, and ends after the last one's.
    const Picos out_ready =
        std::max(c.start + j.busy / n, c.end + out_time / n - std::min(out_time, c.end));
    j.out = begin_transfer(out_ready, j.plan.out_bytes);
    j.computed = true;
    return false;
  }
  // Compute without the lock: the BOs are held by the work, the IP by `loaded`.
  l.unlock();
  std::vector<int64_t> result(host_size((j.plan.out_count * j.plan.out_elem + 7) / 8));
  if (j.plan.out_elem == 8)
    j.plan.job.acc_out = result.data();
  else
    j.plan.job.out = reinterpret_cast<int16_t *>(result.data());
  run_ip(j.ip->id, j.plan.job);
  l.lock();
  if (j.plan.loads_cache) r.kept[w.slot] = j.plan.weights;
  const size_t per = host_size(j.plan.out_count / j.plan.job.images * j.plan.out_elem);  // bytes
  const auto *bytes = reinterpret_cast<const uint8_t *>(result.data());
  for (uint64_t i = 0; i < j.plan.job.images; ++i) {
    std::memcpy(w.args[1].bo->ddr() + w.args[1].offset + i * j.plan.out_stride * j.plan.out_elem,
                bytes + i * per, per);
  }
  finish(w, 0, j.in.start, std::max(j.out.end, j.c1), j.c0, j.c1,
         j.plan.in_bytes + j.plan.out_bytes);
  return true;
}

Transfer Device::begin_transfer(Picos ready, uint64_t bytes) const {
  Transfer t;
  t.bytes = bytes;
  t.piece = std::max(kBurstBytes, (bytes + kMaxBursts - 1) / kMaxBursts);
  t.next = t.start = t.end = ready;
  return t;
}

void Device::step_transfer(Region &r, Transfer &t) {
  // Through the region's HP ports, then its turn on the DDR the regions have in common.
  if (t.finished()) return;
  const uint64_t n = std::min(t.piece, t.bytes - t.done);
  const uint64_t hp_rate = board_.hp_port_bytes_per_s * r.desc.hp_ports;
  const Span hp =
      clock_.reserve(r.hp_port, t.next, transfer_time(n, hp_rate), SpanKind::kDma, r.desc.name);
  const Span ddr = clock_.reserve(ddr_, hp.start, transfer_time(n, board_.ddr_bytes_per_s),
                                  SpanKind::kDma, r.desc.name);
  if (t.done == 0) t.start = hp.start;
  t.done += n;
  t.next = t.end = std::max(hp.end, ddr.end);
}

}  // namespace zaccel::emu
