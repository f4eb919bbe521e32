#include "model/float_exec.h"

#include <algorithm>
#include <limits>

#include "kernels/im2col.h"

namespace zaccel {
namespace {

void conv(const Layer &l, size_t n, const float *in, float *out) {
  const size_t k = size_t{l.in.c} * l.win.kh * l.win.kw, cols = size_t{l.out.h} * l.out.w;
  std::vector<float> col(k * cols);
  for (size_t i = 0; i < n; ++i) {
    kernels::im2col(l.in, l.win, l.out, in + i * l.in.size(), col.data());
    float *dst = out + i * l.out.size();
    for (uint32_t r = 0; r < l.out.c; ++r) {
      float *row = dst + r * cols;
      std::fill(row, row + cols, l.bias.empty() ? 0.0f : l.bias[r]);
      for (size_t j = 0; j < k; ++j) {
        const float w = l.weights[r * k + j];
        const float *c = col.data() + j * cols;
        for (size_t p = 0; p < cols; ++p)
          row[p] += w * c[p];
      }
    }
  }
}

void fc(const Layer &l, size_t n, const float *in, float *out) {
  const size_t k = l.in.size();
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t o = 0; o < l.out.c; ++o) {
      const float *w = l.weights.data() + o * k;
      float acc = 0.0f;
      for (size_t j = 0; j < k; ++j)
        acc += w[j] * in[i * k + j];
      out[i * l.out.c + o] = acc + (l.bias.empty() ? 0.0f : l.bias[o]);
    }
  }
}

void pool(const Layer &l, size_t n, const float *in, float *out) {
  const Window &w = l.win;
  const bool is_max = l.pool == kernels::PoolKind::kMax;
  for (size_t plane = 0; plane < n * l.in.c; ++plane) {
    const float *src = in + plane * l.in.h * l.in.w;
    float *dst = out + plane * l.out.h * l.out.w;
    for (uint32_t oy = 0; oy < l.out.h; ++oy) {
      for (uint32_t ox = 0; ox < l.out.w; ++ox) {
        const int64_t y0 = int64_t{oy} * w.stride_h - w.pad_top;
        const int64_t x0 = int64_t{ox} * w.stride_w - w.pad_left;
        float acc = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
        int count = 0;
        for (int64_t y = std::max<int64_t>(y0, 0); y < std::min<int64_t>(y0 + w.kh, l.in.h); ++y) {
          for (int64_t x = std::max<int64_t>(x0, 0); x < std::min<int64_t>(x0 + w.kw, l.in.w);
               ++x) {
            const float v = src[y * l.in.w + x];
            acc = is_max ? std::max(acc, v) : acc + v;
            ++count;
          }
        }
        const int div = l.count_include_pad ? static_cast<int>(w.kh * w.kw) : count;
        dst[oy * l.out.w + ox] = count == 0 ? 0.0f : is_max ? acc : acc / static_cast<float>(div);
      }
    }
  }
}

}  // namespace

std::vector<float> run_float_layer(const Layer &l, size_t n, const float *in) {
  std::vector<float> out(n * l.out.size());
  switch (l.kind) {
    case LayerKind::kConv:
      conv(l, n, in, out.data());
      break;
    case LayerKind::kFc:
      fc(l, n, in, out.data());
      break;
    case LayerKind::kPool:
      pool(l, n, in, out.data());
      break;
    case LayerKind::kRelu:
      std::copy(in, in + out.size(), out.begin());
      break;
  }
  if (l.relu || l.kind == LayerKind::kRelu) {
    for (float &v : out)
      v = std::max(v, 0.0f);
  }
  return out;
}

std::vector<float> run_float(const Graph &g, size_t n, const float *input) {
  std::vector<float> cur(input, input + n * g.input.size());
  for (const Layer &l : g.layers)
    cur = run_float_layer(l, n, cur.data());
  return cur;
}

}  // namespace zaccel
