/* Userspace stand-in for the kernel's linux/math64.h. */
#ifndef ZACCEL_KSHIM_LINUX_MATH64_H
#define ZACCEL_KSHIM_LINUX_MATH64_H
#include <linux/types.h>
static inline u64 div_u64(u64 dividend, u32 divisor) {
  return dividend / divisor;
}
static inline u64 div64_u64(u64 dividend, u64 divisor) {
  return dividend / divisor;
}
#endif
