#include "plan/planner.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <numeric>
#include <optional>
#include <set>

#include "ips/ip.h"
#include "ips/resources.h"
#include "model/slice.h"
#include "plan/units.h"
#include "util/error.h"

namespace zaccel {
namespace detail {
namespace {

using emu::Resources;

uint32_t mode_of(PlanMode m) {
  switch (m) {
    case PlanMode::kDasp:
      return DRM_ZACCEL_WEIGHTS_STREAMED;
    case PlanMode::kBatchCached:
      return DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
    default:
      return DRM_ZACCEL_WEIGHTS_EMBEDDED;
  }
}

uint64_t macs(const QLayer &l) {
  switch (l.kind) {
    case LayerKind::kConv:
      return l.out.size() * (l.in.c / l.conv.groups) * l.conv.win.kh * l.conv.win.kw;
    case LayerKind::kFc:
      return l.out.size() * l.in.size();
    default:
      return 0;
  }
}

}  // namespace

PlannedLayer plan_layer(const QLayer &l, unsigned in_bits, uint32_t weight_mode, uint32_t lanes,
                        Batching bt) {
  PlannedLayer p;
  p.layer = &l;
  p.ip = layer_ip(l, in_bits, weight_mode, lanes);
  p.use = emu::ip_resources(p.ip.id);
  const uint64_t wbytes = emu::ip_weight_count(p.ip.id) * 2 + emu::ip_bias_count(p.ip.id) * 8;
  switch (p.ip.id.weight_mode) {
    case DRM_ZACCEL_WEIGHTS_STREAMED:
      p.weight_bytes_per_image = wbytes;
      break;
    case DRM_ZACCEL_WEIGHTS_BATCH_CACHED:
      p.weight_bytes_per_image = (wbytes + bt.cache - 1) / bt.cache;
      break;
    default:
      break;
  }
  // Activations in and out; partial sums in and out of a layer split by input channel.
  const uint64_t sums_in =
      p.ip.id.flags & DRM_ZACCEL_IP_ACC_IN ? emu::ip_output_count(p.ip.id) * 8 : 0;
  // An element-wise IP reads two inputs.
  const uint64_t inputs = p.ip.id.kind == DRM_ZACCEL_IP_ELTWISE ? 2 : 1;
  p.act_bytes_per_image =
      emu::ip_input_count(p.ip.id) * 2 * inputs + emu::ip_output_bytes(p.ip.id) + sums_in;
  p.cycles_per_image = (emu::ip_cycles(p.ip.id, bt.job) + bt.job - 1) / bt.job;
  return p;
}

namespace {

/// Puts the layers [split[g], split[g + 1]) in region g, one slot each.
void apply_split(Plan &plan, const std::vector<size_t> &split, const PlanTarget &t) {
  plan.regions = t.regions.size();
  plan.groups.assign(split.size() - 1, {});
  for (size_t g = 0; g + 1 < split.size(); ++g) {
    for (size_t i = split[g]; i < split[g + 1]; ++i) {
      plan.layers[i].region = static_cast<uint32_t>(g);
      plan.layers[i].slot = static_cast<uint32_t>(plan.groups[g].size());
      plan.groups[g].push_back(i);
    }
  }
}

/// Comparators or adders a pool IP has at most: some 6,400 LUT (ips/resources.cc), under half
/// of a PYNQ-Z2 region's, so that a global pool over a large window still fits one.
constexpr uint32_t kMaxPoolLanes = 256;

/// Lanes of a layer without MACs: a pool takes a whole window of every channel per cycle, up
/// to kMaxPoolLanes; an Add, kAddLanes.
uint32_t fixed_lanes(const QLayer &l) {
  const uint32_t c = std::max<uint32_t>(l.in.c, 1);
  if (l.kind == LayerKind::kAdd) return kAddLanes;
  if (l.kind != LayerKind::kPool) return c;
  return static_cast<uint32_t>(
      std::min<uint64_t>(uint64_t{c} * l.pool.win.kh * l.pool.win.kw, kMaxPoolLanes));
}

/// Lanes when region g's DSPs, times `scale`, go to its layers. `dma[i]` is layer i's DMA
/// cycles per image. Jobs pipeline (a session keeps several batches in flight), so a region's
/// layers run side by side, sharing its HP ports: each layer gets ceil(MACs / T) lanes for the
/// smallest T (cycles per image, never below the region's DMA, which more lanes cannot beat)
/// whose lanes fit.
std::vector<uint32_t> split_lanes(const QModel &q, const std::vector<size_t> &split,
                                  const PlanTarget &t, double scale,
                                  const std::vector<uint64_t> &dma) {
  std::vector<uint32_t> lanes(q.layers.size());
  for (size_t g = 0; g + 1 < split.size(); ++g) {
    const size_t b = split[g], e = split[g + 1];
    const auto dsp =
        static_cast<uint64_t>(scale * (g < t.regions.size() ? t.regions[g].dsp : t.region_max.dsp));
    uint64_t floor = 1;
    for (size_t i = b; i < e; ++i)
      floor += dma[i];
    const auto lanes_at = [&](size_t i, uint64_t cycles) {
      return std::max<uint64_t>((macs(q.layers[i]) + cycles - 1) / cycles, 1);
    };
    const auto need = [&](uint64_t cycles) {
      uint64_t sum = 0;
      for (size_t i = b; i < e; ++i)
        sum += macs(q.layers[i]) ? lanes_at(i, cycles) : 0;
      return sum;
    };
    uint64_t lo = floor, hi = floor;
    for (size_t i = b; i < e; ++i)
      hi = std::max(hi, macs(q.layers[i]));
    while (lo < hi) {  // the smallest cycles whose lanes fit
      const uint64_t mid = lo + (hi - lo) / 2;
      if (need(mid) <= dsp)
        hi = mid;
      else
        lo = mid + 1;
    }
    for (size_t i = b; i < e; ++i) {
      const QLayer &l = q.layers[i];
      lanes[i] = macs(l) == 0 ? fixed_lanes(l) : static_cast<uint32_t>(lanes_at(i, lo));
    }
  }
  return lanes;
}

/// The cycles per image that bound the plan, jobs pipelined: the busiest layer or the busiest
/// region's HP ports, whichever is slower, and no less than the shared DDR's. Second, that
/// path without the DDR under it: plans the DDR holds back equally still differ in how much
/// slack they leave.
std::pair<uint64_t, uint64_t> critical_cycles(const Plan &p, const PlanTarget &t) {
  uint64_t most = 0, bytes = 0;
  std::vector<uint64_t> region_dma(p.groups.size());
  for (const PlannedLayer &l : p.layers) {
    most = std::max(most, l.cycles_per_image);
    region_dma[l.region] += l.dma_cycles_per_image;
    bytes += l.weight_bytes_per_image + l.act_bytes_per_image;
  }
  for (uint64_t d : region_dma)
    most = std::max(most, d);
  const auto ddr =
      static_cast<uint64_t>(double(bytes) * double(t.pl_clock_hz) / double(t.ddr_bytes_per_s));
  return {std::max(most, ddr), most};
}

}  // namespace

Plan assemble(const Units &u, PlanMode mode, const std::set<std::string> &streamed,
              const PlanTarget &t, Batching bt, const std::vector<size_t> &split, double scale) {
  const QModel &q = *u.q;
  Plan plan;
  plan.planned = u.q;
  plan.mode = mode;
  plan.batch = bt.job;
  plan.cache_batch = bt.cache;
  plan.budget = t.budget;
  plan.region_budgets = t.regions;
  const std::vector<unsigned> &in_bits = u.in_bits;
  std::vector<uint32_t> modes;
  std::vector<uint64_t> dma;  // DMA cycles per image, which the lanes do not change
  for (size_t g = 0; g + 1 < split.size(); ++g) {
    const uint64_t rate =
        g < t.region_dma_bytes_per_s.size() ? t.region_dma_bytes_per_s[g] : t.ddr_bytes_per_s;
    for (size_t i = split[g]; i < split[g + 1]; ++i) {
      const QLayer &l = q.layers[i];
      modes.push_back(streamed.count(l.name) ? uint32_t{DRM_ZACCEL_WEIGHTS_STREAMED}
                                             : mode_of(mode));
      const PlannedLayer p = plan_layer(l, in_bits[i], modes[i], 1, bt);
      dma.push_back(static_cast<uint64_t>(
          std::ceil(double(p.weight_bytes_per_image + p.act_bytes_per_image) *
                    double(t.pl_clock_hz) / double(std::max<uint64_t>(rate, 1)))));
    }
  }
  const std::vector<uint32_t> lanes = split_lanes(q, split, t, scale, dma);
  for (size_t i = 0; i < q.layers.size(); ++i) {
    plan.layers.push_back(plan_layer(q.layers[i], in_bits[i], modes[i], lanes[i], bt));
    PlannedLayer &p = plan.layers.back();
    p.dma_cycles_per_image = dma[i];
    u.locate(i, p);
    plan.total = plan.total + p.use;
    plan.weight_bytes_per_image += p.weight_bytes_per_image;
    plan.act_bytes_per_image += p.act_bytes_per_image;
    plan.cycles_per_image += p.cycles_per_image;
  }
  plan.compute_ns_per_image = 1e9 * double(plan.cycles_per_image) / double(t.pl_clock_hz);
  plan.dma_ns_per_image = 1e9 * double(plan.weight_bytes_per_image + plan.act_bytes_per_image) /
                          double(t.ddr_bytes_per_s);
  apply_split(plan, split, t);
  const auto [critical, path] = critical_cycles(plan, t);
  plan.critical_ns_per_image = 1e9 * double(critical) / double(t.pl_clock_hz);
  plan.path_ns_per_image = 1e9 * double(path) / double(t.pl_clock_hz);
  return plan;
}

std::string overage(const Plan &plan) {
  const Resources &u = plan.total, &b = plan.budget;
  const PlannedLayer *largest = nullptr;
  for (const PlannedLayer &p : plan.layers)
    if (!largest || p.use.bram18 > largest->use.bram18) largest = &p;
  const auto over = [&](const char *what, uint32_t use, uint32_t budget, uint32_t layer_use) {
    return std::string(plan_mode_name(plan.mode)) + " needs " + std::to_string(use) + " " + what +
           ", the budget is " + std::to_string(budget) + " (" + std::to_string(use - budget) +
           " over); the largest layer is " + largest->layer->name + " (" +
           std::to_string(layer_use) + ")";
  };
  if (u.bram18 > b.bram18) return over("BRAM18", u.bram18, b.bram18, largest->use.bram18);
  for (const PlannedLayer &p : plan.layers)
    if (!largest || p.use.dsp > largest->use.dsp) largest = &p;
  if (u.dsp > b.dsp) return over("DSP", u.dsp, b.dsp, largest->use.dsp);
  if (u.lut > b.lut) return over("LUT", u.lut, b.lut, largest->use.lut);
  if (u.ff > b.ff) return over("FF", u.ff, b.ff, largest->use.ff);
  if (plan.mode == PlanMode::kSdci) return "";  // its units take the regions in turn
  if (plan.groups.size() > plan.regions) {
    return std::string(plan_mode_name(plan.mode)) + ": the IPs need " +
           std::to_string(plan.groups.size()) + " regions, the device has " +
           std::to_string(plan.regions);
  }
  for (size_t g = 0; g < plan.groups.size(); ++g) {
    Resources used;
    for (size_t i : plan.groups[g])
      used = used + plan.layers[i].use;
    if (!emu::fits(used, plan.region_budgets[g])) {
      return std::string(plan_mode_name(plan.mode)) + ": region " + std::to_string(g) +
             " would need " + std::to_string(used.dsp) + " DSP and " + std::to_string(used.bram18) +
             " BRAM18, it has " + std::to_string(plan.region_budgets[g].dsp) + " and " +
             std::to_string(plan.region_budgets[g].bram18);
    }
  }
  return "";
}

namespace {

/// Every way to cut the layers into 1 to `groups` runs of consecutive layers (at most
/// DRM_ZACCEL_MAX_SLOTS each), as boundary lists.
void splits(size_t layers, size_t groups, std::vector<size_t> &cur,
            std::vector<std::vector<size_t>> &out) {
  const size_t from = cur.back();
  if (from == layers) {
    out.push_back(cur);
    return;
  }
  if (cur.size() > groups) return;
  for (size_t to = from + 1; to <= std::min(layers, from + DRM_ZACCEL_MAX_SLOTS); ++to) {
    cur.push_back(to);
    splits(layers, groups, cur, out);
    cur.pop_back();
  }
}

/// The fastest plan whose IPs are resident: over every cut of the layers into the regions,
/// each region's DSPs shared by its layers' MACs, shrunk (unless `shrink` is false) until the
/// IPs fit; else a plan whose overage says why.
Plan assemble_resident(const Units &u, PlanMode mode, const std::set<std::string> &streamed,
                       const PlanTarget &t, Batching bt, bool shrink = true) {
  const QModel &q = *u.q;
  std::vector<std::vector<size_t>> cuts;
  std::vector<size_t> cur = {0};
  splits(q.layers.size(), std::min<size_t>(std::max<size_t>(t.regions.size(), 1), 4), cur, cuts);
  if (cuts.empty()) {  // more layers than the regions have slots: full regions, and too many
    std::vector<size_t> cut = {0};
    while (cut.back() < q.layers.size())
      cut.push_back(std::min(q.layers.size(), cut.back() + DRM_ZACCEL_MAX_SLOTS));
    cuts.push_back(cut);
  }
  // A DSP budget below the regions' sum scales every region down alike.
  double scale = 1.0;
  if (const double sum = double(t.regions.empty() ? 0 : [&] {
        uint64_t d = 0;
        for (const Resources &r : t.regions)
          d += r.dsp;
        return d;
      }());
      sum > 0) {
    scale = std::min(1.0, double(t.budget.dsp) / sum);
  }
  std::optional<Plan> best, first;
  for (const std::vector<size_t> &cut : cuts) {
    for (double s = scale; s > 0.01; s *= 0.9) {
      Plan p = assemble(u, mode, streamed, t, bt, cut, s);
      if (!first) first = p;
      if (overage(p).empty()) {
        if (!best || std::pair(p.critical_ns_per_image, p.path_ns_per_image) <
                         std::pair(best->critical_ns_per_image, best->path_ns_per_image)) {
          best = std::move(p);
        }
        break;
      }
      if (!shrink) break;
    }
  }
  return best ? *best : *first;
}

/// DAPP: with the regions' DSPs in full, stream the layers with the most weights until the
/// rest fit; only if no amount of streaming fits do the lanes shrink.
Plan plan_dapp(const Units &u, const PlanTarget &t, Batching bt) {
  std::vector<const QLayer *> by_size;
  for (const QLayer &l : u.q->layers)
    if (!l.weights.empty()) by_size.push_back(&l);
  std::stable_sort(by_size.begin(), by_size.end(), [](const QLayer *a, const QLayer *b) {
    return a->weights.size() > b->weights.size();
  });
  for (const bool shrink : {false, true}) {
    std::set<std::string> streamed;
    for (size_t n = 0; n <= by_size.size(); ++n) {
      if (n > 0) streamed.insert(by_size[n - 1]->name);
      Plan plan = assemble_resident(u, PlanMode::kDapp, streamed, t, bt, shrink);
      if (overage(plan).empty()) return plan;
    }
  }
  std::set<std::string> all;
  for (const QLayer *l : by_size)
    all.insert(l->name);
  return assemble_resident(u, PlanMode::kDapp, all, t, bt);
}

/// Whether the planner may cut `l` by channel when it fits no region whole (a grouped conv: by
/// output channel only, between groups).
bool splittable(const QLayer &l, bool input = false) {
  return l.kind == LayerKind::kFc || (l.kind == LayerKind::kConv && (!input || l.conv.groups == 1));
}

/// Channels a split part must hold a multiple of, so that the next part's output (or with
/// `input`, input) starts 8-byte aligned in the layer's (jobs' buffer arguments are); for a
/// grouped conv cut by output channel, whole groups whose input channels start aligned too.
uint32_t channel_align(const QLayer &l, bool input = false) {
  const auto align = [](const Dims &d, uint64_t channels) {
    const uint64_t bytes = d.size() / d.c * 2 * channels;
    return 8 / std::gcd<uint64_t>(bytes, 8);
  };
  const uint64_t own = align(input ? l.in : l.out, 1);
  if (input || l.kind != LayerKind::kConv || l.conv.groups == 1) return static_cast<uint32_t>(own);
  const uint64_t out_per_group = l.out.c / l.conv.groups, in_per_group = l.in.c / l.conv.groups;
  const uint64_t groups = std::lcm(align(l.in, in_per_group), align(l.out, out_per_group));
  return static_cast<uint32_t>(std::lcm(own, groups * out_per_group));
}

/// Checks `split`'s parts of output (or input) channels against the model.
void check_splits(const QModel &q, const std::map<std::string, std::vector<uint32_t>> &split,
                  bool input) {
  const char *what = input ? "input" : "output";
  for (const auto &[name, parts] : split) {
    const auto it = std::find_if(q.layers.begin(), q.layers.end(),
                                 [&](const QLayer &l) { return l.name == name; });
    if (it == q.layers.end()) fail(EINVAL, "--split: unknown layer '", name, "'");
    if (it->kind != LayerKind::kConv && it->kind != LayerKind::kFc)
      fail(EINVAL, "--split: layer ", name, " has no ", what, " channels of its own to split");
    const uint32_t channels = input ? it->in.c : it->out.c;
    uint32_t sum = 0;
    for (uint32_t c : parts) {
      if (c == 0) fail(EINVAL, "--split: a part of layer ", name, " with no channels");
      sum += c;
    }
    if (sum != channels || parts.size() > channels)
      fail(EINVAL, "--split: parts of layer ", name, " add up to ", sum, " ", what,
           " channels, it has ", channels);
    const uint32_t align = channel_align(*it, input);
    for (size_t k = 0; k + 1 < parts.size(); ++k) {
      if (parts[k] % align)
        fail(EINVAL, "--split: layer ", name, "'s parts but the last need multiples of ", align,
             " ", what, " channels, so that each part's ", what, " starts 8-byte aligned");
    }
  }
}

}  // namespace

Units make_units(const QModel &q, const std::map<std::string, std::vector<uint32_t>> &split,
                 const std::map<std::string, std::vector<uint32_t>> &split_in, const PlanTarget &t,
                 Batching bt, bool embed) {
  check_splits(q, split, false);
  check_splits(q, split_in, true);
  for (const auto &[name, parts] : split_in)
    if (split.count(name)) fail(EINVAL, "--split: layer ", name, " split both ways");
  Units u;
  u.q = std::make_shared<QModel>(q);
  u.q->layers.clear();
  const std::vector<unsigned> bits = layer_input_bits(q);
  const auto add = [&](const QLayer &l, uint32_t s, uint32_t lo, uint32_t hi, bool cut) {
    u.q->layers.push_back(cut ? slice_out_channels(l, lo, hi) : l);
    u.in_bits.push_back(bits[s]);
    u.source.push_back(s);
    u.lo.push_back(lo);
    u.hi.push_back(hi);
    u.split.push_back(cut);
    const auto [in_lo, in_hi] = cut ? slice_inputs(l, lo, hi) : std::pair(0u, l.in.c);
    u.in_lo.push_back(in_lo);
    u.in_hi.push_back(in_hi);
  };
  const auto fits_lean = [&](const QLayer &l, unsigned in_bits) {
    return emu::fits(plan_layer(l, in_bits, DRM_ZACCEL_WEIGHTS_EMBEDDED, 1, bt).use, t.region_max);
  };
  // Where even one output channel's weights fit no region: the fewest equal parts of the
  // input channels that each fit (empty if none do).
  const auto cascade_parts = [&](const QLayer &l, unsigned in_bits) {
    const uint32_t align = channel_align(l, true);
    for (uint32_t k = 2; k <= l.in.c; ++k) {
      const uint32_t each = ((l.in.c + k - 1) / k + align - 1) / align * align;
      std::vector<uint32_t> parts;
      bool fit = true;
      for (uint32_t lo = 0; lo < l.in.c && fit; lo += each) {
        const uint32_t hi = std::min(each, l.in.c - lo) + lo;
        parts.push_back(hi - lo);
        fit = fits_lean(slice_in_channels(l, lo, hi, lo == 0, hi == l.in.c), in_bits);
      }
      if (fit && parts.size() > 1) return parts;
    }
    return std::vector<uint32_t>{};
  };
  for (uint32_t s = 0; s < q.layers.size(); ++s) {
    const QLayer &l = q.layers[s];
    if (l.kind == LayerKind::kConcat) continue;  // its operands' IPs write it, side by side
    std::vector<uint32_t> in_parts;
    if (const auto it = split_in.find(l.name); it != split_in.end()) {
      in_parts = it->second;
    } else if (embed && !split.count(l.name) && splittable(l, true) &&
               !fits_lean(slice_out_channels(l, 0, 1), bits[s])) {
      in_parts = cascade_parts(l, bits[s]);
    }
    if (in_parts.size() > 1) {
      // A cascade: each part sums its input channels, the last requantizes.
      uint32_t lo = 0;
      for (size_t k = 0; k < in_parts.size(); ++k) {
        const uint32_t hi = lo + in_parts[k];
        const QLayer part = slice_in_channels(l, lo, hi, k == 0, k + 1 == in_parts.size());
        add(part, s, 0, l.out.c, false);
        u.in_lo.back() = lo;
        u.in_hi.back() = hi;
        lo = hi;
      }
      continue;
    }
    std::vector<uint32_t> parts;
    if (const auto it = split.find(l.name); it != split.end()) {
      parts = it->second;
    } else if (embed && splittable(l) && !fits_lean(l, bits[s])) {
      const uint32_t align = channel_align(l);
      for (uint32_t k = 2; k <= l.out.c && parts.empty(); ++k) {
        const uint32_t each = ((l.out.c + k - 1) / k + align - 1) / align * align;
        if (fits_lean(slice_out_channels(l, 0, each), bits[s])) {
          for (uint32_t lo = 0; lo < l.out.c; lo += each)
            parts.push_back(std::min(each, l.out.c - lo));
        }
      }
    }
    if (parts.size() <= 1) {
      add(l, s, 0, l.out.c, false);
      continue;
    }
    uint32_t lo = 0;
    for (uint32_t c : parts) {
      add(l, s, lo, lo + c, true);
      lo += c;
    }
  }
  return u;
}

}  // namespace detail

using detail::assemble;
using detail::assemble_resident;
using detail::Batching;
using detail::overage;
using detail::plan_dapp;
using detail::Units;

PlanMode parse_plan_mode(const std::string &name) {
  for (PlanMode m : {PlanMode::kStatic, PlanMode::kDasp, PlanMode::kDapp, PlanMode::kBatchCached,
                     PlanMode::kSdci, PlanMode::kAuto}) {
    if (name == plan_mode_name(m)) return m;
  }
  fail(EINVAL, "unknown mode '", name, "' (static, dasp, dapp, batch-cached, sdci or auto)");
}

const char *plan_mode_name(PlanMode m) {
  switch (m) {
    case PlanMode::kStatic:
      return "static";
    case PlanMode::kDasp:
      return "dasp";
    case PlanMode::kDapp:
      return "dapp";
    case PlanMode::kBatchCached:
      return "batch-cached";
    case PlanMode::kSdci:
      return "sdci";
    default:
      return "auto";
  }
}

Plan make_plan(const QModel &q, const PlanOptions &opts, const PlanTarget &t) {
  if (t.budget.dsp == 0 || t.budget.bram18 == 0) {
    fail(EINVAL, "a budget of zero (", t.budget.dsp, " DSP, ", t.budget.bram18,
         " BRAM18) holds no IP");
  }
  if (opts.batch == 0) fail(EINVAL, "a batch of zero images");
  const Batching bt{opts.batch, opts.cache_batch ? opts.cache_batch : opts.batch};
  if (q.layers.empty()) fail(EINVAL, "the model has no layers");
  std::set<std::string> streamed;
  for (const std::string &name : opts.stream) {
    const auto it = std::find_if(q.layers.begin(), q.layers.end(),
                                 [&](const QLayer &l) { return l.name == name; });
    if (it == q.layers.end()) fail(EINVAL, "--stream: unknown layer '", name, "'");
    if (it->weights.empty()) fail(EINVAL, "--stream: layer ", name, " has no weights");
    streamed.insert(name);
  }
  if (opts.library && opts.mode != PlanMode::kSdci)
    fail(EINVAL, "an IP library's IPs are swapped in: it is for sdci plans, not ",
         plan_mode_name(opts.mode));
  if (!streamed.empty() && opts.mode != PlanMode::kDapp && opts.mode != PlanMode::kAuto) {
    fail(EINVAL, "--stream chooses layers for dapp, not for ", plan_mode_name(opts.mode));
  }
  // The layers as IPs: split as asked, and for the modes that keep weights on chip, wherever
  // a layer's weights fit no region. A layer no region holds even streaming is an error.
  const Units u = detail::make_units(q, opts.split, opts.split_in, t, bt, false);
  const Units on_chip = detail::make_units(q, opts.split, opts.split_in, t, bt, true);
  const Plan lean = assemble(u, PlanMode::kDasp, {}, t, bt, {0, u.q->layers.size()}, 1.0);
  for (const PlannedLayer &p : lean.layers) {
    if (!emu::fits(p.use, t.region_max)) {
      const emu::Resources &m = t.region_max;
      fail(EFBIG, "layer ", p.layer->name, " needs ", p.use.dsp, " DSP, ", p.use.bram18,
           " BRAM18, ", p.use.lut, " LUT and ", p.use.ff, " FF even streaming its weights",
           p.split ? " and split" : "", "; no region has more than ", m.dsp, " DSP, ", m.bram18,
           " BRAM18, ", m.lut, " LUT and ", m.ff, " FF");
    }
  }
  std::vector<Plan> candidates;
  if (!streamed.empty()) {
    candidates.push_back(assemble_resident(u, PlanMode::kDapp, streamed, t, bt));
  } else if (opts.mode == PlanMode::kSdci) {
    candidates.push_back(detail::plan_sdci(on_chip, t, bt, opts));
  } else if (opts.mode == PlanMode::kDapp) {
    candidates.push_back(plan_dapp(u, t, bt));
  } else if (opts.mode != PlanMode::kAuto) {
    candidates.push_back(
        assemble_resident(opts.mode == PlanMode::kDasp ? u : on_chip, opts.mode, {}, t, bt));
  } else {
    for (PlanMode m : {PlanMode::kStatic, PlanMode::kBatchCached})
      candidates.push_back(assemble_resident(on_chip, m, {}, t, bt));
    candidates.push_back(assemble_resident(u, PlanMode::kDasp, {}, t, bt));
    candidates.push_back(plan_dapp(u, t, bt));
  }
  const Plan *best = nullptr;
  // The fastest that fits; of equally fast plans, the one that moves fewer bytes.
  const auto better = [](const Plan &a, const Plan &b) {
    if (a.ns_per_image() != b.ns_per_image()) return a.ns_per_image() < b.ns_per_image();
    return a.weight_bytes_per_image + a.act_bytes_per_image <
           b.weight_bytes_per_image + b.act_bytes_per_image;
  };
  for (const Plan &p : candidates) {
    if (overage(p).empty() && (!best || better(p, *best))) best = &p;
  }
  if (!best) fail(ENOSPC, overage(candidates.back()));  // the leanest candidate
  return *best;
}

std::string unit_name(const PlannedLayer &p) {
  if (p.layer->acc_in || p.layer->acc_out)
    return p.layer->name + "(in " + std::to_string(p.in_lo) + ":" + std::to_string(p.in_hi) + ")";
  if (!p.split) return p.layer->name;
  return p.layer->name + "[" + std::to_string(p.out_lo) + ":" + std::to_string(p.out_hi) + "]";
}

}  // namespace zaccel
