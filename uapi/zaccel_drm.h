/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * zaccel: CNN layers on Zynq PL with dynamic partial reconfiguration.
 * The one contract between userspace and the device, implemented alike by zaccel.ko and by
 * the emulator.
 */
#ifndef _UAPI_ZACCEL_DRM_H_
#define _UAPI_ZACCEL_DRM_H_

#include <linux/const.h>

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: changelog
 *
 * The API version is reported by %DRM_ZACCEL_PARAM_API_VERSION.
 *
 * - 1: GET_PARAM, BO_CREATE, BO_PREP, BO_FINI, RECONFIG, SUBMIT, REGION_QUERY, and the
 *   %DRM_ZACCEL_EXT_REPORT extension of RECONFIG and SUBMIT.
 * - 2: an activation on a conv or fc IP's output (%DRM_ZACCEL_IP_ACT_MASK of the identity's
 *   flags: clip, tanh, sigmoid), its job register %DRM_ZACCEL_JOB_REG_ACT, and names for
 *   every job register (DRM_ZACCEL_JOB_REG_*). No struct changed.
 * - 3: grouped (and depthwise) convolution: %DRM_ZACCEL_IP_GROUPS_MASK of the identity's
 *   flags; the leaky ReLU activation, %DRM_ZACCEL_ACT_LEAKY. No struct changed.
 * - 4: the element-wise IP, %DRM_ZACCEL_IP_ELTWISE, its operation in
 *   %DRM_ZACCEL_IP_ELTWISE_MASK of the identity's flags (%DRM_ZACCEL_ELTWISE_ADD), and its job
 *   registers %DRM_ZACCEL_JOB_REG_ALIGN and %DRM_ZACCEL_JOB_REG_IN2_STRIDE. No struct changed.
 * - 5: the hard sigmoid and hard swish activations, %DRM_ZACCEL_ACT_HARDSIGMOID and
 *   %DRM_ZACCEL_ACT_HARDSWISH. No struct changed.
 * - 6: dilated windows: each half of the identity's @stride holds the stride in its low 8
 *   bits and the dilation minus one in its high 8 (DRM_ZACCEL_IP_STEP()). An API 5 stride
 *   above 255 reads otherwise (its high byte as a dilation), and an API 5 device reads a
 *   dilation as part of the stride: use a dilation only with API 6. The activation
 *   %DRM_ZACCEL_ACT_PRELU, a leaky ReLU with a slope per output channel. No struct changed.
 */
#define ZACCEL_API_VERSION 6

/**
 * DOC: conventions
 *
 * Every struct is a multiple of 8 bytes with explicit padding, so that 32-bit ARM userspace
 * and a 64-bit kernel agree. Every field named @pad or @reserved, and every bit of a flags
 * field not defined here, must be zero: the device returns -EINVAL otherwise. Userspace
 * pointers are passed as __u64. @extensions fields point to a chain of extensions, each
 * starting with &struct drm_zaccel_extension; an unknown extension id, an extension given
 * twice or a chain longer than %DRM_ZACCEL_MAX_EXTENSIONS gets -EINVAL.
 *
 * Times are absolute CLOCK_MONOTONIC nanoseconds. Sizes and offsets are in bytes.
 * Synchronisation uses DRM sync objects (DRM_IOCTL_SYNCOBJ_*): a job waits for every
 * in-sync to signal, and signals its out-sync (if not zero) when it completes or fails.
 */

#define DRM_ZACCEL_GET_PARAM 0x00
#define DRM_ZACCEL_BO_CREATE 0x01
#define DRM_ZACCEL_BO_PREP 0x02
#define DRM_ZACCEL_BO_FINI 0x03
#define DRM_ZACCEL_RECONFIG 0x04
#define DRM_ZACCEL_SUBMIT 0x05
#define DRM_ZACCEL_REGION_QUERY 0x06

#define DRM_IOCTL_ZACCEL_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_ZACCEL_GET_PARAM, struct drm_zaccel_get_param)
#define DRM_IOCTL_ZACCEL_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_ZACCEL_BO_CREATE, struct drm_zaccel_bo_create)
#define DRM_IOCTL_ZACCEL_BO_PREP \
	DRM_IOW(DRM_COMMAND_BASE + DRM_ZACCEL_BO_PREP, struct drm_zaccel_bo_prep)
#define DRM_IOCTL_ZACCEL_BO_FINI \
	DRM_IOW(DRM_COMMAND_BASE + DRM_ZACCEL_BO_FINI, struct drm_zaccel_bo_fini)
#define DRM_IOCTL_ZACCEL_RECONFIG \
	DRM_IOW(DRM_COMMAND_BASE + DRM_ZACCEL_RECONFIG, struct drm_zaccel_reconfig)
#define DRM_IOCTL_ZACCEL_SUBMIT \
	DRM_IOW(DRM_COMMAND_BASE + DRM_ZACCEL_SUBMIT, struct drm_zaccel_submit)
#define DRM_IOCTL_ZACCEL_REGION_QUERY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_ZACCEL_REGION_QUERY, struct drm_zaccel_region_query)

/**
 * struct drm_zaccel_extension - Header of one link in an extension chain.
 */
struct drm_zaccel_extension {
	/** @next: Userspace pointer to the next extension, or 0 to end the chain. */
	__u64 next;
	/** @id: Which extension this is: DRM_ZACCEL_EXT_*. */
	__u32 id;
	/** @flags: Must be zero. */
	__u32 flags;
};

/** DRM_ZACCEL_MAX_SYNCS: most in-syncs a RECONFIG or SUBMIT may wait for. */
#define DRM_ZACCEL_MAX_SYNCS 32

/** DRM_ZACCEL_MAX_SLOTS: most IPs one partial bitstream may hold. */
#define DRM_ZACCEL_MAX_SLOTS 8

/** DRM_ZACCEL_MAX_EXTENSIONS: longest extension chain an ioctl accepts. */
#define DRM_ZACCEL_MAX_EXTENSIONS 4

/** DRM_ZACCEL_EXT_REPORT: &struct drm_zaccel_ext_report, for RECONFIG and SUBMIT. */
#define DRM_ZACCEL_EXT_REPORT 1

/**
 * struct drm_zaccel_ext_report - Ask for a completion record of a RECONFIG or SUBMIT.
 *
 * The device writes a &struct drm_zaccel_report at @offset in the BO @handle before it
 * signals the out-sync. The range must lie inside the BO (-EINVAL), the BO must exist
 * (-ENOENT).
 */
struct drm_zaccel_ext_report {
	/** @base: Chain link, @base.id is %DRM_ZACCEL_EXT_REPORT. */
	struct drm_zaccel_extension base;
	/** @handle: BO that receives the record. */
	__u32 handle;
	/** @pad: Must be zero. */
	__u32 pad;
	/** @offset: Where in the BO, a multiple of 8. */
	__u64 offset;
};

/**
 * struct drm_zaccel_report - Completion record of one RECONFIG or SUBMIT.
 *
 * Times are on the device's clock: CLOCK_MONOTONIC nanoseconds, or the modelled clock when
 * the device reports %DRM_ZACCEL_CAP_VIRTUAL_TIME. A job reads its inputs by DMA between
 * @start_ns and @compute_start_ns, computes until @compute_end_ns and writes its outputs until
 * @end_ns. A reconfiguration writes the configuration port from @start_ns to @end_ns and
 * leaves both compute times zero.
 */
struct drm_zaccel_report {
	/** @start_ns: The work began (its in-syncs and the region's earlier work were done). */
	__u64 start_ns;
	/** @end_ns: The work ended. */
	__u64 end_ns;
	/** @compute_start_ns: The IP started computing. */
	__u64 compute_start_ns;
	/** @compute_end_ns: The IP finished computing. */
	__u64 compute_end_ns;
	/** @bytes: Bytes moved by DMA, or the bitstream's size for a reconfiguration. */
	__u64 bytes;
	/** @error: Positive errno of the failure, 0 on success. */
	__u32 error;
	/** @flags: Zero; reserved for later versions. */
	__u32 flags;
};

/* Parameters for &struct drm_zaccel_get_param. Global ones take @index 0. */
/** DRM_ZACCEL_PARAM_API_VERSION: %ZACCEL_API_VERSION of the device. */
#define DRM_ZACCEL_PARAM_API_VERSION 0
/** DRM_ZACCEL_PARAM_CAPABILITIES: bit mask of DRM_ZACCEL_CAP_*. */
#define DRM_ZACCEL_PARAM_CAPABILITIES 1
/** DRM_ZACCEL_PARAM_NUM_REGIONS: number of reconfigurable regions. */
#define DRM_ZACCEL_PARAM_NUM_REGIONS 2
/** DRM_ZACCEL_PARAM_PL_CLOCK_HZ: programmable-logic clock, in Hz. */
#define DRM_ZACCEL_PARAM_PL_CLOCK_HZ 3
/** DRM_ZACCEL_PARAM_PCAP_BYTES_PER_S: reconfiguration port throughput. */
#define DRM_ZACCEL_PARAM_PCAP_BYTES_PER_S 4
/** DRM_ZACCEL_PARAM_DDR_BYTES_PER_S: DDR bandwidth shared by the regions. */
#define DRM_ZACCEL_PARAM_DDR_BYTES_PER_S 5
/** DRM_ZACCEL_PARAM_MAX_BO_SIZE: largest buffer object BO_CREATE accepts. */
#define DRM_ZACCEL_PARAM_MAX_BO_SIZE 6
/** DRM_ZACCEL_PARAM_REGION_FRAMES: configuration frames of region @index. */
#define DRM_ZACCEL_PARAM_REGION_FRAMES 7
/** DRM_ZACCEL_PARAM_REGION_INTERFACE_ID: interface ID partials of region @index target. */
#define DRM_ZACCEL_PARAM_REGION_INTERFACE_ID 8
/** DRM_ZACCEL_PARAM_REGION_PARTIAL_SIZE: size of a partial bitstream for region @index. */
#define DRM_ZACCEL_PARAM_REGION_PARTIAL_SIZE 9
/** DRM_ZACCEL_PARAM_HP_BYTES_PER_S: DMA throughput of one AXI HP port. */
#define DRM_ZACCEL_PARAM_HP_BYTES_PER_S 10
/** DRM_ZACCEL_PARAM_REGION_DSP: DSP48 slices in region @index. */
#define DRM_ZACCEL_PARAM_REGION_DSP 11
/** DRM_ZACCEL_PARAM_REGION_BRAM18: 18 Kib block RAMs in region @index. */
#define DRM_ZACCEL_PARAM_REGION_BRAM18 12
/** DRM_ZACCEL_PARAM_REGION_LUT: look-up tables in region @index. */
#define DRM_ZACCEL_PARAM_REGION_LUT 13
/** DRM_ZACCEL_PARAM_REGION_FF: flip-flops in region @index. */
#define DRM_ZACCEL_PARAM_REGION_FF 14
/**
 * DRM_ZACCEL_PARAM_REGION_HP_PORTS: AXI HP ports wired to region @index; its DMA moves up to
 * this many times %DRM_ZACCEL_PARAM_HP_BYTES_PER_S, within %DRM_ZACCEL_PARAM_DDR_BYTES_PER_S.
 */
#define DRM_ZACCEL_PARAM_REGION_HP_PORTS 15

/** DRM_ZACCEL_CAP_EMULATED: the device is the software model of the fabric. */
#define DRM_ZACCEL_CAP_EMULATED _BITUL(0)
/** DRM_ZACCEL_CAP_NO_HW: the driver runs in its no-hardware test mode. */
#define DRM_ZACCEL_CAP_NO_HW _BITUL(1)
/** DRM_ZACCEL_CAP_VIRTUAL_TIME: job completion times are on a modelled clock. */
#define DRM_ZACCEL_CAP_VIRTUAL_TIME _BITUL(2)

/**
 * struct drm_zaccel_get_param - Read one device parameter.
 *
 * Returns -EINVAL for an unknown @param, a region @index out of range, or a non-zero @index
 * for a global parameter.
 */
struct drm_zaccel_get_param {
	/** @param: One of DRM_ZACCEL_PARAM_*. */
	__u32 param;
	/** @index: Region number for per-region parameters, else 0. */
	__u32 index;
	/** @value: Out: the parameter's value. */
	__u64 value;
};

/** DRM_ZACCEL_BO_WRITE_COMBINED: map uncached, write-combined; no CPU cache sync needed. */
#define DRM_ZACCEL_BO_WRITE_COMBINED _BITUL(0)
#define DRM_ZACCEL_BO_FLAGS (DRM_ZACCEL_BO_WRITE_COMBINED)

/**
 * struct drm_zaccel_bo_create - Allocate a buffer object from the device's DMA pool.
 *
 * A cached BO (the default) needs BO_PREP before the CPU touches it and BO_FINI before the
 * device does. Returns -EINVAL for a zero @size, a size above
 * %DRM_ZACCEL_PARAM_MAX_BO_SIZE or unknown @flags, and -ENOMEM when the pool is exhausted.
 */
struct drm_zaccel_bo_create {
	/** @size: In: bytes wanted, rounded up to the page size. */
	__u64 size;
	/** @flags: In: DRM_ZACCEL_BO_*. */
	__u32 flags;
	/** @handle: Out: GEM handle of the new BO. */
	__u32 handle;
	/** @mmap_offset: Out: offset to pass to mmap() on the device file. */
	__u64 mmap_offset;
	/** @dev_addr: Out: address of the BO as the PL's DMA engines see it. */
	__u64 dev_addr;
};

/** DRM_ZACCEL_PREP_READ: the CPU will read the BO. */
#define DRM_ZACCEL_PREP_READ _BITUL(0)
/** DRM_ZACCEL_PREP_WRITE: the CPU will write the BO. */
#define DRM_ZACCEL_PREP_WRITE _BITUL(1)
#define DRM_ZACCEL_PREP_FLAGS (DRM_ZACCEL_PREP_READ | DRM_ZACCEL_PREP_WRITE)

/**
 * struct drm_zaccel_bo_prep - Wait for the device to finish with a BO, then sync it for CPU.
 *
 * Returns -ETIMEDOUT if a job using the BO is still running at @timeout_ns (0 polls),
 * -ENOENT for a bad @handle, -EINVAL for no or unknown @flags.
 */
struct drm_zaccel_bo_prep {
	/** @handle: GEM handle. */
	__u32 handle;
	/** @flags: DRM_ZACCEL_PREP_READ and/or DRM_ZACCEL_PREP_WRITE. */
	__u32 flags;
	/** @timeout_ns: Absolute CLOCK_MONOTONIC deadline. */
	__u64 timeout_ns;
};

/**
 * struct drm_zaccel_bo_fini - End CPU access to a BO: sync it for the device.
 */
struct drm_zaccel_bo_fini {
	/** @handle: GEM handle; -ENOENT if unknown. */
	__u32 handle;
	/** @pad: Must be zero. */
	__u32 pad;
};

/* IP kinds (&struct drm_zaccel_ip_id @kind). */
#define DRM_ZACCEL_IP_CONV 1
#define DRM_ZACCEL_IP_POOL 2
#define DRM_ZACCEL_IP_FC 3
/**
 * DRM_ZACCEL_IP_ELTWISE: an element-wise IP (since API 4): two inputs of the same shape, its
 * output's (in_c, in_h, in_w equal to out_c, out_h, out_w), a 1x1 kernel, stride and
 * dilation, no padding, no weights (weight bits 0, %DRM_ZACCEL_WEIGHTS_NONE); its operation
 * is %DRM_ZACCEL_IP_ELTWISE_MASK of the flags, and %DRM_ZACCEL_IP_RELU the only other flag
 * allowed.
 */
#define DRM_ZACCEL_IP_ELTWISE 4

/* IP flags (&struct drm_zaccel_ip_id @flags). */
/** DRM_ZACCEL_IP_RELU: ReLU fused on the output. */
#define DRM_ZACCEL_IP_RELU _BITUL(0)
/** DRM_ZACCEL_IP_AVG_POOL: a pool IP averages (else it takes the maximum). */
#define DRM_ZACCEL_IP_AVG_POOL _BITUL(1)
/**
 * DRM_ZACCEL_IP_COUNT_PAD: an averaging pool divides by the whole window, its kernel height
 * times width taps, padding included (else by the taps inside the input).
 */
#define DRM_ZACCEL_IP_COUNT_PAD _BITUL(2)
/**
 * DRM_ZACCEL_IP_ACC_IN: a conv or fc IP that computes some of a layer's input channels adds
 * the partial sums another such IP computed (a job argument) to its own.
 */
#define DRM_ZACCEL_IP_ACC_IN _BITUL(3)
/**
 * DRM_ZACCEL_IP_ACC_OUT: a conv or fc IP that computes some of a layer's input channels writes
 * its partial sums, signed 64-bit and unrounded, for the next IP of the cascade; it has no
 * bias, no requantization and no ReLU.
 */
#define DRM_ZACCEL_IP_ACC_OUT _BITUL(4)
/**
 * DRM_ZACCEL_IP_ACT_MASK: bits 8 to 11 of the flags: the activation of a conv or fc IP's
 * output stage, DRM_ZACCEL_ACT_* (since API 2). Not with %DRM_ZACCEL_IP_RELU or
 * %DRM_ZACCEL_IP_ACC_OUT, and never on a pool IP.
 */
#define DRM_ZACCEL_IP_ACT_MASK (0xfU << 8)
/** DRM_ZACCEL_IP_ACT: the flags bits of activation @act (DRM_ZACCEL_ACT_*). */
#define DRM_ZACCEL_IP_ACT(act) (((__u32)(act) & 0xfU) << 8)
/** DRM_ZACCEL_IP_ACT_OF: the activation (DRM_ZACCEL_ACT_*) of identity flags @flags. */
#define DRM_ZACCEL_IP_ACT_OF(flags) (((flags) >> 8) & 0xfU)
/**
 * DRM_ZACCEL_IP_GROUPS_MASK: bits 16 to 31 of the flags: a conv IP's groups minus one (since
 * API 3). Input channel group g (of @in_c / groups channels) gives only output channel group g
 * (of @out_c / groups channels); the weights are [@out_c][@in_c / groups][kh][kw]. Both channel
 * counts are multiples of the groups; depthwise is groups = @in_c. Only on a conv IP, and not
 * with %DRM_ZACCEL_IP_ACC_IN or %DRM_ZACCEL_IP_ACC_OUT.
 */
#define DRM_ZACCEL_IP_GROUPS_MASK (0xffffU << 16)
/** DRM_ZACCEL_IP_GROUPS: the flags bits of @groups (1 to 65536) groups. */
#define DRM_ZACCEL_IP_GROUPS(groups) ((((__u32)(groups) - 1) & 0xffffU) << 16)
/** DRM_ZACCEL_IP_GROUPS_OF: the groups (1 to 65536) of identity flags @flags. */
#define DRM_ZACCEL_IP_GROUPS_OF(flags) ((((flags) >> 16) & 0xffffU) + 1)
/**
 * DRM_ZACCEL_IP_ELTWISE_MASK: bits 12 to 15 of the flags: an element-wise IP's operation,
 * DRM_ZACCEL_ELTWISE_* (since API 4); not zero on such an IP, zero on every other.
 */
#define DRM_ZACCEL_IP_ELTWISE_MASK (0xfU << 12)
/** DRM_ZACCEL_IP_ELTWISE_OP: the flags bits of element-wise operation @op. */
#define DRM_ZACCEL_IP_ELTWISE_OP(op) (((__u32)(op) & 0xfU) << 12)
/** DRM_ZACCEL_IP_ELTWISE_OF: the element-wise operation of identity flags @flags. */
#define DRM_ZACCEL_IP_ELTWISE_OF(flags) (((flags) >> 12) & 0xfU)

/* Element-wise operations (DRM_ZACCEL_IP_ELTWISE_MASK of &struct drm_zaccel_ip_id @flags). */
/**
 * DRM_ZACCEL_ELTWISE_ADD: out = requantize((a << ka) + (b << kb)), where the signed register
 * %DRM_ZACCEL_JOB_REG_ALIGN k gives kb = k and ka = 0 when k >= 0, else ka = -k and kb = 0
 * (-32 <= k <= 32): the operand with fewer fractional bits is shifted to the other's. The
 * 64-bit sum is shifted by %DRM_ZACCEL_JOB_REG_SHIFT, rounded half up and saturated as a conv
 * IP's accumulator, then %DRM_ZACCEL_IP_RELU applies.
 */
#define DRM_ZACCEL_ELTWISE_ADD 1
/** DRM_ZACCEL_ELTWISE_MAX: the largest element-wise operation defined. */
#define DRM_ZACCEL_ELTWISE_MAX DRM_ZACCEL_ELTWISE_ADD

/* Activations (DRM_ZACCEL_IP_ACT_MASK of &struct drm_zaccel_ip_id @flags). */
/** DRM_ZACCEL_ACT_NONE: none, or the ReLU of %DRM_ZACCEL_IP_RELU. */
#define DRM_ZACCEL_ACT_NONE 0
/**
 * DRM_ZACCEL_ACT_CLIP: the requantized output clamped to [lo, hi], which job register
 * %DRM_ZACCEL_JOB_REG_ACT gives as hi << 16 | lo (16-bit two's complement, lo <= hi).
 */
#define DRM_ZACCEL_ACT_CLIP 1
/**
 * DRM_ZACCEL_ACT_TANH: the accumulator, shifted by %DRM_ZACCEL_JOB_REG_SHIFT to 8 fractional
 * bits and saturated to 12 bits, indexes a 4096-entry table of round(tanh(i / 256) * 2^15),
 * which is rounded half up to the output bits (its fractional bits: output bits - 1).
 */
#define DRM_ZACCEL_ACT_TANH 2
/** DRM_ZACCEL_ACT_SIGMOID: as %DRM_ZACCEL_ACT_TANH, with 1 / (1 + exp(-i / 256)). */
#define DRM_ZACCEL_ACT_SIGMOID 3
/**
 * DRM_ZACCEL_ACT_LEAKY: a negative accumulator is first multiplied by the slope a, which job
 * register %DRM_ZACCEL_JOB_REG_ACT gives in Q0.15 (0 to 32767; the upper 17 bits zero), and
 * then shifted by %DRM_ZACCEL_JOB_REG_SHIFT + 15; the result is rounded half up and saturated
 * as any output (since API 3).
 */
#define DRM_ZACCEL_ACT_LEAKY 4
/**
 * DRM_ZACCEL_ACT_HARDSIGMOID: clamp(a * x + b, 0, 1) in three linear segments. x is the
 * accumulator shifted by %DRM_ZACCEL_JOB_REG_SHIFT to 8 fractional bits and saturated to 12
 * bits, as for %DRM_ZACCEL_ACT_TANH; job register %DRM_ZACCEL_JOB_REG_ACT gives b << 16 | a,
 * a in Q0.15 (0 to 32767) and b in Q0.15 (16-bit two's complement). (a * x + b * 2^8) is
 * shifted right by 8, rounded half up and clamped to [0, 32767], then rounded half up to the
 * output bits (its fractional bits: output bits - 1) (since API 5).
 */
#define DRM_ZACCEL_ACT_HARDSIGMOID 5
/**
 * DRM_ZACCEL_ACT_HARDSWISH: v * h(v), v the requantized output and h(v) = clamp(v * 5461 *
 * 2^-f + 2^14, 0, 2^15) in Q0.15 (5461: 1/6 in Q0.15; the product shifted half up), f being
 * the output's fractional bits, which job register %DRM_ZACCEL_JOB_REG_ACT gives (32-bit two's
 * complement, -32 to 32). v * h(v) is shifted right by 15, rounded half up and saturated to
 * the output bits (since API 5).
 */
#define DRM_ZACCEL_ACT_HARDSWISH 6
/**
 * DRM_ZACCEL_ACT_PRELU: as %DRM_ZACCEL_ACT_LEAKY, each output channel with its own slope a,
 * Q0.15 (0 to 32767), which bits 48 to 62 of the channel's 64-bit bias word give; the bias
 * itself is bits 0 to 47, sign-extended (the accumulator's width), and bit 63 is ignored.
 * The biases are required: an embedded IP's partial holds them (else the load fails with
 * -EBADMSG), a streaming IP's job passes them (else -EINVAL). Job register
 * %DRM_ZACCEL_JOB_REG_ACT is zero (since API 6).
 */
#define DRM_ZACCEL_ACT_PRELU 7
/** DRM_ZACCEL_ACT_MAX: the largest activation defined. */
#define DRM_ZACCEL_ACT_MAX DRM_ZACCEL_ACT_PRELU

/*
 * Window steps (each half of &struct drm_zaccel_ip_id @stride): the stride, 1 to 255, and the
 * dilation, 1 to 256, the distance between the window's taps (since API 6). A window of k
 * taps at dilation d spans (k - 1) * d + 1 positions; padding counts in positions. Over in
 * positions padded by pa and pb, the output is (in + pa + pb - span) / stride + 1 positions.
 */
/** DRM_ZACCEL_IP_STEP: the 16-bit half of the stride word for @stride_ and @dilation. */
#define DRM_ZACCEL_IP_STEP(stride_, dilation) \
	((((__u32)(dilation) - 1) & 0xffU) << 8 | ((__u32)(stride_) & 0xffU))
/** DRM_ZACCEL_IP_STEP_STRIDE: the stride of a 16-bit half @step of the stride word. */
#define DRM_ZACCEL_IP_STEP_STRIDE(step) ((step) & 0xffU)
/** DRM_ZACCEL_IP_STEP_DILATION: the dilation (1 to 256) of a half @step of the stride word. */
#define DRM_ZACCEL_IP_STEP_DILATION(step) ((((step) >> 8) & 0xffU) + 1)

/* Weight modes (&struct drm_zaccel_ip_id @weight_mode). */
/** DRM_ZACCEL_WEIGHTS_NONE: the IP has no weights (pooling). */
#define DRM_ZACCEL_WEIGHTS_NONE 0
/** DRM_ZACCEL_WEIGHTS_EMBEDDED: weights are part of the partial bitstream (BRAM). */
#define DRM_ZACCEL_WEIGHTS_EMBEDDED 1
/** DRM_ZACCEL_WEIGHTS_STREAMED: weights are read from a DDR BO on every invocation. */
#define DRM_ZACCEL_WEIGHTS_STREAMED 2
/** DRM_ZACCEL_WEIGHTS_BATCH_CACHED: weights are read once per batch into on-chip buffers. */
#define DRM_ZACCEL_WEIGHTS_BATCH_CACHED 3

/** ZACCEL_IP_MAGIC: first word of every IP's identity block ("ZAIP"). */
#define ZACCEL_IP_MAGIC 0x5a414950

/**
 * struct drm_zaccel_ip_id - An IP's identity and configuration, as its ID register block
 * reads back after reconfiguration.
 *
 * Packed fields put the first-named part in the high bits.
 */
struct drm_zaccel_ip_id {
	/** @magic: %ZACCEL_IP_MAGIC. */
	__u32 magic;
	/** @kind: DRM_ZACCEL_IP_*. */
	__u32 kind;
	/** @version: IP core version, major << 16 | minor. */
	__u32 version;
	/** @flags: DRM_ZACCEL_IP_* flags. */
	__u32 flags;
	/** @in_c: Input channels (for FC: input features). */
	__u32 in_c;
	/** @in_h: Input height (1 for FC). */
	__u32 in_h;
	/** @in_w: Input width (1 for FC). */
	__u32 in_w;
	/** @out_c: Output channels (for FC: output features). */
	__u32 out_c;
	/** @out_h: Output height. */
	__u32 out_h;
	/** @out_w: Output width. */
	__u32 out_w;
	/** @kernel: Window height << 16 | width. */
	__u32 kernel;
	/**
	 * @stride: Window step vertical << 16 | horizontal, each DRM_ZACCEL_IP_STEP() of a
	 * stride and a dilation (before API 6: the stride alone).
	 */
	__u32 stride;
	/** @padding: Top << 24 | left << 16 | bottom << 8 | right. */
	__u32 padding;
	/** @bits: Weight bits << 16 | input activation bits << 8 | output activation bits. */
	__u32 bits;
	/** @weight_mode: DRM_ZACCEL_WEIGHTS_*. */
	__u32 weight_mode;
	/** @lanes: Multiply-accumulates (or window elements) the IP handles per clock cycle. */
	__u32 lanes;
};

/**
 * struct drm_zaccel_reconfig - Load a partial bitstream into one region (asynchronous).
 *
 * A partial holds one or more IPs, each in its slot of the region with its own identity block
 * and argument registers. Once the in-syncs have signalled and the region's queued jobs have
 * completed, the region is decoupled, the partial is written through the configuration port,
 * and every slot's identity block is compared with @expected; the region is coupled again only
 * if all match. The out-sync signals at the
 * end either way; a failure leaves the region in an error state, decoupled, until the next
 * successful RECONFIG, and is reported by REGION_QUERY.
 *
 * Returns -EINVAL for a region out of range, a range outside the BO, a size other than the
 * region's partial size, a @slot_count of 0 or above %DRM_ZACCEL_MAX_SLOTS, an invalid
 * identity in @expected (its input, output or weight count overflowing 64 bits, or its output
 * dimensions not what the input and window give, included), non-zero @flags, or a bad
 * extension chain; -ENOENT for an unknown BO or sync object. Bitstream faults (-EBADMSG: bad
 * header or CRC; -ENODEV: the partial targets another region; -EPROTO: an identity differs
 * from @expected) are found as the hardware finds them, while the work runs: they are reported
 * by the completion record (%DRM_ZACCEL_EXT_REPORT) and by REGION_QUERY.
 */
struct drm_zaccel_reconfig {
	/** @region: Target region. */
	__u32 region;
	/** @bo_handle: BO holding the partial bitstream. */
	__u32 bo_handle;
	/** @bo_offset: Offset of the bitstream in the BO. */
	__u64 bo_offset;
	/** @size: Bitstream size. */
	__u64 size;
	/**
	 * @expected: Userspace pointer to an array of &struct drm_zaccel_ip_id, the identity
	 * each slot's IP must report, slot 0 first.
	 */
	__u64 expected;
	/** @slot_count: Entries in @expected, 1 to %DRM_ZACCEL_MAX_SLOTS. */
	__u32 slot_count;
	/** @in_sync_count: Entries in @in_syncs, at most %DRM_ZACCEL_MAX_SYNCS. */
	__u32 in_sync_count;
	/** @in_syncs: Userspace pointer to an array of __u32 sync object handles. */
	__u64 in_syncs;
	/** @out_sync: Sync object to signal at the end, or 0. */
	__u32 out_sync;
	/** @flags: Must be zero. */
	__u32 flags;
	/** @extensions: Userspace pointer to the first extension, or 0. */
	__u64 extensions;
};

/** DRM_ZACCEL_ARG_READ: the IP reads this buffer. */
#define DRM_ZACCEL_ARG_READ _BITUL(0)
/** DRM_ZACCEL_ARG_WRITE: the IP writes this buffer. */
#define DRM_ZACCEL_ARG_WRITE _BITUL(1)
#define DRM_ZACCEL_ARG_FLAGS (DRM_ZACCEL_ARG_READ | DRM_ZACCEL_ARG_WRITE)

/** DRM_ZACCEL_MAX_ARGS: most buffer arguments a job may pass. */
#define DRM_ZACCEL_MAX_ARGS 8
/** DRM_ZACCEL_MAX_REGS: most scalar registers a job may pass. */
#define DRM_ZACCEL_MAX_REGS 32

/* A job's registers (&struct drm_zaccel_submit @regs); one not passed reads as 0. */
/** DRM_ZACCEL_JOB_REG_IMAGES: images the job computes (not 0). */
#define DRM_ZACCEL_JOB_REG_IMAGES 0
/**
 * DRM_ZACCEL_JOB_REG_SHIFT: a conv or fc IP's requantization shift (signed): accumulator
 * fractional bits minus those of the output, or of a table activation's input (8).
 */
#define DRM_ZACCEL_JOB_REG_SHIFT 1
/** DRM_ZACCEL_JOB_REG_CONTROL: DRM_ZACCEL_JOB_* control bits. */
#define DRM_ZACCEL_JOB_REG_CONTROL 2
/** DRM_ZACCEL_JOB_REG_OUT_STRIDE: values from one image's output to the next (0: packed). */
#define DRM_ZACCEL_JOB_REG_OUT_STRIDE 3
/** DRM_ZACCEL_JOB_REG_IN_STRIDE: values from one image's input to the next (0: packed). */
#define DRM_ZACCEL_JOB_REG_IN_STRIDE 4
/**
 * DRM_ZACCEL_JOB_REG_ACT: the activation's parameter (%DRM_ZACCEL_ACT_CLIP's bounds,
 * %DRM_ZACCEL_ACT_LEAKY's slope, %DRM_ZACCEL_ACT_HARDSIGMOID's a and b,
 * %DRM_ZACCEL_ACT_HARDSWISH's output fractional bits; zero for %DRM_ZACCEL_ACT_PRELU). A value
 * outside what the activation defines fails the job with -EINVAL.
 */
#define DRM_ZACCEL_JOB_REG_ACT 5
/**
 * DRM_ZACCEL_JOB_REG_ALIGN: an element-wise IP's signed operand alignment, -32 to 32 (see
 * %DRM_ZACCEL_ELTWISE_ADD); read by element-wise IPs only.
 */
#define DRM_ZACCEL_JOB_REG_ALIGN 6
/**
 * DRM_ZACCEL_JOB_REG_IN2_STRIDE: an element-wise IP's second input stride, as
 * %DRM_ZACCEL_JOB_REG_IN_STRIDE is its first's (0: packed); read by element-wise IPs only.
 */
#define DRM_ZACCEL_JOB_REG_IN2_STRIDE 7

/**
 * DRM_ZACCEL_JOB_KEEP_WEIGHTS: in a job's register 2, compute with the weights the slot's
 * batch-cached IP kept from an earlier job instead of loading them.
 */
#define DRM_ZACCEL_JOB_KEEP_WEIGHTS _BITUL(0)
/** DRM_ZACCEL_JOB_FLAGS: every control bit a job's register 2 may hold. */
#define DRM_ZACCEL_JOB_FLAGS DRM_ZACCEL_JOB_KEEP_WEIGHTS

/**
 * struct drm_zaccel_arg - One buffer argument of a job: a range of a BO.
 */
struct drm_zaccel_arg {
	/** @handle: GEM handle. */
	__u32 handle;
	/** @flags: DRM_ZACCEL_ARG_READ and/or DRM_ZACCEL_ARG_WRITE, at least one. */
	__u32 flags;
	/** @offset: Start of the range in the BO. */
	__u64 offset;
	/** @size: Length of the range. */
	__u64 size;
};

/**
 * struct drm_zaccel_submit - Run the IP loaded in one region (asynchronous).
 *
 * The buffer arguments are, in order: input activations, output activations, for an IP with
 * %DRM_ZACCEL_IP_ACC_IN the partial sums to add, for an element-wise IP its second input,
 * then for IPs with streamed or batch-cached weights the weights and the bias. Activations and
 * weights are signed 16-bit little-endian values; the bias, partial sums, and the output of an
 * IP with %DRM_ZACCEL_IP_ACC_OUT are signed 64-bit. Partial sums in are packed, image after
 * image, in the order of the output.
 * The scalar registers are the IP's argument registers: register 0 is the number of images,
 * register 1 the signed requantization shift (accumulator fraction bits minus output
 * fraction bits), register 2 (optional) the job's DRM_ZACCEL_JOB_* control bits, register 3
 * (optional) the output stride: values from the start of one image's output to the next
 * one's in the output argument, 0 for the IP's output size (packed), register 4 (optional)
 * the input stride, likewise. A larger output stride lets IPs that each compute some of a
 * layer's output channels write them side by side into one buffer; a larger input stride
 * lets IPs that each compute some of its input channels read theirs from one. A batch-cached
 * IP keeps the weights and bias a job loaded; a later job on its slot with
 * %DRM_ZACCEL_JOB_KEEP_WEIGHTS computes with them and passes no weight or bias argument. A
 * RECONFIG of the region drops them.
 *
 * Jobs on one slot run in submission order, after any RECONFIG of the region queued before
 * them; jobs on different slots of a region may run side by side and finish in any order.
 *
 * Returns -EINVAL for a region or slot out of range, no arguments, too many arguments or
 * registers, a range outside its BO, unknown flags, a non-zero @pad, or a bad extension
 * chain; -ENOENT for an unknown BO or sync object. What depends on the IP is checked when
 * the job runs, since a RECONFIG queued before it may change the IP: a slot without a
 * working IP fails the job with -ENODEV, arguments or registers that do not match the IP
 * (unknown control bits, %DRM_ZACCEL_JOB_KEEP_WEIGHTS on an IP that is not batch-cached, an
 * output or input stride shorter than the IP's output or input, an element-wise IP's
 * alignment outside -32 to 32, a buffer too small for what
 * the IP reads or writes, counts and strides whose extent overflows 64 bits) with -EINVAL,
 * %DRM_ZACCEL_JOB_KEEP_WEIGHTS with no weights kept since the last RECONFIG with -ENODATA, an
 * IP that hangs with -ETIMEDOUT, a DMA error with -EIO. A failed job signals its out-sync,
 * writes its completion record and is counted by REGION_QUERY.
 */
struct drm_zaccel_submit {
	/** @region: Region whose IP runs the job. */
	__u32 region;
	/** @slot: Which of the region's IPs runs it. */
	__u32 slot;
	/** @flags: Must be zero. */
	__u32 flags;
	/** @arg_count: Entries in @args, 1 to %DRM_ZACCEL_MAX_ARGS. */
	__u32 arg_count;
	/** @args: Userspace pointer to an array of &struct drm_zaccel_arg. */
	__u64 args;
	/** @regs: Userspace pointer to an array of __u32 register values. */
	__u64 regs;
	/** @reg_count: Entries in @regs, at most %DRM_ZACCEL_MAX_REGS. */
	__u32 reg_count;
	/** @in_sync_count: Entries in @in_syncs, at most %DRM_ZACCEL_MAX_SYNCS. */
	__u32 in_sync_count;
	/** @in_syncs: Userspace pointer to an array of __u32 sync object handles. */
	__u64 in_syncs;
	/** @out_sync: Sync object to signal when the job ends, or 0. */
	__u32 out_sync;
	/** @pad: Must be zero. */
	__u32 pad;
	/** @extensions: Userspace pointer to the first extension, or 0. */
	__u64 extensions;
};

/*
 * Region states, named as the FPGA manager framework names its states (fpga_mgr_states);
 * the *_ERR states mean the last reconfiguration failed in that phase.
 */
#define DRM_ZACCEL_STATE_UNKNOWN 0
#define DRM_ZACCEL_STATE_POWER_OFF 1
#define DRM_ZACCEL_STATE_POWER_UP 2
#define DRM_ZACCEL_STATE_RESET 3
#define DRM_ZACCEL_STATE_FIRMWARE_REQ 4
#define DRM_ZACCEL_STATE_FIRMWARE_REQ_ERR 5
#define DRM_ZACCEL_STATE_WRITE_INIT 6
#define DRM_ZACCEL_STATE_WRITE_INIT_ERR 7
#define DRM_ZACCEL_STATE_WRITE 8
#define DRM_ZACCEL_STATE_WRITE_ERR 9
#define DRM_ZACCEL_STATE_WRITE_COMPLETE 10
#define DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR 11
#define DRM_ZACCEL_STATE_OPERATING 12

/** DRM_ZACCEL_REGION_DECOUPLED: the region's decoupler isolates it from the static design. */
#define DRM_ZACCEL_REGION_DECOUPLED _BITUL(0)
/** DRM_ZACCEL_REGION_IP_VALID: @loaded describes a working IP. */
#define DRM_ZACCEL_REGION_IP_VALID _BITUL(1)

/**
 * struct drm_zaccel_region_query - State, loaded IPs and counters of one region.
 *
 * Returns -EINVAL for a region or slot out of range (%DRM_ZACCEL_MAX_SLOTS) or a non-zero @pad.
 */
struct drm_zaccel_region_query {
	/** @region: In: region number. */
	__u32 region;
	/** @slot: In: whose identity @loaded reports. */
	__u32 slot;
	/** @state: Out: DRM_ZACCEL_STATE_*. */
	__u32 state;
	/** @flags: Out: DRM_ZACCEL_REGION_*. */
	__u32 flags;
	/** @frames: Out: configuration frames of the region. */
	__u32 frames;
	/** @slots: Out: IPs the loaded partial holds; 0 if none. */
	__u32 slots;
	/** @loaded: Out: identity read back from the IP in @slot; zero if none. */
	struct drm_zaccel_ip_id loaded;
	/** @reconfigs: Out: successful reconfigurations. */
	__u64 reconfigs;
	/** @jobs: Out: completed jobs. */
	__u64 jobs;
	/** @bytes: Out: bytes moved by the region's DMA, bitstreams included. */
	__u64 bytes;
	/** @errors: Out: failed reconfigurations and jobs. */
	__u64 errors;
	/** @last_error: Out: positive errno of the last failure, 0 if none. */
	__u32 last_error;
	/** @pad: Must be zero. */
	__u32 pad;
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_ZACCEL_DRM_H_ */
