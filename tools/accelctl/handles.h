// RAII owners for libaccel's handles.
#pragma once

#include <accel/accel.h>

#include <memory>

namespace accelctl {

template <auto Unref>
struct Unrefer {
  template <typename T>
  void operator()(T *p) const {
    Unref(p);
  }
};

using Ctx = std::unique_ptr<accel_ctx, Unrefer<accel_ctx_unref>>;
using Dataset = std::unique_ptr<accel_dataset, Unrefer<accel_dataset_unref>>;
using Model = std::unique_ptr<accel_model, Unrefer<accel_model_unref>>;
using QModel = std::unique_ptr<accel_qmodel, Unrefer<accel_qmodel_unref>>;
using QuantOpts = std::unique_ptr<accel_quant_opts, Unrefer<accel_quant_opts_unref>>;
using PlanOpts = std::unique_ptr<accel_plan_opts, Unrefer<accel_plan_opts_unref>>;
using SessionOpts = std::unique_ptr<accel_session_opts, Unrefer<accel_session_opts_unref>>;
using Device = std::unique_ptr<accel_device, Unrefer<accel_device_unref>>;
using Session = std::unique_ptr<accel_session, Unrefer<accel_session_unref>>;
using Plan = std::unique_ptr<accel_plan, Unrefer<accel_plan_unref>>;
using Lib = std::unique_ptr<accel_lib, Unrefer<accel_lib_unref>>;

/// A struct the library fills, zeroed, with its size set (accel.h).
template <typename T>
T sized() {
  T v{};
  v.size = sizeof(T);
  return v;
}

}  // namespace accelctl
