/* Userspace stand-in for the kernel's linux/string.h. */
#ifndef ZACCEL_KSHIM_LINUX_STRING_H
#define ZACCEL_KSHIM_LINUX_STRING_H
#include <string.h>
#endif
