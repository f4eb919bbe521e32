// accelctl eval: runs a test set through the float path and the bit-exact fixed-point path,
// and prints both accuracies and throughputs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "handles.h"
#include "loader.h"
#include "printer.h"

namespace accelctl {
namespace {

struct EvalArgs {
  ModelArgs m;
  unsigned batch = 64, threads = 1;
  std::string device;  // empty: the reference kernels; else run the fixed path as jobs there
};

struct PathResult {
  int err = 0;
  uint32_t correct = 0;
  double seconds = 0;
};

// Runs one path over `n` images in batches, shards split over threads. `run` fills logits for
// a batch and returns 0 or -errno.
template <typename Run>
PathResult run_path(const std::vector<float> &inputs, const accel_dataset *ds, uint32_t n,
                    size_t in_size, size_t out_size, const EvalArgs &a, Run run) {
  PathResult res;
  const unsigned threads = std::max(1u, std::min(a.threads, n));
  std::vector<uint32_t> correct(threads, 0);
  std::vector<int> errs(threads, 0);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const uint32_t first = static_cast<uint32_t>(uint64_t{n} * t / threads);
      const uint32_t last = static_cast<uint32_t>(uint64_t{n} * (t + 1) / threads);
      std::vector<float> logits(size_t{a.batch} * out_size);
      for (uint32_t i = first; i < last && !errs[t]; i += a.batch) {
        const uint32_t cnt = std::min(a.batch, last - i);
        errs[t] = run(inputs.data() + i * in_size, cnt, logits.data());
        for (uint32_t j = 0; j < cnt && !errs[t]; ++j) {
          const float *row = logits.data() + j * out_size;
          const auto best = std::max_element(row, row + out_size) - row;
          correct[t] += best == accel_dataset_label(ds, i + j);
        }
      }
    });
  }
  for (auto &th : pool)
    th.join();
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (unsigned t = 0; t < threads; ++t) {
    res.correct += correct[t];
    if (errs[t]) res.err = errs[t];
  }
  return res;
}

void eval(const EvalArgs &a, const Global &g) {
  Loaded l = load(a.m);
  const uint32_t n = l.n;
  const size_t in_size = l.in_size, out_size = l.out_size;
  Device dev;
  Session session;
  if (!a.device.empty()) {
    dev = open_device(l.ctx.get(), a.device);
    session = new_session(l.ctx.get(), dev.get(), l.q.get(), nullptr, a.batch);
  }
  const auto fl = run_path(l.inputs, l.test.get(), n, in_size, out_size, a,
                           [&](const float *in, uint32_t cnt, float *logits) {
                             return accel_model_run_float(l.model.get(), in, cnt, logits);
                           });
  check(fl.err, "float inference");
  const auto fx =
      run_path(l.inputs, l.test.get(), n, in_size, out_size, a,
               [&](const float *in, uint32_t cnt, float *logits) {
                 thread_local std::vector<int16_t> codes;  // one per worker
                 codes.resize(size_t{cnt} * out_size);
                 if (session) {
                   return accel_session_run(session.get(), in, cnt, codes.data(), logits);
                 }
                 return accel_qmodel_run(l.q.get(), in, cnt, codes.data(), logits);
               });
  check(fx.err, "fixed-point inference");

  const double facc = 100.0 * fl.correct / n, qacc = 100.0 * fx.correct / n;
  Printer p(g.json, g.pretty);
  p.str("model", "model", a.m.model);
  p.str("data", "data", a.m.data);
  p.str("fixed_path", "fixed-point path", dev ? accel_device_name(dev.get()) : "reference");
  p.integer("images", "images", n);
  p.integer("wbits", "weight bits", a.m.wbits);
  p.integer("abits", "activation bits", a.m.abits);
  p.integer("batch", "batch", a.batch);
  p.integer("threads", "threads", std::max(1u, std::min(a.threads, n)));
  p.real("float_accuracy", "float accuracy", facc, 2, " %");
  p.real("fixed_accuracy", "fixed-point accuracy", qacc, 2, " %");
  p.real("accuracy_delta", "fixed - float", qacc - facc, 2, " points");
  p.real("float_images_per_s", "float throughput", n / fl.seconds, 0, " images/s");
  p.real("fixed_images_per_s", "fixed throughput", n / fx.seconds, 0, " images/s");
}

}  // namespace

void add_eval(CLI::App &app, const Global &global) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App *cmd = app.add_subcommand(
      "eval", "accuracy and throughput of the float and bit-exact fixed-point paths");
  args->m.add_options(cmd);
  cmd->add_option("--batch", args->batch, "images per inference call")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "host threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--device", args->device,
                  "run the fixed-point path as jobs on this device (emu:BOARD, emu:FILE.dtbo, "
                  "/dev/accel/accelN)");
  cmd->callback(guarded([args, &global] { eval(*args, global); }));
}

}  // namespace accelctl
