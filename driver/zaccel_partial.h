/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * zaccel: the synthetic partial bitstreams of the emulator and the no-hardware test mode.
 */
#ifndef ZACCEL_PARTIAL_H
#define ZACCEL_PARTIAL_H

#include <linux/types.h>

#include "zaccel_drm.h"

/* What the configuration port must see before it can judge a partial's header. */
#define ZACCEL_PARTIAL_HEADER_BYTES (18 * 4)

int zaccel_partial_check_header(const u8 *buf, size_t size, u32 interface_id);
int zaccel_partial_parse(const u8 *buf, size_t size, u32 interface_id,
			 struct drm_zaccel_ip_id *ids, u32 *count);

#endif /* ZACCEL_PARTIAL_H */
