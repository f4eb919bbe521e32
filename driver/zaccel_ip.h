/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * zaccel: what an IP's identity declares, and whether a job fits the IP it will run on.
 * Pure functions of their arguments, shared by the ioctls and the job runner and tested
 * with KUnit.
 */
#ifndef ZACCEL_IP_H
#define ZACCEL_IP_H

#include <linux/types.h>

#include "zaccel_drm.h"

/**
 * struct zaccel_job_desc - A job's arguments as SUBMIT gave them.
 * @args: Buffer arguments, already checked against their BOs.
 * @arg_count: Entries in @args.
 * @regs: Scalar argument registers.
 * @reg_count: Entries in @regs.
 * @kept: The slot's batch-cached IP holds weights a job loaded since the last RECONFIG.
 */
struct zaccel_job_desc {
	const struct drm_zaccel_arg *args;
	u32 arg_count;
	const u32 *regs;
	u32 reg_count;
	bool kept;
};

/**
 * struct zaccel_job_plan - What a job checked against its IP will do.
 * @images: Images the job computes.
 * @loads_cache: The IP is batch-cached and loads weights: it keeps them after the job.
 * @in_bytes: Bytes the IP's DMA reads.
 * @out_bytes: Bytes the IP's DMA writes.
 */
struct zaccel_job_plan {
	u64 images;
	bool loads_cache;
	u64 in_bytes;
	u64 out_bytes;
};

int zaccel_ip_check_id(const struct drm_zaccel_ip_id *id);
int zaccel_ip_check_embedded(const struct drm_zaccel_ip_id *id, u64 nweights, u64 nbias);
int zaccel_ip_check_job(const struct drm_zaccel_ip_id *id, const struct zaccel_job_desc *job,
			struct zaccel_job_plan *plan);

#endif /* ZACCEL_IP_H */
