// A small model for session tests: conv 1->8 on 10x10, conv 8->8, fc 288->10 (random weights,
// fixed seeds), and random inputs for it.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "model/quantize.h"

namespace zaccel::test {

inline QLayer conv(const std::string &name, Dims in, uint32_t out_c, std::mt19937 &rng) {
  QLayer l;
  l.kind = LayerKind::kConv;
  l.name = name;
  l.in = in;
  l.out = {out_c, in.h - 2, in.w - 2};
  l.conv = {l.in, out_c, {3, 3, 1, 1, 0, 0, 0, 0}, {6, 16, true}};
  l.wbits = l.abits = 16;
  std::uniform_int_distribution<int> w(-300, 300);
  for (size_t i = 0; i < size_t{out_c} * in.c * 9; ++i)
    l.weights.push_back(static_cast<int16_t>(w(rng)));
  l.bias.assign(out_c, 1000);
  return l;
}

inline QLayer fc(const std::string &name, uint32_t in, uint32_t out, std::mt19937 &rng) {
  QLayer l;
  l.kind = LayerKind::kFc;
  l.name = name;
  l.in = {in, 1, 1};
  l.out = {out, 1, 1};
  l.fc = {in, out, {8, 16, false}};
  l.wbits = l.abits = 16;
  std::uniform_int_distribution<int> w(-300, 300);
  for (size_t i = 0; i < size_t{in} * out; ++i)
    l.weights.push_back(static_cast<int16_t>(w(rng)));
  l.bias.assign(out, -500);
  return l;
}

/// conv 1->8 on 10x10, conv 8->8, fc 288->10: three IPs for two regions.
inline QModel model() {
  std::mt19937 rng(7);
  QModel q;
  q.input = {1, 10, 10};
  q.layers = {conv("conv1", {1, 10, 10}, 8, rng), conv("conv2", {8, 8, 8}, 8, rng)};
  QLayer last = fc("fc1", 8 * 6 * 6, 10, rng);
  last.in = {8, 6, 6};
  q.layers.push_back(last);
  q.output = {10, 1, 1};
  return q;
}

inline std::vector<int16_t> inputs(size_t n) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> v(-2000, 2000);
  std::vector<int16_t> in(n * 100);
  for (int16_t &x : in)
    x = static_cast<int16_t>(v(rng));
  return in;
}

}  // namespace zaccel::test
