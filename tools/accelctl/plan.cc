// accelctl plan: where each layer keeps its weights (embedded, streamed, batch-cached), what
// that costs against the device's budget, and the DDR traffic and cycles per image.
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

struct PlanArgs {
  ModelArgs m;
  std::string device = "emu:pynq-z2";
  PlanChoice choice;
  unsigned batch = 1;
};

const char *mode_name(uint32_t weight_mode) {
  switch (weight_mode) {
    case DRM_ZACCEL_WEIGHTS_EMBEDDED:
      return "embedded";
    case DRM_ZACCEL_WEIGHTS_STREAMED:
      return "streamed";
    case DRM_ZACCEL_WEIGHTS_BATCH_CACHED:
      return "batch-cached";
    default:
      return "-";
  }
}

void plan(const PlanArgs &a, const Global &g) {
  Loaded l = load(a.m);
  Device dev = open_device(l.ctx.get(), a.device);
  const Plan p = a.choice.make(l.q.get(), dev.get(), a.batch);
  auto s = sized<accel_plan_summary>();
  check(accel_plan_get_summary(p.get(), &s), "plan");
  const double us = s.ns_per_image / 1e3;

  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  if (!g.json) {
    std::printf("mode %s, batch %u, on %s\n", s.mode, s.batch, accel_device_name(dev.get()));
    std::printf("%-16s %-12s %4s %5s %5s %6s %6s %6s %12s %12s %10s\n", "layer", "weights", "at",
                "lanes", "DSP", "BRAM18", "LUT", "FF", "DDR B/image", "cycles/image", "DMA cyc");
  }
  std::map<std::string, uint32_t> in_channels;  // per layer: a cascade's parts have fewer
  for (uint32_t i = 0; i < s.layers; ++i) {
    auto pl = sized<accel_plan_layer>();
    check(accel_plan_get_layer(p.get(), i, &pl), "plan");
    in_channels[pl.name] = std::max(in_channels[pl.name], pl.in_hi);
  }
  for (uint32_t i = 0; i < s.layers; ++i) {
    auto pl = sized<accel_plan_layer>();
    check(accel_plan_get_layer(p.get(), i, &pl), "plan");
    const uint64_t ddr = pl.weight_bytes_per_image + pl.act_bytes_per_image;
    std::string name = pl.split ? std::string(pl.name) + "[" + std::to_string(pl.out_lo) + ":" +
                                      std::to_string(pl.out_hi) + "]"
                                : pl.name;
    if (pl.in_hi - pl.in_lo < in_channels[pl.name])
      name += "(in " + std::to_string(pl.in_lo) + ":" + std::to_string(pl.in_hi) + ")";
    if (g.json) {
      layers.push_back({{"layer", pl.name},
                        {"out_channels", {pl.out_lo, pl.out_hi}},
                        {"in_channels", {pl.in_lo, pl.in_hi}},
                        {"split", pl.split != 0},
                        {"weights", mode_name(pl.weight_mode)},
                        {"region", pl.region},
                        {"slot", pl.slot},
                        {"lanes", pl.lanes},
                        {"dsp", pl.dsp},
                        {"bram18", pl.bram18},
                        {"lut", pl.lut},
                        {"ff", pl.ff},
                        {"weight_bytes_per_image", pl.weight_bytes_per_image},
                        {"act_bytes_per_image", pl.act_bytes_per_image},
                        {"cycles_per_image", pl.cycles_per_image},
                        {"dma_cycles_per_image", pl.dma_cycles_per_image}});
    } else {
      const std::string at = std::to_string(pl.region) + "." + std::to_string(pl.slot);
      std::printf("%-16s %-12s %4s %5u %5u %6u %6u %6u %12llu %12llu %10llu\n", name.c_str(),
                  mode_name(pl.weight_mode), at.c_str(), pl.lanes, pl.dsp, pl.bram18, pl.lut, pl.ff,
                  static_cast<unsigned long long>(ddr),
                  static_cast<unsigned long long>(pl.cycles_per_image),
                  static_cast<unsigned long long>(pl.dma_cycles_per_image));
    }
  }
  if (g.json) {
    const nlohmann::ordered_json doc = {
        {"device", accel_device_name(dev.get())},
        {"mode", s.mode},
        {"batch", s.batch},
        {"layers", layers},
        {"total", {{"dsp", s.dsp}, {"bram18", s.bram18}, {"lut", s.lut}, {"ff", s.ff}}},
        {"budget",
         {{"dsp", s.budget_dsp},
          {"bram18", s.budget_bram18},
          {"lut", s.budget_lut},
          {"ff", s.budget_ff}}},
        {"weight_bytes_per_image", s.weight_bytes_per_image},
        {"act_bytes_per_image", s.act_bytes_per_image},
        {"cycles_per_image", s.cycles_per_image},
        {"compute_us_per_image", s.compute_ns_per_image / 1e3},
        {"dma_us_per_image", s.dma_ns_per_image / 1e3},
        {"estimate_us_per_image", us}};
    std::printf("%s\n", doc.dump(g.pretty ? 2 : -1).c_str());
    return;
  }
  std::printf("%-16s %-12s %4s %5s %5u %6u %6u %6u %12llu %12llu\n", "total", "", "", "", s.dsp,
              s.bram18, s.lut, s.ff,
              static_cast<unsigned long long>(s.weight_bytes_per_image + s.act_bytes_per_image),
              static_cast<unsigned long long>(s.cycles_per_image));
  std::printf("%-16s %-12s %4s %5s %5u %6u %6u %6u\n", "budget", "", "", "", s.budget_dsp,
              s.budget_bram18, s.budget_lut, s.budget_ff);
  std::printf(
      "estimate: %.2f us/image on the critical path (sums over the layers: compute %.2f, "
      "DDR %.2f)\n",
      us, s.compute_ns_per_image / 1e3, s.dma_ns_per_image / 1e3);
}

}  // namespace

void add_plan(CLI::App &app, const Global &global) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App *cmd = app.add_subcommand(
      "plan", "choose per layer where weights live (static, dasp, dapp, batch-cached, auto)");
  args->m.add_options(cmd);
  cmd->add_option("--device", args->device, "whose budget and rates to plan for")
      ->capture_default_str();
  args->choice.add_options(cmd);
  args->choice.add_lib_options(cmd);
  cmd->add_option("--batch", args->batch, "images per job")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->callback(guarded([args, &global] { plan(*args, global); }));
}

}  // namespace accelctl
