// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: the no-hardware test mode (module parameter no_hw), as ivpu's NULL_HW. Stand-ins
 * replace exactly the PL and what drives it:
 *
 * - an FPGA manager, registered with the FPGA framework, in place of the Zynq's devcfg/PCAP:
 *   it checks the synthetic partials the emulator defines (emulator/bitstream/partial.h:
 *   preamble, sync word, descriptor header and target interface at write_init; trailer, CRC
 *   and descriptors at write_complete) and "configures" the region by writing each IP's
 *   identity into the region's identity blocks;
 * - one FPGA bridge per region, registered with the framework, in place of the PR decouplers;
 * - memory in place of the register windows;
 * - an IP per slot that completes each job after no_hw_job_us (computing nothing) and raises
 *   the region's interrupt, or fails as a fault injected through debugfs asks: a CRC error on
 *   the next load, a DMA error, or a hang that the job timeout ends.
 *
 * Everything else (ioctls, BOs, fences, the PR sequence, the job runner) is the real code.
 */
#include <drm/drm_print.h>
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/fpga/fpga-bridge.h>
#include <linux/fpga/fpga-mgr.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "zaccel_drv.h"
#include "zaccel_ip.h"
#include "zaccel_partial.h"

static unsigned int zaccel_nohw_job_us = 1000;
module_param_named(no_hw_job_us, zaccel_nohw_job_us, uint, 0644);
MODULE_PARM_DESC(no_hw_job_us, "Test mode: time a job takes (us)");

/* Faults the test mode injects (as the emulator's emu::Fault). */
enum zaccel_fault {
	ZACCEL_FAULT_NONE,
	ZACCEL_FAULT_PR_CRC,
	ZACCEL_FAULT_DMA_TIMEOUT,
	ZACCEL_FAULT_IP_HANG,
};

static const char * const zaccel_fault_names[] = {
	[ZACCEL_FAULT_NONE] = "none",
	[ZACCEL_FAULT_PR_CRC] = "pr_crc",
	[ZACCEL_FAULT_DMA_TIMEOUT] = "dma_timeout",
	[ZACCEL_FAULT_IP_HANG] = "ip_hang",
};

/**
 * struct zaccel_nohw_slot - The IP of one slot.
 * @timer: Ends the running job.
 * @region: The region's stand-ins.
 * @slot: The slot's number.
 * @dma_error: The running job ends with a DMA error.
 */
struct zaccel_nohw_slot {
	struct hrtimer timer;
	struct zaccel_nohw_region *region;
	u32 slot;
	bool dma_error;
};

/**
 * struct zaccel_nohw_region - A region's stand-ins.
 * @nohw: Back to the device's.
 * @index: The region's number.
 * @bridge_parent: Device the bridge is registered under (fpga_bridge_get() finds it by it).
 * @bridge: The decoupler.
 * @coupled: The decoupler lets the region through; written by the bridge core, which
 *           serialises calls on one bridge.
 * @fault: Injected fault (&enum zaccel_fault) for the region's next load or job.
 * @slots: The IPs.
 */
struct zaccel_nohw_region {
	struct zaccel_nohw *nohw;
	u32 index;
	struct platform_device *bridge_parent;
	struct fpga_bridge *bridge;
	bool coupled;
	atomic_t fault;
	struct zaccel_nohw_slot slots[DRM_ZACCEL_MAX_SLOTS];
};

/**
 * struct zaccel_nohw - The test mode's stand-ins for the PL.
 * @zdev: The device.
 * @mgr: The configuration port.
 * @target: Region the next load is for; under &zaccel_device.pcap_lock, with @staging.
 * @staging: The partial as the configuration port received it.
 * @staged: Bytes of @staging received.
 * @capacity: Size of @staging: the largest partial of any region.
 * @regions: Per region.
 */
struct zaccel_nohw {
	struct zaccel_device *zdev;
	struct fpga_manager *mgr;
	u32 target;
	u8 *staging;
	size_t staged;
	size_t capacity;
	struct zaccel_nohw_region regions[ZACCEL_MAX_REGIONS];
};

static struct zaccel_region *zaccel_nohw_region_of(struct zaccel_nohw *nohw)
{
	return &nohw->zdev->regions[nohw->target];
}

static void zaccel_nohw_clear_ids(struct zaccel_region *r)
{
	u32 slot, i;

	for (slot = 0; slot < DRM_ZACCEL_MAX_SLOTS; slot++)
		for (i = 0; i < sizeof(struct drm_zaccel_ip_id) / 4; i++)
			zaccel_wr(&r->regs, ZACCEL_SLOT(slot) + ZACCEL_REG_ID + 4 * i, 0);
}

static enum fpga_mgr_states zaccel_nohw_mgr_state(struct fpga_manager *mgr)
{
	return FPGA_MGR_STATE_OPERATING;
}

/* @buf: the partial's first bytes, at least the header (initial_header_size). */
static int zaccel_nohw_write_init(struct fpga_manager *mgr, struct fpga_image_info *info,
				  const char *buf, size_t count)
{
	struct zaccel_nohw *nohw = mgr->priv;
	struct zaccel_region *r = zaccel_nohw_region_of(nohw);

	if (!(info->flags & FPGA_MGR_PARTIAL_RECONFIG))
		return -EINVAL;
	/* The region's old contents are gone once its configuration starts. */
	zaccel_nohw_clear_ids(r);
	nohw->staged = 0;
	return zaccel_partial_check_header(buf, count, r->interface_id);
}

/* Receives the partial piece by piece (the FPGA framework writes an sg table a page at a time). */
static int zaccel_nohw_write(struct fpga_manager *mgr, const char *buf, size_t count)
{
	struct zaccel_nohw *nohw = mgr->priv;

	if (count > nohw->capacity - nohw->staged)
		return -EFBIG;
	memcpy(nohw->staging + nohw->staged, buf, count);
	nohw->staged += count;
	return 0;
}

static int zaccel_nohw_write_complete(struct fpga_manager *mgr, struct fpga_image_info *info)
{
	struct zaccel_nohw *nohw = mgr->priv;
	struct zaccel_region *r = zaccel_nohw_region_of(nohw);
	struct zaccel_nohw_region *nr = &nohw->regions[nohw->target];
	struct drm_zaccel_ip_id ids[DRM_ZACCEL_MAX_SLOTS];
	u32 n, slot, i;
	int ret;

	/* A partial is exactly as long as the region's configuration frames. */
	if (nohw->staged != (size_t)r->frames * ZACCEL_FRAME_WORDS * 4)
		return -EINVAL;
	if (atomic_cmpxchg(&nr->fault, ZACCEL_FAULT_PR_CRC, ZACCEL_FAULT_NONE) ==
	    ZACCEL_FAULT_PR_CRC)
		nohw->staging[nohw->staged / 2] ^= 0x10; /* a bit flipped on its way in */
	ret = zaccel_partial_parse(nohw->staging, nohw->staged, r->interface_id, ids, &n);
	if (ret)
		return ret;
	for (slot = 0; slot < n; slot++)
		for (i = 0; i < sizeof(ids[0]) / 4; i++)
			zaccel_wr(&r->regs, ZACCEL_SLOT(slot) + ZACCEL_REG_ID + 4 * i,
				  ((u32 *)&ids[slot])[i]);
	return 0;
}

static const struct fpga_manager_ops zaccel_nohw_mgr_ops = {
	.initial_header_size = ZACCEL_PARTIAL_HEADER_BYTES,
	.state = zaccel_nohw_mgr_state,
	.write_init = zaccel_nohw_write_init,
	.write = zaccel_nohw_write,
	.write_complete = zaccel_nohw_write_complete,
};

static int zaccel_nohw_bridge_show(struct fpga_bridge *bridge)
{
	struct zaccel_nohw_region *nr = bridge->priv;

	return nr->coupled;
}

static int zaccel_nohw_bridge_set(struct fpga_bridge *bridge, bool enable)
{
	struct zaccel_nohw_region *nr = bridge->priv;

	nr->coupled = enable;
	return 0;
}

static const struct fpga_bridge_ops zaccel_nohw_bridge_ops = {
	.enable_show = zaccel_nohw_bridge_show,
	.enable_set = zaccel_nohw_bridge_set,
};

/**
 * zaccel_nohw_target() - Say which region the next load configures.
 * @zdev: The device, in test mode.
 * @region: The region.
 *
 * Context: &zaccel_device.pcap_lock held, until the load has ended.
 */
void zaccel_nohw_target(struct zaccel_device *zdev, u32 region)
{
	lockdep_assert_held(&zdev->pcap_lock);
	zdev->nohw->target = region;
}

/* The stand-in IP finishes its job and interrupts, as the PL would. */
static enum hrtimer_restart zaccel_nohw_job_done(struct hrtimer *timer)
{
	struct zaccel_nohw_slot *ns = container_of(timer, struct zaccel_nohw_slot, timer);
	struct zaccel_nohw_region *nr = ns->region;
	struct zaccel_device *zdev = nr->nohw->zdev;
	const struct zaccel_regs *regs = &zdev->regions[nr->index].regs;
	u32 base = ZACCEL_SLOT(ns->slot);

	zaccel_wr(regs, base + ZACCEL_REG_STATUS,
		  ZACCEL_STATUS_DONE | (ns->dma_error ? ZACCEL_STATUS_DMA_ERR : 0));
	if (zaccel_rd(regs, base + ZACCEL_REG_IRQ_EN) & ZACCEL_IRQ_DONE) {
		zaccel_wr(regs, base + ZACCEL_REG_IRQ_STATUS, ZACCEL_IRQ_DONE);
		zaccel_region_irq(zdev, nr->index);
	}
	return HRTIMER_NORESTART;
}

/**
 * zaccel_nohw_start() - The stand-in IP takes the job just started in a slot.
 * @zdev: The device, in test mode.
 * @region: The region.
 * @slot: The slot.
 *
 * The job ends no_hw_job_us later, with a DMA error if one was injected, and the region
 * interrupts; a hang injected leaves the slot busy.
 */
void zaccel_nohw_start(struct zaccel_device *zdev, u32 region, u32 slot)
{
	struct zaccel_nohw_region *nr = &zdev->nohw->regions[region];
	struct zaccel_nohw_slot *ns = &nr->slots[slot];
	const struct zaccel_regs *regs = &zdev->regions[region].regs;
	u32 fault = atomic_read(&nr->fault);

	if (fault == ZACCEL_FAULT_IP_HANG || fault == ZACCEL_FAULT_DMA_TIMEOUT)
		atomic_set(&nr->fault, ZACCEL_FAULT_NONE);
	zaccel_wr(regs, ZACCEL_SLOT(slot) + ZACCEL_REG_STATUS, ZACCEL_STATUS_BUSY);
	if (fault == ZACCEL_FAULT_IP_HANG)
		return;
	ns->dma_error = fault == ZACCEL_FAULT_DMA_TIMEOUT;
	hrtimer_start(&ns->timer, ns_to_ktime((u64)zaccel_nohw_job_us * NSEC_PER_USEC),
		      HRTIMER_MODE_REL);
}

static ssize_t zaccel_nohw_fault_write(struct file *file, const char __user *ubuf,
				       size_t count, loff_t *ppos)
{
	struct zaccel_nohw_region *nr = file->private_data;
	char buf[16];
	int fault;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	fault = sysfs_match_string(zaccel_fault_names, strim(buf));
	if (fault < 0)
		return fault;
	atomic_set(&nr->fault, fault);
	return count;
}

static ssize_t zaccel_nohw_fault_read(struct file *file, char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	struct zaccel_nohw_region *nr = file->private_data;
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%s\n", zaccel_fault_names[atomic_read(&nr->fault)]);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations zaccel_nohw_fault_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = zaccel_nohw_fault_read,
	.write = zaccel_nohw_fault_write,
	.llseek = default_llseek,
};

/**
 * zaccel_nohw_debugfs() - Add a fault file per region ("rpN_fault": none, pr_crc,
 * dma_timeout or ip_hang) under the device's debugfs directory.
 * @zdev: The device, in test mode.
 * @root: The device's debugfs directory.
 */
void zaccel_nohw_debugfs(struct zaccel_device *zdev, struct dentry *root)
{
	char name[24];
	u32 i;

	for (i = 0; i < zdev->num_regions; i++) {
		snprintf(name, sizeof(name), "%s_fault", zdev->regions[i].name);
		debugfs_create_file(name, 0600, root, &zdev->nohw->regions[i],
				    &zaccel_nohw_fault_fops);
	}
}

static int zaccel_nohw_add_bridge(struct zaccel_nohw *nohw, u32 i)
{
	struct zaccel_nohw_region *nr = &nohw->regions[i];
	struct zaccel_region *r = &nohw->zdev->regions[i];
	u32 s;

	nr->nohw = nohw;
	nr->index = i;
	for (s = 0; s < DRM_ZACCEL_MAX_SLOTS; s++) {
		nr->slots[s].region = nr;
		nr->slots[s].slot = s;
		hrtimer_init(&nr->slots[s].timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		nr->slots[s].timer.function = zaccel_nohw_job_done;
	}
	nr->bridge_parent = platform_device_register_simple("zaccel-nohw-decoupler",
							    PLATFORM_DEVID_AUTO, NULL, 0);
	if (IS_ERR(nr->bridge_parent))
		return PTR_ERR(nr->bridge_parent);
	nr->bridge = fpga_bridge_register(&nr->bridge_parent->dev, "zaccel no-hardware decoupler",
					  &zaccel_nohw_bridge_ops, nr);
	if (IS_ERR(nr->bridge)) {
		platform_device_unregister(nr->bridge_parent);
		return PTR_ERR(nr->bridge);
	}
	r->pr.get_bridges = zaccel_pr_dev_bridges;
	r->pr.bridges_dev = &nr->bridge_parent->dev;
	return 0;
}

static void zaccel_nohw_remove_bridge(struct zaccel_nohw_region *nr)
{
	u32 s;

	for (s = 0; s < DRM_ZACCEL_MAX_SLOTS; s++)
		hrtimer_cancel(&nr->slots[s].timer);
	fpga_bridge_unregister(nr->bridge);
	platform_device_unregister(nr->bridge_parent);
}

/**
 * zaccel_nohw_init() - Put the test mode's stand-ins in place of the PL.
 * @zdev: The device, whose shell has been read.
 *
 * Return: 0, -ENOMEM, or the errno of a registration with the FPGA framework.
 */
int zaccel_nohw_init(struct zaccel_device *zdev)
{
	struct device *dev = zdev->drm.dev;
	struct zaccel_nohw *nohw;
	u32 i;
	int ret;

	nohw = devm_kzalloc(dev, sizeof(*nohw), GFP_KERNEL);
	if (!nohw)
		return -ENOMEM;
	nohw->zdev = zdev;
	for (i = 0; i < zdev->num_regions; i++) {
		struct zaccel_region *r = &zdev->regions[i];

		nohw->capacity = max_t(size_t, nohw->capacity,
				       (size_t)r->frames * ZACCEL_FRAME_WORDS * 4);
		r->regs.mem = devm_kzalloc(dev, ZACCEL_WINDOW_BYTES, GFP_KERNEL);
		if (!r->regs.mem)
			return -ENOMEM;
	}
	nohw->staging = kvzalloc(nohw->capacity, GFP_KERNEL);
	if (!nohw->staging)
		return -ENOMEM;
	nohw->mgr = fpga_mgr_register(dev, "zaccel no-hardware configuration port",
				      &zaccel_nohw_mgr_ops, nohw);
	if (IS_ERR(nohw->mgr)) {
		ret = PTR_ERR(nohw->mgr);
		goto err_free_staging;
	}
	for (i = 0; i < zdev->num_regions; i++) {
		ret = zaccel_nohw_add_bridge(nohw, i);
		if (ret)
			goto err_remove_bridges;
		zdev->regions[i].pr.mgr = nohw->mgr;
	}
	zdev->nohw = nohw;
	return 0;

err_remove_bridges:
	while (i--)
		zaccel_nohw_remove_bridge(&nohw->regions[i]);
	fpga_mgr_unregister(nohw->mgr);
err_free_staging:
	kvfree(nohw->staging);
	return ret;
}

/**
 * zaccel_nohw_fini() - Unregister the test mode's manager and bridges.
 * @zdev: The device, unplugged.
 */
void zaccel_nohw_fini(struct zaccel_device *zdev)
{
	u32 i;

	for (i = 0; i < zdev->num_regions; i++)
		zaccel_nohw_remove_bridge(&zdev->nohw->regions[i]);
	fpga_mgr_unregister(zdev->nohw->mgr);
	kvfree(zdev->nohw->staging);
}
