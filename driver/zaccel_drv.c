// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: CNN layers on Zynq PL with dynamic partial reconfiguration.
 *
 * The platform driver of the overlay's zaccel node and its DRM device: an accel node
 * (/dev/accel/accelN) from Linux 6.2 on, a render node on 6.1, which has no accel class.
 */
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_prime.h>
#include <linux/debugfs.h>
#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>

#include "zaccel_drv.h"

#ifdef ZACCEL_HAVE_ACCEL
#include <drm/drm_accel.h>
#define ZACCEL_DRIVER_FEATURES (DRIVER_COMPUTE_ACCEL | DRIVER_GEM | DRIVER_SYNCOBJ)
DEFINE_DRM_ACCEL_FOPS(zaccel_fops);
#else
#define ZACCEL_DRIVER_FEATURES (DRIVER_RENDER | DRIVER_GEM | DRIVER_SYNCOBJ)
static const struct file_operations zaccel_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.compat_ioctl = drm_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = drm_gem_mmap,
};
#endif

static bool zaccel_no_hw;
module_param_named(no_hw, zaccel_no_hw, bool, 0444);
MODULE_PARM_DESC(no_hw, "Test mode: software stand-ins for the PL (FPGA manager, bridges, IPs)");

static unsigned int zaccel_nohw_pool_mb = 64;
module_param_named(no_hw_pool_mb, zaccel_nohw_pool_mb, uint, 0444);
MODULE_PARM_DESC(no_hw_pool_mb, "Test mode: MiB of DMA memory BOs may take");

unsigned int zaccel_dbg_mask;
module_param_named(dbg_mask, zaccel_dbg_mask, uint, 0644);
MODULE_PARM_DESC(dbg_mask, "Debug messages: 1 refused ioctls, 2 jobs (through drm.debug=0x2)");

static const struct drm_ioctl_desc zaccel_ioctls[] = {
	DRM_IOCTL_DEF_DRV(ZACCEL_GET_PARAM, zaccel_ioctl_get_param, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(ZACCEL_BO_CREATE, zaccel_ioctl_bo_create, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(ZACCEL_BO_PREP, zaccel_ioctl_bo_prep, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(ZACCEL_BO_FINI, zaccel_ioctl_bo_fini, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(ZACCEL_RECONFIG, zaccel_ioctl_reconfig, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(ZACCEL_SUBMIT, zaccel_ioctl_submit, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(ZACCEL_REGION_QUERY, zaccel_ioctl_region_query, DRM_RENDER_ALLOW),
};

/* debugfs "regions": each region's state (named as fpga-mgr names its states) and counters. */
static int zaccel_regions_show(struct seq_file *m, void *data)
{
	struct zaccel_device *zdev = m->private;
	const struct zaccel_region *r;
	u32 i;

	mutex_lock(&zdev->lock);
	for (i = 0; i < zdev->num_regions; i++) {
		r = &zdev->regions[i];
		seq_printf(m, "%s: %s, %s, %u IPs, %llu reconfigs, %llu jobs, %llu errors, last error %u\n",
			   r->name, zaccel_state_name(r->state),
			   r->flags & DRM_ZACCEL_REGION_DECOUPLED ? "decoupled" : "coupled",
			   r->slots, r->reconfigs, r->jobs, r->errors, r->last_error);
	}
	mutex_unlock(&zdev->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zaccel_regions);

/*
 * The device's own debugfs directory, "zaccel-<device name>": DRM places its minors'
 * directories differently in 6.1 (dri/N) and 6.12 (accel/<unique>, without the driver's
 * debugfs_init), and userspace finds this one from the node's sysfs device.
 */
static void zaccel_debugfs_init(struct zaccel_device *zdev)
{
	char name[64];

	snprintf(name, sizeof(name), "zaccel-%s", dev_name(zdev->drm.dev));
	zdev->debugfs = debugfs_create_dir(name, NULL);
	debugfs_create_file("regions", 0444, zdev->debugfs, zdev, &zaccel_regions_fops);
	if (zdev->nohw)
		zaccel_nohw_debugfs(zdev, zdev->debugfs);
}

static const struct drm_driver zaccel_drm_driver = {
	.driver_features = ZACCEL_DRIVER_FEATURES,
	.ioctls = zaccel_ioctls,
	.num_ioctls = ARRAY_SIZE(zaccel_ioctls),
	.fops = &zaccel_fops,
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd,
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle,
	.gem_prime_import_sg_table = zaccel_gem_prime_import_sg_table,
	.name = "zaccel",
	.desc = "CNN layers on Zynq PL with partial reconfiguration",
	.date = "20261123",
	.major = 1,
	.minor = 0,
};

static int zaccel_probe(struct platform_device *pdev)
{
	struct zaccel_device *zdev;
	int ret;

	zdev = devm_drm_dev_alloc(&pdev->dev, &zaccel_drm_driver, struct zaccel_device, drm);
	if (IS_ERR(zdev))
		return PTR_ERR(zdev);
	mutex_init(&zdev->lock);
	mutex_init(&zdev->pcap_lock);
	spin_lock_init(&zdev->fence_lock);
	ret = zaccel_shell_read(zdev);
	if (ret)
		goto err_put_shell;
	/* The PL's DMA engines address 32 bits. */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		goto err_put_shell;
	if (zaccel_no_hw) {
		zdev->pool_bytes = (u64)zaccel_nohw_pool_mb << 20;
		ret = zaccel_nohw_init(zdev);
	} else {
		ret = zaccel_hw_init(zdev);
	}
	if (ret)
		goto err_put_shell;
	zdev->fence_context = dma_fence_context_alloc(zdev->num_regions * DRM_ZACCEL_MAX_SLOTS);
	platform_set_drvdata(pdev, zdev);
	ret = drm_dev_register(&zdev->drm, 0);
	if (ret)
		goto err_fini_nohw;
	zaccel_debugfs_init(zdev);
	drm_info(&zdev->drm, "%u regions, PL clock %llu Hz%s\n", zdev->num_regions,
		 zdev->pl_clock_hz, zdev->nohw ? ", no-hardware test mode" : "");
	return 0;

err_fini_nohw:
	if (zdev->nohw)
		zaccel_nohw_fini(zdev);
err_put_shell:
	zaccel_shell_put(zdev);
	return ret;
}

static void zaccel_unplug(struct platform_device *pdev)
{
	struct zaccel_device *zdev = platform_get_drvdata(pdev);

	/* Waits for every work inside drm_dev_enter(); later ones fail with -ENODEV. */
	drm_dev_unplug(&zdev->drm);
	debugfs_remove_recursive(zdev->debugfs);
	zaccel_jobs_fini(zdev);
	if (zdev->nohw)
		zaccel_nohw_fini(zdev);
	zaccel_shell_put(zdev);
}

#ifdef ZACCEL_REMOVE_VOID
static void zaccel_remove(struct platform_device *pdev)
{
	zaccel_unplug(pdev);
}
#else
static int zaccel_remove(struct platform_device *pdev)
{
	zaccel_unplug(pdev);
	return 0;
}
#endif

static const struct of_device_id zaccel_of_match[] = {
	{ .compatible = "zaccel,shell-1.0" },
	{ }
};
MODULE_DEVICE_TABLE(of, zaccel_of_match);

static struct platform_driver zaccel_platform_driver = {
	.probe = zaccel_probe,
	.remove = zaccel_remove,
	.driver = {
		.name = "zaccel",
		.of_match_table = zaccel_of_match,
	},
};
module_platform_driver(zaccel_platform_driver);

MODULE_DESCRIPTION("zaccel: CNN layers on Zynq PL with dynamic partial reconfiguration");
MODULE_LICENSE("Dual MIT/GPL");
