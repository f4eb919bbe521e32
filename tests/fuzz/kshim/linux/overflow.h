/* Userspace stand-in for the kernel's linux/overflow.h (same semantics: true on overflow). */
#ifndef ZACCEL_KSHIM_LINUX_OVERFLOW_H
#define ZACCEL_KSHIM_LINUX_OVERFLOW_H
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#endif
