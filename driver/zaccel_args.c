// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: RECONFIG's and SUBMIT's arguments, checked before anything is looked up or
 * allocated. Every pad and flags field is checked here: a field the uapi says must be zero is
 * refused when it is not.
 */
#include <linux/errno.h>

#include "zaccel_args.h"

/**
 * zaccel_args_check_reconfig() - Check a RECONFIG's scalar arguments.
 * @args: The arguments.
 * @num_regions: Regions of the device.
 * @partial_size: Size of a partial for @args->region (any value if it is out of range).
 *
 * Return: 0, or -EINVAL for a region out of range, non-zero flags, a slot count of 0 or above
 * %DRM_ZACCEL_MAX_SLOTS, too many in-syncs, or a size other than @partial_size.
 */
int zaccel_args_check_reconfig(const struct drm_zaccel_reconfig *args, u32 num_regions,
			       u64 partial_size)
{
	if (args->region >= num_regions || args->flags)
		return -EINVAL;
	if (!args->slot_count || args->slot_count > DRM_ZACCEL_MAX_SLOTS)
		return -EINVAL;
	if (args->in_sync_count > DRM_ZACCEL_MAX_SYNCS || args->size != partial_size)
		return -EINVAL;
	return 0;
}

/**
 * zaccel_args_check_submit() - Check a SUBMIT's scalar arguments.
 * @args: The arguments.
 * @num_regions: Regions of the device.
 *
 * Return: 0, or -EINVAL for a region or slot out of range, non-zero flags or pad, no or too
 * many arguments, too many registers or in-syncs.
 */
int zaccel_args_check_submit(const struct drm_zaccel_submit *args, u32 num_regions)
{
	if (args->region >= num_regions || args->slot >= DRM_ZACCEL_MAX_SLOTS)
		return -EINVAL;
	if (args->flags || args->pad)
		return -EINVAL;
	if (!args->arg_count || args->arg_count > DRM_ZACCEL_MAX_ARGS)
		return -EINVAL;
	if (args->reg_count > DRM_ZACCEL_MAX_REGS || args->in_sync_count > DRM_ZACCEL_MAX_SYNCS)
		return -EINVAL;
	return 0;
}

/**
 * zaccel_args_check_arg() - Check one buffer argument's flags.
 * @arg: The argument.
 *
 * Return: 0, or -EINVAL for no or unknown flags.
 */
int zaccel_args_check_arg(const struct drm_zaccel_arg *arg)
{
	return arg->flags && !(arg->flags & ~DRM_ZACCEL_ARG_FLAGS) ? 0 : -EINVAL;
}

/**
 * zaccel_args_check_extension() - Check one link of an extension chain.
 * @ext: The link's header.
 * @position: Its place in the chain, from 0.
 * @have_report: An earlier link was a %DRM_ZACCEL_EXT_REPORT.
 *
 * Return: 0, or -EINVAL for a chain too long, non-zero flags, an unknown id or an extension
 * given twice.
 */
int zaccel_args_check_extension(const struct drm_zaccel_extension *ext, u32 position,
				bool have_report)
{
	if (position >= DRM_ZACCEL_MAX_EXTENSIONS || ext->flags)
		return -EINVAL;
	return ext->id == DRM_ZACCEL_EXT_REPORT && !have_report ? 0 : -EINVAL;
}

/**
 * zaccel_args_range_ok() - Whether a range lies in a BO, as every BO range must.
 * @offset: Start of the range, a multiple of 8.
 * @size: Its length, not zero.
 * @bo_size: Size of the BO.
 *
 * Return: True if the range is not empty, aligned and inside the BO, without overflow.
 */
bool zaccel_args_range_ok(u64 offset, u64 size, u64 bo_size)
{
	return size && !(offset % 8) && offset <= bo_size && size <= bo_size - offset;
}
