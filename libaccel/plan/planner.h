// The weight-mode planner: for a quantized model and a fabric budget, where each layer keeps
// its weights (embedded in its IP, streamed from DDR per image, or cached once per batch),
// what that costs (DSP, BRAM18, LUT, FF, DDR bytes, cycles) and whether it fits. Every layer's
// IP is resident at once (a static design), so the budget is the sum of the regions'.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fabric/board.h"
#include "lib/library.h"
#include "model/quantize.h"
#include "plan/layer_ip.h"

namespace zaccel {

enum class PlanMode { kStatic, kDasp, kDapp, kBatchCached, kSdci, kAuto };

/// "static", "dasp", "dapp", "batch-cached", "sdci", "auto"; throws Error (EINVAL) for others.
PlanMode parse_plan_mode(const std::string &name);
const char *plan_mode_name(PlanMode m);

struct PlanOptions {
  PlanMode mode = PlanMode::kAuto;
  std::vector<std::string> stream;  ///< layers to stream, the rest embedded (DAPP by hand)
  uint32_t batch = 1;               ///< images per job, for timing
  uint32_t cache_batch = 0;         ///< images per load of batch-cached weights (0: batch)
  /// Layers split by output channel into IPs of these many channels each (conv1 -> {4, 2}).
  /// Layers no region holds whole are split without being named here.
  std::map<std::string, std::vector<uint32_t>> split;
  /// Layers split by input channel into a cascade of IPs of these many input channels each,
  /// passing partial sums on (conv2 -> {3, 3}).
  std::map<std::string, std::vector<uint32_t>> split_in;
  /// SDCI: images each IP runs on before its region is swapped (0: 16 times the larger of
  /// `batch` and `cache_batch`: sixteen session batches).
  uint32_t sweep = 0;
  /// SDCI: take every IP from this library (its partials verified with `verify` when loaded)
  /// instead of building them; an IP for each layer, or each part of a split one, must be there.
  std::shared_ptr<const lib::Library> library;
  lib::VerifyOptions verify;
};

/// What the plan may use, and how fast the fabric moves.
struct PlanTarget {
  emu::Resources budget;                ///< all regions together (or what the user allows)
  emu::Resources region_max;            ///< the largest single region, per resource
  std::vector<emu::Resources> regions;  ///< each region's budget
  uint64_t pl_clock_hz = 0;
  uint64_t ddr_bytes_per_s = 0;                  ///< shared by the regions
  std::vector<uint64_t> region_dma_bytes_per_s;  ///< each region's: min(DDR, its HP ports)
  std::vector<double> region_pr_ns;              ///< each region's partial through the PCAP
};

struct PlannedLayer {
  const QLayer *layer = nullptr;
  LayerIp ip;
  emu::Resources use;
  uint64_t weight_bytes_per_image = 0;  ///< DDR traffic for weights and bias
  uint64_t act_bytes_per_image = 0;     ///< DDR traffic for activations in and out
  uint64_t cycles_per_image = 0;
  uint64_t dma_cycles_per_image = 0;  ///< its bytes through its region's HP ports
  uint32_t region = 0, slot = 0;      ///< where the IP lives
  uint32_t source = 0;                ///< the model layer it computes
  uint32_t out_lo = 0, out_hi = 0;    ///< the output channels of that layer it computes
  bool split = false;                 ///< another IP computes the layer's other channels
  uint32_t in_lo = 0, in_hi = 0;      ///< the input channels it sums (a part of a cascade: some)
  const lib::IpManifest *lib_ip = nullptr;  ///< the library's IP, if it comes from one
};

struct Plan {
  /// The layers planned, one per IP: the model's, a split layer as its slices. PlannedLayer's
  /// `layer` points into it.
  std::shared_ptr<const QModel> planned;
  PlanMode mode = PlanMode::kStatic;  ///< what was chosen (never kAuto)
  uint32_t batch = 1, cache_batch = 1;
  std::vector<PlannedLayer> layers;
  emu::Resources total, budget;
  std::vector<std::vector<size_t>> groups;     ///< layers of each region, in order
  std::vector<emu::Resources> region_budgets;  ///< each region's, for the fit check
  size_t regions = 0;                          ///< the device's
  uint64_t weight_bytes_per_image = 0, act_bytes_per_image = 0, cycles_per_image = 0;
  double compute_ns_per_image = 0, dma_ns_per_image = 0;  ///< sums over the layers
  double critical_ns_per_image = 0;  ///< the estimate: the plan's critical path
  double path_ns_per_image = 0;      ///< the same without the shared DDR under it
  /// SDCI: images per residency of an IP (a sweep), and partial reconfiguration per image.
  uint32_t sweep = 0;
  double pr_ns_per_image = 0;
  std::shared_ptr<const lib::Library> library;  ///< where the IPs come from, if not built
  lib::VerifyOptions verify;

  double ns_per_image() const { return critical_ns_per_image; }
};

/// Plans `q` with every layer's IP resident: consecutive layers share a region (one slot
/// each), each region's DSPs shared by its layers (no layer gets more lanes than keep up with
/// its DMA) and shrunk until its IPs fit; of every way to cut the layers into the regions, the
/// one with the shortest critical path (jobs pipeline: the busiest layer or region's HP ports,
/// never below the DDR). SDCI instead gives every IP a region of its own in turn, swapped by
/// partial reconfiguration (see plan_sdci in plan/units.h). Throws
/// Error: EINVAL for a budget of zero, an unknown or weightless layer in `stream` or `stream` with
/// a mode other than dapp or auto, a split of an unknown layer, of one without output channels
/// or into parts that do not add up to its channels; EFBIG for a layer no region can hold even
/// streaming its weights and split into single output channels;
/// ENOSPC for a plan over budget, saying by how much and which layer is the largest.
Plan make_plan(const QModel &q, const PlanOptions &opts, const PlanTarget &target);

/// "conv1", "conv1[0:4]" for a slice of a layer split by output channel, "conv2(in 0:3)" for a
/// part of one split by input channel.
std::string unit_name(const PlannedLayer &p);

}  // namespace zaccel
