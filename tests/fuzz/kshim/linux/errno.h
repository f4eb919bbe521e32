/* Userspace stand-in for the kernel's linux/errno.h. */
#ifndef ZACCEL_KSHIM_LINUX_ERRNO_H
#define ZACCEL_KSHIM_LINUX_ERRNO_H
#include_next <linux/errno.h>
#endif
