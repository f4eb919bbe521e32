/* Userspace stand-in for the kernel's asm/byteorder.h (little-endian host). */
#ifndef ZACCEL_KSHIM_ASM_BYTEORDER_H
#define ZACCEL_KSHIM_ASM_BYTEORDER_H
#include <linux/types.h>
#define be32_to_cpu(x) __builtin_bswap32((u32)(x))
#endif
