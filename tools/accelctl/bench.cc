// accelctl bench modes: the seed paper's Table I beside ours, one run, every weight mode at
// batch 1 and batch 64: accuracy, DSP and BRAM, modeled time per image and for the whole test
// set, the bound each mode hits (DMA, compute or PCAP) and how close it gets.
#include <zaccel_drm.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "loader.h"

namespace accelctl {
namespace {

struct BenchArgs {
  ModelArgs m;
  std::string device = "emu:pynq-z2";
  long long bram = -1;  ///< DAPP's budget: the paper streams its large layers
};

/// The seed paper's Table I (PYNQ-Z2, LeNet-5 on MNIST); its times are for the 10,000-image
/// validation set, read here as seconds for 10,000 images.
struct PaperColumn {
  double accuracy, dsp, bram36, seconds;
};
const std::map<std::string, PaperColumn> kPaper = {{"dasp", {92, 69, 28.5, 9.17}},
                                                   {"dapp", {86, 59, 27, 6.78}}};

struct Bounds {
  double dma_us = 0, compute_us = 0, pcap_us = 0;
  const char *name() const {
    if (dma_us >= compute_us && dma_us >= pcap_us) return "DMA";
    return compute_us >= pcap_us ? "compute" : "PCAP";
  }
  double us() const { return std::max({dma_us, compute_us, pcap_us}); }
};

/// What the fabric cannot beat for this plan: DDR's bytes and each region's through its HP
/// ports, the busiest slot's compute (a session keeps several batches in flight, so the slots
/// pipeline), and the partials through the PCAP amortized over the run.
Bounds bounds_of(accel_device *dev, const accel_plan *plan, uint32_t images) {
  const auto param = [&](uint32_t p, uint32_t index = 0) {
    uint64_t v = 0;
    check(accel_device_param(dev, p, index, &v), "GET_PARAM");
    return double(v);
  };
  auto s = sized<accel_plan_summary>();
  check(accel_plan_get_summary(plan, &s), "plan");
  std::map<uint32_t, double> hp_bytes;
  double ddr_bytes = 0, cycles_max = 0, regions = 0;
  for (uint32_t i = 0; i < s.layers; ++i) {
    auto pl = sized<accel_plan_layer>();
    check(accel_plan_get_layer(plan, i, &pl), "plan");
    const double bytes = double(pl.weight_bytes_per_image + pl.act_bytes_per_image);
    hp_bytes[pl.region] += bytes;
    ddr_bytes += bytes;
    cycles_max = std::max(cycles_max, double(pl.cycles_per_image));
    regions = std::max(regions, double(pl.region) + 1);
  }
  Bounds b;
  const double hp = param(DRM_ZACCEL_PARAM_HP_BYTES_PER_S);
  b.dma_us = 1e6 * ddr_bytes / param(DRM_ZACCEL_PARAM_DDR_BYTES_PER_S);
  for (const auto &[region, bytes] : hp_bytes) {
    b.dma_us =
        std::max(b.dma_us, 1e6 * bytes / (hp * param(DRM_ZACCEL_PARAM_REGION_HP_PORTS, region)));
  }
  b.compute_us = 1e6 * cycles_max / param(DRM_ZACCEL_PARAM_PL_CLOCK_HZ);
  b.pcap_us = 1e6 * regions * param(DRM_ZACCEL_PARAM_REGION_PARTIAL_SIZE, 0) /
              param(DRM_ZACCEL_PARAM_PCAP_BYTES_PER_S) / images;
  return b;
}

/// Host images/s of DASP over static at batch 64: the two run in turn, best of kTurns each,
/// so that both see the same machine.
double host_dasp_over_static(const Loaded &l, accel_device *dev) {
  constexpr int kTurns = 3;
  double best[2] = {0, 0};
  const char *modes[2] = {"static", "dasp"};
  for (int turn = 0; turn < kTurns; ++turn) {
    for (int m = 0; m < 2; ++m) {
      PlanChoice choice;
      choice.mode = modes[m];
      const Plan plan = choice.make(l.q.get(), dev, 8, 64);
      best[m] = std::max(best[m], l.n / run_session(l, dev, plan.get(), 64).seconds);
    }
  }
  return best[1] / best[0];
}

void bench_modes(const BenchArgs &a, const Global &g) {
  Loaded l = load(a.m);
  Device dev = open_device(l.ctx.get(), a.device);
  struct Config {
    unsigned batch, job_images;
  };
  const Config configs[] = {{1, 1}, {64, 8}};
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  if (!g.json) {
    std::printf("%-13s %5s %6s %7s %5s %7s %9s %9s %8s %-8s %6s\n", "mode", "batch", "acc%", "DSP",
                "BRAM36", "us/img", "s/10k", "paper s", "speedup", "bound", "x bound");
  }
  for (const char *mode : {"static", "dasp", "dapp", "batch-cached"}) {
    for (const Config &c : configs) {
      PlanChoice choice;
      choice.mode = mode;
      if (std::string(mode) == "dapp") choice.bram = a.bram;
      const Plan plan = choice.make(l.q.get(), dev.get(), c.job_images, c.batch);
      auto s = sized<accel_plan_summary>();
      check(accel_plan_get_summary(plan.get(), &s), "plan");
      const SessionRun r = run_session(l, dev.get(), plan.get(), c.batch);
      const double acc = 100.0 * l.correct(r.logits.data(), 0, l.n) / l.n;
      const double us = double(r.stats.elapsed_ns) / 1e3 / l.n;
      const Bounds b = bounds_of(dev.get(), plan.get(), l.n);
      const auto paper = kPaper.find(mode);
      const double paper_us = paper == kPaper.end() ? 0 : paper->second.seconds * 1e6 / 10000;
      nlohmann::ordered_json row = {{"mode", mode},
                                    {"batch", c.batch},
                                    {"job_images", c.job_images},
                                    {"accuracy", acc},
                                    {"dsp", s.dsp},
                                    {"bram36", s.bram18 / 2.0},
                                    {"us_per_image", us},
                                    {"seconds_per_10k", us * 1e4 / 1e6},
                                    {"bound", b.name()},
                                    {"bound_us_per_image", b.us()},
                                    {"dma_bound_us", b.dma_us},
                                    {"compute_bound_us", b.compute_us},
                                    {"pcap_bound_us", b.pcap_us},
                                    {"times_bound", us / b.us()},
                                    {"host_images_per_s", l.n / r.seconds}};
      if (paper != kPaper.end()) {
        row["paper"] = {{"accuracy", paper->second.accuracy},
                        {"dsp", paper->second.dsp},
                        {"bram36", paper->second.bram36},
                        {"seconds", paper->second.seconds}};
        row["speedup_vs_paper"] = paper_us / us;
      }
      if (!g.json) {
        char paper_s[16] = "-", speedup[16] = "-";
        if (paper != kPaper.end()) {
          std::snprintf(paper_s, sizeof(paper_s), "%.2f", paper->second.seconds);
          std::snprintf(speedup, sizeof(speedup), "%.1fx", paper_us / us);
        }
        std::printf("%-13s %5u %6.2f %7u %6.1f %7.1f %9.3f %9s %8s %-8s %6.2f\n", mode, c.batch,
                    acc, s.dsp, s.bram18 / 2.0, us, us * 1e4 / 1e6, paper_s, speedup, b.name(),
                    us / b.us());
      }
      rows.push_back(std::move(row));
    }
  }
  const double ratio = host_dasp_over_static(l, dev.get());
  if (g.json) {
    std::printf("%s\n", nlohmann::ordered_json{{"device", accel_device_name(dev.get())},
                                               {"images", l.n},
                                               {"rows", rows},
                                               {"host_dasp_over_static", ratio}}
                            .dump(g.pretty ? 2 : -1)
                            .c_str());
    return;
  }
  std::printf(
      "paper: Table I of the seed paper, times for 10,000 images; ours: modeled on %s, "
      "%u images; batch 64 runs as jobs of 8\n",
      accel_device_name(dev.get()), l.n);
  std::printf("host images/s at batch 64, DASP against static: %.2fx (in turn, best of 3 each)\n",
              ratio);
}

}  // namespace

void add_bench(CLI::App &app, const Global &global) {
  CLI::App *cmd = app.add_subcommand("bench", "benchmarks that compare side by side in one run");
  cmd->require_subcommand(1);
  auto args = std::make_shared<BenchArgs>();
  CLI::App *modes = cmd->add_subcommand(
      "modes", "static, DASP, DAPP and batch-cached beside the seed paper's Table I");
  args->m.add_options(modes);
  modes->add_option("--device", args->device, "where to run")->capture_default_str();
  modes->add_option("--dapp-bram", args->bram,
                    "BRAM18 budget for DAPP (default: the regions'; the paper's had to stream)");
  modes->callback(guarded([args, &global] { bench_modes(*args, global); }));
  add_bench_sdci(*cmd, global);
}

}  // namespace accelctl
