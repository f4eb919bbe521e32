// The C API's opaque objects: reference-counted wrappers of the C++ ones.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "accel/accel.h"
#include "data/idx.h"
#include "device/device.h"
#include "lib/library.h"
#include "model/graph.h"
#include "model/quantize.h"
#include "plan/planner.h"
#include "run/session.h"

struct accel_ctx {
  std::atomic<int> refs{1};
  std::mutex log_lock;  ///< protects log_fn, log_data and log_priority
  accel_log_fn log_fn = nullptr;
  void *log_data = nullptr;
  int log_priority = ACCEL_LOG_ERR;

  void log(int priority, const std::string &msg);
};

// Every object but the context holds a context reference, released with it.
struct accel_dataset {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  zaccel::Dataset data;
};

struct accel_model {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  zaccel::Graph graph;
  std::vector<const zaccel::Node *> layers;  ///< graph's nodes but reshapes (views of a value)
};

struct accel_qmodel {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  zaccel::QModel q;
};

struct accel_device {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  std::unique_ptr<zaccel::dev::Device> dev;
  std::mutex lock;  ///< serializes sessions' runs on the device
};

// BOs, fences and sessions hold a device reference (and through it the context).
struct accel_bo {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  accel_device *dev = nullptr;
  std::unique_ptr<zaccel::dev::Bo> bo;
};

struct accel_fence {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  accel_device *dev = nullptr;
  std::unique_ptr<zaccel::dev::Syncobj> sync;
};

struct accel_plan {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  accel_qmodel *q = nullptr;  ///< referenced: the plan points into its layers
  zaccel::Plan plan;
};

struct accel_session {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  accel_device *dev = nullptr;
  accel_qmodel *q = nullptr;
  accel_plan *plan = nullptr;  ///< referenced, may be NULL
  std::unique_ptr<zaccel::Session> s;
};

namespace zaccel::capi {
/// Verification options from a trusted key (may be NULL) and ACCEL_LIB_* flags. Throws Error
/// (EINVAL) for unknown flags.
lib::VerifyOptions verify_options(const char *trusted_key, uint32_t flags);
}  // namespace zaccel::capi

struct accel_lib {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  zaccel::lib::Library lib;
  std::string shell_json;            ///< borrowed by accel_lib_shell_json
  std::vector<std::string> ip_json;  ///< per IP, borrowed by accel_lib_ip_json
};

struct accel_quant_opts {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  zaccel::QuantOptions opts;
  accel_dataset *calib = nullptr;  ///< referenced
  uint32_t calib_count = 0;

  ~accel_quant_opts() { accel_dataset_unref(calib); }
};

struct accel_plan_opts {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  zaccel::PlanOptions plan;  ///< with its own copy of the IP library, if one is set
  int64_t dsp_budget = -1, bram18_budget = -1;
};

struct accel_session_opts {
  std::atomic<int> refs{1};
  accel_ctx *ctx = nullptr;
  uint32_t batch = 64;           ///< images per host batch
  uint32_t trace_spans = 65536;  ///< spans kept for the trace, the latest ones
};

namespace zaccel::capi {

/// Drops one reference; deletes `obj` (and its context reference) on the last one.
template <typename T>
T *unref(T *obj) {
  if (obj && obj->refs.fetch_sub(1) == 1) {
    accel_ctx_unref(obj->ctx);
    delete obj;
  }
  return nullptr;
}

template <typename T>
T *ref(T *obj) {
  if (obj) obj->refs.fetch_add(1);
  return obj;
}

/// The sync object handles of a wait list. Throws Error (EINVAL) for a null fence.
std::vector<uint32_t> fence_handles(accel_fence *const *waits, unsigned n);

/// A new object of type T holding a reference to `ctx`.
template <typename T>
T *make(accel_ctx *ctx) {
  T *obj = new T;
  obj->ctx = accel_ctx_ref(ctx);
  return obj;
}

}  // namespace zaccel::capi
