/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * zaccel: partial reconfiguration of one region through the FPGA framework.
 */
#ifndef ZACCEL_PR_H
#define ZACCEL_PR_H

#include <linux/list.h>
#include <linux/types.h>

#include "zaccel_drm.h"
#include "zaccel_regs.h"

struct device;
struct fpga_image_info;
struct fpga_manager;

/**
 * struct zaccel_pr - What reconfiguring one region takes.
 * @dev: The device the image info is allocated for.
 * @mgr: The FPGA manager that writes the configuration port; the regions share it.
 * @get_bridges: Takes the region's bridges (its decouplers) exclusively onto @list, as
 *               fpga_bridge_get_to_list() does; 0 or a negative errno.
 * @bridges_np: For @get_bridges: the region's device-tree node, or NULL.
 * @bridges_dev: For @get_bridges: the parent device of a bridge without a node, or NULL.
 * @regs: The region's register window, whose identity blocks are read back after a load.
 * @freeze_us: Time the bridges may take to decouple the region (0: their default).
 * @unfreeze_us: Time the bridges may take to couple it again.
 */
struct zaccel_pr {
	struct device *dev;
	struct fpga_manager *mgr;
	int (*get_bridges)(struct zaccel_pr *pr, struct fpga_image_info *info,
			   struct list_head *list);
	struct device_node *bridges_np;
	struct device *bridges_dev;
	const struct zaccel_regs *regs;
	u32 freeze_us;
	u32 unfreeze_us;
};

/**
 * struct zaccel_pr_result - The region after a reconfiguration, successful or not.
 * @state: DRM_ZACCEL_STATE_* the region is in.
 * @decoupled: The bridges isolate the region.
 * @slots: IPs loaded and checked, 0 after a failure.
 * @loaded: Their identities, slot 0 first.
 */
struct zaccel_pr_result {
	u32 state;
	bool decoupled;
	u32 slots;
	struct drm_zaccel_ip_id loaded[DRM_ZACCEL_MAX_SLOTS];
};

int zaccel_pr_of_bridges(struct zaccel_pr *pr, struct fpga_image_info *info,
			 struct list_head *list);
int zaccel_pr_dev_bridges(struct zaccel_pr *pr, struct fpga_image_info *info,
			  struct list_head *list);
int zaccel_pr_load(struct zaccel_pr *pr, const void *buf, size_t size,
		   const struct drm_zaccel_ip_id *expected, u32 count,
		   struct zaccel_pr_result *res);
u32 zaccel_pr_state(int fpga_mgr_state);
const char *zaccel_state_name(u32 state);

#endif /* ZACCEL_PR_H */
