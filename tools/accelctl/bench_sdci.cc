// accelctl bench sdci: SDCI (each layer's IP swapped into a region by partial reconfiguration)
// beside the seed paper's SDCI figures and our DASP, in one run: modeled time per image at
// batch 1 and batch 64, the PR time, how much of it other regions' compute hid, and
// reconfigurations per image.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "loader.h"

namespace accelctl {
namespace {

struct SdciArgs {
  ModelArgs m;
  std::string device = "emu:pynq-z2";
  std::vector<unsigned> sweeps = {512, 1024, 2048};  ///< batch 64 rows, images per residency
  std::string trace;
  PlanChoice lib;  ///< --lib and its verification, for the SDCI rows
};

/// The seed paper's SDCI columns of Table I: seconds for the 10,000 test images.
struct PaperSdci {
  const char *name;
  double seconds;
};
constexpr PaperSdci kPaper[] = {{"paper IP1+IP3", 26.91}, {"paper IP2+IP3", 21.09}};

struct Row {
  std::string mode;
  unsigned batch, job_images, sweep;
};

void bench_sdci(const SdciArgs &a, const Global &g) {
  Loaded l = load(a.m);
  Device dev = open_device(l.ctx.get(), a.device);
  std::vector<Row> rows = {{"dasp", 1, 1, 0}, {"sdci", 1, 1, 0}, {"dasp", 64, 8, 0}};
  for (unsigned sweep : a.sweeps)
    rows.push_back({"sdci", 64, 8, sweep});
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  if (!g.json) {
    std::printf("%-14s %5s %6s %6s %4s %8s %8s %9s %9s %8s %8s %8s %9s\n", "mode", "batch", "sweep",
                "acc%", "DSP", "us/img", "s/10k", "vs paper", "vs DASP", "PR ms", "hidden%",
                "of able%", "PR/image");
    for (const PaperSdci &p : kPaper) {
      std::printf("%-14s %5s %6s %6s %4s %8.1f %8.2f\n", p.name, "-", "-", "-", "29",
                  p.seconds * 1e6 / 1e4, p.seconds);
    }
  }
  double dasp_us[2] = {0, 0};  // batch 1, batch 64
  for (const Row &r : rows) {
    PlanChoice choice;
    if (r.mode == "sdci") choice = a.lib;
    choice.mode = r.mode;
    choice.sweep = r.sweep;
    const Plan plan = choice.make(l.q.get(), dev.get(), r.job_images, r.batch);
    auto s = sized<accel_plan_summary>();
    check(accel_plan_get_summary(plan.get(), &s), "plan");
    const bool last = &r == &rows.back();
    const SessionRun run =
        run_session(l, dev.get(), plan.get(), r.batch, last ? a.trace : std::string());
    const double acc = 100.0 * l.correct(run.logits.data(), 0, l.n) / l.n;
    const double us = double(run.stats.elapsed_ns) / 1e3 / l.n;
    double &dasp = dasp_us[r.batch > 1];
    if (r.mode == "dasp") dasp = us;
    // Compute can hide no more PR time than there is compute.
    const double pr = double(run.stats.pr_ns), hidden = double(run.stats.pr_hidden_ns);
    const double able = std::min(pr, double(run.stats.compute_ns));
    nlohmann::ordered_json row = {{"mode", r.mode},
                                  {"batch", r.batch},
                                  {"job_images", r.job_images},
                                  {"sweep", s.sweep},
                                  {"accuracy", acc},
                                  {"dsp", s.dsp},
                                  {"us_per_image", us},
                                  {"seconds_per_10k", us * 1e4 / 1e6},
                                  {"speedup_vs_paper", kPaper[1].seconds * 1e6 / 1e4 / us},
                                  {"dasp_time_ratio", us / dasp},
                                  {"pr_ms", pr / 1e6},
                                  {"pr_hidden_fraction", pr > 0 ? hidden / pr : 0.0},
                                  {"pr_hideable_fraction", pr > 0 ? std::min(1.0, able / pr) : 0.0},
                                  {"hidden_of_hideable", able > 0 ? hidden / able : 0.0},
                                  {"reconfigs_per_image", double(run.stats.reconfigs) / l.n},
                                  {"pr_us_per_image", pr / 1e3 / l.n}};
    if (!g.json) {
      char sweep[16] = "-", hid[16] = "-", of[16] = "-";
      if (s.sweep) std::snprintf(sweep, sizeof(sweep), "%u", s.sweep);
      if (pr > 0) std::snprintf(hid, sizeof(hid), "%.1f", 100 * hidden / pr);
      if (able > 0) std::snprintf(of, sizeof(of), "%.1f", 100 * hidden / able);
      std::printf("%-14s %5u %6s %6.2f %4u %8.1f %8.3f %8.0fx %8.2fx %8.1f %8s %8s %9.1f\n",
                  r.mode.c_str(), r.batch, sweep, acc, s.dsp, us, us * 1e4 / 1e6,
                  kPaper[1].seconds * 1e6 / 1e4 / us, us / dasp, pr / 1e6, hid, of, pr / 1e3 / l.n);
    }
    out.push_back(std::move(row));
  }
  if (g.json) {
    nlohmann::ordered_json paper = nlohmann::ordered_json::array();
    for (const PaperSdci &p : kPaper)
      paper.push_back({{"name", p.name}, {"seconds", p.seconds}, {"dsp", 29}});
    std::printf("%s\n", nlohmann::ordered_json{{"device", accel_device_name(dev.get())},
                                               {"images", l.n},
                                               {"paper", paper},
                                               {"rows", out}}
                            .dump(g.pretty ? 2 : -1)
                            .c_str());
    return;
  }
  std::printf(
      "modeled on %s, %u images; batch 64 runs as jobs of 8; vs paper: the paper's faster SDCI "
      "(21.09 s) over ours; vs DASP: our time over DASP's at the same batch; hidden: PR time "
      "during which another region computed; of able: of what the compute could hide (no more "
      "than the compute time); PR/image in us\n",
      accel_device_name(dev.get()), l.n);
}

}  // namespace

void add_bench_sdci(CLI::App &bench, const Global &global) {
  auto args = std::make_shared<SdciArgs>();
  CLI::App *cmd = bench.add_subcommand(
      "sdci", "SDCI beside the seed paper's SDCI and our DASP: PR time, hidden, per image");
  args->m.add_options(cmd);
  cmd->add_option("--device", args->device, "where to run")->capture_default_str();
  cmd->add_option("--sweeps", args->sweeps, "images per IP residency of the batch-64 SDCI rows")
      ->capture_default_str();
  cmd->add_option("--trace", args->trace, "Chrome trace of the last row (Perfetto)");
  args->lib.add_lib_options(cmd);
  cmd->callback(guarded([args, &global] { bench_sdci(*args, global); }));
}

}  // namespace accelctl
