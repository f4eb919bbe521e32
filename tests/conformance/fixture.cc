#include "conformance/fixture.h"

#include <cstdlib>

#include "device/region_desc.h"
#include "kernels/conv2d.h"
#include "util/error.h"

namespace zaccel::conformance {
namespace {

constexpr uint64_t kWaitMs = 10'000;

}  // namespace

std::vector<std::string> backends() {
  const std::string node = dev::find_kernel_node();
  // ZACCEL_CONFORMANCE_BACKEND=kernel: the driver alone, and it must be there (the QEMU test).
  if (const char *only = std::getenv("ZACCEL_CONFORMANCE_BACKEND");
      only && std::string(only) == "kernel") {
    return {node.empty() ? std::string("/dev/accel/accel0") : node};
  }
  std::vector<std::string> b = {"emu:pynq-z2"};
  if (!node.empty()) b.push_back(node);
  return b;
}

void Conformance::SetUp() {
  dev_ = dev::Device::open(GetParam());
  regions_ = dev_->num_regions();
  computes_ = !(dev_->param(DRM_ZACCEL_PARAM_CAPABILITIES) & DRM_ZACCEL_CAP_NO_HW);
  ASSERT_GE(regions_, 2u) << "the suite needs two regions";
  const drm_zaccel_ip_id id = test_ip();
  const size_t in_count = kImages * id.in_c * id.in_h * id.in_w;
  in_ = std::make_unique<dev::Bo>(*dev_, in_count * 2, 0);
  out_ = std::make_unique<dev::Bo>(*dev_, 4096, 0);
  reports_ = std::make_unique<dev::Bo>(*dev_, 64 * sizeof(drm_zaccel_report), 0);
  std::vector<int16_t> in(in_count);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<int16_t>((i * 37 % 255) - 127);
  in_->prep(DRM_ZACCEL_PREP_WRITE, dev::deadline_after_ms(kWaitMs));
  std::memcpy(in_->data(), in.data(), in.size() * 2);
  in_->fini();
  weights_.resize(2 * 9);
  for (size_t i = 0; i < weights_.size(); ++i)
    weights_[i] = static_cast<int16_t>(int(i * 13 % 31) - 15);
  bias_ = {100, -50};
  for (uint32_t r = 0; r < regions_; ++r) {
    unload(r);
    base_.push_back(dev_->query(r));
  }
}

void Conformance::unload(uint32_t region) {
  std::vector<uint8_t> bits = partial(region, {test_ip()});
  bits[bits.size() / 3] ^= 1;  // the CRC fails: the old IP is gone, no new one works
  ASSERT_EQ(load(region, bits, {test_ip()}).error, uint32_t{EBADMSG});
}

uint64_t Conformance::since_setup(uint32_t region, __u64 drm_zaccel_region_query::*counter) {
  return dev_->query(region).*counter - base_.at(region).*counter;
}

drm_zaccel_ip_id Conformance::test_ip(uint32_t out_c) {
  drm_zaccel_ip_id id{};
  id.magic = ZACCEL_IP_MAGIC;
  id.kind = DRM_ZACCEL_IP_CONV;
  id.version = 1 << 16;
  id.flags = DRM_ZACCEL_IP_RELU;
  id.in_c = 1;
  id.in_h = id.in_w = 6;
  id.out_c = out_c;
  id.out_h = id.out_w = 4;
  id.kernel = 3 << 16 | 3;
  id.stride = 1 << 16 | 1;
  id.bits = 8 << 16 | 8 << 8 | 8;
  id.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED;
  id.lanes = 9;
  return id;
}

std::vector<uint8_t> Conformance::partial(uint32_t region,
                                          const std::vector<drm_zaccel_ip_id> &ids) {
  const emu::RegionDesc desc = region_desc(*dev_, region);
  emu::PartialContents c;
  c.interface_id = desc.interface_id;
  for (const drm_zaccel_ip_id &one : ids) {
    emu::IpImage ip;
    ip.id = one;
    if (one.weight_mode == DRM_ZACCEL_WEIGHTS_EMBEDDED) {
      ip.weights.assign(weights_.begin(), weights_.begin() + one.out_c * 9);
      ip.bias.assign(bias_.begin(), bias_.begin() + one.out_c);
    }
    c.ips.push_back(std::move(ip));
  }
  return emu::build_partial(c, desc);
}

std::unique_ptr<dev::Bo> Conformance::bo_with(const std::vector<uint8_t> &bytes) {
  auto bo = std::make_unique<dev::Bo>(*dev_, bytes.size(), DRM_ZACCEL_BO_WRITE_COMBINED);
  std::memcpy(bo->data(), bytes.data(), bytes.size());
  return bo;
}

drm_zaccel_report Conformance::read_report(size_t record) {
  reports_->prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWaitMs));
  drm_zaccel_report r;
  std::memcpy(&r, reports_->data() + record * sizeof(r), sizeof(r));
  return r;
}

drm_zaccel_report Conformance::load(uint32_t region, const std::vector<uint8_t> &bits,
                                    const std::vector<drm_zaccel_ip_id> &expected) {
  auto bo = bo_with(bits);
  dev::Syncobj done(*dev_);
  const size_t rec = next_record_++;
  dev_->reconfig(region, *bo, 0, bits.size(), expected, {}, done.handle(),
                 {reports_.get(), rec * sizeof(drm_zaccel_report)});
  done.wait(dev::deadline_after_ms(kWaitMs));
  return read_report(rec);
}

size_t Conformance::submit_job(uint32_t region, const std::vector<uint32_t> &waits,
                               dev::Syncobj &done, uint32_t slot) {
  const size_t rec = next_record_++;
  dev_->submit(region, slot,
               {{in_->handle(), DRM_ZACCEL_ARG_READ, 0, in_->size()},
                {out_->handle(), DRM_ZACCEL_ARG_WRITE, 0, out_->size()}},
               {kImages, static_cast<uint32_t>(kShift)}, waits, done.handle(),
               {reports_.get(), rec * sizeof(drm_zaccel_report)});
  return rec;
}

drm_zaccel_report Conformance::run_job(uint32_t region, std::vector<uint32_t> waits,
                                       dev::Syncobj *done, uint32_t slot) {
  dev::Syncobj own(*dev_);
  dev::Syncobj &d = done ? *done : own;
  const size_t rec = submit_job(region, waits, d, slot);
  d.wait(dev::deadline_after_ms(kWaitMs));
  return read_report(rec);
}

std::vector<int16_t> Conformance::expected_output() const {
  const drm_zaccel_ip_id id = test_ip();
  std::vector<int16_t> in(kImages * 36);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<int16_t>((i * 37 % 255) - 127);
  kernels::ConvParams p{{1, 6, 6}, id.out_c, {3, 3, 1, 1, 0, 0, 0, 0}, {kShift, 8, true}};
  std::vector<int16_t> out(kImages * id.out_c * 16);
  kernels::conv2d(p, kImages, in.data(), weights_.data(), bias_.data(), out.data());
  return out;
}

std::vector<int16_t> Conformance::output() {
  out_->prep(DRM_ZACCEL_PREP_READ, dev::deadline_after_ms(kWaitMs));
  std::vector<int16_t> v(kImages * test_ip().out_c * 16);
  std::memcpy(v.data(), out_->data(), v.size() * 2);
  return v;
}

void Conformance::expect_usable(uint32_t region) {
  EXPECT_EQ(load(region, partial(region, {test_ip()}), {test_ip()}).error, 0u);
  EXPECT_EQ(run_job(region).error, 0u);
  EXPECT_OUTPUT(output(), expected_output());
}

}  // namespace zaccel::conformance
