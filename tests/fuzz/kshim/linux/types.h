/* Userspace stand-in for the kernel's linux/types.h: the uapi types plus u8..u64. */
#ifndef ZACCEL_KSHIM_LINUX_TYPES_H
#define ZACCEL_KSHIM_LINUX_TYPES_H
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
#endif
