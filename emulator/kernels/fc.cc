#include "kernels/fc.h"

#include "kernels/accumulate.h"

namespace zaccel::kernels {
namespace {

template <typename Acc>
void fc_rows(const FcParams &p, size_t n, const int16_t *in, const int16_t *w,
             const int64_t *bias, int16_t *out) {
  for (size_t i = 0; i < n; ++i) {
    const int16_t *x = in + i * p.in;
    for (uint32_t o = 0; o < p.out; ++o) {
      const int16_t *wr = w + size_t{o} * p.in;
      Acc acc = 0;
      for (uint32_t k = 0; k < p.in; ++k) acc += static_cast<Acc>(wr[k]) * x[k];
      const int64_t total = int64_t{acc} + (bias ? bias[o] : 0);
      out[i * p.out + o] = requantize(total, p.rq);
    }
  }
}

}  // namespace

void fc(const FcParams &p, size_t n, const int16_t *in, const int16_t *weights,
        const int64_t *bias, int16_t *out) {
  if (n == 0 || p.out == 0) return;
  // The bias is added in 64 bits, so only the products must fit 32.
  if (fits_int32(weights, nullptr, p.out, p.in, max_abs(in, n * p.in)))
    fc_rows<int32_t>(p, n, in, weights, bias, out);
  else
    fc_rows<int64_t>(p, n, in, weights, bias, out);
}

}  // namespace zaccel::kernels
