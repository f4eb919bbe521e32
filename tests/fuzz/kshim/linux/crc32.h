/* Userspace stand-in for the kernel's linux/crc32.h, through zlib (crc32_le without the
 * inversions zlib's crc32 applies on entry and exit). */
#ifndef ZACCEL_KSHIM_LINUX_CRC32_H
#define ZACCEL_KSHIM_LINUX_CRC32_H
#include <linux/types.h>
#include <zlib.h>
static inline u32 crc32_le(u32 crc, const void *p, size_t len) {
  return ~(u32)crc32(~crc & 0xffffffffUL, (const Bytef *)p, (uInt)len);
}
#endif
