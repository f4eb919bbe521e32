#include "kernels/activation.h"

#include <array>
#include <cmath>

namespace zaccel::kernels {

double act_function(Act a, double x) {
  return a == Act::kTanh ? std::tanh(x) : 1.0 / (1.0 + std::exp(-x));
}

namespace {

using Table = std::array<int16_t, kActEntries>;

Table make_table(Act a) {
  Table t{};
  const int half = static_cast<int>(kActEntries / 2);
  for (int i = 0; i < static_cast<int>(kActEntries); ++i) {
    const double x = std::ldexp(i - half, -kActInFrac);
    const double v = std::floor(std::ldexp(act_function(a, x), kActTableFrac) + 0.5);
    t[static_cast<size_t>(i)] = static_cast<int16_t>(std::fmin(v, 32767.0));
  }
  return t;
}

}  // namespace

const int16_t *act_table(Act a) {
  static const Table tanh_table = make_table(Act::kTanh);
  static const Table sigmoid_table = make_table(Act::kSigmoid);
  return a == Act::kTanh ? tanh_table.data() : sigmoid_table.data();
}

}  // namespace zaccel::kernels
