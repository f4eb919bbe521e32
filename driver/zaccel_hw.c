// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: the board's side of the shell. Each region's register window and interrupt come
 * from the zaccel node ("reg" and "interrupts", in the order of fpga-regions); the FPGA
 * manager is the one the region's nearest fpga-region ancestor names in fpga-mgr (the
 * Zynq's devcfg); the bridges are the decouplers the region's fpga-bridges names; buffer
 * objects come from the reserved pool named by memory-region.
 */
#include <linux/device.h>
#include <linux/fpga/fpga-mgr.h>
#include <linux/interrupt.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>

#include "zaccel_drv.h"

static irqreturn_t zaccel_irq(int irq, void *arg)
{
	struct zaccel_region *r = arg;

	return zaccel_region_irq(r->zdev, r->index) ? IRQ_HANDLED : IRQ_NONE;
}

/* The FPGA manager named by @np or its nearest ancestor that has fpga-mgr. */
static struct fpga_manager *zaccel_find_mgr(struct device_node *np)
{
	struct device_node *mgr_np, *parent;
	struct fpga_manager *mgr;

	of_node_get(np);
	while (np) {
		mgr_np = of_parse_phandle(np, "fpga-mgr", 0);
		if (mgr_np) {
			of_node_put(np);
			mgr = of_fpga_mgr_get(mgr_np);
			of_node_put(mgr_np);
			return mgr;
		}
		parent = of_get_next_parent(np);
		np = parent;
	}
	return ERR_PTR(-ENODEV);
}

static void zaccel_hw_release(void *data)
{
	struct zaccel_device *zdev = data;
	u32 i;

	for (i = 0; i < zdev->num_regions; i++)
		if (!IS_ERR_OR_NULL(zdev->regions[i].pr.mgr))
			fpga_mgr_put(zdev->regions[i].pr.mgr);
	of_reserved_mem_device_release(zdev->drm.dev);
}

/**
 * zaccel_hw_init() - Map the regions' windows, take their interrupts and FPGA manager, and
 * attach the reserved pool.
 * @zdev: The device, whose shell has been read.
 *
 * Return: 0; -EPROBE_DEFER while the FPGA manager is not there yet; -EINVAL (with a message)
 * for a window, interrupt or pool the node lacks; or the errno of the failed step.
 */
int zaccel_hw_init(struct zaccel_device *zdev)
{
	struct device *dev = zdev->drm.dev;
	struct platform_device *pdev = to_platform_device(dev);
	struct zaccel_region *r;
	int i, irq, ret;

	ret = of_reserved_mem_device_init(dev);
	if (ret) {
		dev_err(dev, "memory-region: no usable reserved pool (%d)\n", ret);
		return ret;
	}
	ret = devm_add_action_or_reset(dev, zaccel_hw_release, zdev);
	if (ret)
		return ret;
	for (i = 0; i < zdev->num_regions; i++) {
		r = &zdev->regions[i];
		r->regs.io = devm_platform_ioremap_resource(pdev, i);
		if (IS_ERR(r->regs.io))
			return PTR_ERR(r->regs.io);
		irq = platform_get_irq(pdev, i);
		if (irq < 0)
			return irq;
		ret = devm_request_irq(dev, irq, zaccel_irq, 0, dev_name(dev), r);
		if (ret)
			return ret;
		r->pr.get_bridges = zaccel_pr_of_bridges;
		r->pr.mgr = zaccel_find_mgr(r->pr.bridges_np);
		if (IS_ERR(r->pr.mgr))
			return dev_err_probe(dev, -EPROBE_DEFER, "%s: no FPGA manager yet\n",
					     r->name);
	}
	return 0;
}
