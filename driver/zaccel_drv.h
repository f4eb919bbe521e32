/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * zaccel: CNN layers on Zynq PL with dynamic partial reconfiguration.
 * The device as the driver keeps it: the shell the overlay describes and each region's state.
 */
#ifndef ZACCEL_DRV_H
#define ZACCEL_DRV_H

#include <drm/drm_device.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "zaccel_drm.h"

/* The most regions one shell may have. */
#define ZACCEL_MAX_REGIONS 8

/* Words per configuration frame of a 7-series device (UG470). */
#define ZACCEL_FRAME_WORDS 101

/**
 * struct zaccel_region - One reconfigurable region.
 * @frames: Configuration frames; a partial for the region is @frames frames long.
 * @interface_id: Interface ID that partials for the region were implemented against.
 * @dsp: DSP48 slices an IP in the region may use.
 * @bram18: 18 Kib block RAMs an IP in the region may use.
 * @lut: Look-up tables an IP in the region may use.
 * @ff: Flip-flops an IP in the region may use.
 * @hp_ports: AXI HP ports wired to the region.
 * @state: DRM_ZACCEL_STATE_* of the region; under &zaccel_device.lock.
 * @flags: DRM_ZACCEL_REGION_* of the region; under &zaccel_device.lock.
 * @reconfigs: Successful reconfigurations; under &zaccel_device.lock.
 * @jobs: Completed jobs; under &zaccel_device.lock.
 * @bytes: Bytes moved by the region's DMA and bitstreams; under &zaccel_device.lock.
 * @errors: Failed reconfigurations and jobs; under &zaccel_device.lock.
 * @last_error: Positive errno of the last failure, 0 if none; under &zaccel_device.lock.
 */
struct zaccel_region {
	u32 frames;
	u32 interface_id;
	u32 dsp;
	u32 bram18;
	u32 lut;
	u32 ff;
	u32 hp_ports;
	u32 state;
	u32 flags;
	u64 reconfigs;
	u64 jobs;
	u64 bytes;
	u64 errors;
	u32 last_error;
};

/**
 * struct zaccel_device - A zaccel shell and its regions.
 * @drm: The DRM device (an accel node from 6.2 on, a render node before).
 * @pl_clock_hz: Programmable-logic clock.
 * @pcap_bytes_per_s: Throughput of the configuration port.
 * @ddr_bytes_per_s: DDR bandwidth the regions share.
 * @hp_bytes_per_s: Throughput of one AXI HP port.
 * @pool_bytes: Size of the reserved DMA pool that buffer objects come from.
 * @num_regions: Entries of @regions in use.
 * @lock: Protects the run-time fields of every region (state, flags and counters). The
 *        shell's description above and the regions' static fields never change after probe.
 * @regions: The reconfigurable regions, in the order of the overlay's fpga-regions.
 */
struct zaccel_device {
	struct drm_device drm;
	u64 pl_clock_hz;
	u64 pcap_bytes_per_s;
	u64 ddr_bytes_per_s;
	u64 hp_bytes_per_s;
	u64 pool_bytes;
	u32 num_regions;
	struct mutex lock; /* the regions' run-time fields */
	struct zaccel_region regions[ZACCEL_MAX_REGIONS];
};

static inline struct zaccel_device *to_zaccel(struct drm_device *drm)
{
	return container_of(drm, struct zaccel_device, drm);
}

int zaccel_shell_read(struct zaccel_device *zdev);

int zaccel_ioctl_get_param(struct drm_device *drm, void *data, struct drm_file *file);
int zaccel_ioctl_region_query(struct drm_device *drm, void *data, struct drm_file *file);

#endif /* ZACCEL_DRV_H */
