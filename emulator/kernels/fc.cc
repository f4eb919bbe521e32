#include "kernels/fc.h"

#include "kernels/accumulate.h"

namespace zaccel::kernels {

void fc(const FcParams &p, size_t n, const int16_t *in, const int16_t *weights, const int64_t *bias,
        int16_t *out, const Cascade &cascade) {
  if (n == 0 || p.out == 0) return;
  const auto runs = int32_runs(weights, p.out, p.in, max_abs(in, n * p.in));
  for (size_t i = 0; i < n; ++i) {
    const int16_t *x = in + i * p.in;
    for (uint32_t o = 0; o < p.out; ++o) {
      const int16_t *wr = weights + size_t{o} * p.in;
      const auto [b, rq] = channel_stage(p.rq, bias ? bias[o] : 0);
      int64_t acc = b;
      size_t k = 0;
      for (size_t end : runs[o]) {
        int32_t part = 0;
        for (; k < end; ++k)
          part += int32_t{wr[k]} * x[k];
        acc += part;
      }
      const size_t at = i * p.out + o;
      if (cascade.acc_in) acc += cascade.acc_in[at];
      if (cascade.acc_out)
        cascade.acc_out[at] = acc;
      else
        out[at] = requantize(acc, rq);
    }
  }
}

}  // namespace zaccel::kernels
