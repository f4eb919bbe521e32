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
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include "zaccel_drv.h"

#ifdef ZACCEL_HAVE_ACCEL
#include <drm/drm_accel.h>
#define ZACCEL_DRIVER_FEATURES DRIVER_COMPUTE_ACCEL
DEFINE_DRM_ACCEL_FOPS(zaccel_fops);
#else
#define ZACCEL_DRIVER_FEATURES DRIVER_RENDER
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

static const struct drm_ioctl_desc zaccel_ioctls[] = {
	DRM_IOCTL_DEF_DRV(ZACCEL_GET_PARAM, zaccel_ioctl_get_param, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(ZACCEL_REGION_QUERY, zaccel_ioctl_region_query, DRM_RENDER_ALLOW),
};

static const struct drm_driver zaccel_drm_driver = {
	.driver_features = ZACCEL_DRIVER_FEATURES,
	.ioctls = zaccel_ioctls,
	.num_ioctls = ARRAY_SIZE(zaccel_ioctls),
	.fops = &zaccel_fops,
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
	ret = zaccel_shell_read(zdev);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, zdev);
	ret = drm_dev_register(&zdev->drm, 0);
	if (ret)
		return ret;
	drm_info(&zdev->drm, "%u regions, PL clock %llu Hz\n", zdev->num_regions,
		 zdev->pl_clock_hz);
	return 0;
}

static void zaccel_unplug(struct platform_device *pdev)
{
	struct zaccel_device *zdev = platform_get_drvdata(pdev);

	drm_dev_unplug(&zdev->drm);
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
