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
#include "printer.h"

namespace accelctl {
namespace {

struct EvalArgs {
  std::string model = ZACCEL_DEFAULT_MODEL;
  std::string data = ZACCEL_DEFAULT_DATA;
  unsigned wbits = 16, abits = 16;
  unsigned batch = 64, threads = 1;
  unsigned calib = 1000;
  unsigned limit = 0;
  std::vector<std::string> layer_bits;  // NAME=W:A
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

struct Failure {
  int code;
};

void check(int err, const char *what) {
  if (err < 0) {
    std::fprintf(stderr, "accelctl: %s: %s\n", what, std::strerror(-err));
    throw Failure{1};
  }
}

void eval(const EvalArgs &a, const Global &g) {
  accel_ctx *raw_ctx = nullptr;
  check(accel_ctx_new(&raw_ctx), "cannot create a context");
  Ctx ctx(raw_ctx);

  accel_model *raw_model = nullptr;
  check(accel_model_open_onnx(ctx.get(), a.model.c_str(), &raw_model), "cannot load the model");
  Model model(raw_model);
  accel_dataset *raw_test = nullptr, *raw_train = nullptr;
  check(accel_dataset_open_dir(ctx.get(), a.data.c_str(), "t10k", &raw_test),
        "cannot load the test set");
  Dataset test(raw_test);
  check(accel_dataset_open_dir(ctx.get(), a.data.c_str(), "train", &raw_train),
        "cannot load the calibration (training) set");
  Dataset train(raw_train);

  uint32_t dims[3];
  check(accel_model_input_dims(model.get(), dims), "model");
  if (dims[0] != 1 || dims[1] != accel_dataset_rows(test.get()) ||
      dims[2] != accel_dataset_cols(test.get())) {
    std::fprintf(stderr, "accelctl: the model takes %ux%ux%u inputs, the data is 1x%ux%u\n",
                 dims[0], dims[1], dims[2], accel_dataset_rows(test.get()),
                 accel_dataset_cols(test.get()));
    throw Failure{1};
  }
  const int out_size = accel_model_output_size(model.get());
  check(out_size, "model");
  const size_t in_size = size_t{dims[1]} * dims[2];
  uint32_t n = accel_dataset_count(test.get());
  if (a.limit) n = std::min(n, a.limit);
  std::vector<float> inputs(n * in_size);
  check(accel_dataset_get_input(test.get(), 0, n, inputs.data()), "test set");

  accel_quant_opts *raw_opts = nullptr;
  check(accel_quant_opts_new(&raw_opts), "quantization options");
  QuantOpts opts(raw_opts);
  check(accel_quant_opts_set_bits(opts.get(), a.wbits, a.abits), "bit widths");
  for (const std::string &spec : a.layer_bits) {
    const auto eq = spec.find('='), colon = spec.find(':');
    unsigned w = 0, b = 0;
    if (eq == std::string::npos || colon == std::string::npos || colon < eq ||
        std::sscanf(spec.c_str() + eq + 1, "%u:%u", &w, &b) != 2) {
      std::fprintf(stderr, "accelctl: --layer-bits '%s': expected NAME=WBITS:ABITS\n",
                   spec.c_str());
      throw Failure{2};
    }
    check(accel_quant_opts_set_layer_bits(opts.get(), spec.substr(0, eq).c_str(), w, b),
          ("--layer-bits " + spec).c_str());
  }
  check(accel_quant_opts_set_calibration(opts.get(), train.get(),
                                         std::min(a.calib, accel_dataset_count(train.get()))),
        "calibration");
  accel_qmodel *raw_q = nullptr;
  check(accel_model_quantize(model.get(), opts.get(), &raw_q), "cannot quantize the model");
  QModel q(raw_q);

  const auto fl = run_path(inputs, test.get(), n, in_size, size_t(out_size), a,
                           [&](const float *in, uint32_t cnt, float *logits) {
                             return accel_model_run_float(model.get(), in, cnt, logits);
                           });
  check(fl.err, "float inference");
  const auto fx = run_path(inputs, test.get(), n, in_size, size_t(out_size), a,
                           [&](const float *in, uint32_t cnt, float *logits) {
                             thread_local std::vector<int16_t> codes;  // one per worker
                             codes.resize(size_t{cnt} * size_t(out_size));
                             return accel_qmodel_run(q.get(), in, cnt, codes.data(), logits);
                           });
  check(fx.err, "fixed-point inference");

  const double facc = 100.0 * fl.correct / n, qacc = 100.0 * fx.correct / n;
  Printer p(g.json, g.pretty);
  p.str("model", "model", a.model);
  p.str("data", "data", a.data);
  p.integer("images", "images", n);
  p.integer("wbits", "weight bits", a.wbits);
  p.integer("abits", "activation bits", a.abits);
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
  cmd->add_option("--model", args->model, "ONNX model")->capture_default_str();
  cmd->add_option("--data", args->data, "directory of MNIST-format IDX files")
      ->capture_default_str();
  cmd->add_option("--wbits", args->wbits, "weight bits")
      ->check(CLI::Range(2, 16))
      ->capture_default_str();
  cmd->add_option("--abits", args->abits, "activation bits")
      ->check(CLI::Range(2, 16))
      ->capture_default_str();
  cmd->add_option("--batch", args->batch, "images per inference call")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "host threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--calib", args->calib, "calibration images from the training set")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--layer-bits", args->layer_bits,
                  "bit widths of one conv or fc layer, NAME=WBITS:ABITS (repeatable)");
  cmd->add_option("--limit", args->limit, "evaluate only the first N test images (0: all)");
  cmd->callback([args, &global] {
    try {
      eval(*args, global);
    } catch (const Failure &f) {
      std::exit(f.code);
    }
  });
}

}  // namespace accelctl
