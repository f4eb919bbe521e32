/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * zaccel: the register map of a region's window, and access to it.
 *
 * Each region's window (one "reg" entry of the zaccel node, 64 KiB) holds one block per slot
 * of the partial loaded into it. A slot's block starts with the IP's identity, laid out as
 * &struct drm_zaccel_ip_id, then its control, status and interrupt registers, its scalar
 * argument registers, and one descriptor per buffer argument (device address and size).
 * The window is wired to the static design, not to the region, so it reads back even while
 * the region is decoupled; a slot without an IP reads zero.
 */
#ifndef ZACCEL_REGS_H
#define ZACCEL_REGS_H

#include <linux/io.h>
#include <linux/types.h>

#define ZACCEL_WINDOW_BYTES 0x10000
#define ZACCEL_SLOT_STRIDE 0x2000
#define ZACCEL_SLOT(slot) ((slot) * ZACCEL_SLOT_STRIDE)

/* Identity block: the 16 words of struct drm_zaccel_ip_id, in its order. */
#define ZACCEL_REG_ID 0x000

/* Control: write START to run the job the argument registers describe; RESET aborts it. */
#define ZACCEL_REG_CTRL 0x100
#define ZACCEL_CTRL_START BIT(0)
#define ZACCEL_CTRL_RESET BIT(1)
/* Status: BUSY while a job runs; DONE and ERROR when it ended. */
#define ZACCEL_REG_STATUS 0x104
#define ZACCEL_STATUS_BUSY BIT(0)
#define ZACCEL_STATUS_DONE BIT(1)
#define ZACCEL_STATUS_DMA_ERR BIT(2)
/* Interrupt enable and status (write one to clear): DONE. */
#define ZACCEL_REG_IRQ_EN 0x108
#define ZACCEL_REG_IRQ_STATUS 0x10c
#define ZACCEL_IRQ_DONE BIT(0)
/* Cycle counters the IP latches: when it started and stopped computing. */
#define ZACCEL_REG_CYCLES_START 0x110
#define ZACCEL_REG_CYCLES_END 0x114

/* Scalar arguments: DRM_ZACCEL_MAX_REGS words. */
#define ZACCEL_REG_ARGS 0x200
/* Buffer arguments: DRM_ZACCEL_MAX_ARGS descriptors of address (low, high) and size. */
#define ZACCEL_REG_BUF(i) (0x300 + (i) * 0x10)
#define ZACCEL_BUF_ADDR_LO 0x0
#define ZACCEL_BUF_ADDR_HI 0x4
#define ZACCEL_BUF_SIZE 0x8

/**
 * struct zaccel_regs - A region's register window.
 * @io: The window on the board.
 * @mem: In the no-hardware test mode, memory that stands in for the window.
 *
 * Exactly one of @io and @mem is set.
 */
struct zaccel_regs {
	void __iomem *io;
	u32 *mem;
};

static inline u32 zaccel_rd(const struct zaccel_regs *regs, u32 off)
{
	return regs->io ? readl(regs->io + off) : READ_ONCE(regs->mem[off / 4]);
}

static inline void zaccel_wr(const struct zaccel_regs *regs, u32 off, u32 val)
{
	if (regs->io)
		writel(val, regs->io + off);
	else
		WRITE_ONCE(regs->mem[off / 4], val);
}

#endif /* ZACCEL_REGS_H */
