// SPDX-License-Identifier: MIT
/*
 * uapi/zaccel_drm.h layout: every struct's size and every field's offset, asserted at compile
 * time. Built for the host and for 32-bit ARM (the PYNQ-Z2's userspace), so both ABIs agree
 * with the 64-bit kernel.
 */
#include <assert.h>
#include <stddef.h>

#include "drm.h"

/* No implicit padding anywhere in our structs (drm.h itself has some, so it comes first). */
#pragma GCC diagnostic error "-Wpadded"
#include "zaccel_drm.h"

#define SIZE(s, n) static_assert(sizeof(struct s) == (n), #s " size")
#define AT(s, f, off) static_assert(offsetof(struct s, f) == (off), #s "." #f " offset")

SIZE(drm_zaccel_extension, 16);
AT(drm_zaccel_extension, next, 0);
AT(drm_zaccel_extension, id, 8);
AT(drm_zaccel_extension, flags, 12);

SIZE(drm_zaccel_ext_report, 32);
AT(drm_zaccel_ext_report, base, 0);
AT(drm_zaccel_ext_report, handle, 16);
AT(drm_zaccel_ext_report, pad, 20);
AT(drm_zaccel_ext_report, offset, 24);

SIZE(drm_zaccel_report, 48);
AT(drm_zaccel_report, start_ns, 0);
AT(drm_zaccel_report, end_ns, 8);
AT(drm_zaccel_report, compute_start_ns, 16);
AT(drm_zaccel_report, compute_end_ns, 24);
AT(drm_zaccel_report, bytes, 32);
AT(drm_zaccel_report, error, 40);
AT(drm_zaccel_report, flags, 44);

SIZE(drm_zaccel_get_param, 16);
AT(drm_zaccel_get_param, param, 0);
AT(drm_zaccel_get_param, index, 4);
AT(drm_zaccel_get_param, value, 8);

SIZE(drm_zaccel_bo_create, 32);
AT(drm_zaccel_bo_create, size, 0);
AT(drm_zaccel_bo_create, flags, 8);
AT(drm_zaccel_bo_create, handle, 12);
AT(drm_zaccel_bo_create, mmap_offset, 16);
AT(drm_zaccel_bo_create, dev_addr, 24);

SIZE(drm_zaccel_bo_prep, 16);
AT(drm_zaccel_bo_prep, handle, 0);
AT(drm_zaccel_bo_prep, flags, 4);
AT(drm_zaccel_bo_prep, timeout_ns, 8);

SIZE(drm_zaccel_bo_fini, 8);
AT(drm_zaccel_bo_fini, handle, 0);
AT(drm_zaccel_bo_fini, pad, 4);

SIZE(drm_zaccel_ip_id, 64);
AT(drm_zaccel_ip_id, magic, 0);
AT(drm_zaccel_ip_id, kind, 4);
AT(drm_zaccel_ip_id, version, 8);
AT(drm_zaccel_ip_id, flags, 12);
AT(drm_zaccel_ip_id, in_c, 16);
AT(drm_zaccel_ip_id, in_h, 20);
AT(drm_zaccel_ip_id, in_w, 24);
AT(drm_zaccel_ip_id, out_c, 28);
AT(drm_zaccel_ip_id, out_h, 32);
AT(drm_zaccel_ip_id, out_w, 36);
AT(drm_zaccel_ip_id, kernel, 40);
AT(drm_zaccel_ip_id, stride, 44);
AT(drm_zaccel_ip_id, padding, 48);
AT(drm_zaccel_ip_id, bits, 52);
AT(drm_zaccel_ip_id, weight_mode, 56);
AT(drm_zaccel_ip_id, lanes, 60);

SIZE(drm_zaccel_reconfig, 64);
AT(drm_zaccel_reconfig, region, 0);
AT(drm_zaccel_reconfig, bo_handle, 4);
AT(drm_zaccel_reconfig, bo_offset, 8);
AT(drm_zaccel_reconfig, size, 16);
AT(drm_zaccel_reconfig, expected, 24);
AT(drm_zaccel_reconfig, slot_count, 32);
AT(drm_zaccel_reconfig, in_sync_count, 36);
AT(drm_zaccel_reconfig, in_syncs, 40);
AT(drm_zaccel_reconfig, out_sync, 48);
AT(drm_zaccel_reconfig, flags, 52);
AT(drm_zaccel_reconfig, extensions, 56);

SIZE(drm_zaccel_arg, 24);
AT(drm_zaccel_arg, handle, 0);
AT(drm_zaccel_arg, flags, 4);
AT(drm_zaccel_arg, offset, 8);
AT(drm_zaccel_arg, size, 16);

SIZE(drm_zaccel_submit, 64);
AT(drm_zaccel_submit, region, 0);
AT(drm_zaccel_submit, slot, 4);
AT(drm_zaccel_submit, flags, 8);
AT(drm_zaccel_submit, arg_count, 12);
AT(drm_zaccel_submit, args, 16);
AT(drm_zaccel_submit, regs, 24);
AT(drm_zaccel_submit, reg_count, 32);
AT(drm_zaccel_submit, in_sync_count, 36);
AT(drm_zaccel_submit, in_syncs, 40);
AT(drm_zaccel_submit, out_sync, 48);
AT(drm_zaccel_submit, pad, 52);
AT(drm_zaccel_submit, extensions, 56);

SIZE(drm_zaccel_region_query, 128);
AT(drm_zaccel_region_query, region, 0);
AT(drm_zaccel_region_query, slot, 4);
AT(drm_zaccel_region_query, state, 8);
AT(drm_zaccel_region_query, flags, 12);
AT(drm_zaccel_region_query, frames, 16);
AT(drm_zaccel_region_query, slots, 20);
AT(drm_zaccel_region_query, loaded, 24);
AT(drm_zaccel_region_query, reconfigs, 88);
AT(drm_zaccel_region_query, jobs, 96);
AT(drm_zaccel_region_query, bytes, 104);
AT(drm_zaccel_region_query, errors, 112);
AT(drm_zaccel_region_query, last_error, 120);
AT(drm_zaccel_region_query, pad, 124);

/* Every ioctl number is distinct and encodes its struct's size. */
static_assert(_IOC_SIZE(DRM_IOCTL_ZACCEL_RECONFIG) == 64, "RECONFIG size in ioctl number");
static_assert(_IOC_SIZE(DRM_IOCTL_ZACCEL_SUBMIT) == 64, "SUBMIT size in ioctl number");

int main(void)
{
	return 0;
}
