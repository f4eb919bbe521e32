// The C boundary: runs C++ code, turns any exception into -errno and one log message.
#pragma once

#include <cerrno>
#include <new>

#include "c_api/objects.h"
#include "util/error.h"

namespace zaccel::capi {

template <typename F>
int guard(accel_ctx *ctx, F &&body) noexcept {
  try {
    return body();
  } catch (const Error &e) {
    if (ctx) ctx->log(ACCEL_LOG_ERR, e.what());
    return -e.err();
  } catch (const std::bad_alloc &) {
    if (ctx) ctx->log(ACCEL_LOG_ERR, "out of memory");
    return -ENOMEM;
  } catch (const std::exception &e) {
    if (ctx) ctx->log(ACCEL_LOG_ERR, std::string("internal error: ") + e.what());
    return -EIO;
  } catch (...) {
    if (ctx) ctx->log(ACCEL_LOG_ERR, "internal error");
    return -EIO;
  }
}

/// `*out` a new object of type T holding a reference to `ctx`: 0 or -errno.
template <typename T>
int new_object(accel_ctx *ctx, T **out) {
  if (!ctx || !out) return -EINVAL;
  *out = nullptr;
  return guard(ctx, [&] {
    *out = make<T>(ctx);
    return 0;
  });
}

}  // namespace zaccel::capi
