// A quantized model run on a device as jobs, following a plan: the executor of its schedule
// (schedule/schedule.h). It allocates what the schedule names (the partials, the weight
// buffers, each batch's buffers and the sync objects), queues the RECONFIGs and SUBMITs in
// the schedule's order, and collects the completion records, which time the run. Up to eight
// batches are in flight at once, each in its own buffers, so the pipeline never drains between
// them; an SDCI plan swaps IPs through the regions, two sweeps of batches in flight.
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
#include "schedule/schedule.h"

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
  /// A completion record a batch holds: of a load (pr) or a job, on `region`.
  struct Record {
    uint64_t offset;
    uint32_t region;
    std::string what;
    bool pr;
  };
  /// The buffers of one batch in flight: activations (input, then every layer's output),
  /// the completion records, the batch's end.
  struct Batch {
    std::vector<std::unique_ptr<dev::Bo>> acts;
    std::unique_ptr<dev::Bo> reports;
    std::unique_ptr<dev::Syncobj> done;  ///< signalled by the last layer's jobs
    /// SDCI: per job of images, signalled by its latest IP's job, which the next one waits for.
    std::vector<std::unique_ptr<dev::Syncobj>> chunk_done;
    /// Partial sums of a layer split by input channel: its parts write them in turn.
    std::unique_ptr<dev::Bo> sums[2];
    uint32_t n = 0;               ///< images; 0 when nothing is in flight
    std::vector<Record> records;  ///< of the work queued for it
    int16_t *out = nullptr;
  };

  /// Copies `n` images to `b`'s input buffer; their outputs go to `out` when collected.
  void stage(Batch &b, uint32_t n, const int16_t *in, int16_t *out);
  /// Queues `ops` (a schedule, schedule/schedule.h) for the batches `sweep`, in order.
  void execute(const std::vector<sched::Op> &ops, const std::vector<Batch *> &sweep);
  uint32_t fence(const sched::Fence &f, const std::vector<Batch *> &sweep) const;
  /// Waits for `b`, accounts its records and copies its output out. Throws Error.
  void collect(Batch &b);
  /// Waits for every batch in flight, ignoring their errors.
  void drain() noexcept;
  void account(const drm_zaccel_report &r, uint32_t region, const std::string &what, bool pr);
  void keep(TraceSpan span);

  dev::Device &dev_;
  const QModel &q_;
  Plan plan_;
  uint32_t max_batch_, regions_;
  sched::BatchLayout layout_;
  std::vector<std::unique_ptr<dev::Bo>> partials_;  ///< per region of the plan
  /// SDCI: per IP of the plan, its partial for each region.
  std::vector<std::vector<std::unique_ptr<dev::Bo>>> unit_partials_;
  std::vector<std::unique_ptr<dev::Bo>> weights_;  ///< per layer, if it streams
  std::vector<std::unique_ptr<dev::Bo>> biases_;   ///< per layer, if it streams
  /// Batches per sweep (1 unless SDCI, whose sweeps are the plan's); two sweeps in flight for
  /// SDCI, so that the next one's first load hides behind this one's last IP, else eight.
  bool swapped_ = false;
  unsigned sweep_batches_ = 1;
  std::vector<Batch> batches_;                           ///< used a sweep at a time, in turn
  unsigned next_ = 0;                                    ///< the sweep the next batches use
  sched::SdciState sdci_;                                ///< SDCI: what the regions hold
  std::vector<std::unique_ptr<dev::Syncobj>> pr_done_;   ///< per region
  std::vector<std::unique_ptr<dev::Syncobj>> job_done_;  ///< per layer but the last (Batch::done)
  bool loaded_ = false;  ///< every region's load has been queued, with no failure since
  RunStats stats_;
  SessionOptions opts_;
  std::deque<TraceSpan> spans_;  ///< the latest opts_.trace_spans
  PrOverlapMeter overlap_;
};

/// Writes spans as Chrome trace-event JSON (one track per region and kind). Throws Error.
void write_chrome_trace(const std::string &path, const std::deque<TraceSpan> &spans,
                        uint32_t regions);

}  // namespace zaccel
