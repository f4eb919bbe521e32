#include <cstdio>

#include "c_api/objects.h"

namespace {

void log_stderr(void *, int, const char *msg) {
  std::fprintf(stderr, "libaccel: %s\n", msg);
}

}  // namespace

void accel_ctx::log(int priority, const std::string &msg) {
  std::lock_guard<std::mutex> hold(log_lock);
  if (log_fn && priority <= log_priority) log_fn(log_data, priority, msg.c_str());
}

extern "C" {

int accel_ctx_new(accel_ctx **ctx) {
  if (!ctx) return -EINVAL;
  *ctx = new (std::nothrow) accel_ctx;
  if (!*ctx) return -ENOMEM;
  (*ctx)->log_fn = log_stderr;
  return 0;
}

accel_ctx *accel_ctx_ref(accel_ctx *ctx) {
  if (ctx) ctx->refs.fetch_add(1);
  return ctx;
}

accel_ctx *accel_ctx_unref(accel_ctx *ctx) {
  if (ctx && ctx->refs.fetch_sub(1) == 1) delete ctx;
  return nullptr;
}

void accel_ctx_set_log_fn(accel_ctx *ctx, accel_log_fn fn, void *userdata) {
  if (!ctx) return;
  std::lock_guard<std::mutex> hold(ctx->log_lock);
  ctx->log_fn = fn;
  ctx->log_data = userdata;
}

void accel_ctx_set_log_priority(accel_ctx *ctx, int priority) {
  if (!ctx) return;
  std::lock_guard<std::mutex> hold(ctx->log_lock);
  ctx->log_priority = priority;
}

}  // extern "C"
