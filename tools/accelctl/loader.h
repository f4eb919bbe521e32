// What eval and run share: the model, the test and calibration sets, and the quantized model
// built from command-line options.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "handles.h"

namespace accelctl {

/// Thrown to exit with `code` after the message was printed.
struct Failure {
  int code;
};

/// For a negative `err`, prints one line, "accelctl: WHAT: WHY", and throws Failure{status}
/// (1: what was asked failed, 2: a usage error, such as a malformed option). WHY is the
/// library's message of the failure when a context made by new_context() logged one, else
/// strerror.
void check(int err, const char *what, int status = 1);

/// A context whose error messages are kept for check() instead of printed, or Failure.
Ctx new_context();

/// One --layer-bits value.
struct LayerBits {
  std::string layer;
  unsigned wbits = 0, abits = 0;
};
/// Parses NAME=WBITS:ABITS strictly (widths 2 to 16, nothing after them): "" and `out` set,
/// or what is wrong with `spec`.
std::string parse_layer_bits(const std::string &spec, LayerBits &out);

struct ModelArgs {
  std::string model = ZACCEL_DEFAULT_MODEL;
  std::string data = ZACCEL_DEFAULT_DATA;
  unsigned wbits = 16, abits = 16;
  unsigned calib = 1000;
  unsigned limit = 0;
  std::vector<std::string> layer_bits;  // NAME=W:A

  void add_options(CLI::App *cmd);
};

struct Loaded {
  Ctx ctx;
  Model model;
  Dataset test, train;
  QModel q;
  std::vector<float> inputs;  ///< the first n test images
  uint32_t n = 0;
  size_t in_size = 0, out_size = 0;

  /// How many of the first n test images `logits` (n x out_size) classify correctly.
  uint32_t correct(const float *logits, uint32_t first, uint32_t count) const;
};

/// Loads and quantizes; prints what failed and throws Failure.
Loaded load(const ModelArgs &a);

/// The open device, or Failure.
Device open_device(accel_ctx *ctx, const std::string &uri);

/// How a command asks the planner: mode, layers to stream, budget overrides.
struct PlanChoice {
  std::string mode = "auto";
  std::vector<std::string> stream;
  std::vector<std::string> split;  ///< LAYER=C,C,...
  long long dsp = -1, bram = -1;
  unsigned sweep = 0;  ///< sdci: images per residency (0: the default)
  std::string lib;     ///< sdci: the IP library to take the IPs from (empty: build them)
  std::string trusted_key;
  bool require_signed = false;

  void add_options(CLI::App *cmd);
  /// The plan for `q` on `dev` with jobs of `job_images`, batch-cached weights loaded once per
  /// `cache_batch` images (0: per job), or Failure.
  Plan make(accel_qmodel *q, accel_device *dev, uint32_t job_images,
            uint32_t cache_batch = 0) const;
  /// Adds --lib, --trusted-key and --require-signed (sdci from an IP library).
  void add_lib_options(CLI::App *cmd);
};

/// A session of `q` on `dev` as `plan` says (NULL: the auto plan) in host batches of `batch`
/// images, or Failure.
Session new_session(accel_ctx *ctx, accel_device *dev, accel_qmodel *q, const accel_plan *plan,
                    unsigned batch);

/// What running the loaded test images through a session printed.
struct SessionRun {
  std::vector<int16_t> codes;  ///< of the last pass
  std::vector<float> logits;
  accel_run_stats stats = sized<accel_run_stats>();
  double seconds = 0;         ///< host time of the run
  long long mismatches = -1;  ///< codes unlike `ref`, over every pass (-1: not compared)
};

/// Runs the first l.n test images `repeat` times over one session on `dev` as `plan` says, in
/// host batches of `batch`; compares every pass's codes with `ref` unless it is NULL; writes
/// the Chrome trace to `trace` unless it is empty.
SessionRun run_session(const Loaded &l, accel_device *dev, const accel_plan *plan, unsigned batch,
                       const std::string &trace = "", unsigned repeat = 1,
                       const std::vector<int16_t> *ref = nullptr);

/// A subcommand callback that runs `body` and exits with a Failure's code.
template <typename Body>
std::function<void()> guarded(Body body) {
  return [body] {
    try {
      body();
    } catch (const Failure &f) {
      std::exit(f.code);
    }
  };
}

}  // namespace accelctl
