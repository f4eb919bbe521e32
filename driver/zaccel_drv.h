/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * zaccel: CNN layers on Zynq PL with dynamic partial reconfiguration.
 * The device as the driver keeps it: the shell the overlay describes and each region's state.
 */
#ifndef ZACCEL_DRV_H
#define ZACCEL_DRV_H

#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <linux/completion.h>
#include <linux/dma-fence.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "zaccel_drm.h"
#include "zaccel_pr.h"
#include "zaccel_regs.h"

/* The most regions one shell may have. */
#define ZACCEL_MAX_REGIONS 8

/* Words per configuration frame of a 7-series device (UG470). */
#define ZACCEL_FRAME_WORDS 101

struct zaccel_nohw;

/**
 * struct zaccel_region - One reconfigurable region.
 * @zdev: The device it belongs to.
 * @index: Its number.
 * @name: "rpN", the timeline name of its fences.
 * @frames: Configuration frames; a partial for the region is @frames frames long.
 * @interface_id: Interface ID that partials for the region were implemented against.
 * @dsp: DSP48 slices an IP in the region may use.
 * @bram18: 18 Kib block RAMs an IP in the region may use.
 * @lut: Look-up tables an IP in the region may use.
 * @ff: Flip-flops an IP in the region may use.
 * @hp_ports: AXI HP ports wired to the region.
 * @regs: The region's register window.
 * @pr: How the region is reconfigured.
 * @slot_done: Completed by the region's interrupt when a slot's job ends.
 * @state: DRM_ZACCEL_STATE_* of the region; under &zaccel_device.lock.
 * @flags: DRM_ZACCEL_REGION_* of the region; under &zaccel_device.lock.
 * @slots: IPs of the loaded partial, 0 if none works; under &zaccel_device.lock.
 * @loaded: Their identities, as read back; under &zaccel_device.lock.
 * @kept: Slots whose batch-cached IP holds weights; under &zaccel_device.lock.
 * @last: Per slot, the fence a job queued next on the slot follows: the slot's last job, or
 *        the region's last reconfiguration if none came after it; under &zaccel_device.lock.
 * @seqno: Per slot, the last sequence number on the slot's fence timeline (reconfigurations
 *         are on slot 0's); under &zaccel_device.lock.
 * @reconfigs: Successful reconfigurations; under &zaccel_device.lock.
 * @jobs: Completed jobs; under &zaccel_device.lock.
 * @bytes: Bytes moved by the region's DMA and bitstreams; under &zaccel_device.lock.
 * @errors: Failed reconfigurations and jobs; under &zaccel_device.lock.
 * @last_error: Positive errno of the last failure, 0 if none; under &zaccel_device.lock.
 */
struct zaccel_region {
	struct zaccel_device *zdev;
	u32 index;
	char name[8];
	u32 frames;
	u32 interface_id;
	u32 dsp;
	u32 bram18;
	u32 lut;
	u32 ff;
	u32 hp_ports;
	struct zaccel_regs regs;
	struct zaccel_pr pr;
	struct completion slot_done[DRM_ZACCEL_MAX_SLOTS];
	u32 state;
	u32 flags;
	u32 slots;
	struct drm_zaccel_ip_id loaded[DRM_ZACCEL_MAX_SLOTS];
	u32 kept;
	struct dma_fence *last[DRM_ZACCEL_MAX_SLOTS];
	u64 seqno[DRM_ZACCEL_MAX_SLOTS];
	u64 reconfigs;
	u64 jobs;
	u64 bytes;
	u64 errors;
	u32 last_error;
};

/**
 * struct zaccel_device - A zaccel shell and its regions.
 * @drm: The DRM device (an accel node from 6.2 on, a render node before).
 * @nohw: The no-hardware test mode's stand-ins for the PL, or NULL on the board.
 * @pl_clock_hz: Programmable-logic clock.
 * @pcap_bytes_per_s: Throughput of the configuration port.
 * @ddr_bytes_per_s: DDR bandwidth the regions share.
 * @hp_bytes_per_s: Throughput of one AXI HP port.
 * @pool_bytes: Size of the DMA pool that buffer objects come from.
 * @pool_used: Bytes of the pool that BOs hold.
 * @num_regions: Entries of @regions in use.
 * @fence_context: First of the fence contexts, one per slot of each region.
 * @debugfs: The device's debugfs directory, "zaccel-<device name>".
 * @fence_lock: The lock of every fence the device signals.
 * @lock: Protects the run-time fields of every region (state, IPs, queue and counters). The
 *        shell's description above and the regions' static fields never change after probe.
 * @pcap_lock: Serialises reconfigurations: the regions share one configuration port and FPGA
 *             manager. Taken before @lock when both are held.
 * @regions: The reconfigurable regions, in the order of the overlay's fpga-regions.
 */
struct zaccel_device {
	struct drm_device drm;
	struct zaccel_nohw *nohw;
	u64 pl_clock_hz;
	u64 pcap_bytes_per_s;
	u64 ddr_bytes_per_s;
	u64 hp_bytes_per_s;
	u64 pool_bytes;
	atomic64_t pool_used;
	u32 num_regions;
	u64 fence_context;
	struct dentry *debugfs;
	spinlock_t fence_lock; /* every fence's */
	struct mutex lock; /* the regions' run-time fields */
	struct mutex pcap_lock; /* the configuration port */
	struct zaccel_region regions[ZACCEL_MAX_REGIONS];
};

/**
 * struct zaccel_bo - A buffer object.
 * @base: The GEM object.
 * @vaddr: Kernel mapping; NULL for an imported BO.
 * @dma_addr: Address of the BO for the PL's DMA engines.
 * @wc: Mapped write-combined (no CPU cache maintenance).
 * @sgt: An imported BO's table, from its attachment.
 */
struct zaccel_bo {
	struct drm_gem_object base;
	void *vaddr;
	dma_addr_t dma_addr;
	bool wc;
	struct sg_table *sgt;
};

static inline struct zaccel_device *to_zaccel(struct drm_device *drm)
{
	return container_of(drm, struct zaccel_device, drm);
}

static inline struct zaccel_bo *to_zaccel_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct zaccel_bo, base);
}

/* Debug categories of the dbg_mask module parameter. */
#define ZACCEL_DBG_IOCTL BIT(0) /* why an ioctl was refused */
#define ZACCEL_DBG_JOB BIT(1) /* jobs and reconfigurations as they run */
extern unsigned int zaccel_dbg_mask;

#define zaccel_dbg(zdev, cat, fmt, ...)                                                   \
	do {                                                                              \
		if (zaccel_dbg_mask & (cat))                                              \
			drm_dbg_driver(&(zdev)->drm, fmt, ##__VA_ARGS__);                 \
	} while (0)

int zaccel_shell_read(struct zaccel_device *zdev);
int zaccel_hw_init(struct zaccel_device *zdev);
void zaccel_shell_put(struct zaccel_device *zdev);

int zaccel_ioctl_get_param(struct drm_device *drm, void *data, struct drm_file *file);
int zaccel_ioctl_region_query(struct drm_device *drm, void *data, struct drm_file *file);

struct sg_table *zaccel_gem_get_sg_table(struct drm_gem_object *obj);
struct drm_gem_object *zaccel_gem_prime_import_sg_table(struct drm_device *drm,
							struct dma_buf_attachment *attach,
							struct sg_table *sgt);
int zaccel_ioctl_bo_create(struct drm_device *drm, void *data, struct drm_file *file);
int zaccel_ioctl_bo_prep(struct drm_device *drm, void *data, struct drm_file *file);
int zaccel_ioctl_bo_fini(struct drm_device *drm, void *data, struct drm_file *file);
void zaccel_bo_cpu_written(struct zaccel_bo *bo, u64 offset, u64 size);

int zaccel_ioctl_reconfig(struct drm_device *drm, void *data, struct drm_file *file);
int zaccel_ioctl_submit(struct drm_device *drm, void *data, struct drm_file *file);
bool zaccel_region_irq(struct zaccel_device *zdev, u32 region);
void zaccel_jobs_fini(struct zaccel_device *zdev);

int zaccel_nohw_init(struct zaccel_device *zdev);
void zaccel_nohw_fini(struct zaccel_device *zdev);
void zaccel_nohw_target(struct zaccel_device *zdev, u32 region);
void zaccel_nohw_start(struct zaccel_device *zdev, u32 region, u32 slot);
void zaccel_nohw_debugfs(struct zaccel_device *zdev, struct dentry *root);

#endif /* ZACCEL_DRV_H */
