// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: reading the shell from the overlay's zaccel node. The node names its regions by
 * phandle (fpga-regions); each region carries its frames, interface ID, resource budget and
 * HP ports, the node the shared rates. Everything is checked here, once, at probe.
 */
#include <linux/device.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/property.h>

#include "zaccel_drv.h"

/* Reads a positive u32 property of @fwnode into @out; -EINVAL naming it otherwise. */
static int zaccel_read_positive(struct device *dev, struct fwnode_handle *fwnode,
				const char *prop, u32 *out)
{
	int ret = fwnode_property_read_u32(fwnode, prop, out);

	if (ret || !*out) {
		dev_err(dev, "%pfwP: %s missing or zero\n", fwnode, prop);
		return -EINVAL;
	}
	return 0;
}

static int zaccel_read_region(struct device *dev, struct fwnode_handle *fwnode,
			      struct zaccel_region *r)
{
	u32 res[4];
	int ret;

	ret = zaccel_read_positive(dev, fwnode, "zaccel,frames", &r->frames);
	if (ret)
		return ret;
	ret = fwnode_property_read_u32(fwnode, "zaccel,interface-id", &r->interface_id);
	if (ret) {
		dev_err(dev, "%pfwP: zaccel,interface-id missing\n", fwnode);
		return -EINVAL;
	}
	ret = fwnode_property_read_u32_array(fwnode, "zaccel,resources", res, ARRAY_SIZE(res));
	if (ret) {
		dev_err(dev, "%pfwP: zaccel,resources needs DSP, BRAM18, LUT and FF\n", fwnode);
		return -EINVAL;
	}
	r->dsp = res[0];
	r->bram18 = res[1];
	r->lut = res[2];
	r->ff = res[3];
	r->hp_ports = 1;
	if (fwnode_property_present(fwnode, "zaccel,hp-ports")) {
		ret = zaccel_read_positive(dev, fwnode, "zaccel,hp-ports", &r->hp_ports);
		if (ret)
			return ret;
	}
	/* As of-fpga-region reads them; 0 leaves the bridges' defaults. */
	fwnode_property_read_u32(fwnode, "region-freeze-timeout-us", &r->pr.freeze_us);
	fwnode_property_read_u32(fwnode, "region-unfreeze-timeout-us", &r->pr.unfreeze_us);
	r->state = DRM_ZACCEL_STATE_UNKNOWN;
	return 0;
}

/* Fills what every region has whatever the mode; takes over the reference to @fwnode. */
static void zaccel_region_init(struct zaccel_device *zdev, u32 i, struct fwnode_handle *fwnode)
{
	struct zaccel_region *r = &zdev->regions[i];
	u32 slot;

	r->zdev = zdev;
	r->index = i;
	snprintf(r->name, sizeof(r->name), "rp%u", i);
	for (slot = 0; slot < DRM_ZACCEL_MAX_SLOTS; slot++)
		init_completion(&r->slot_done[slot]);
	r->pr.dev = zdev->drm.dev;
	r->pr.regs = &r->regs;
	r->pr.bridges_np = to_of_node(fwnode);
	if (!r->pr.bridges_np)
		fwnode_handle_put(fwnode);
}

/**
 * zaccel_shell_put() - Drop the references zaccel_shell_read() took.
 * @zdev: The device.
 */
void zaccel_shell_put(struct zaccel_device *zdev)
{
	u32 i;

	for (i = 0; i < zdev->num_regions; i++)
		of_node_put(zdev->regions[i].pr.bridges_np);
}

/* Size of the reserved pool named by memory-region, 0 if there is none. */
static u64 zaccel_pool_bytes(struct device *dev)
{
	struct reserved_mem *rmem;
	struct device_node *np;

	np = of_parse_phandle(dev->of_node, "memory-region", 0);
	if (!np)
		return 0;
	rmem = of_reserved_mem_lookup(np);
	of_node_put(np);
	return rmem ? rmem->size : 0;
}

/**
 * zaccel_shell_read() - Fill @zdev from its device's firmware node.
 * @zdev: The device being probed.
 *
 * Return: 0, or -EINVAL (with a message naming the property) for a missing or malformed one,
 * a region twice or too many regions. The regions' nodes are held until zaccel_shell_put(),
 * which the caller calls on failure too.
 */
int zaccel_shell_read(struct zaccel_device *zdev)
{
	struct device *dev = zdev->drm.dev;
	struct fwnode_handle *fwnode = dev_fwnode(dev);
	u32 clock, rate;
	int i, j, ret;

	ret = fwnode_property_read_u32(fwnode, "assigned-clock-rates", &clock);
	if (ret || !clock) {
		dev_err(dev, "assigned-clock-rates: expected the PL clock\n");
		return -EINVAL;
	}
	zdev->pl_clock_hz = clock;
	ret = zaccel_read_positive(dev, fwnode, "zaccel,pcap-bytes-per-second", &rate);
	if (ret)
		return ret;
	zdev->pcap_bytes_per_s = rate;
	ret = zaccel_read_positive(dev, fwnode, "zaccel,ddr-bytes-per-second", &rate);
	if (ret)
		return ret;
	zdev->ddr_bytes_per_s = rate;
	ret = zaccel_read_positive(dev, fwnode, "zaccel,hp-port-bytes-per-second", &rate);
	if (ret)
		return ret;
	zdev->hp_bytes_per_s = rate;

	for (i = 0;; i++) {
		struct fwnode_handle *rp = fwnode_find_reference(fwnode, "fpga-regions", i);

		if (IS_ERR(rp))
			break;
		if (i == ZACCEL_MAX_REGIONS) {
			fwnode_handle_put(rp);
			dev_err(dev, "fpga-regions: more than %d regions\n", ZACCEL_MAX_REGIONS);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			struct fwnode_handle *earlier;
			bool same;

			earlier = fwnode_find_reference(fwnode, "fpga-regions", j);
			same = earlier == rp;

			fwnode_handle_put(earlier);
			if (same) {
				fwnode_handle_put(rp);
				dev_err(dev, "fpga-regions: region %d given twice\n", j);
				return -EINVAL;
			}
		}
		ret = zaccel_read_region(dev, rp, &zdev->regions[i]);
		if (ret) {
			fwnode_handle_put(rp);
			return ret;
		}
		zaccel_region_init(zdev, i, rp);
		zdev->num_regions = i + 1;
	}
	if (!i) {
		dev_err(dev, "fpga-regions: no regions\n");
		return -EINVAL;
	}
	zdev->pool_bytes = zaccel_pool_bytes(dev);
	return 0;
}
