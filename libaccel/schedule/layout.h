// Where one batch's data lives on the device, as a pure function of the quantized model, the
// plan and the largest batch: a buffer per tensor (the input, then every layer's output),
// each job's images contiguous and 8-byte aligned; a Concat's operands side by side in its
// buffer; the completion records of the jobs and of the loads; the partial sums a cascade
// passes on; and which layers' jobs each layer waits for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/quantize.h"
#include "plan/planner.h"

namespace zaccel::sched {

/// Where a tensor lives in a batch's buffers: tensor `buffer`'s, from value `offset` of each
/// image, images `stride` values apart (0: its own size, packed).
struct Home {
  uint32_t buffer = 0;
  uint64_t offset = 0, stride = 0;
};

class BatchLayout {
 public:
  /// For batches of up to `max_batch` images on a device of `regions` regions (the records
  /// have room for a load of each). Throws Error: EINVAL for a batch of zero images or a plan
  /// that is not for `q` (its IPs do not cover each layer's channels); EOPNOTSUPP for a Concat
  /// operand that would not start 8-byte aligned.
  BatchLayout(const QModel &q, const Plan &plan, uint32_t max_batch, uint32_t regions);

  uint32_t max_batch() const { return max_batch_; }
  /// Images per job: the plan's batch, at most max_batch().
  uint32_t job_images() const { return job_images_; }
  /// Jobs of a full batch per IP.
  uint32_t chunks() const { return (max_batch_ + job_images_ - 1) / job_images_; }

  /// Offset of image `first_img` (a job's first, or the batch's end) in a buffer of `count`
  /// values per image.
  uint64_t act_offset(uint64_t count, uint32_t first_img) const;
  /// Bytes of tensor `t`'s own buffer (0 the input, k + 1 layer k's output).
  uint64_t tensor_bytes(uint32_t t) const;
  const Home &home(uint32_t t) const { return homes_[t]; }
  /// Whether model layer `l` waits for the jobs of model layer `k` (it reads its output, or a
  /// Concat of it).
  bool reads(size_t l, size_t k) const { return reads_[l][k]; }

  /// Offsets in the completion records of the job of the plan's IP `unit` from image
  /// `first_img`, and of the batch's `k`th load.
  uint64_t record(size_t unit, uint32_t first_img) const;
  uint64_t pr_record(size_t k) const;
  /// Bytes of a batch's completion records: room for a load per region or per IP.
  uint64_t reports_bytes() const;

  /// Bytes of each of a batch's two partial-sum buffers (0: no cascade), and which of them
  /// the plan's IP `unit` writes (a part of a cascade but its last; the next reads it).
  uint64_t sums_bytes() const { return sums_bytes_; }
  unsigned sums_at(size_t unit) const { return sums_at_[unit]; }

  /// Bytes of one batch's buffers together.
  uint64_t batch_bytes() const;

 private:
  const QModel &q_;
  size_t units_, regions_;
  uint32_t max_batch_, job_images_;
  uint64_t sums_bytes_ = 0;
  std::vector<unsigned> sums_at_;
  std::vector<Home> homes_;
  std::vector<std::vector<bool>> reads_;
};

}  // namespace zaccel::sched
