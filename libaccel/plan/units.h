// What the planner's modes share: the layers as IPs (a split layer as its slices), a plan
// assembled from a cut of them into regions, and why a plan does not fit.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "plan/planner.h"

namespace zaccel::detail {

/// Images per job, and per load of batch-cached weights.
struct Batching {
  uint32_t job = 1, cache = 1;
};

/// What gets an IP each: the model's layers, split layers as their slices.
struct Units {
  std::shared_ptr<QModel> q;  ///< the layers; input and output as the model's
  std::vector<unsigned> in_bits;
  std::vector<uint32_t> source, lo, hi;
  std::vector<bool> split;
  std::vector<uint32_t> in_lo, in_hi;  ///< input channels: a part of a cascade computes some

  /// Copies where unit `i` sits in the model (its layer and channels) into `p`.
  void locate(size_t i, PlannedLayer &p) const {
    p.source = source[i];
    p.out_lo = lo[i];
    p.out_hi = hi[i];
    p.split = split[i];
    p.in_lo = in_lo[i];
    p.in_hi = in_hi[i];
  }
};

/// `q`'s layers, those named in `split` cut into slices of the output channels given (which
/// must add up to the layer's), those in `split_in` into a cascade of parts of the input
/// channels given; with `embed`, also any whose weights no region holds on chip (an embedded
/// IP of one lane), cut into equal slices of output channels, as few as fit, or where even
/// one output channel does not fit, into a cascade of equal parts of its input channels.
/// Throws Error (EINVAL).
Units make_units(const QModel &q, const std::map<std::string, std::vector<uint32_t>> &split,
                 const std::map<std::string, std::vector<uint32_t>> &split_in, const PlanTarget &t,
                 Batching bt, bool embed);

/// The plan with the units [cut[g], cut[g + 1]) in region g, one slot each, region g's DSPs
/// times `scale` shared by its units; `streamed` names units that stream whatever `mode` says.
Plan assemble(const Units &u, PlanMode mode, const std::set<std::string> &streamed,
              const PlanTarget &t, Batching bt, const std::vector<size_t> &cut, double scale);

/// Layer `l` as an IP of `lanes` lanes (1 for a layer without MACs) whose input has `in_bits`
/// bits, and what it costs; DMA cycles left 0.
PlannedLayer plan_layer(const QLayer &l, unsigned in_bits, uint32_t weight_mode, uint32_t lanes,
                        Batching bt);

/// Why `plan` does not fit, or "" if it does.
std::string overage(const Plan &plan);

/// SDCI: each unit an IP of its own with embedded weights, as fast as fits the smallest region,
/// the regions taking the units in turn and reconfigured between them; each IP runs on `sweep`
/// images before its region is swapped. With `opts.library`, each unit is the library's IP for
/// it. Throws Error: EFBIG for a unit no region holds; with a library, ENOENT for a unit it
/// has no IP for, EINVAL for one that does not compute the layer as quantized (other
/// dimensions, bit widths or weights) or lacks a partial for a region.
Plan plan_sdci(const Units &u, const PlanTarget &t, Batching bt, const PlanOptions &opts);

}  // namespace zaccel::detail
