// accelctl run: the quantized model run layer by layer as jobs on a device (IPs loaded by
// RECONFIG, weights embedded in them), with accuracy, modelled latency and where the device's
// time went; optionally checked against the reference kernels, traced for Perfetto, and every
// image's outputs written out for comparing runs bit for bit.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"
#include "loader.h"
#include "printer.h"

namespace accelctl {
namespace {

struct RunArgs {
  ModelArgs m;
  std::string device;
  PlanChoice plan;
  unsigned batch = 64, job_images = 8;
  unsigned repeat = 1;
  std::string trace;
  std::string dump;
  bool check = false;
};

// One line per image: its index, the class it is given, its output codes, then its logits as
// C99 hex floats (exact). The same codes and logits give the same bytes on any host, so two runs
// (x86-64 and armhf, two modes) compare with cmp.
void write_dump(const std::string &path, const Loaded &l, const SessionRun &r) {
  std::FILE *f = std::fopen(path.c_str(), "w");
  if (!f) {
    std::fprintf(stderr, "accelctl: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
    throw Failure{1};
  }
  for (uint32_t i = 0; i < l.n; ++i) {
    const int16_t *codes = r.codes.data() + size_t{i} * l.out_size;
    const float *logits = r.logits.data() + size_t{i} * l.out_size;
    const long best = std::max_element(logits, logits + l.out_size) - logits;
    std::fprintf(f, "%u %ld", static_cast<unsigned>(i), best);
    for (size_t j = 0; j < l.out_size; ++j)
      std::fprintf(f, " %d", codes[j]);
    for (size_t j = 0; j < l.out_size; ++j)
      std::fprintf(f, " %a", static_cast<double>(logits[j]));
    std::fputc('\n', f);
  }
  const bool failed = std::ferror(f) != 0;
  if (std::fclose(f) != 0 || failed) {
    std::fprintf(stderr, "accelctl: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
    throw Failure{1};
  }
}

void run(const RunArgs &a, const Global &g) {
  Loaded l = load(a.m);
  Device dev = open_device(l.ctx.get(), a.device);
  const Plan plan = a.plan.make(l.q.get(), dev.get(), std::min(a.job_images, a.batch), a.batch);
  auto ps = sized<accel_plan_summary>();
  check(accel_plan_get_summary(plan.get(), &ps), "plan");
  std::vector<int16_t> ref;
  if (a.check) {
    ref.resize(size_t{l.n} * l.out_size);
    check(accel_qmodel_run(l.q.get(), l.inputs.data(), l.n, ref.data(), nullptr), "reference path");
  }
  const SessionRun r =
      run_session(l, dev.get(), plan.get(), a.batch, a.trace, a.repeat, a.check ? &ref : nullptr);
  const accel_run_stats &st = r.stats;
  const double seconds = r.seconds;
  const long long mismatches = r.mismatches;
  const double images = double(l.n) * a.repeat;
  if (!a.dump.empty()) write_dump(a.dump, l, r);

  const double busy = double(st.pr_ns + st.dma_ns + st.compute_ns);
  const auto share = [&](uint64_t v) { return busy > 0 ? 100.0 * double(v) / busy : 0.0; };
  Printer p(g.json, g.pretty);
  p.str("device", "device", accel_device_name(dev.get()));
  p.str("model", "model", a.m.model);
  p.str("mode", "weight mode", ps.mode);
  p.integer("dsp", "DSP", ps.dsp);
  p.integer("bram18", "BRAM18", ps.bram18);
  p.integer("images", "images", static_cast<long long>(l.n) * a.repeat);
  p.integer("batch", "batch", a.batch);
  p.integer("job_images", "images per job", ps.batch);
  p.integer("wbits", "weight bits", a.m.wbits);
  p.integer("abits", "activation bits", a.m.abits);
  p.real("accuracy", "accuracy", 100.0 * l.correct(r.logits.data(), 0, l.n) / l.n, 2, " %");
  if (mismatches >= 0) {
    p.integer("reference_mismatches", "codes unlike reference", mismatches);
  }
  p.real("modeled_us_per_image", "modeled latency", double(st.elapsed_ns) / 1e3 / images, 2,
         " us/image");
  p.real("modeled_total_ms", "modeled total", double(st.elapsed_ns) / 1e6, 3, " ms");
  p.real("pr_ms", "PR busy", double(st.pr_ns) / 1e6, 3, " ms");
  p.real("dma_ms", "DMA busy", double(st.dma_ns) / 1e6, 3, " ms");
  p.real("compute_ms", "compute busy", double(st.compute_ns) / 1e6, 3, " ms");
  p.real("pr_percent", "PR share", share(st.pr_ns), 1, " %");
  p.real("dma_percent", "DMA share", share(st.dma_ns), 1, " %");
  p.real("compute_percent", "compute share", share(st.compute_ns), 1, " %");
  p.integer("reconfigs", "reconfigurations", static_cast<long long>(st.reconfigs));
  p.integer("jobs", "jobs", static_cast<long long>(st.jobs));
  p.real("host_images_per_s", "host throughput", images / seconds, 0, " images/s");
  if (mismatches > 0) {
    std::fprintf(stderr, "accelctl: %lld output codes differ from the reference path\n",
                 mismatches);
    throw Failure{1};
  }
}

}  // namespace

void add_run(CLI::App &app, const Global &global) {
  auto args = std::make_shared<RunArgs>();
  CLI::App *cmd = app.add_subcommand(
      "run", "run the quantized model as jobs on a device: accuracy and modeled timing");
  args->m.add_options(cmd);
  cmd->add_option("--device", args->device,
                  "emu:BOARD, emu:FILE.dtbo or /dev/accel/accelN (default: the first zaccel "
                  "node, else emu:pynq-z2)");
  args->plan.add_options(cmd);
  args->plan.add_lib_options(cmd);
  cmd->add_option("--batch", args->batch, "images per job")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--job-images", args->job_images,
                  "images per job: the jobs of one batch pipeline across the slots")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--repeat", args->repeat,
                  "run the test images this many times over one session (a soak test)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--trace", args->trace,
                  "write Chrome trace-event JSON (Perfetto) of the latest 65536 spans here");
  cmd->add_option("--dump", args->dump,
                  "write each image's output codes and logits (hex floats, exact) here, one line "
                  "per image, to compare runs byte for byte");
  cmd->add_flag("--check", args->check,
                "compare every output code with the reference kernels; fail on any difference");
  cmd->callback(guarded([args, &global] { run(*args, global); }));
}

}  // namespace accelctl
