/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * zaccel: partial reconfiguration of one region through the FPGA framework.
 */
#ifndef ZACCEL_PR_H
#define ZACCEL_PR_H

#include <linux/fpga/fpga-mgr.h>
#include <linux/list.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

#include "zaccel_drm.h"
#include "zaccel_regs.h"

struct device;
struct page;

/**
 * struct zaccel_pr - What reconfiguring one region takes.
 * @dev: The device that loads the region's partials (&fpga_image_info.dev).
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

/**
 * struct zaccel_pr_image - A partial ready for zaccel_pr_load(), with everything the load needs
 * allocated beforehand (see zaccel_pr_image_init()).
 * @info: What fpga_mgr_load() takes: partial reconfiguration from @sgt.
 * @sgt: The partial: its own pages, after @head if there is one.
 * @page: The page the partial begins in.
 * @offset: Where in @page it begins.
 * @head: A page that receives the partial's first @head_bytes when the load starts, so that
 *        the manager's header does not cross a page boundary; NULL if it does not anyway.
 * @head_bytes: Bytes of the partial in @head.
 */
struct zaccel_pr_image {
	struct fpga_image_info info;
	struct sg_table sgt;
	struct page *page;
	size_t offset;
	struct page *head;
	size_t head_bytes;
};

int zaccel_pr_image_init(struct zaccel_pr *pr, struct zaccel_pr_image *img, struct page *page,
			 size_t offset, size_t size);
void zaccel_pr_image_fini(struct zaccel_pr_image *img);
int zaccel_pr_of_bridges(struct zaccel_pr *pr, struct fpga_image_info *info,
			 struct list_head *list);
int zaccel_pr_dev_bridges(struct zaccel_pr *pr, struct fpga_image_info *info,
			  struct list_head *list);
int zaccel_pr_load(struct zaccel_pr *pr, struct zaccel_pr_image *img,
		   const struct drm_zaccel_ip_id *expected, u32 count,
		   struct zaccel_pr_result *res);
u32 zaccel_pr_state(int fpga_mgr_state);
const char *zaccel_state_name(u32 state);

#endif /* ZACCEL_PR_H */
