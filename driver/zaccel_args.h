/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * zaccel: the checks of RECONFIG's and SUBMIT's arguments that need nothing but the arguments
 * and the shell: made before anything is looked up or allocated, and tested with KUnit.
 */
#ifndef ZACCEL_ARGS_H
#define ZACCEL_ARGS_H

#include <linux/types.h>

#include "zaccel_drm.h"

int zaccel_args_check_reconfig(const struct drm_zaccel_reconfig *args, u32 num_regions,
			       u64 partial_size);
int zaccel_args_check_submit(const struct drm_zaccel_submit *args, u32 num_regions);
int zaccel_args_check_arg(const struct drm_zaccel_arg *arg);
int zaccel_args_check_extension(const struct drm_zaccel_extension *ext, u32 position,
				bool have_report);
bool zaccel_args_range_ok(u64 offset, u64 size, u64 bo_size);

#endif /* ZACCEL_ARGS_H */
