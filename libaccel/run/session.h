// A quantized model run on a device as jobs, following a plan: each region's IPs (one per
// slot) loaded once by RECONFIG, weights embedded or in DDR BOs as the plan says, every layer a
// SUBMIT per job of images, ordered by sync objects, timed by the completion records. Up to
// eight batches are in flight at once, each in its own buffers, so the pipeline never drains
// between them. An SDCI plan instead swaps IPs through the regions: see submit_sweep.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "device/device.h"
#include "model/quantize.h"
#include "plan/layer_ip.h"
#include "plan/planner.h"
#include "run/overlap.h"
#include "run/partials.h"
#include "run/span.h"

namespace zaccel {

struct RunStats {
  uint64_t images = 0, batches = 0;
  uint64_t first_ns = 0, last_ns = 0;  ///< device time of the first start and the last end
  uint64_t pr_ns = 0, dma_ns = 0, compute_ns = 0;  ///< busy time of each kind
  uint64_t reconfigs = 0, jobs = 0;
  uint64_t pr_hidden_ns = 0;  ///< reconfiguration time during which another region computed
};

struct SessionOptions {
  uint32_t trace_spans = 65536;  ///< spans kept for the trace, the latest ones
};

class Session {
 public:
  /// Builds each region's partial, the weight buffers and four sets of buffers for batches of
  /// up to `max_batch` images. A batch runs as jobs of the plan's batch size (images per job):
  /// the jobs of different layers overlap, a pipeline across the slots; batch-cached IPs load
  /// their weights with a batch's first job and keep them for the rest. Throws Error (ENOSPC)
  /// if the plan needs more regions than `dev` has. An SDCI plan's partials, one per IP and
  /// region, come from the plan's IP library, verified (its errors, as
  /// lib::Library::verified_partial), else are built in memory.
  /// The trace keeps the latest `opts.trace_spans` spans; statistics count them all, in
  /// memory that does not grow with the run.
  Session(dev::Device &dev, const QModel &q, const Plan &plan, uint32_t max_batch,
          const SessionOptions &opts = {});
  ~Session();

  /// Runs `n` images already in the model's input format; writes n * output size codes.
  /// After a failure, waits for what is in flight and reloads the regions on the next run.
  void run(size_t n, const int16_t *in, int16_t *out);

  /// Everything run so far (pr_hidden_ns included).
  RunStats stats() const;
  const std::deque<TraceSpan> &spans() const { return spans_; }
  uint32_t regions() const { return regions_; }

 private:
  /// A reconfiguration whose completion record a batch holds.
  struct Load {
    uint32_t region;
    std::string what;
  };
  /// The buffers of one batch in flight: activations (input, then every layer's output), the
  /// completion records (one per job, then one per load), the batch's end.
  struct Batch {
    std::vector<std::unique_ptr<dev::Bo>> acts;
    std::unique_ptr<dev::Bo> reports;
    std::unique_ptr<dev::Syncobj> done;  ///< signalled by the last layer's jobs
    /// SDCI: per job of images, signalled by its latest IP's job, which the next one waits for.
    std::vector<std::unique_ptr<dev::Syncobj>> chunk_done;
    /// Partial sums of a layer split by input channel: its parts write them in turn.
    std::unique_ptr<dev::Bo> sums[2];
    uint32_t n = 0;                 ///< images; 0 when nothing is in flight
    std::vector<Load> loads;        ///< the loads that went with it
    std::vector<uint32_t> regions;  ///< SDCI: where each of the plan's IPs ran it
    int16_t *out = nullptr;
  };

  /// Where a tensor lives in a batch's buffers: tensor `buffer`'s, from value `offset` of each
  /// image, images `stride` values apart (0: its own size, packed).
  struct Home {
    uint32_t buffer;
    uint64_t offset, stride;
  };
  /// Fills homes_ and reads_. Throws Error (EOPNOTSUPP) for a Concat operand that would not
  /// start 8-byte aligned.
  void place_tensors();
  void load_regions(Batch &b);
  /// Copies `n` images to `b`'s input buffer; their outputs go to `out` when collected.
  void stage(Batch &b, uint32_t n, const int16_t *in, int16_t *out);
  /// Offset of image `first_img` (a job's first, or the batch's end) in a BO of activations
  /// of `count` values per image: each job's images contiguous, each job 8-byte aligned.
  uint64_t act_offset(uint64_t count, uint32_t first_img) const;
  /// Offsets in a batch's reports of a job's completion record and of its `k`th load's.
  uint64_t record(size_t layer, uint32_t first_img) const;
  uint64_t pr_record(size_t k) const;
  /// Resident plans: one batch's jobs, chunk by chunk (loading the regions first if needed).
  void submit(Batch &b);
  /// Submits the plan's IP `i` on the job of `b` from image `first_img`, in `region`.
  void submit_job(Batch &b, size_t i, uint32_t first_img, uint32_t region,
                  const std::vector<uint32_t> &waits, uint32_t done);
  /// SDCI: the batches `sweep` as one sweep, IP after IP; see run/sweep.cc.
  void submit_sweep(const std::vector<Batch *> &sweep);
  /// SDCI: the region for the plan's IP `unit`, and whether it must be loaded into it.
  std::pair<uint32_t, bool> place(size_t unit);
  /// Waits for `b`, accounts its records and copies its output out. Throws Error.
  void collect(Batch &b);
  /// Waits for every batch in flight, ignoring their errors.
  void drain() noexcept;
  void account(const drm_zaccel_report &r, uint32_t region, const std::string &what, bool pr);
  void keep(TraceSpan span);

  dev::Device &dev_;
  const QModel &q_;
  Plan plan_;
  uint32_t max_batch_, job_images_, regions_;
  std::vector<std::unique_ptr<dev::Bo>> partials_;  ///< per region of the plan
  /// SDCI: per IP of the plan, its partial for each region.
  std::vector<std::vector<std::unique_ptr<dev::Bo>>> unit_partials_;
  std::vector<std::unique_ptr<dev::Bo>> weights_;  ///< per layer, if it streams
  std::vector<std::unique_ptr<dev::Bo>> biases_;   ///< per layer, if it streams
  /// Per IP: which of a batch's sums it writes (a part of a cascade but the last); the last
  /// reads the other.
  std::vector<unsigned> sums_at_;
  std::vector<Home> homes_;               ///< per tensor: 0 the input, k + 1 layer k's output
  std::vector<std::vector<bool>> reads_;  ///< per layer, the layers whose jobs it waits for
  /// Batches per sweep (1 unless SDCI, whose sweeps are the plan's); two sweeps in flight for
  /// SDCI, so that the next one's first load hides behind this one's last IP, else eight.
  bool swapped_ = false;
  unsigned sweep_batches_ = 1;
  std::vector<Batch> batches_;  ///< used a sweep at a time, in turn
  unsigned next_ = 0;           ///< the sweep the next batches use
  /// SDCI: the IP each region holds, or will once its queued loads are done (-1: unknown);
  /// the region of the last IP placed.
  std::vector<long> holds_;
  uint32_t last_region_ = 0;
  std::vector<std::unique_ptr<dev::Syncobj>> pr_done_;   ///< per region
  std::vector<std::unique_ptr<dev::Syncobj>> job_done_;  ///< per layer but the last (Batch::done)
  bool loaded_ = false;  ///< every region's load has been queued, with no failure since
  RunStats stats_;
  SessionOptions opts_;
  std::deque<TraceSpan> spans_;  ///< the latest opts_.trace_spans
  PrOverlapMeter overlap_;
};

/// "conv1", or "conv1[0:4]" for a part of a split layer.
std::string unit_name(const PlannedLayer &p);

/// Writes spans as Chrome trace-event JSON (one track per region and kind). Throws Error.
void write_chrome_trace(const std::string &path, const std::deque<TraceSpan> &spans,
                        uint32_t regions);

}  // namespace zaccel
