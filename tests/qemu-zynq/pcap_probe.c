// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel_pcap_probe: asks the Zynq's own FPGA manager (drivers/fpga/zynq-fpga.c, the devcfg
 * node of the base tree) to load one partial, as zaccel.ko would on the board, and reports how
 * far it got: fpga_mgr_load()'s result, the time it took, and the manager's state. Run in the
 * QEMU guest to find out whether QEMU's devcfg model lets a partial reconfiguration complete.
 * The image is a zaccel-sized partial (bytes, default one PYNQ-Z2 region: 1800 frames of 101
 * words) of zeros with the sync word; its content does not matter to the PCAP model. The module
 * stays loaded (init returns 0 whatever the load gave), so that the guest carries on.
 */
#include <linux/fpga/fpga-mgr.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/vmalloc.h>

static unsigned int bytes = 1800 * 101 * 4;
module_param(bytes, uint, 0444);
MODULE_PARM_DESC(bytes, "Size of the partial to load (multiple of 4)");

/* The devcfg registers zynq-fpga.c's write_init and write_complete look at (UG585 B.16). */
static void pcap_probe_regs(void __iomem *io, const char *when)
{
	u32 mctrl;

	if (!io)
		return;
	mctrl = readl(io + 0x80);
	pr_info("zaccel_pcap_probe: %s: CTRL 0x%08x INT_STS 0x%08x INT_MASK 0x%08x STATUS 0x%08x MCTRL 0x%08x\n",
		when, readl(io + 0x00), readl(io + 0x0c), readl(io + 0x10), readl(io + 0x14),
		mctrl);
	/* MCTRL's PS_VERSION is never 0 on silicon, and QEMU's model sets bit 3 ("QEMU") too. */
	if (!mctrl)
		pr_info("zaccel_pcap_probe: MCTRL reads 0: no devcfg registers answer at this address\n");
	else if (mctrl & BIT(3))
		pr_info("zaccel_pcap_probe: MCTRL bit 3 set: QEMU's devcfg model\n");
}

static int __init pcap_probe_init(void)
{
	void __iomem *io;
	struct fpga_image_info *info;
	struct device_node *np;
	struct fpga_manager *mgr;
	ktime_t start;
	u32 *image;
	s64 ms;
	int ret;

	np = of_find_compatible_node(NULL, NULL, "xlnx,zynq-devcfg-1.0");
	if (!np) {
		pr_info("zaccel_pcap_probe: no devcfg node\n");
		return 0;
	}
	/* Not requested: the manager owns the window; this only reads it. */
	io = of_iomap(np, 0);
	mgr = of_fpga_mgr_get(np);
	of_node_put(np);
	if (IS_ERR(mgr)) {
		pr_info("zaccel_pcap_probe: no FPGA manager for devcfg (%ld)\n", PTR_ERR(mgr));
		if (io)
			iounmap(io);
		return 0;
	}
	pr_info("zaccel_pcap_probe: manager \"%s\", state %d before the load\n", mgr->name,
		mgr->state);
	image = vzalloc(bytes);
	info = fpga_image_info_alloc(&mgr->dev);
	if (!image || !info) {
		ret = -ENOMEM;
		goto out;
	}
	image[8] = cpu_to_le32(0xaa995566);	/* the sync word, as the byte-swapped .bin has it */
	info->flags = FPGA_MGR_PARTIAL_RECONFIG;
	info->buf = (const char *)image;
	info->count = bytes & ~3u;
	ret = fpga_mgr_lock(mgr);
	if (ret)
		goto out;
	pcap_probe_regs(io, "before");
	start = ktime_get();
	ret = fpga_mgr_load(mgr, info);
	ms = ktime_ms_delta(ktime_get(), start);
	pcap_probe_regs(io, "after");
	fpga_mgr_unlock(mgr);
	pr_info("zaccel_pcap_probe: fpga_mgr_load of a %u-byte partial returned %d after %lld ms, state %d (%s)\n",
		info->count, ret, ms, mgr->state,
		ret ? "the partial did not complete" : "the partial completed");
out:
	if (ret == -ENOMEM)
		pr_info("zaccel_pcap_probe: out of memory\n");
	fpga_image_info_free(info);
	vfree(image);
	fpga_mgr_put(mgr);
	if (io)
		iounmap(io);
	return 0;
}

static void __exit pcap_probe_exit(void)
{
}

module_init(pcap_probe_init);
module_exit(pcap_probe_exit);
MODULE_DESCRIPTION("zaccel test: a partial through the Zynq's FPGA manager");
MODULE_LICENSE("Dual MIT/GPL");
