// Structs the library fills begin with their size (accel.h): the library writes only as many
// bytes as the caller's struct has, so a struct can grow at its end without breaking callers
// built against an older header.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "util/error.h"

/// The bytes of `type` up to and including `field`: the size of the struct in the release
/// whose last field `field` was, the least a caller may pass.
#define ACCEL_SIZE_THROUGH(type, field) \
  (offsetof(type, field) + sizeof(static_cast<type *>(nullptr)->field))

namespace zaccel::capi {

/// Copies the first out->size bytes of `value` (at most all of it) to `out` and sets out->size
/// to the bytes copied; the caller's bytes past them are left alone. Throws Error (EINVAL) if
/// out->size is less than `min_size`, the struct as first released.
template <typename T>
void copy_sized(T *out, T value, size_t min_size, const char *what) {
  const size_t have = out->size;
  if (have < min_size)
    fail(EINVAL, what, ": size ", have, " is less than the ", min_size,
         " bytes of its first release");
  const size_t n = std::min(have, sizeof(T));
  value.size = static_cast<uint32_t>(n);
  std::memcpy(static_cast<void *>(out), &value, n);
}

}  // namespace zaccel::capi
