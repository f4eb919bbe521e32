#include "c_api/guard.h"

using zaccel::capi::guard;

namespace {

template <typename Load>
int open_dataset(accel_ctx *ctx, accel_dataset **out, Load load) {
  return guard(ctx, [&] {
    zaccel::Dataset d = load();
    *out = zaccel::capi::make<accel_dataset>(ctx);
    (*out)->data = std::move(d);
    return 0;
  });
}

}  // namespace

extern "C" {

int accel_dataset_open_idx(accel_ctx *ctx, const char *images_path, const char *labels_path,
                           accel_dataset **out) {
  if (!ctx || !images_path || !labels_path || !out) return -EINVAL;
  return open_dataset(ctx, out, [&] { return zaccel::load_dataset(images_path, labels_path); });
}

int accel_dataset_open_dir(accel_ctx *ctx, const char *dir, const char *split,
                           accel_dataset **out) {
  if (!ctx || !dir || !split || !out) return -EINVAL;
  return open_dataset(ctx, out, [&] { return zaccel::load_dataset_dir(dir, split); });
}

accel_dataset *accel_dataset_ref(accel_dataset *ds) {
  return zaccel::capi::ref(ds);
}
accel_dataset *accel_dataset_unref(accel_dataset *ds) {
  return zaccel::capi::unref(ds);
}

uint32_t accel_dataset_count(const accel_dataset *ds) {
  return ds ? ds->data.count : 0;
}
uint32_t accel_dataset_rows(const accel_dataset *ds) {
  return ds ? ds->data.rows : 0;
}
uint32_t accel_dataset_cols(const accel_dataset *ds) {
  return ds ? ds->data.cols : 0;
}

int accel_dataset_label(const accel_dataset *ds, uint32_t index) {
  if (!ds || index >= ds->data.count) return -EINVAL;
  return ds->data.labels[index];
}

int accel_dataset_get_input(const accel_dataset *ds, uint32_t first, uint32_t count, float *out) {
  if (!ds || !out || first > ds->data.count || count > ds->data.count - first) return -EINVAL;
  const size_t px = size_t{ds->data.rows} * ds->data.cols;
  const uint8_t *src = ds->data.images.data() + first * px;
  for (size_t i = 0; i < count * px; ++i)
    out[i] = static_cast<float>(src[i]) / 255.0f;
  return 0;
}

}  // extern "C"
