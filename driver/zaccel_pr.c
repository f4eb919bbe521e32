// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: partial reconfiguration of one region, as fpga_region_program_fpga() does it, with
 * the identity check uapi v1 adds: the region's bridges (PR decouplers) are taken and
 * disabled, the FPGA manager loads the partial with FPGA_MGR_PARTIAL_RECONFIG, the identity
 * block of every slot is read back and compared with what userspace expects, and only then
 * are the bridges enabled again. On any failure the region stays decoupled: an IP that did not
 * load as expected never reaches the static design's buses.
 *
 * A load runs where the fence of the work that asked for it has been published, and so must
 * not allocate memory (a reclaim could wait for that fence; see "Indefinite DMA Fences" in
 * Documentation/driver-api/dma-buf.rst). zaccel_pr_image_init() allocates all a load needs
 * before the fence exists; zaccel_pr_load() allocates nothing.
 */
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/fpga/fpga-bridge.h>
#include <linux/fpga/fpga-mgr.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

#include "zaccel_pr.h"

/**
 * zaccel_pr_state() - The region state uapi v1 names for an FPGA manager state.
 * @fpga_mgr_state: An &enum fpga_mgr_states value.
 *
 * Return: DRM_ZACCEL_STATE_*; header parsing counts as the write's initialisation.
 */
u32 zaccel_pr_state(int fpga_mgr_state)
{
	switch (fpga_mgr_state) {
	case FPGA_MGR_STATE_POWER_OFF:
		return DRM_ZACCEL_STATE_POWER_OFF;
	case FPGA_MGR_STATE_POWER_UP:
		return DRM_ZACCEL_STATE_POWER_UP;
	case FPGA_MGR_STATE_RESET:
		return DRM_ZACCEL_STATE_RESET;
	case FPGA_MGR_STATE_FIRMWARE_REQ:
		return DRM_ZACCEL_STATE_FIRMWARE_REQ;
	case FPGA_MGR_STATE_FIRMWARE_REQ_ERR:
		return DRM_ZACCEL_STATE_FIRMWARE_REQ_ERR;
	case FPGA_MGR_STATE_PARSE_HEADER:
	case FPGA_MGR_STATE_WRITE_INIT:
		return DRM_ZACCEL_STATE_WRITE_INIT;
	case FPGA_MGR_STATE_PARSE_HEADER_ERR:
	case FPGA_MGR_STATE_WRITE_INIT_ERR:
		return DRM_ZACCEL_STATE_WRITE_INIT_ERR;
	case FPGA_MGR_STATE_WRITE:
		return DRM_ZACCEL_STATE_WRITE;
	case FPGA_MGR_STATE_WRITE_ERR:
		return DRM_ZACCEL_STATE_WRITE_ERR;
	case FPGA_MGR_STATE_WRITE_COMPLETE:
		return DRM_ZACCEL_STATE_WRITE_COMPLETE;
	case FPGA_MGR_STATE_WRITE_COMPLETE_ERR:
		return DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR;
	case FPGA_MGR_STATE_OPERATING:
		return DRM_ZACCEL_STATE_OPERATING;
	default:
		return DRM_ZACCEL_STATE_UNKNOWN;
	}
}

static const char * const zaccel_state_names[] = {
	[DRM_ZACCEL_STATE_UNKNOWN] = "unknown",
	[DRM_ZACCEL_STATE_POWER_OFF] = "power off",
	[DRM_ZACCEL_STATE_POWER_UP] = "power up",
	[DRM_ZACCEL_STATE_RESET] = "reset",
	[DRM_ZACCEL_STATE_FIRMWARE_REQ] = "firmware request",
	[DRM_ZACCEL_STATE_FIRMWARE_REQ_ERR] = "firmware request error",
	[DRM_ZACCEL_STATE_WRITE_INIT] = "write init",
	[DRM_ZACCEL_STATE_WRITE_INIT_ERR] = "write init error",
	[DRM_ZACCEL_STATE_WRITE] = "write",
	[DRM_ZACCEL_STATE_WRITE_ERR] = "write error",
	[DRM_ZACCEL_STATE_WRITE_COMPLETE] = "write complete",
	[DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR] = "write complete error",
	[DRM_ZACCEL_STATE_OPERATING] = "operating",
};

/**
 * zaccel_state_name() - A region state as fpga-mgr's sysfs file names it.
 * @state: DRM_ZACCEL_STATE_*.
 *
 * Return: The name; "unknown" for a value out of range.
 */
const char *zaccel_state_name(u32 state)
{
	return state < ARRAY_SIZE(zaccel_state_names) ? zaccel_state_names[state] : "unknown";
}

/**
 * zaccel_pr_of_bridges() - Take the bridges the region's node names in fpga-bridges.
 * @pr: The region.
 * @info: The image being loaded.
 * @list: Receives the bridges.
 *
 * Return: 0, or the errno of the bridge that could not be taken (the others are put back).
 */
int zaccel_pr_of_bridges(struct zaccel_pr *pr, struct fpga_image_info *info,
			 struct list_head *list)
{
	struct device_node *np;
	int i, ret;

	for (i = 0;; i++) {
		np = of_parse_phandle(pr->bridges_np, "fpga-bridges", i);
		if (!np)
			return 0;
		ret = of_fpga_bridge_get_to_list(np, info, list);
		of_node_put(np);
		if (ret) {
			fpga_bridges_put(list);
			return ret;
		}
	}
}

/**
 * zaccel_pr_dev_bridges() - Take the one bridge registered under @pr->bridges_dev.
 * @pr: The region.
 * @info: The image being loaded.
 * @list: Receives the bridge.
 *
 * Return: 0 or the errno of fpga_bridge_get_to_list().
 */
int zaccel_pr_dev_bridges(struct zaccel_pr *pr, struct fpga_image_info *info,
			  struct list_head *list)
{
	return fpga_bridge_get_to_list(pr->bridges_dev, info, list);
}

/* Reads slot @slot's identity block. */
static void zaccel_pr_read_id(const struct zaccel_pr *pr, u32 slot, struct drm_zaccel_ip_id *id)
{
	u32 *words = (u32 *)id;
	u32 i;

	for (i = 0; i < sizeof(*id) / 4; i++)
		words[i] = zaccel_rd(pr->regs, ZACCEL_SLOT(slot) + ZACCEL_REG_ID + 4 * i);
}

/* Whether the loaded partial holds exactly the IPs @expected names; fills @res->loaded. */
static int zaccel_pr_check_ids(const struct zaccel_pr *pr, const struct drm_zaccel_ip_id *expected,
			       u32 count, struct zaccel_pr_result *res)
{
	struct drm_zaccel_ip_id extra;
	u32 i;

	for (i = 0; i < count; i++) {
		zaccel_pr_read_id(pr, i, &res->loaded[i]);
		if (memcmp(&res->loaded[i], &expected[i], sizeof(expected[i])))
			return -EPROTO;
	}
	if (count < DRM_ZACCEL_MAX_SLOTS) {
		zaccel_pr_read_id(pr, count, &extra);
		if (extra.magic == ZACCEL_IP_MAGIC)
			return -EPROTO;
	}
	return 0;
}

/**
 * zaccel_pr_image_init() - Prepare a partial for zaccel_pr_load(), allocating all it needs.
 * @pr: The region it is for.
 * @img: Out: the image. zaccel_pr_image_fini() frees what it holds, after a failure too.
 * @page: The first page of the memory holding the partial, which is physically contiguous.
 * @offset: Where the partial begins, from the start of @page.
 * @size: The partial's size.
 *
 * The image info is part of @img: fpga_image_info_alloc() allocates with devm on the device,
 * whose resources a load queued when it is unbound would outlive. fpga_mgr_load() takes the
 * partial as an sg table over its own pages, which it reads in place. It maps the table a page
 * at a time, and when the first page holds less than the manager's initial_header_size, it
 * copies the header into memory it allocates then. A partial whose header crosses a page
 * boundary therefore starts with a page allocated here, into which zaccel_pr_load() copies
 * the partial's first bytes; the table goes on with the partial's own pages after them. Either
 * way, an entry starts 8-byte aligned and is a multiple of 4 bytes long if @offset and @size
 * are (zynq-fpga's DMA requires both).
 *
 * Return: 0; -EINVAL for an empty partial or one of 4 GiB or more; -ENOMEM.
 */
int zaccel_pr_image_init(struct zaccel_pr *pr, struct zaccel_pr_image *img, struct page *page,
			 size_t offset, size_t size)
{
	size_t header = pr->mgr->mops->initial_header_size, rest;
	struct scatterlist *sg;
	int ret;

	memset(img, 0, sizeof(*img));
	if (!size || size > UINT_MAX)
		return -EINVAL;
	img->page = nth_page(page, offset >> PAGE_SHIFT);
	img->offset = offset_in_page(offset);
	img->info.flags = FPGA_MGR_PARTIAL_RECONFIG;
	img->info.sgt = &img->sgt;
	img->info.disable_timeout_us = pr->freeze_us;
	img->info.enable_timeout_us = pr->unfreeze_us;
	img->info.dev = pr->dev;

	if (img->offset + min(header, size) > PAGE_SIZE) {
		img->head = alloc_page(GFP_KERNEL);
		if (!img->head)
			return -ENOMEM;
		img->head_bytes = min_t(size_t, size, PAGE_SIZE);
	}
	rest = size - img->head_bytes;
	ret = sg_alloc_table(&img->sgt, !!img->head + !!rest, GFP_KERNEL);
	if (ret)
		return ret;
	sg = img->sgt.sgl;
	if (img->head) {
		sg_set_page(sg, img->head, img->head_bytes, 0);
		sg = sg_next(sg);
	}
	if (rest) {
		offset = img->offset + img->head_bytes;
		sg_set_page(sg, nth_page(img->page, offset >> PAGE_SHIFT), rest,
			    offset_in_page(offset));
	}
	return 0;
}

/**
 * zaccel_pr_image_fini() - Free what zaccel_pr_image_init() allocated.
 * @img: The image, initialised (successfully or not) or zero-filled.
 */
void zaccel_pr_image_fini(struct zaccel_pr_image *img)
{
	sg_free_table(&img->sgt);
	if (img->head)
		__free_page(img->head);
	img->head = NULL;
}

/* Copies the partial's first bytes into the page that starts the image's table. */
static void zaccel_pr_copy_head(struct zaccel_pr_image *img)
{
	u8 *dst = page_address(img->head);
	size_t done, from, n;

	for (done = 0; done < img->head_bytes; done += n) {
		from = img->offset + done;
		n = min_t(size_t, img->head_bytes - done, PAGE_SIZE - offset_in_page(from));
		memcpy_from_page(dst + done, nth_page(img->page, from >> PAGE_SHIFT),
				 offset_in_page(from), n);
	}
}

/**
 * zaccel_pr_load() - Reconfigure a region with a partial bitstream.
 * @pr: The region.
 * @img: The partial, from zaccel_pr_image_init(); loaded once.
 * @expected: The identities its slots must read back, slot 0 first.
 * @count: Entries in @expected, 1 to %DRM_ZACCEL_MAX_SLOTS.
 * @res: In: the region's state and coupling before the load (what stays if the bridges or
 *       the manager cannot be taken); out: the region afterwards.
 *
 * The caller has drained the region's jobs. The sequence is: take the bridges, lock the
 * manager, disable the bridges, load, read back the identities, enable the bridges. Nothing is
 * allocated: the load may run in a fence's signalling path.
 *
 * Return: 0; -EBUSY if the manager or a bridge is held by someone else (nothing was touched);
 * the manager's errno if the load failed; -EPROTO if the identities differ from @expected;
 * or a bridge's errno. The region stays decoupled after every failure that follows
 * the decoupling.
 */
int zaccel_pr_load(struct zaccel_pr *pr, struct zaccel_pr_image *img,
		   const struct drm_zaccel_ip_id *expected, u32 count, struct zaccel_pr_result *res)
{
	LIST_HEAD(bridges);
	int ret;

	res->slots = 0;
	memset(res->loaded, 0, sizeof(res->loaded));
	if (img->head)
		zaccel_pr_copy_head(img);

	ret = pr->get_bridges(pr, &img->info, &bridges);
	if (ret)
		return ret;
	ret = fpga_mgr_lock(pr->mgr);
	if (ret)
		goto out_put_bridges;

	res->decoupled = true;
	ret = fpga_bridges_disable(&bridges);
	if (ret)
		goto out_unlock_mgr;
	ret = fpga_mgr_load(pr->mgr, &img->info);
	res->state = zaccel_pr_state(pr->mgr->state);
	if (ret)
		goto out_unlock_mgr;
	ret = zaccel_pr_check_ids(pr, expected, count, res);
	if (ret) {
		res->state = DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR;
		goto out_unlock_mgr;
	}
	ret = fpga_bridges_enable(&bridges);
	if (ret)
		goto out_unlock_mgr;
	res->decoupled = false;
	res->slots = count;

out_unlock_mgr:
	fpga_mgr_unlock(pr->mgr);
out_put_bridges:
	fpga_bridges_put(&bridges);
	if (ret)
		res->slots = 0;
	return ret;
}
