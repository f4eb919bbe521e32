// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: buffer objects. A BO is one physically contiguous DMA allocation from the device's
 * pool (the reserved CMA region on the board), since the PL's DMA engines take a base address
 * and a length. The Zynq-7000's PL masters are not coherent with the CPU caches: a cached BO
 * (the default) is synced for the CPU by BO_PREP and for the device by BO_FINI; a
 * write-combined one needs neither. BOs are exported and imported as dma-bufs (PRIME); an
 * imported buffer must be contiguous for the device, and the CPU maps it through its
 * dma-buf, not through this node.
 */
#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_utils.h>
#include <drm/drm_vma_manager.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "zaccel_drv.h"

static void zaccel_gem_free(struct drm_gem_object *obj)
{
	struct zaccel_device *zdev = to_zaccel(obj->dev);
	struct zaccel_bo *bo = to_zaccel_bo(obj);

	if (obj->import_attach)
		drm_prime_gem_destroy(obj, bo->sgt);
	else if (bo->wc)
		dma_free_wc(obj->dev->dev, obj->size, bo->vaddr, bo->dma_addr);
	else
		dma_free_noncoherent(obj->dev->dev, obj->size, bo->vaddr, bo->dma_addr,
				     DMA_BIDIRECTIONAL);
	if (!obj->import_attach)
		atomic64_sub(obj->size, &zdev->pool_used);
	drm_gem_object_release(obj);
	kfree(bo);
}

static int zaccel_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct zaccel_bo *bo = to_zaccel_bo(obj);

	if (obj->import_attach)
		return -EINVAL;
	vma->vm_pgoff -= drm_vma_node_start(&obj->vma_node);
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	if (bo->wc)
		return dma_mmap_wc(obj->dev->dev, vma, bo->vaddr, bo->dma_addr, obj->size);
	return dma_mmap_pages(obj->dev->dev, vma, vma->vm_end - vma->vm_start,
			      virt_to_page(bo->vaddr));
}

/**
 * zaccel_gem_get_sg_table() - &drm_gem_object_funcs.get_sg_table: a BO's pages.
 * @obj: The BO, not imported.
 *
 * Return: A new table, of one entry (the BO is contiguous), which the caller frees with
 * sg_free_table() and kfree(); or an ERR_PTR().
 */
struct sg_table *zaccel_gem_get_sg_table(struct drm_gem_object *obj)
{
	struct zaccel_bo *bo = to_zaccel_bo(obj);
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = dma_get_sgtable_attrs(obj->dev->dev, sgt, bo->vaddr, bo->dma_addr, obj->size,
				    bo->wc ? DMA_ATTR_WRITE_COMBINE : 0);
	if (ret) {
		kfree(sgt);
		return ERR_PTR(ret);
	}
	return sgt;
}

static int zaccel_gem_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct zaccel_bo *bo = to_zaccel_bo(obj);

	if (!bo->vaddr)
		return -EINVAL;
	iosys_map_set_vaddr(map, bo->vaddr);
	return 0;
}

static const struct vm_operations_struct zaccel_gem_vm_ops = {
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

static const struct drm_gem_object_funcs zaccel_gem_funcs = {
	.free = zaccel_gem_free,
	.mmap = zaccel_gem_mmap,
	.get_sg_table = zaccel_gem_get_sg_table,
	.vmap = zaccel_gem_vmap,
	.vm_ops = &zaccel_gem_vm_ops,
};

static struct zaccel_bo *zaccel_bo_alloc(struct drm_device *drm, size_t size)
{
	struct zaccel_bo *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return NULL;
	bo->base.funcs = &zaccel_gem_funcs;
	drm_gem_private_object_init(drm, &bo->base, size);
	return bo;
}

/**
 * zaccel_gem_prime_import_sg_table() - &drm_driver.gem_prime_import_sg_table.
 * @drm: The device.
 * @attach: The attachment of the imported dma-buf.
 * @sgt: Its pages as mapped for this device.
 *
 * Return: The BO, or -EINVAL if the buffer is not contiguous for the device, -ENOMEM.
 */
struct drm_gem_object *zaccel_gem_prime_import_sg_table(struct drm_device *drm,
							struct dma_buf_attachment *attach,
							struct sg_table *sgt)
{
	struct zaccel_bo *bo;

	if (drm_prime_get_contiguous_size(sgt) < attach->dmabuf->size)
		return ERR_PTR(-EINVAL);
	bo = zaccel_bo_alloc(drm, attach->dmabuf->size);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->sgt = sgt;
	bo->dma_addr = sg_dma_address(sgt->sgl);
	return &bo->base;
}

/**
 * zaccel_ioctl_bo_create() - DRM_IOCTL_ZACCEL_BO_CREATE.
 * @drm: The device.
 * @data: &struct drm_zaccel_bo_create.
 * @file: The caller, who gets the handle.
 *
 * Return: 0; -EINVAL for a zero or too large size or unknown flags; -ENOMEM when the pool
 * cannot hold the BO.
 */
int zaccel_ioctl_bo_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct zaccel_device *zdev = to_zaccel(drm);
	struct drm_zaccel_bo_create *args = data;
	struct zaccel_bo *bo;
	size_t size;
	int ret;

	if (!args->size || args->size > zdev->pool_bytes || args->flags & ~DRM_ZACCEL_BO_FLAGS)
		return -EINVAL;
	size = PAGE_ALIGN(args->size);
	if (atomic64_add_return(size, &zdev->pool_used) > zdev->pool_bytes) {
		ret = -ENOMEM;
		goto err_unaccount;
	}
	bo = zaccel_bo_alloc(drm, size);
	if (!bo) {
		ret = -ENOMEM;
		goto err_unaccount;
	}
	bo->wc = args->flags & DRM_ZACCEL_BO_WRITE_COMBINED;
	if (bo->wc)
		bo->vaddr = dma_alloc_wc(drm->dev, size, &bo->dma_addr, GFP_KERNEL | __GFP_NOWARN);
	else
		bo->vaddr = dma_alloc_noncoherent(drm->dev, size, &bo->dma_addr, DMA_BIDIRECTIONAL,
						  GFP_KERNEL | __GFP_NOWARN);
	if (!bo->vaddr) {
		ret = -ENOMEM;
		goto err_release;
	}
	/* From here on, the object's free callback undoes everything. */
	ret = drm_gem_create_mmap_offset(&bo->base);
	if (ret)
		goto err_put;
	ret = drm_gem_handle_create(file, &bo->base, &args->handle);
	if (ret)
		goto err_put;
	args->mmap_offset = drm_vma_node_offset_addr(&bo->base.vma_node);
	args->dev_addr = bo->dma_addr;
	drm_gem_object_put(&bo->base);
	return 0;

err_put:
	drm_gem_object_put(&bo->base);
	return ret;
err_release:
	drm_gem_object_release(&bo->base);
	kfree(bo);
err_unaccount:
	atomic64_sub(size, &zdev->pool_used);
	return ret;
}

/**
 * zaccel_ioctl_bo_prep() - DRM_IOCTL_ZACCEL_BO_PREP.
 * @drm: The device.
 * @data: &struct drm_zaccel_bo_prep.
 * @file: The caller.
 *
 * Return: 0; -EINVAL for no or unknown flags; -ENOENT for an unknown handle; -ETIMEDOUT if
 * the device still uses the BO at the deadline; -ERESTARTSYS if a signal came first.
 */
int zaccel_ioctl_bo_prep(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_zaccel_bo_prep *args = data;
	struct drm_gem_object *obj;
	struct zaccel_bo *bo;
	enum dma_resv_usage usage;
	long timeout;
	int ret = 0;

	if (!args->flags || args->flags & ~DRM_ZACCEL_PREP_FLAGS)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	bo = to_zaccel_bo(obj);
	/* Reading waits for the device's writes; writing waits for its reads too. */
	usage = dma_resv_usage_rw(args->flags & DRM_ZACCEL_PREP_WRITE);
	timeout = drm_timeout_abs_to_jiffies(args->timeout_ns);
	if (!timeout) {
		if (!dma_resv_test_signaled(obj->resv, usage))
			ret = -ETIMEDOUT;
	} else {
		timeout = dma_resv_wait_timeout(obj->resv, usage, true, timeout);
		if (!timeout)
			ret = -ETIMEDOUT;
		else if (timeout < 0)
			ret = timeout;
	}
	if (!ret && !obj->import_attach && !bo->wc)
		dma_sync_single_for_cpu(drm->dev, bo->dma_addr, obj->size, DMA_BIDIRECTIONAL);
	drm_gem_object_put(obj);
	return ret;
}

/**
 * zaccel_ioctl_bo_fini() - DRM_IOCTL_ZACCEL_BO_FINI.
 * @drm: The device.
 * @data: &struct drm_zaccel_bo_fini.
 * @file: The caller.
 *
 * Return: 0; -EINVAL for a non-zero pad; -ENOENT for an unknown handle.
 */
int zaccel_ioctl_bo_fini(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_zaccel_bo_fini *args = data;
	struct drm_gem_object *obj;
	struct zaccel_bo *bo;

	if (args->pad)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	bo = to_zaccel_bo(obj);
	if (!obj->import_attach && !bo->wc)
		dma_sync_single_for_device(drm->dev, bo->dma_addr, obj->size, DMA_BIDIRECTIONAL);
	drm_gem_object_put(obj);
	return 0;
}

/**
 * zaccel_bo_cpu_written() - Make a kernel write to a cached BO visible to userspace's next
 * BO_PREP, which invalidates the CPU caches for the BO.
 * @bo: The BO, not imported.
 * @offset: Start of what was written.
 * @size: Its length.
 */
void zaccel_bo_cpu_written(struct zaccel_bo *bo, u64 offset, u64 size)
{
	if (!bo->wc)
		dma_sync_single_for_device(bo->base.dev->dev, bo->dma_addr + offset, size,
					   DMA_TO_DEVICE);
}
