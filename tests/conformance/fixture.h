// The conformance suite's fixture: one device per test, opened through libaccel's device layer
// from a URI (emu:pynq-z2, or the kernel driver's node when one exists), a small conv IP and
// its partial for any region, and helpers that issue raw uapi ioctls.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bitstream/partial.h"
#include "device/device.h"
#include "fabric/work.h"
#include "zaccel_drm.h"

/// Checks a job's output values, unless the device's jobs compute nothing (the kernel driver's
/// no-hardware test mode, DRM_ZACCEL_CAP_NO_HW): there every other check of the suite still
/// runs, fences, records, states and errors included.
#define EXPECT_OUTPUT(got, want) \
  if (!computes_) {              \
  } else                         \
    EXPECT_EQ(got, want)

namespace zaccel::conformance {

/// Backend URIs the suite runs on: the emulator always, the kernel driver if a node exists.
std::vector<std::string> backends();

class Conformance : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr uint32_t kImages = 2;  ///< images of the standard job
  static constexpr int32_t kShift = 4;    ///< its requantization shift

  void SetUp() override;

  /// Identity of the test IP: conv 1x6x6 -> 2x4x4, 3x3 window, 8-bit, embedded weights.
  static drm_zaccel_ip_id test_ip(uint32_t out_c = 2);
  /// Its partial for `region` (interface and size from the device's parameters).
  std::vector<uint8_t> partial(uint32_t region, const std::vector<drm_zaccel_ip_id> &ids);
  /// A write-combined BO holding `bytes`.
  std::unique_ptr<dev::Bo> bo_with(const std::vector<uint8_t> &bytes);

  /// RECONFIG of `bits` into `region` with a completion record; waits; returns the record.
  drm_zaccel_report load(uint32_t region, const std::vector<uint8_t> &bits,
                         const std::vector<drm_zaccel_ip_id> &expected);
  /// Queues the standard job on `region`'s `slot`; returns its record's index.
  size_t submit_job(uint32_t region, const std::vector<uint32_t> &waits, dev::Syncobj &done,
                    uint32_t slot);
  /// Runs the test IP in `region` on the standard input; returns the record, output in out_.
  drm_zaccel_report run_job(uint32_t region, std::vector<uint32_t> waits = {},
                            dev::Syncobj *done = nullptr, uint32_t slot = 0);
  /// What the test IP must compute from the standard input (the reference kernel).
  std::vector<int16_t> expected_output() const;
  std::vector<int16_t> output();

  drm_zaccel_report read_report(size_t record);
  /// The region works: a good partial loads and a job on it computes the right output.
  void expect_usable(uint32_t region);
  /// Leaves `region` without a working IP, as a new device has it: a device that outlives the
  /// test (the kernel driver) still holds what the last test loaded.
  void unload(uint32_t region);
  /// A counter of `region` since SetUp.
  uint64_t since_setup(uint32_t region, __u64 drm_zaccel_region_query::*counter);

  std::unique_ptr<dev::Device> dev_;
  uint32_t regions_ = 0;
  bool computes_ = true;  ///< jobs compute their outputs (not DRM_ZACCEL_CAP_NO_HW)
  std::vector<drm_zaccel_region_query> base_;  ///< each region's counters after SetUp
  std::unique_ptr<dev::Bo> in_, out_, reports_;
  size_t next_record_ = 0;
  std::vector<int16_t> weights_;
  std::vector<int64_t> bias_;
};

}  // namespace zaccel::conformance
