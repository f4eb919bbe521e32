// accelctl's commands: each registers its options on a CLI11 subcommand and runs from it.
#pragma once

#include <CLI/CLI.hpp>

namespace accelctl {

struct Global {
  bool json = false;
  bool pretty = false;
};

/// `accelctl eval`: accuracy and throughput of the float and fixed-point paths.
void add_eval(CLI::App &app, const Global &global);
/// `accelctl run`: the quantized model as jobs on a device, with modeled timing.
void add_run(CLI::App &app, const Global &global);
/// `accelctl dev info|regions`: the device and its regions.
void add_dev(CLI::App &app, const Global &global);
/// `accelctl lib build`: partial bitstreams of a model's IPs.
void add_lib(CLI::App &app, const Global &global);
/// `accelctl plan`: weight modes per layer against the device's budget.
void add_plan(CLI::App &app, const Global &global);
/// `accelctl bench modes`: the weight modes beside the seed paper's Table I.
void add_bench(CLI::App &app, const Global &global);
/// `accelctl bench sdci`: SDCI beside the seed paper's SDCI and our DASP.
void add_bench_sdci(CLI::App &bench, const Global &global);

}  // namespace accelctl
