// Nodes for the DAG tests (residual_test.cc, concat_test.cc): a conv with random weights, a
// 2x2 max pool, an fc, wired by value ids; random images; and the checks both suites run.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "model/fixed_exec.h"
#include "model/float_exec.h"
#include "model/quantize.h"
#include "run/session.h"
#include "run/target.h"

namespace zaccel::test {

inline Node node(LayerKind kind, const std::string &name, const char *op, Dims in, Dims out,
                 std::vector<ValueId> inputs, ValueId output) {
  Node l;
  l.kind = kind;
  l.name = l.node = name;
  l.op = op;
  l.in = in;
  l.out = out;
  l.inputs = std::move(inputs);
  l.outputs = {output};
  return l;
}

/// A k x k conv over `io` (same padding) with weights N(0, scale), four channels' bias.
inline Node conv_node(const std::string &name, Dims io, uint32_t k, bool relu, float scale,
                      std::mt19937 &rng, ValueId in, ValueId out) {
  Node l = node(LayerKind::kConv, name, "Conv", io, io, {in}, out);
  const uint32_t pad = k / 2;
  l.win = {k, k, 1, 1, pad, pad, pad, pad};
  l.relu = relu;
  std::normal_distribution<float> w(0.0f, scale);
  for (size_t i = 0; i < size_t{io.c} * io.c * k * k; ++i)
    l.weights.push_back(w(rng));
  for (uint32_t c = 0; c < io.c; ++c)
    l.bias.push_back(0.05f * static_cast<float>(c % 3) - 0.05f);
  return l;
}

inline Node pool_node(const std::string &name, Dims in, ValueId from, ValueId to) {
  Node l = node(LayerKind::kPool, name, "MaxPool", in, {in.c, in.h / 2, in.w / 2}, {from}, to);
  l.win = {2, 2, 2, 2, 0, 0, 0, 0};
  return l;
}

inline Node fc_node(const std::string &name, Dims in, uint32_t out, std::mt19937 &rng, ValueId from,
                    ValueId to) {
  Node l = node(LayerKind::kFc, name, "Gemm", in, {out, 1, 1}, {from}, to);
  std::normal_distribution<float> w(0.0f, 0.2f);
  for (size_t i = 0; i < size_t{out} * in.size(); ++i)
    l.weights.push_back(w(rng));
  l.bias.assign(out, 0.05f);
  return l;
}

/// `n` weights N(0, scale).
inline std::vector<float> normal_values(size_t n, float scale, std::mt19937 &rng) {
  std::normal_distribution<float> w(0.0f, scale);
  std::vector<float> v(n);
  for (float &x : v)
    x = w(rng);
  return v;
}

/// `n` images of `size` values uniform in [-1, 1).
inline std::vector<float> uniform_images(size_t n, size_t size, std::mt19937 &rng) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n * size);
  for (float &x : v)
    x = u(rng);
  return v;
}

/// The fixed-point path of `q` within `tol` of `g`'s float path on `n` images `x`.
inline void expect_follows_float(const Graph &g, const QModel &q, size_t n, const float *x,
                                 double tol) {
  const std::vector<float> want = run_float(g, n, x);
  const std::vector<int16_t> in = quantize_input(q, n, x);
  const std::vector<int16_t> codes = run_fixed(q, n, in.data());
  std::vector<float> got(codes.size());
  dequantize_output(q, n, codes.data(), got.data());
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tol) << i;
}

/// `q` on the emulated PYNQ-Z2 in every weight mode and under SDCI, planned with `o` (its mode
/// set each time), gives run_fixed()'s codes for `n` images `x`; `check` sees each plan.
template <typename F>
void expect_every_mode(const QModel &q, PlanOptions o, size_t n, const float *x, F &&check) {
  auto dev = dev::Device::open("emu:pynq-z2");
  const std::vector<int16_t> in = quantize_input(q, n, x);
  const std::vector<int16_t> want = run_fixed(q, n, in.data());
  for (PlanMode mode :
       {PlanMode::kStatic, PlanMode::kDasp, PlanMode::kBatchCached, PlanMode::kSdci}) {
    o.mode = mode;
    const Plan p = make_plan(q, o, plan_target(*dev));
    check(p);
    Session s(*dev, q, p, 4);
    std::vector<int16_t> got(want.size());
    s.run(n, in.data(), got.data());
    EXPECT_EQ(got, want) << plan_mode_name(mode);
  }
}

}  // namespace zaccel::test
