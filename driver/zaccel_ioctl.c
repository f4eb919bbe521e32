// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: the ioctls that read the device, GET_PARAM and REGION_QUERY. Every input is
 * checked before anything is read or written.
 */
#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <linux/string.h>

#include "zaccel_drv.h"

static bool zaccel_param_per_region(u32 param)
{
	return param >= DRM_ZACCEL_PARAM_REGION_FRAMES && param != DRM_ZACCEL_PARAM_HP_BYTES_PER_S;
}

/**
 * zaccel_ioctl_get_param() - DRM_IOCTL_ZACCEL_GET_PARAM.
 * @drm: The device.
 * @data: &struct drm_zaccel_get_param, copied in and out by the DRM core.
 * @file: The caller's file.
 *
 * Return: 0, or -EINVAL for an unknown parameter, a region out of range or a non-zero index
 * for a global parameter.
 */
int zaccel_ioctl_get_param(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct zaccel_device *zdev = to_zaccel(drm);
	struct drm_zaccel_get_param *args = data;
	const struct zaccel_region *r;

	if (args->param > DRM_ZACCEL_PARAM_REGION_HP_PORTS)
		return -EINVAL;
	if (zaccel_param_per_region(args->param) ? args->index >= zdev->num_regions : args->index)
		return -EINVAL;
	r = &zdev->regions[zaccel_param_per_region(args->param) ? args->index : 0];

	switch (args->param) {
	case DRM_ZACCEL_PARAM_API_VERSION:
		args->value = ZACCEL_API_VERSION;
		break;
	case DRM_ZACCEL_PARAM_CAPABILITIES:
		args->value = zdev->nohw ? DRM_ZACCEL_CAP_NO_HW : 0;
		break;
	case DRM_ZACCEL_PARAM_NUM_REGIONS:
		args->value = zdev->num_regions;
		break;
	case DRM_ZACCEL_PARAM_PL_CLOCK_HZ:
		args->value = zdev->pl_clock_hz;
		break;
	case DRM_ZACCEL_PARAM_PCAP_BYTES_PER_S:
		args->value = zdev->pcap_bytes_per_s;
		break;
	case DRM_ZACCEL_PARAM_DDR_BYTES_PER_S:
		args->value = zdev->ddr_bytes_per_s;
		break;
	case DRM_ZACCEL_PARAM_MAX_BO_SIZE:
		args->value = zdev->pool_bytes;
		break;
	case DRM_ZACCEL_PARAM_REGION_FRAMES:
		args->value = r->frames;
		break;
	case DRM_ZACCEL_PARAM_REGION_INTERFACE_ID:
		args->value = r->interface_id;
		break;
	case DRM_ZACCEL_PARAM_REGION_PARTIAL_SIZE:
		args->value = (u64)r->frames * ZACCEL_FRAME_WORDS * 4;
		break;
	case DRM_ZACCEL_PARAM_HP_BYTES_PER_S:
		args->value = zdev->hp_bytes_per_s;
		break;
	case DRM_ZACCEL_PARAM_REGION_DSP:
		args->value = r->dsp;
		break;
	case DRM_ZACCEL_PARAM_REGION_BRAM18:
		args->value = r->bram18;
		break;
	case DRM_ZACCEL_PARAM_REGION_LUT:
		args->value = r->lut;
		break;
	case DRM_ZACCEL_PARAM_REGION_FF:
		args->value = r->ff;
		break;
	case DRM_ZACCEL_PARAM_REGION_HP_PORTS:
		args->value = r->hp_ports;
		break;
	}
	return 0;
}

/**
 * zaccel_ioctl_region_query() - DRM_IOCTL_ZACCEL_REGION_QUERY.
 * @drm: The device.
 * @data: &struct drm_zaccel_region_query, copied in and out by the DRM core.
 * @file: The caller's file.
 *
 * @loaded is the identity read back from @slot after the last successful RECONFIG, zero if
 * the slot holds no working IP.
 *
 * Return: 0, or -EINVAL for a region or slot out of range or a non-zero pad.
 */
int zaccel_ioctl_region_query(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct zaccel_device *zdev = to_zaccel(drm);
	struct drm_zaccel_region_query *args = data;
	const struct zaccel_region *r;

	if (args->region >= zdev->num_regions || args->slot >= DRM_ZACCEL_MAX_SLOTS || args->pad)
		return -EINVAL;
	r = &zdev->regions[args->region];

	mutex_lock(&zdev->lock);
	args->state = r->state;
	args->flags = r->flags;
	args->reconfigs = r->reconfigs;
	args->jobs = r->jobs;
	args->bytes = r->bytes;
	args->errors = r->errors;
	args->last_error = r->last_error;
	args->slots = r->slots;
	if (args->slot < r->slots)
		args->loaded = r->loaded[args->slot];
	else
		memset(&args->loaded, 0, sizeof(args->loaded));
	mutex_unlock(&zdev->lock);

	args->frames = r->frames;
	return 0;
}
