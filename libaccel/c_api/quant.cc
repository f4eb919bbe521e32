#include <cmath>

#include "c_api/guard.h"
#include "kernels/fixed.h"
#include "model/fixed_exec.h"
#include "plan/option_strings.h"

using zaccel::capi::guard;

namespace {

bool bits_ok(unsigned b) {
  return b >= zaccel::kernels::kMinBits && b <= zaccel::kernels::kMaxBits;
}

}  // namespace

extern "C" {

int accel_quant_opts_new(accel_ctx *ctx, accel_quant_opts **out) {
  return zaccel::capi::new_object(ctx, out);
}

accel_quant_opts *accel_quant_opts_ref(accel_quant_opts *opts) {
  return zaccel::capi::ref(opts);
}

accel_quant_opts *accel_quant_opts_unref(accel_quant_opts *opts) {
  return zaccel::capi::unref(opts);
}

int accel_quant_opts_set_bits(accel_quant_opts *opts, unsigned wbits, unsigned abits) {
  if (!opts) return -EINVAL;
  return guard(opts->ctx, [&] {
    if (!bits_ok(wbits) || !bits_ok(abits))
      zaccel::fail(EINVAL, "bit widths ", wbits, ":", abits, ": each 2 to 16");
    opts->opts.defaults = {wbits, abits};
    return 0;
  });
}

int accel_quant_opts_set_layer_bits(accel_quant_opts *opts, const char *layer, unsigned wbits,
                                    unsigned abits) {
  if (!opts || !layer) return -EINVAL;
  return guard(opts->ctx, [&] {
    if (!zaccel::valid_layer_name(layer)) zaccel::fail(EINVAL, "'", layer, "' is not a layer name");
    if (!bits_ok(wbits) || !bits_ok(abits))
      zaccel::fail(EINVAL, layer, ": bit widths ", wbits, ":", abits, ": each 2 to 16");
    opts->opts.per_layer[layer] = {wbits, abits};
    return 0;
  });
}

int accel_quant_opts_set_calibration(accel_quant_opts *opts, accel_dataset *ds, uint32_t count) {
  if (!opts || !ds) return -EINVAL;
  return guard(opts->ctx, [&] {
    if (count == 0 || count > accel_dataset_count(ds))
      zaccel::fail(EINVAL, "calibration on ", count, " images of a set of ",
                   accel_dataset_count(ds));
    accel_dataset_unref(opts->calib);
    opts->calib = accel_dataset_ref(ds);
    opts->calib_count = count;
    return 0;
  });
}

int accel_model_quantize(const accel_model *model, const accel_quant_opts *opts,
                         accel_qmodel **out) {
  if (!model || !opts || !out) return -EINVAL;
  return guard(model->ctx, [&] {
    const zaccel::Graph &g = model->graph;
    const zaccel::Dims in = g.input();
    std::vector<float> calib;
    if (const accel_dataset *ds = opts->calib) {
      const zaccel::Dataset &d = ds->data;
      if (size_t{d.rows} * d.cols != in.size()) {
        zaccel::fail(EINVAL, "calibration images are ", d.rows, "x", d.cols, ", the model takes ",
                     in.c, "x", in.h, "x", in.w);
      }
      // Spread evenly over the set, so an ordered set still calibrates on every class.
      calib.resize(size_t{opts->calib_count} * in.size());
      const uint64_t stride = d.count / opts->calib_count;
      for (uint32_t i = 0; i < opts->calib_count; ++i) {
        accel_dataset_get_input(ds, static_cast<uint32_t>(i * stride), 1,
                                calib.data() + i * in.size());
      }
    }
    zaccel::QModel q =
        zaccel::quantize(g, opts->opts, opts->calib_count, calib.empty() ? nullptr : calib.data());
    *out = zaccel::capi::make<accel_qmodel>(model->ctx);
    (*out)->q = std::move(q);
    return 0;
  });
}

accel_qmodel *accel_qmodel_ref(accel_qmodel *q) {
  return zaccel::capi::ref(q);
}
accel_qmodel *accel_qmodel_unref(accel_qmodel *q) {
  return zaccel::capi::unref(q);
}

int accel_qmodel_layer_format(const accel_qmodel *q, uint32_t index, unsigned *wbits, int *wfrac,
                              unsigned *abits, int *afrac) {
  if (!q || index >= q->q.layers.size()) return -EINVAL;
  const zaccel::QLayer &l = q->q.layers[index];
  if (wbits) *wbits = l.wbits;
  if (wfrac) *wfrac = l.wfrac;
  if (abits) *abits = l.abits;
  if (afrac) *afrac = l.afrac;
  return 0;
}

int accel_qmodel_run(const accel_qmodel *q, const float *input, uint32_t n, int16_t *codes,
                     float *logits) {
  if (!q || !input || !codes) return -EINVAL;
  return guard(q->ctx, [&] {
    const std::vector<int16_t> in = zaccel::quantize_input(q->q, n, input);
    const std::vector<int16_t> out = zaccel::run_fixed(q->q, n, in.data());
    std::copy(out.begin(), out.end(), codes);
    if (logits) zaccel::dequantize_output(q->q, n, out.data(), logits);
    return 0;
  });
}

}  // extern "C"
