// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: RECONFIG and SUBMIT, the device's asynchronous work.
 *
 * Each ioctl checks its arguments, takes references to the BOs and in-fences, and queues a
 * work item. The work runs once every in-fence and the fences of the work it must follow have
 * signalled: a job follows the jobs queued before it on its slot and the region's last
 * reconfiguration; a reconfiguration follows everything queued before it on the region, so
 * that the region's jobs are drained first. Slots of a region, and regions, run side by side.
 * The work signals its own fence, which the out-sync
 * receives and every BO it uses carries in its reservation object (for BO_PREP), and writes
 * its completion record if asked.
 *
 * Once the fence is published, nothing on the way to its signal allocates memory or waits for
 * a fence: memory reclaim may wait for the fence (Documentation/driver-api/dma-buf.rst,
 * "Indefinite DMA Fences"). The ioctl allocates all a work needs, its fence, the partial's sg
 * table and image info included, before the fence goes into any reservation object or
 * syncobj. Both the end of the ioctl and the work are annotated with
 * dma_fence_begin_signalling()/dma_fence_end_signalling(), so that lockdep checks the rule.
 *
 * The drm scheduler is not used: its interface changed between the two kernels the module
 * supports (6.1 and 6.12), and a slot runs one work at a time, which fence callbacks and a
 * workqueue express directly.
 */
#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>
#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/ww_mutex.h>

#include "zaccel_args.h"
#include "zaccel_drv.h"
#include "zaccel_ip.h"

static unsigned int zaccel_job_timeout_ms = 2000;
module_param_named(job_timeout_ms, zaccel_job_timeout_ms, uint, 0644);
MODULE_PARM_DESC(job_timeout_ms, "Time a job may run before its region is reset (ms)");

/* The BOs a work holds: its arguments, the bitstream or the record. */
#define ZACCEL_WORK_BOS (DRM_ZACCEL_MAX_ARGS + 1)

struct zaccel_work;

/**
 * struct zaccel_dep - A fence a work waits for.
 * @cb: Callback on the fence.
 * @fence: The fence, referenced.
 * @work: The waiting work.
 */
struct zaccel_dep {
	struct dma_fence_cb cb;
	struct dma_fence *fence;
	struct zaccel_work *work;
};

/**
 * struct zaccel_work - A queued RECONFIG or SUBMIT.
 * @zdev: The device; the work holds a reference to its DRM device.
 * @work: Runs the work on the system's unbound workqueue.
 * @done: The work's fence.
 * @reconfig: A RECONFIG, else a SUBMIT.
 * @region: Target region.
 * @slot: Slot that runs a job.
 * @pending: Fences not yet signalled, plus one while the work is being queued.
 * @num_deps: Entries of @deps in use.
 * @num_in_syncs: Of which in-fences, the first ones; the others are the fences of the work
 *                this one follows on its region, whose failure does not cancel it.
 * @deps: In-fences, then the fences of the work this one follows.
 * @bos: The BOs the work references: @args' BOs, then the bitstream or the record.
 * @bo_writes: Which of @bos the work writes.
 * @num_bos: Entries of @bos in use (each BO once).
 * @report_bo: BO of the completion record, or NULL.
 * @report_offset: Where in it.
 * @image: A RECONFIG's partial, ready to load (its BO is one of @bos).
 * @bitstream_size: The partial's size.
 * @pr_res: A RECONFIG's outcome.
 * @expected: A RECONFIG's expected identities.
 * @slot_count: Entries in @expected.
 * @args: A SUBMIT's buffer arguments.
 * @arg_bos: Their BOs.
 * @arg_count: Entries in @args.
 * @regs: A SUBMIT's registers.
 * @reg_count: Entries in @regs.
 */
struct zaccel_work {
	struct zaccel_device *zdev;
	struct work_struct work;
	struct dma_fence *done;
	bool reconfig;
	u32 region;
	u32 slot;
	atomic_t pending;
	u32 num_deps;
	u32 num_in_syncs;
	struct zaccel_dep deps[DRM_ZACCEL_MAX_SYNCS + DRM_ZACCEL_MAX_SLOTS];
	struct drm_gem_object *bos[ZACCEL_WORK_BOS];
	u32 bo_writes;
	u32 num_bos;
	struct zaccel_bo *report_bo;
	u64 report_offset;
	struct zaccel_pr_image image;
	u64 bitstream_size;
	struct zaccel_pr_result pr_res;
	struct drm_zaccel_ip_id expected[DRM_ZACCEL_MAX_SLOTS];
	u32 slot_count;
	struct drm_zaccel_arg args[DRM_ZACCEL_MAX_ARGS];
	struct zaccel_bo *arg_bos[DRM_ZACCEL_MAX_ARGS];
	u32 arg_count;
	u32 regs[DRM_ZACCEL_MAX_REGS];
	u32 reg_count;
};

/**
 * struct zaccel_fence - The fence of one work.
 * @base: The fence.
 * @region: The region whose timeline it is on.
 */
struct zaccel_fence {
	struct dma_fence base;
	struct zaccel_region *region;
};

static const char *zaccel_fence_driver_name(struct dma_fence *fence)
{
	return "zaccel";
}

static const char *zaccel_fence_timeline_name(struct dma_fence *fence)
{
	return container_of(fence, struct zaccel_fence, base)->region->name;
}

static const struct dma_fence_ops zaccel_fence_ops = {
	.get_driver_name = zaccel_fence_driver_name,
	.get_timeline_name = zaccel_fence_timeline_name,
};

static void zaccel_work_free(struct zaccel_work *w)
{
	u32 i;

	for (i = 0; i < w->num_deps; i++)
		dma_fence_put(w->deps[i].fence);
	if (w->reconfig)
		zaccel_pr_image_fini(&w->image);
	for (i = 0; i < w->num_bos; i++)
		drm_gem_object_put(w->bos[i]);
	dma_fence_put(w->done);
	drm_dev_put(&w->zdev->drm);
	kfree(w);
}

/* Holds @obj for the work (once, however often the work names it); @obj's reference moves. */
static struct zaccel_bo *zaccel_work_hold(struct zaccel_work *w, struct drm_gem_object *obj,
					  bool write)
{
	u32 i;

	for (i = 0; i < w->num_bos; i++) {
		if (w->bos[i] == obj) {
			drm_gem_object_put(obj);
			break;
		}
	}
	if (i == w->num_bos)
		w->bos[w->num_bos++] = obj;
	if (write)
		w->bo_writes |= BIT(i);
	return to_zaccel_bo(obj);
}

/*
 * Looks up a range of a BO that the work uses. Return: the BO, or -ENOENT for an unknown
 * handle, -EINVAL for an empty range, one outside the BO or an offset not a multiple of 8.
 */
static struct zaccel_bo *zaccel_work_range(struct zaccel_work *w, struct drm_file *file,
					   u32 handle, u64 offset, u64 size, bool write)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	if (!obj)
		return ERR_PTR(-ENOENT);
	if (!zaccel_args_range_ok(offset, size, obj->size)) {
		drm_gem_object_put(obj);
		return ERR_PTR(-EINVAL);
	}
	return zaccel_work_hold(w, obj, write);
}

static int zaccel_work_read_syncs(struct zaccel_work *w, struct drm_file *file, u64 ptr,
				  u32 count)
{
	u32 handles[DRM_ZACCEL_MAX_SYNCS];
	u32 i;
	int ret;

	if (copy_from_user(handles, u64_to_user_ptr(ptr), count * sizeof(u32)))
		return -EFAULT;
	for (i = 0; i < count; i++) {
		ret = drm_syncobj_find_fence(file, handles[i], 0, 0, &w->deps[w->num_deps].fence);
		if (ret)
			return ret;
		w->num_deps++;
	}
	w->num_in_syncs = w->num_deps;
	return 0;
}

/* Reads the extension chain: the only extension is the completion record. */
static int zaccel_work_read_extensions(struct zaccel_work *w, struct drm_file *file, u64 ptr)
{
	struct drm_zaccel_ext_report rep;
	struct zaccel_bo *bo;
	u32 n;

	for (n = 0; ptr; n++) {
		if (n == DRM_ZACCEL_MAX_EXTENSIONS)
			return -EINVAL;
		if (copy_from_user(&rep.base, u64_to_user_ptr(ptr), sizeof(rep.base)))
			return -EFAULT;
		if (zaccel_args_check_extension(&rep.base, n, w->report_bo))
			return -EINVAL;
		if (copy_from_user(&rep, u64_to_user_ptr(ptr), sizeof(rep)))
			return -EFAULT;
		if (rep.pad)
			return -EINVAL;
		bo = zaccel_work_range(w, file, rep.handle, rep.offset,
				       sizeof(struct drm_zaccel_report), true);
		if (IS_ERR(bo))
			return PTR_ERR(bo);
		if (!bo->vaddr)
			return -EINVAL;
		w->report_bo = bo;
		w->report_offset = rep.offset;
		ptr = rep.base.next;
	}
	return 0;
}

static struct zaccel_work *zaccel_work_new(struct zaccel_device *zdev, u32 region)
{
	struct zaccel_work *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	w->zdev = zdev;
	w->region = region;
	drm_dev_get(&zdev->drm);
	return w;
}

static int zaccel_work_error(const struct zaccel_work *w)
{
	u32 i;

	for (i = 0; i < w->num_in_syncs; i++)
		if (w->deps[i].fence->error)
			return -ECANCELED;
	return 0;
}

static int zaccel_run_reconfig(struct zaccel_work *w, struct drm_zaccel_report *rep)
{
	struct zaccel_device *zdev = w->zdev;
	struct zaccel_region *r = &zdev->regions[w->region];
	struct zaccel_pr_result *res = &w->pr_res;
	int ret;

	/* The old IP is gone from here on, whatever happens next. */
	mutex_lock(&zdev->lock);
	r->slots = 0;
	r->kept = 0;
	r->flags &= ~DRM_ZACCEL_REGION_IP_VALID;
	r->state = DRM_ZACCEL_STATE_WRITE_INIT;
	res->decoupled = r->flags & DRM_ZACCEL_REGION_DECOUPLED;
	mutex_unlock(&zdev->lock);
	res->state = DRM_ZACCEL_STATE_WRITE_INIT_ERR;

	mutex_lock(&zdev->pcap_lock);
	if (zdev->nohw)
		zaccel_nohw_target(zdev, w->region);
	ret = zaccel_pr_load(&r->pr, &w->image, w->expected, w->slot_count, res);
	mutex_unlock(&zdev->pcap_lock);

	mutex_lock(&zdev->lock);
	r->state = res->state;
	r->flags = res->decoupled ? DRM_ZACCEL_REGION_DECOUPLED : 0;
	if (!ret) {
		r->flags |= DRM_ZACCEL_REGION_IP_VALID;
		r->slots = res->slots;
		memcpy(r->loaded, res->loaded, sizeof(r->loaded));
	}
	mutex_unlock(&zdev->lock);
	rep->bytes = w->bitstream_size;
	if (ret)
		zaccel_dbg(zdev, ZACCEL_DBG_JOB, "%s: reconfiguration failed: %d\n", r->name, ret);
	return ret;
}

/* Programs slot @slot of @r with @w's registers and buffers and starts it. */
static void zaccel_job_start(struct zaccel_work *w, struct zaccel_region *r)
{
	const struct zaccel_regs *regs = &r->regs;
	u32 base = ZACCEL_SLOT(w->slot), i;
	u64 addr;

	for (i = 0; i < DRM_ZACCEL_MAX_REGS; i++)
		zaccel_wr(regs, base + ZACCEL_REG_ARGS + 4 * i, i < w->reg_count ? w->regs[i] : 0);
	for (i = 0; i < DRM_ZACCEL_MAX_ARGS; i++) {
		addr = i < w->arg_count ? w->arg_bos[i]->dma_addr + w->args[i].offset : 0;
		zaccel_wr(regs, base + ZACCEL_REG_BUF(i) + ZACCEL_BUF_ADDR_LO, lower_32_bits(addr));
		zaccel_wr(regs, base + ZACCEL_REG_BUF(i) + ZACCEL_BUF_ADDR_HI, upper_32_bits(addr));
		zaccel_wr(regs, base + ZACCEL_REG_BUF(i) + ZACCEL_BUF_SIZE,
			  i < w->arg_count ? (u32)w->args[i].size : 0);
	}
	reinit_completion(&r->slot_done[w->slot]);
	zaccel_wr(regs, base + ZACCEL_REG_IRQ_STATUS, ZACCEL_IRQ_DONE);
	zaccel_wr(regs, base + ZACCEL_REG_IRQ_EN, ZACCEL_IRQ_DONE);
	zaccel_wr(regs, base + ZACCEL_REG_CTRL, ZACCEL_CTRL_START);
	if (w->zdev->nohw)
		zaccel_nohw_start(w->zdev, w->region, w->slot);
}

static int zaccel_run_job(struct zaccel_work *w, struct drm_zaccel_report *rep)
{
	struct zaccel_device *zdev = w->zdev;
	struct zaccel_region *r = &zdev->regions[w->region];
	struct zaccel_job_desc desc = {
		.args = w->args,
		.arg_count = w->arg_count,
		.regs = w->regs,
		.reg_count = w->reg_count,
	};
	u32 base = ZACCEL_SLOT(w->slot), status;
	struct zaccel_job_plan plan;
	struct drm_zaccel_ip_id id;
	unsigned long left;
	bool valid;
	int ret;

	mutex_lock(&zdev->lock);
	valid = r->flags & DRM_ZACCEL_REGION_IP_VALID && w->slot < r->slots;
	if (valid)
		id = r->loaded[w->slot];
	desc.kept = r->kept & BIT(w->slot);
	mutex_unlock(&zdev->lock);
	if (!valid)
		return -ENODEV;
	ret = zaccel_ip_check_job(&id, &desc, &plan);
	if (ret)
		return ret;
	/* The IP's buffer sizes are 32-bit registers. */
	if (plan.in_bytes > U32_MAX || plan.out_bytes > U32_MAX)
		return -EINVAL;

	rep->compute_start_ns = ktime_get_ns();
	zaccel_job_start(w, r);
	left = wait_for_completion_timeout(&r->slot_done[w->slot],
					   msecs_to_jiffies(zaccel_job_timeout_ms));
	rep->compute_end_ns = ktime_get_ns();
	status = zaccel_rd(&r->regs, base + ZACCEL_REG_STATUS);
	if (!left) {
		zaccel_wr(&r->regs, base + ZACCEL_REG_CTRL, ZACCEL_CTRL_RESET);
		drm_err_ratelimited(&zdev->drm, "%s slot %u: job timed out, status %#x; slot reset\n",
				    r->name, w->slot, status);
		return -ETIMEDOUT;
	}
	if (status & ZACCEL_STATUS_DMA_ERR) {
		drm_err_ratelimited(&zdev->drm, "%s slot %u: DMA error, status %#x\n", r->name,
				    w->slot, status);
		return -EIO;
	}
	rep->bytes = plan.in_bytes + plan.out_bytes;
	if (plan.loads_cache) {
		mutex_lock(&zdev->lock);
		r->kept |= BIT(w->slot);
		mutex_unlock(&zdev->lock);
	}
	return 0;
}

/**
 * zaccel_region_irq() - A region's interrupt: completes every slot whose job is done.
 * @zdev: The device.
 * @region: The region that interrupted.
 *
 * Return: Whether a slot had interrupted.
 */
bool zaccel_region_irq(struct zaccel_device *zdev, u32 region)
{
	struct zaccel_region *r = &zdev->regions[region];
	bool handled = false;
	u32 slot, base;

	for (slot = 0; slot < DRM_ZACCEL_MAX_SLOTS; slot++) {
		base = ZACCEL_SLOT(slot);
		if (!(zaccel_rd(&r->regs, base + ZACCEL_REG_IRQ_STATUS) & ZACCEL_IRQ_DONE))
			continue;
		zaccel_wr(&r->regs, base + ZACCEL_REG_IRQ_STATUS, ZACCEL_IRQ_DONE);
		complete(&r->slot_done[slot]);
		handled = true;
	}
	return handled;
}

static void zaccel_work_account(struct zaccel_work *w, int err, u64 bytes)
{
	struct zaccel_region *r = &w->zdev->regions[w->region];

	if (err == -ECANCELED)
		return;
	mutex_lock(&w->zdev->lock);
	r->bytes += bytes;
	if (err) {
		r->errors++;
		r->last_error = -err;
	} else if (w->reconfig) {
		r->reconfigs++;
	} else {
		r->jobs++;
	}
	mutex_unlock(&w->zdev->lock);
}

/*
 * Runs a work whose fences have all signalled, and signals its own. The whole of it is the
 * fence's signalling path: it allocates nothing and waits for no fence. The device is entered
 * before the signalling section begins: lockdep follows no dependency through the SRCU read
 * lock of drm_dev_enter(), so a section begun outside it would hide from lockdep everything
 * the work takes and allocates. Freeing the work comes last: putting the last reference to an
 * imported BO locks its reservation.
 */
static void zaccel_work_run(struct work_struct *ws)
{
	struct zaccel_work *w = container_of(ws, struct zaccel_work, work);
	struct drm_zaccel_report rep = {};
	bool entered, fence_cookie;
	int err, idx;

	entered = drm_dev_enter(&w->zdev->drm, &idx);
	fence_cookie = dma_fence_begin_signalling();
	rep.start_ns = ktime_get_ns();
	err = zaccel_work_error(w);
	if (!err && !entered)
		err = -ENODEV;
	if (!err)
		err = w->reconfig ? zaccel_run_reconfig(w, &rep) : zaccel_run_job(w, &rep);
	rep.end_ns = ktime_get_ns();
	rep.error = -err;
	zaccel_work_account(w, err, rep.bytes);
	if (w->report_bo) {
		memcpy(w->report_bo->vaddr + w->report_offset, &rep, sizeof(rep));
		zaccel_bo_cpu_written(w->report_bo, w->report_offset, sizeof(rep));
	}
	if (err)
		dma_fence_set_error(w->done, err);
	dma_fence_signal(w->done);
	dma_fence_end_signalling(fence_cookie);
	if (entered)
		drm_dev_exit(idx);
	zaccel_work_free(w);
}

static void zaccel_dep_signalled(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct zaccel_dep *dep = container_of(cb, struct zaccel_dep, cb);

	if (atomic_dec_and_test(&dep->work->pending))
		queue_work(system_unbound_wq, &dep->work->work);
}

/* Makes @w follow the work queued before it that it must follow, and be followed in turn. */
static void zaccel_work_follow_locked(struct zaccel_work *w, struct zaccel_region *r)
{
	u32 s, i;

	lockdep_assert_held(&w->zdev->lock);
	if (!w->reconfig) {
		if (r->last[w->slot])
			w->deps[w->num_deps++].fence = r->last[w->slot];
		r->last[w->slot] = dma_fence_get(w->done);
		return;
	}
	for (s = 0; s < DRM_ZACCEL_MAX_SLOTS; s++) {
		if (!r->last[s])
			continue;
		for (i = w->num_in_syncs; i < w->num_deps; i++)
			if (w->deps[i].fence == r->last[s])
				break;
		if (i == w->num_deps)
			w->deps[w->num_deps++].fence = dma_fence_get(r->last[s]);
		dma_fence_put(r->last[s]);
	}
	for (s = 0; s < DRM_ZACCEL_MAX_SLOTS; s++)
		r->last[s] = dma_fence_get(w->done);
}

/*
 * Gives the work its fence, places it after the region's last work, and queues it for when
 * its fences have signalled. The fence goes into the reservation object of every BO the work
 * uses, for BO_PREP and for importers. The work belongs to the queue afterwards, even on
 * error. Locks: the BOs' reservations, then &zaccel_device.lock. Everything is allocated
 * before the fence goes into the reservations; from there on, the work's signalling path has
 * begun.
 */
static int zaccel_work_queue(struct zaccel_work *w, struct drm_file *file, u32 out_sync)
{
	struct zaccel_device *zdev = w->zdev;
	struct zaccel_region *r = &zdev->regions[w->region];
	struct drm_syncobj *syncobj = NULL;
	struct ww_acquire_ctx ctx;
	struct zaccel_fence *f;
	bool fence_cookie;
	u32 i, timeline;
	int ret;

	if (out_sync) {
		syncobj = drm_syncobj_find(file, out_sync);
		if (!syncobj)
			return -ENOENT;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		ret = -ENOMEM;
		goto err_put_syncobj;
	}
	f->region = r;
	ret = drm_gem_lock_reservations(w->bos, w->num_bos, &ctx);
	if (ret)
		goto err_free_fence;
	for (i = 0; i < w->num_bos; i++) {
		ret = dma_resv_reserve_fences(w->bos[i]->resv, 1);
		if (ret)
			goto err_unlock_resv;
	}

	mutex_lock(&zdev->lock);
	timeline = w->reconfig ? 0 : w->slot;
	dma_fence_init(&f->base, &zaccel_fence_ops, &zdev->fence_lock,
		       zdev->fence_context + w->region * DRM_ZACCEL_MAX_SLOTS + timeline,
		       ++r->seqno[timeline]);
	w->done = &f->base;
	zaccel_work_follow_locked(w, r);
	mutex_unlock(&zdev->lock);

	/* Outside &zaccel_device.lock, which the work takes. */
	fence_cookie = dma_fence_begin_signalling();
	for (i = 0; i < w->num_bos; i++)
		dma_resv_add_fence(w->bos[i]->resv, w->done,
				   dma_resv_usage_rw(w->bo_writes & BIT(i)));
	drm_gem_unlock_reservations(w->bos, w->num_bos, &ctx);
	if (syncobj)
		drm_syncobj_replace_fence(syncobj, w->done);
	INIT_WORK(&w->work, zaccel_work_run);
	atomic_set(&w->pending, w->num_deps + 1);
	for (i = 0; i < w->num_deps; i++) {
		w->deps[i].work = w;
		if (dma_fence_add_callback(w->deps[i].fence, &w->deps[i].cb, zaccel_dep_signalled))
			atomic_dec(&w->pending);
	}
	if (atomic_dec_and_test(&w->pending))
		queue_work(system_unbound_wq, &w->work);
	dma_fence_end_signalling(fence_cookie);
	if (syncobj)
		drm_syncobj_put(syncobj);
	return 0;

err_unlock_resv:
	drm_gem_unlock_reservations(w->bos, w->num_bos, &ctx);
err_free_fence:
	kfree(f);
err_put_syncobj:
	if (syncobj)
		drm_syncobj_put(syncobj);
	zaccel_work_free(w);
	return ret;
}

/*
 * Prepares a RECONFIG's partial for the load, from the BO's sg table: one entry, since a BO is
 * one contiguous allocation. Return: 0, -ENOMEM, or -EINVAL if the BO is not contiguous.
 */
static int zaccel_work_image(struct zaccel_work *w, struct zaccel_bo *bo, u64 offset, u64 size)
{
	struct zaccel_pr *pr = &w->zdev->regions[w->region].pr;
	struct sg_table *sgt;
	int ret = -EINVAL;

	sgt = zaccel_gem_get_sg_table(&bo->base);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	if (sgt->orig_nents == 1)
		ret = zaccel_pr_image_init(pr, &w->image, sg_page(sgt->sgl),
					   sgt->sgl->offset + offset, size);
	sg_free_table(sgt);
	kfree(sgt);
	w->bitstream_size = size;
	return ret;
}

/* The arguments RECONFIG and SUBMIT share, then the queue; frees @w on error. */
static int zaccel_work_finish_args(struct zaccel_work *w, struct drm_file *file, u64 extensions,
				   u64 in_syncs, u32 in_sync_count, u32 out_sync)
{
	int ret;

	ret = zaccel_work_read_extensions(w, file, extensions);
	if (!ret)
		ret = zaccel_work_read_syncs(w, file, in_syncs, in_sync_count);
	if (ret) {
		zaccel_work_free(w);
		return ret;
	}
	return zaccel_work_queue(w, file, out_sync);
}

/**
 * zaccel_ioctl_reconfig() - DRM_IOCTL_ZACCEL_RECONFIG.
 * @drm: The device.
 * @data: &struct drm_zaccel_reconfig.
 * @file: The caller.
 *
 * Return: 0 once queued; the errors &struct drm_zaccel_reconfig lists, found before queueing.
 */
int zaccel_ioctl_reconfig(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct zaccel_device *zdev = to_zaccel(drm);
	struct drm_zaccel_reconfig *args = data;
	struct zaccel_bo *bo;
	struct zaccel_work *w;
	u64 partial_size = 0;
	u32 i;
	int ret;

	if (args->region < zdev->num_regions)
		partial_size = (u64)zdev->regions[args->region].frames * ZACCEL_FRAME_WORDS * 4;
	if (zaccel_args_check_reconfig(args, zdev->num_regions, partial_size)) {
		zaccel_dbg(zdev, ZACCEL_DBG_IOCTL, "RECONFIG: bad region, flags, slots or size\n");
		return -EINVAL;
	}
	w = zaccel_work_new(zdev, args->region);
	if (!w)
		return -ENOMEM;
	w->reconfig = true;
	w->slot_count = args->slot_count;
	if (copy_from_user(w->expected, u64_to_user_ptr(args->expected),
			   args->slot_count * sizeof(w->expected[0]))) {
		ret = -EFAULT;
		goto err_free;
	}
	for (i = 0; i < args->slot_count; i++) {
		ret = zaccel_ip_check_id(&w->expected[i]);
		if (ret) {
			zaccel_dbg(zdev, ZACCEL_DBG_IOCTL, "RECONFIG: slot %u: bad identity\n", i);
			goto err_free;
		}
	}
	bo = zaccel_work_range(w, file, args->bo_handle, args->bo_offset, args->size, false);
	if (IS_ERR(bo)) {
		ret = PTR_ERR(bo);
		goto err_free;
	}
	if (!bo->vaddr) {
		ret = -EINVAL;
		goto err_free;
	}
	ret = zaccel_work_image(w, bo, args->bo_offset, args->size);
	if (ret)
		goto err_free;
	return zaccel_work_finish_args(w, file, args->extensions, args->in_syncs,
				       args->in_sync_count, args->out_sync);

err_free:
	zaccel_work_free(w);
	return ret;
}

/**
 * zaccel_ioctl_submit() - DRM_IOCTL_ZACCEL_SUBMIT.
 * @drm: The device.
 * @data: &struct drm_zaccel_submit.
 * @file: The caller.
 *
 * Return: 0 once queued; the errors &struct drm_zaccel_submit lists, found before queueing.
 */
int zaccel_ioctl_submit(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct zaccel_device *zdev = to_zaccel(drm);
	struct drm_zaccel_submit *args = data;
	struct zaccel_bo *bo;
	struct zaccel_work *w;
	u32 i;
	int ret;

	if (zaccel_args_check_submit(args, zdev->num_regions)) {
		zaccel_dbg(zdev, ZACCEL_DBG_IOCTL, "SUBMIT: bad region, slot, flags or counts\n");
		return -EINVAL;
	}
	w = zaccel_work_new(zdev, args->region);
	if (!w)
		return -ENOMEM;
	w->slot = args->slot;
	w->arg_count = args->arg_count;
	w->reg_count = args->reg_count;
	if (copy_from_user(w->args, u64_to_user_ptr(args->args),
			   args->arg_count * sizeof(w->args[0])) ||
	    copy_from_user(w->regs, u64_to_user_ptr(args->regs), args->reg_count * sizeof(u32))) {
		ret = -EFAULT;
		goto err_free;
	}
	for (i = 0; i < args->arg_count; i++) {
		ret = zaccel_args_check_arg(&w->args[i]);
		if (ret)
			goto err_free;
	}
	for (i = 0; i < args->arg_count; i++) {
		bo = zaccel_work_range(w, file, w->args[i].handle, w->args[i].offset,
				       w->args[i].size, w->args[i].flags & DRM_ZACCEL_ARG_WRITE);
		if (IS_ERR(bo)) {
			ret = PTR_ERR(bo);
			goto err_free;
		}
		w->arg_bos[i] = bo;
	}
	return zaccel_work_finish_args(w, file, args->extensions, args->in_syncs,
				       args->in_sync_count, args->out_sync);

err_free:
	zaccel_work_free(w);
	return ret;
}

/**
 * zaccel_jobs_fini() - Drop the regions' last fences when the device goes away.
 * @zdev: The device, unplugged: no new work can be queued.
 */
void zaccel_jobs_fini(struct zaccel_device *zdev)
{
	u32 i, s;

	mutex_lock(&zdev->lock);
	for (i = 0; i < zdev->num_regions; i++) {
		for (s = 0; s < DRM_ZACCEL_MAX_SLOTS; s++) {
			dma_fence_put(zdev->regions[i].last[s]);
			zdev->regions[i].last[s] = NULL;
		}
	}
	mutex_unlock(&zdev->lock);
}
