#include "c_api/guard.h"
#include "model/float_exec.h"
#include "model/onnx_import.h"
#include "util/error.h"

using zaccel::capi::guard;

extern "C" {

int accel_model_open_onnx(accel_ctx *ctx, const char *path, accel_model **out) {
  if (!ctx || !path || !out) return -EINVAL;
  return guard(ctx, [&] {
    zaccel::Graph g = zaccel::import_onnx_file(path);
    *out = zaccel::capi::make<accel_model>(ctx);
    (*out)->graph = std::move(g);
    for (const zaccel::Node &l : (*out)->graph.nodes)
      if (l.kind != zaccel::LayerKind::kReshape) (*out)->layers.push_back(&l);
    return 0;
  });
}

accel_model *accel_model_ref(accel_model *model) {
  return zaccel::capi::ref(model);
}
accel_model *accel_model_unref(accel_model *model) {
  return zaccel::capi::unref(model);
}

int accel_model_input_dims(const accel_model *model, uint32_t dims[3]) {
  if (!model || !dims) return -EINVAL;
  const zaccel::Dims d = model->graph.input();
  dims[0] = d.c;
  dims[1] = d.h;
  dims[2] = d.w;
  return 0;
}

int accel_model_output_size(const accel_model *model) {
  return model ? static_cast<int>(model->graph.output().size()) : -EINVAL;
}

int accel_model_num_layers(const accel_model *model) {
  return model ? static_cast<int>(model->layers.size()) : -EINVAL;
}

const char *accel_model_layer_name(const accel_model *model, uint32_t index) {
  if (!model || index >= model->layers.size()) return nullptr;
  return model->layers[index]->name.c_str();
}

const char *accel_model_layer_kind(const accel_model *model, uint32_t index) {
  if (!model || index >= model->layers.size()) return nullptr;
  return zaccel::layer_kind_name(model->layers[index]->kind);
}

int accel_model_run_float(const accel_model *model, const float *input, uint32_t n, float *logits) {
  if (!model || !input || !logits) return -EINVAL;
  return guard(model->ctx, [&] {
    const std::vector<float> out = zaccel::run_float(model->graph, n, input);
    // A graph whose output does not follow the batch would not fit the caller's buffer.
    const size_t want = size_t{n} * model->graph.output().size();
    if (out.size() != want)
      zaccel::fail(EINVAL, "the model's output has ", out.size(), " values for ", n,
                   " images, not ", want);
    std::copy(out.begin(), out.end(), logits);
    return 0;
  });
}

}  // extern "C"
