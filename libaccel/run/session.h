// A quantized model run on a device as jobs, following a plan: each region's IPs (one per
// slot) loaded once by RECONFIG, weights embedded or in DDR BOs as the plan says, every layer a
// SUBMIT per job of images, ordered by sync objects, timed by the completion records. Up to
// four batches are in flight at once, each in its own buffers, so the pipeline never drains
// between them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "device/device.h"
#include "model/quantize.h"
#include "plan/planner.h"
#include "run/layer_ip.h"

namespace zaccel {

struct RunStats {
  uint64_t images = 0, batches = 0;
  uint64_t first_ns = 0, last_ns = 0;  ///< device time of the first start and the last end
  uint64_t pr_ns = 0, dma_ns = 0, compute_ns = 0;  ///< busy time of each kind
  uint64_t reconfigs = 0, jobs = 0;
};

enum class SpanKind { kPr, kDma, kCompute };

struct TraceSpan {
  SpanKind kind;
  uint32_t region;
  std::string name;  ///< the layer
  uint64_t start_ns, end_ns;
};

class Session {
 public:
  /// Builds each region's partial, the weight buffers and four sets of buffers for batches of
  /// up to `max_batch` images. A batch runs as jobs of the plan's batch size (images per job):
  /// the jobs of different layers overlap, a pipeline across the slots; batch-cached IPs load
  /// their weights with a batch's first job and keep them for the rest. Throws Error (ENOSPC)
  /// if the plan needs more regions than `dev` has.
  Session(dev::Device &dev, const QModel &q, const Plan &plan, uint32_t max_batch);
  ~Session();

  /// Runs `n` images already in the model's input format; writes n * output size codes.
  /// After a failure, waits for what is in flight and reloads the regions on the next run.
  void run(size_t n, const int16_t *in, int16_t *out);

  const RunStats &stats() const { return stats_; }
  const std::vector<TraceSpan> &spans() const { return spans_; }
  uint32_t regions() const { return regions_; }

 private:
  /// The buffers of one batch in flight: activations (input, then every layer's output), the
  /// completion records (one per job, then one per region's load), the batch's end.
  struct Batch {
    std::vector<std::unique_ptr<dev::Bo>> acts;
    std::unique_ptr<dev::Bo> reports;
    std::unique_ptr<dev::Syncobj> done;  ///< signalled by the last layer's jobs
    uint32_t n = 0;                      ///< images; 0 when nothing is in flight
    bool loads = false;                  ///< the regions' loads went with it
    int16_t *out = nullptr;
  };

  void load_regions(Batch &b);
  /// Offset of image `first_img` (a job's first, or the batch's end) in a BO of activations
  /// of `count` values per image: each job's images contiguous, each job 8-byte aligned.
  uint64_t act_offset(size_t count, uint32_t first_img) const;
  /// Offsets in a batch's reports of a job's completion record and of a region's load record.
  uint64_t record(size_t layer, uint32_t first_img) const;
  uint64_t pr_record(uint32_t region) const;
  void submit(Batch &b, uint32_t n, const int16_t *in, int16_t *out);
  /// Waits for `b`, accounts its records and copies its output out. Throws Error.
  void collect(Batch &b);
  /// Waits for every batch in flight, ignoring their errors.
  void drain() noexcept;
  void account(const drm_zaccel_report &r, uint32_t region, const std::string &what, bool pr);

  dev::Device &dev_;
  const QModel &q_;
  Plan plan_;
  uint32_t max_batch_, job_images_, regions_;
  std::vector<std::unique_ptr<dev::Bo>> partials_;       ///< per region of the plan
  std::vector<std::unique_ptr<dev::Bo>> weights_;        ///< per layer, if it streams
  std::vector<std::unique_ptr<dev::Bo>> biases_;         ///< per layer, if it streams
  static constexpr unsigned kInFlight = 8;               ///< batches queued at once
  Batch batches_[kInFlight];                             ///< used in turn
  unsigned next_ = 0;                                    ///< the one the next batch uses
  std::vector<std::unique_ptr<dev::Syncobj>> pr_done_;   ///< per region
  std::vector<std::unique_ptr<dev::Syncobj>> job_done_;  ///< per layer but the last (Batch::done)
  bool loaded_ = false;  ///< every region's load has been queued, with no failure since
  RunStats stats_;
  std::vector<TraceSpan> spans_;
};

/// Writes spans as Chrome trace-event JSON (one track per region and kind). Throws Error.
void write_chrome_trace(const std::string &path, const std::vector<TraceSpan> &spans,
                        uint32_t regions);

}  // namespace zaccel
