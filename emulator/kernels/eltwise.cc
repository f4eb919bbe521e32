#include "kernels/eltwise.h"

namespace zaccel::kernels {

void add(const AddParams &p, size_t count, const int16_t *a, const int16_t *b, int16_t *out) {
  const int32_t ka = p.align < 0 ? -p.align : 0, kb = p.align > 0 ? p.align : 0;
  const int64_t ma = int64_t{1} << ka, mb = int64_t{1} << kb;
  for (size_t i = 0; i < count; ++i)
    out[i] = requantize(int64_t{a[i]} * ma + int64_t{b[i]} * mb, p.rq);
}

}  // namespace zaccel::kernels
