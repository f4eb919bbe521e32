#include "model/calibrate.h"

#include <algorithm>
#include <cmath>

#include "model/float_exec.h"

namespace zaccel {

double max_abs(const float *v, size_t count) {
  double m = 0;
  for (size_t i = 0; i < count; ++i)
    m = std::max(m, std::fabs(double{v[i]}));
  return m;
}

std::vector<double> calibrate_peaks(const Graph &g, const Chain &c, size_t n, const float *in) {
  const size_t layers = c.layers.size();
  std::vector<std::vector<float>> act(layers + 1);
  act[0].assign(in, in + n * g.input().size());
  std::vector<size_t> last_read(layers + 1, 0);
  for (size_t i = 0; i < layers; ++i)
    for (uint32_t t : c.srcs[i])
      last_read[t] = i;
  std::vector<double> peaks;
  for (size_t i = 0; i < layers; ++i) {
    const Node &l = *c.layers[i];
    const std::vector<uint32_t> &src = c.srcs[i];
    std::vector<float> out;
    if (l.kind == LayerKind::kAdd) {
      const std::vector<float> &a = act[src[0]], &b = act[src[1]];
      out.resize(a.size());
      for (size_t k = 0; k < a.size(); ++k)
        out[k] = a[k] + b[k];
    } else if (l.kind == LayerKind::kConcat) {
      // Image by image, the operands' values one after the other.
      for (size_t img = 0; img < n; ++img) {
        for (uint32_t t : src) {
          const size_t per = act[t].size() / n;
          out.insert(out.end(), act[t].begin() + img * per, act[t].begin() + (img + 1) * per);
        }
      }
    } else {
      out = run_float_layer(l.kind == LayerKind::kScaleShift ? scale_shift_conv(g, l) : l, n,
                            act[src[0]].data());
    }
    if (c.acts[i]) out = run_float_layer(*c.acts[i], n, out.data());
    peaks.push_back(max_abs(out.data(), out.size()));
    for (uint32_t t : src)
      if (last_read[t] == i) std::vector<float>().swap(act[t]);
    act[i + 1] = std::move(out);
  }
  return peaks;
}

}  // namespace zaccel
