#include "loader.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace accelctl {

namespace {

std::mutex last_error_lock;  ///< protects last_error
std::string last_error;      ///< the library's latest error message, until check() prints it

void keep_error(void *, int priority, const char *msg) {
  if (priority > ACCEL_LOG_ERR) return;
  std::lock_guard<std::mutex> hold(last_error_lock);
  last_error = msg;
}

}  // namespace

void check(int err, const char *what, int status) {
  std::string why;
  {
    std::lock_guard<std::mutex> hold(last_error_lock);
    why.swap(last_error);
  }
  if (err >= 0) return;
  if (why.empty()) why = std::strerror(-err);
  std::fprintf(stderr, "accelctl: %s: %s\n", what, why.c_str());
  throw Failure{status};
}

Ctx new_context() {
  accel_ctx *raw = nullptr;
  check(accel_ctx_new(&raw), "cannot create a context");
  accel_ctx_set_log_fn(raw, keep_error, nullptr);
  return Ctx(raw);
}

std::string parse_layer_bits(const std::string &spec, LayerBits &out) {
  const std::string expected = "'" + spec + "': expected NAME=WBITS:ABITS, widths 2 to 16";
  const size_t eq = spec.find('='), colon = spec.find(':', eq == std::string::npos ? 0 : eq);
  if (eq == 0 || eq == std::string::npos || colon == std::string::npos) return expected;
  auto width = [&](size_t from, size_t to, unsigned &w) {
    const char *first = spec.data() + from, *last = spec.data() + to;
    const auto [end, ec] = std::from_chars(first, last, w);
    return ec == std::errc() && end == last && to > from && *first != '0' && w >= 2 && w <= 16;
  };
  if (!width(eq + 1, colon, out.wbits) || !width(colon + 1, spec.size(), out.abits))
    return expected;
  out.layer = spec.substr(0, eq);
  return {};
}

void ModelArgs::add_options(CLI::App *cmd) {
  cmd->add_option("--model", model, "ONNX model")->capture_default_str();
  cmd->add_option("--data", data, "directory of MNIST-format IDX files")->capture_default_str();
  cmd->add_option("--wbits", wbits, "weight bits")->check(CLI::Range(2, 16))->capture_default_str();
  cmd->add_option("--abits", abits, "activation bits")
      ->check(CLI::Range(2, 16))
      ->capture_default_str();
  cmd->add_option("--calib", calib, "calibration images from the training set")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--layer-bits", layer_bits,
                  "bit widths of one conv or fc layer, NAME=WBITS:ABITS (repeatable)")
      ->check(CLI::Validator(
          [](std::string &spec) {
            LayerBits b;
            return parse_layer_bits(spec, b);
          },
          "NAME=WBITS:ABITS"));
  cmd->add_option("--limit", limit, "use only the first N test images (0: all)");
}

uint32_t Loaded::correct(const float *logits, uint32_t first, uint32_t count) const {
  uint32_t ok = 0;
  for (uint32_t j = 0; j < count; ++j) {
    const float *row = logits + j * out_size;
    const auto best = std::max_element(row, row + out_size) - row;
    ok += best == accel_dataset_label(test.get(), first + j);
  }
  return ok;
}

Loaded load(const ModelArgs &a) {
  Loaded l;
  l.ctx = new_context();
  accel_model *raw_model = nullptr;
  check(accel_model_open_onnx(l.ctx.get(), a.model.c_str(), &raw_model), "cannot load the model");
  l.model.reset(raw_model);
  accel_dataset *raw_test = nullptr, *raw_train = nullptr;
  check(accel_dataset_open_dir(l.ctx.get(), a.data.c_str(), "t10k", &raw_test),
        "cannot load the test set");
  l.test.reset(raw_test);
  check(accel_dataset_open_dir(l.ctx.get(), a.data.c_str(), "train", &raw_train),
        "cannot load the calibration (training) set");
  l.train.reset(raw_train);

  uint32_t dims[3];
  check(accel_model_input_dims(l.model.get(), dims), "model");
  if (dims[0] != 1 || dims[1] != accel_dataset_rows(l.test.get()) ||
      dims[2] != accel_dataset_cols(l.test.get())) {
    std::fprintf(stderr, "accelctl: the model takes %ux%ux%u inputs, the data is 1x%ux%u\n",
                 dims[0], dims[1], dims[2], accel_dataset_rows(l.test.get()),
                 accel_dataset_cols(l.test.get()));
    throw Failure{1};
  }
  const int out_size = accel_model_output_size(l.model.get());
  check(out_size, "model");
  l.out_size = size_t(out_size);
  l.in_size = size_t{dims[1]} * dims[2];
  l.n = accel_dataset_count(l.test.get());
  if (a.limit) l.n = std::min(l.n, a.limit);
  l.inputs.resize(l.n * l.in_size);
  check(accel_dataset_get_input(l.test.get(), 0, l.n, l.inputs.data()), "test set");

  accel_quant_opts *raw_opts = nullptr;
  check(accel_quant_opts_new(l.ctx.get(), &raw_opts), "quantization options");
  QuantOpts opts(raw_opts);
  check(accel_quant_opts_set_bits(opts.get(), a.wbits, a.abits), "bit widths");
  for (const std::string &spec : a.layer_bits) {
    LayerBits b;
    parse_layer_bits(spec, b);  // checked by CLI11 already
    check(accel_quant_opts_set_layer_bits(opts.get(), b.layer.c_str(), b.wbits, b.abits),
          ("--layer-bits " + spec).c_str());
  }
  check(accel_quant_opts_set_calibration(opts.get(), l.train.get(),
                                         std::min(a.calib, accel_dataset_count(l.train.get()))),
        "calibration");
  accel_qmodel *raw_q = nullptr;
  check(accel_model_quantize(l.model.get(), opts.get(), &raw_q), "cannot quantize the model");
  l.q.reset(raw_q);
  return l;
}

Device open_device(accel_ctx *ctx, const std::string &uri) {
  accel_device *raw = nullptr;
  check(accel_device_open(ctx, uri.c_str(), &raw),
        ("cannot open device '" + (uri.empty() ? std::string("default") : uri) + "'").c_str());
  return Device(raw);
}

void PlanChoice::add_options(CLI::App *cmd) {
  cmd->add_option("--mode", mode,
                  "where weights live: static, dasp, dapp, batch-cached, sdci (IPs swapped through "
                  "the regions), auto")
      ->check(CLI::IsMember({"static", "dasp", "dapp", "batch-cached", "sdci", "auto"}))
      ->capture_default_str();
  cmd->add_option("--stream", stream, "layers to stream, the rest embedded (NAME,...)")
      ->delimiter(',');
  cmd->add_option("--split", split,
                  "split a layer by output channel into IPs of these many channels each "
                  "(LAYER=C,C,...), or by input channel into a cascade passing partial sums on "
                  "(LAYER=in:C,C,...); repeatable");
  cmd->add_option(
      "--sweep", sweep,
      "sdci: images each IP runs on before its region is swapped (default: 16 batches)");
  cmd->add_option("--dsp", dsp, "DSP budget (default: the device's regions together)");
  cmd->add_option("--bram", bram, "BRAM18 budget (default: the device's regions together)");
}

void PlanChoice::add_lib_options(CLI::App *cmd) {
  cmd->add_option("--lib", lib, "sdci: take the IPs from this IP library, verified before loading");
  cmd->add_option("--trusted-key", trusted_key,
                  "PEM public key the library's signatures verify with");
  cmd->add_flag("--require-signed", require_signed, "refuse partials without a valid signature");
}

Plan PlanChoice::make(accel_qmodel *q, accel_device *dev, uint32_t job_images,
                      uint32_t cache_batch) const {
  Ctx ctx = new_context();  // the options' and the library's
  Lib library;
  if (!lib.empty()) {
    accel_lib *raw = nullptr;
    check(accel_lib_open(ctx.get(), lib.c_str(), &raw), ("--lib " + lib).c_str());
    library.reset(raw);
  }
  accel_plan_opts *raw_opts = nullptr;
  check(accel_plan_opts_new(ctx.get(), &raw_opts), "plan options");
  PlanOpts opts(raw_opts);
  std::string list;
  for (const std::string &s : stream)
    list += (list.empty() ? "" : ",") + s;
  std::string splits;
  for (const std::string &s : split)
    splits += (splits.empty() ? "" : ";") + s;
  check(accel_plan_opts_set_mode(opts.get(), mode.c_str()), "--mode", 2);
  check(accel_plan_opts_set_stream(opts.get(), list.c_str()), "--stream", 2);
  check(accel_plan_opts_set_batch(opts.get(), job_images), "--job-images", 2);
  check(accel_plan_opts_set_budget(opts.get(), dsp, bram), "budget", 2);
  check(accel_plan_opts_set_cache_batch(opts.get(), cache_batch), "cache batch", 2);
  check(accel_plan_opts_set_split(opts.get(), splits.c_str()), "--split", 2);
  check(accel_plan_opts_set_sweep(opts.get(), sweep), "--sweep", 2);
  check(accel_plan_opts_set_lib(opts.get(), library.get(),
                                trusted_key.empty() ? nullptr : trusted_key.c_str(),
                                require_signed ? ACCEL_LIB_REQUIRE_SIGNED : 0u),
        "--lib", 2);
  accel_plan *raw = nullptr;
  check(accel_plan_new(q, dev, opts.get(), &raw), "cannot plan");
  return Plan(raw);
}

Session new_session(accel_ctx *ctx, accel_device *dev, accel_qmodel *q, const accel_plan *plan,
                    unsigned batch) {
  accel_session_opts *raw_opts = nullptr;
  check(accel_session_opts_new(ctx, &raw_opts), "session options");
  SessionOpts opts(raw_opts);
  check(accel_session_opts_set_batch(opts.get(), batch), "--batch", 2);
  accel_session *raw = nullptr;
  check(accel_session_new(dev, q, plan, opts.get(), &raw), "cannot prepare the device");
  return Session(raw);
}

SessionRun run_session(const Loaded &l, accel_device *dev, const accel_plan *plan, unsigned batch,
                       const std::string &trace, unsigned repeat, const std::vector<int16_t> *ref) {
  Session session = new_session(l.ctx.get(), dev, l.q.get(), plan, batch);
  SessionRun r;
  r.codes.resize(size_t{l.n} * l.out_size);
  r.logits.resize(r.codes.size());
  if (ref) r.mismatches = 0;
  const auto start = std::chrono::steady_clock::now();
  for (unsigned pass = 0; pass < repeat; ++pass) {
    check(accel_session_run(session.get(), l.inputs.data(), l.n, r.codes.data(), r.logits.data()),
          "run on the device");
    for (size_t i = 0; ref && i < ref->size(); ++i)
      r.mismatches += (*ref)[i] != r.codes[i];
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  check(accel_session_stats(session.get(), &r.stats), "statistics");
  if (!trace.empty()) check(accel_session_write_trace(session.get(), trace.c_str()), "trace");
  return r;
}

}  // namespace accelctl
