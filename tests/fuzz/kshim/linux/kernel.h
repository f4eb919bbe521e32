/* Userspace stand-in for the kernel's linux/kernel.h: only what the driver's parsers use. */
#ifndef ZACCEL_KSHIM_LINUX_KERNEL_H
#define ZACCEL_KSHIM_LINUX_KERNEL_H
#include <linux/types.h>
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#endif
