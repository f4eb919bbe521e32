// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * zaccel: the IP contract of the uapi. An identity is checked before a RECONFIG is queued;
 * a job is checked against the IP its slot holds when it is about to run, so that the IP's
 * DMA never reaches outside the ranges the job passed. The emulator implements the same
 * rules (emulator/ips/ip.cc and emulator/fabric/job_plan.cc).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/overflow.h>

#include "zaccel_ip.h"

#define ZACCEL_MIN_BITS 2
#define ZACCEL_MAX_BITS 16
#define ZACCEL_IP_FLAGS                                                                   \
	(DRM_ZACCEL_IP_RELU | DRM_ZACCEL_IP_AVG_POOL | DRM_ZACCEL_IP_COUNT_PAD |           \
	 DRM_ZACCEL_IP_ACC_IN | DRM_ZACCEL_IP_ACC_OUT | DRM_ZACCEL_IP_ACT_MASK |          \
	 DRM_ZACCEL_IP_GROUPS_MASK | DRM_ZACCEL_IP_ELTWISE_MASK)
/*
 * A 1x1 kernel, or a stride of 1 at dilation 1, as the identity packs them, height << 16 |
 * width.
 */
#define ZACCEL_IP_UNIT 0x00010001U
/* The alignment register of an element-wise job: -32 to 32. */
#define ZACCEL_MAX_ALIGN 32
/* Largest magnitude of a hard swish's output fractional bits (its job register 5). */
#define ZACCEL_HARDSWISH_MAX_FRAC 32

static bool zaccel_bits_ok(u32 bits)
{
	return bits >= ZACCEL_MIN_BITS && bits <= ZACCEL_MAX_BITS;
}

/*
 * Output extent of a window of @k taps over @in positions, @step one 16-bit half of the
 * identity's stride word (DRM_ZACCEL_IP_STEP()): the taps are the dilation apart, so the
 * window spans (@k - 1) * dilation + 1 positions. 0 if the window does not fit or the
 * stride is 0. It is not narrowed to 32 bits: an extent above U32_MAX matches no output
 * dimension.
 */
static u64 zaccel_window_extent(u32 in, u32 k, u32 step, u32 pad_a, u32 pad_b)
{
	u32 stride = DRM_ZACCEL_IP_STEP_STRIDE(step);
	u64 padded = (u64)in + pad_a + pad_b;
	u64 span;

	if (!k || !stride)
		return 0;
	/* At most 65534 * 256 + 1: no overflow. */
	span = (u64)(k - 1) * DRM_ZACCEL_IP_STEP_DILATION(step) + 1;
	if (padded < span)
		return 0;
	return div_u64(padded - span, stride) + 1;
}

/* @a * @b * @c in @res; false if that overflows 64 bits. */
static bool zaccel_mul3(u64 a, u64 b, u64 c, u64 *res)
{
	u64 ab;

	return !check_mul_overflow(a, b, &ab) && !check_mul_overflow(ab, c, res);
}

/* Values of one image's input in @n; false if they overflow 64 bits. */
static bool zaccel_ip_inputs(const struct drm_zaccel_ip_id *id, u64 *n)
{
	return zaccel_mul3(id->in_c, id->in_h, id->in_w, n);
}

/* Values of one image's output in @n; false if they overflow 64 bits. */
static bool zaccel_ip_outputs(const struct drm_zaccel_ip_id *id, u64 *n)
{
	return zaccel_mul3(id->out_c, id->out_h, id->out_w, n);
}

/* The IP's weights in @n; false if they overflow 64 bits. */
static bool zaccel_ip_weights(const struct drm_zaccel_ip_id *id, u64 *n)
{
	u64 window = (u64)(id->kernel >> 16) * (id->kernel & 0xffff);
	u32 per_group = id->in_c / DRM_ZACCEL_IP_GROUPS_OF(id->flags);

	switch (id->kind) {
	case DRM_ZACCEL_IP_CONV:
		return zaccel_mul3(id->out_c, per_group, window, n);
	case DRM_ZACCEL_IP_FC:
		return zaccel_mul3(id->out_c, id->in_c, 1, n);
	default:
		*n = 0;
		return true;
	}
}

static u64 zaccel_ip_biases(const struct drm_zaccel_ip_id *id)
{
	if (id->kind == DRM_ZACCEL_IP_POOL || id->kind == DRM_ZACCEL_IP_ELTWISE ||
	    (id->flags & DRM_ZACCEL_IP_ACC_OUT))
		return 0;
	return id->out_c;
}

static bool zaccel_ip_streams(const struct drm_zaccel_ip_id *id)
{
	return id->weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ||
	       id->weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
}

static int zaccel_ip_check_window(const struct drm_zaccel_ip_id *id)
{
	u32 out_c = id->kind == DRM_ZACCEL_IP_POOL ? id->in_c : id->out_c;
	u64 h = zaccel_window_extent(id->in_h, id->kernel >> 16, id->stride >> 16,
				     id->padding >> 24, (id->padding >> 8) & 0xff);
	u64 w = zaccel_window_extent(id->in_w, id->kernel & 0xffff, id->stride & 0xffff,
				     (id->padding >> 16) & 0xff, id->padding & 0xff);

	return out_c == id->out_c && h == id->out_h && w == id->out_w ? 0 : -EINVAL;
}

/*
 * An element-wise IP: a known operation and no flag but %DRM_ZACCEL_IP_RELU, no weights, and
 * its output its inputs' shape through an unpadded 1x1 window.
 */
static int zaccel_ip_check_eltwise(const struct drm_zaccel_ip_id *id)
{
	u32 op = DRM_ZACCEL_IP_ELTWISE_OF(id->flags);

	if (!op || op > DRM_ZACCEL_ELTWISE_MAX ||
	    id->flags & ~(DRM_ZACCEL_IP_ELTWISE_MASK | DRM_ZACCEL_IP_RELU))
		return -EINVAL;
	if (id->weight_mode != DRM_ZACCEL_WEIGHTS_NONE || id->bits >> 16)
		return -EINVAL;
	if (id->out_c != id->in_c || id->out_h != id->in_h || id->out_w != id->in_w ||
	    id->kernel != ZACCEL_IP_UNIT || id->stride != ZACCEL_IP_UNIT || id->padding)
		return -EINVAL;
	return 0;
}

/**
 * zaccel_ip_check_id() - Check that an identity describes an IP the uapi defines.
 * @id: The identity, as RECONFIG's expected array gives it.
 *
 * Return: 0, or -EINVAL for a bad magic, kind, flag, weight mode or bit width, empty
 * dimensions, input, output or weight counts that overflow 64 bits, flags that do not apply
 * to the kind (an element-wise operation on any other kind, any flag but the operation and
 * %DRM_ZACCEL_IP_RELU on an element-wise IP), an unknown activation, an activation on a pool
 * IP or with %DRM_ZACCEL_IP_RELU or %DRM_ZACCEL_IP_ACC_OUT, %DRM_ZACCEL_ACT_PRELU on an IP
 * without biases (its slopes are in the bias words), an unknown element-wise operation,
 * groups that do not divide both channel counts, a conv or pool IP with a stride of 0 or output
 * dimensions that the input and window (kernel, stride, dilation and padding) do not give,
 * an FC IP with spatial dimensions other than 1x1 or a kernel, stride or padding other
 * than 0, or an element-wise IP with weights, a window other than an unpadded 1x1 at
 * stride 1 and dilation 1, or an output shaped unlike its input.
 */
int zaccel_ip_check_id(const struct drm_zaccel_ip_id *id)
{
	bool pool = id->kind == DRM_ZACCEL_IP_POOL;
	u32 acc = DRM_ZACCEL_IP_ACC_IN | DRM_ZACCEL_IP_ACC_OUT;
	u32 groups = DRM_ZACCEL_IP_GROUPS_OF(id->flags);
	u64 ins, outs, weights;

	if (id->magic != ZACCEL_IP_MAGIC || id->kind < DRM_ZACCEL_IP_CONV ||
	    id->kind > DRM_ZACCEL_IP_ELTWISE || id->flags & ~ZACCEL_IP_FLAGS || !id->lanes)
		return -EINVAL;
	if (!zaccel_bits_ok((id->bits >> 8) & 0xff) || !zaccel_bits_ok(id->bits & 0xff))
		return -EINVAL;
	if (!zaccel_ip_inputs(id, &ins) || !zaccel_ip_outputs(id, &outs) ||
	    !zaccel_ip_weights(id, &weights) || !ins || !outs)
		return -EINVAL;
	if (id->kind == DRM_ZACCEL_IP_ELTWISE)
		return zaccel_ip_check_eltwise(id);
	if (id->flags & DRM_ZACCEL_IP_ELTWISE_MASK)
		return -EINVAL;
	if (pool) {
		if (id->weight_mode != DRM_ZACCEL_WEIGHTS_NONE || id->bits >> 16 || id->flags & acc)
			return -EINVAL;
		if ((id->flags & DRM_ZACCEL_IP_COUNT_PAD) && !(id->flags & DRM_ZACCEL_IP_AVG_POOL))
			return -EINVAL;
	} else {
		if (id->weight_mode < DRM_ZACCEL_WEIGHTS_EMBEDDED ||
		    id->weight_mode > DRM_ZACCEL_WEIGHTS_BATCH_CACHED ||
		    !zaccel_bits_ok(id->bits >> 16))
			return -EINVAL;
		if (id->flags & (DRM_ZACCEL_IP_AVG_POOL | DRM_ZACCEL_IP_COUNT_PAD))
			return -EINVAL;
		if ((id->flags & DRM_ZACCEL_IP_ACC_OUT) && (id->flags & DRM_ZACCEL_IP_RELU))
			return -EINVAL;
	}
	if (DRM_ZACCEL_IP_ACT_OF(id->flags) &&
	    (DRM_ZACCEL_IP_ACT_OF(id->flags) > DRM_ZACCEL_ACT_MAX || pool ||
	     id->flags & (DRM_ZACCEL_IP_RELU | DRM_ZACCEL_IP_ACC_OUT)))
		return -EINVAL;
	/*
	 * A PRelu's slopes are in its bias words: an IP without biases has none. Of the IPs that
	 * may have an activation, only one with %DRM_ZACCEL_IP_ACC_OUT (refused above) has none.
	 */
	if (DRM_ZACCEL_IP_ACT_OF(id->flags) == DRM_ZACCEL_ACT_PRELU && !zaccel_ip_biases(id))
		return -EINVAL;
	if (groups > 1 && (id->kind != DRM_ZACCEL_IP_CONV || id->flags & acc ||
			   id->in_c % groups || id->out_c % groups))
		return -EINVAL;
	if (id->kind == DRM_ZACCEL_IP_FC)
		return id->in_h == 1 && id->in_w == 1 && id->out_h == 1 && id->out_w == 1 &&
		       !id->kernel && !id->stride && !id->padding ? 0 : -EINVAL;
	return zaccel_ip_check_window(id);
}

/**
 * zaccel_ip_check_embedded() - Check the weights a partial embeds for one of its IPs.
 * @id: The IP's identity.
 * @nweights: Weights the partial holds for it.
 * @nbias: Biases the partial holds for it.
 *
 * Return: 0, or -EBADMSG unless an IP with embedded weights holds all of its weights (and
 * all or none of its biases; all for a %DRM_ZACCEL_ACT_PRELU IP, whose slopes they carry)
 * and any other IP holds none.
 */
int zaccel_ip_check_embedded(const struct drm_zaccel_ip_id *id, u64 nweights, u64 nbias)
{
	bool embedded = id->weight_mode == DRM_ZACCEL_WEIGHTS_EMBEDDED;
	bool prelu = DRM_ZACCEL_IP_ACT_OF(id->flags) == DRM_ZACCEL_ACT_PRELU;
	u64 weights;

	if (!zaccel_ip_weights(id, &weights))
		return -EBADMSG;
	if (nweights != (embedded ? weights : 0) ||
	    (nbias && (!embedded || nbias != zaccel_ip_biases(id))) ||
	    (embedded && prelu && !nbias))
		return -EBADMSG;
	return 0;
}

/*
 * Bytes from the start of the first of @n images, @stride values apart, to the end of the
 * last one's @count values of @elem bytes: ((@n - 1) * @stride + @count) * @elem, in @res.
 * False if that overflows 64 bits. @n is at least 1.
 */
static bool zaccel_extent(u64 n, u64 stride, u64 count, u64 elem, u64 *res)
{
	u64 values;

	if (check_mul_overflow(n - 1, stride, &values) ||
	    check_add_overflow(values, count, &values))
		return false;
	return !check_mul_overflow(values, elem, res);
}

/* Adds @times * @count * @elem bytes to @total; false if that overflows 64 bits. */
static bool zaccel_add_bytes(u64 *total, u64 times, u64 count, u64 elem)
{
	u64 bytes;

	return zaccel_mul3(times, count, elem, &bytes) &&
	       !check_add_overflow(*total, bytes, total);
}

/* Whether argument @i of @job holds @bytes and may be accessed as @flags ask. */
static bool zaccel_arg_fits(const struct zaccel_job_desc *job, u32 i, u64 bytes, u32 flags)
{
	return (job->args[i].flags & flags) == flags && job->args[i].size >= bytes;
}

/* Register @i of @job, or 0 if the job passed fewer. */
static u32 zaccel_job_reg(const struct zaccel_job_desc *job, u32 i)
{
	return i < job->reg_count ? job->regs[i] : 0;
}

/**
 * zaccel_ip_check_job() - Check a job against the IP that will run it.
 * @id: The IP's identity, as read back after its RECONFIG.
 * @job: The job.
 * @plan: Out: what the job will do.
 *
 * Every size and extent is computed with overflow checks: a job whose registers or IP make
 * one overflow 64 bits is refused, never checked against a wrapped value.
 *
 * The arguments are the input, the output, then the partial sums of an IP with
 * %DRM_ZACCEL_IP_ACC_IN or the second input of an element-wise IP, then the weights and
 * bias of an IP that loads them.
 *
 * Return: 0, -EINVAL for arguments or registers that do not match the IP (their number,
 * direction or size, a %DRM_ZACCEL_ACT_PRELU IP's bias left out, zero images, unknown
 * control bits, clip bounds with lo above hi, a leaky or hard sigmoid slope above 32767, a
 * hard swish's output fractional bits outside -32 to 32, a non-zero activation register on a
 * %DRM_ZACCEL_ACT_PRELU IP, an element-wise IP's alignment outside -32 to 32,
 * %DRM_ZACCEL_JOB_KEEP_WEIGHTS on an IP that is not batch-cached, a stride shorter than an
 * image, a buffer extent or byte count that overflows 64 bits), or -ENODATA for
 * %DRM_ZACCEL_JOB_KEEP_WEIGHTS with no weights kept.
 */
int zaccel_ip_check_job(const struct drm_zaccel_ip_id *id, const struct zaccel_job_desc *job,
			struct zaccel_job_plan *plan)
{
	u32 control = zaccel_job_reg(job, DRM_ZACCEL_JOB_REG_CONTROL);
	u32 act = zaccel_job_reg(job, DRM_ZACCEL_JOB_REG_ACT);
	s32 align = (s32)zaccel_job_reg(job, DRM_ZACCEL_JOB_REG_ALIGN);
	bool eltwise = id->kind == DRM_ZACCEL_IP_ELTWISE;
	bool keep = control & DRM_ZACCEL_JOB_KEEP_WEIGHTS;
	bool acc_in = id->flags & DRM_ZACCEL_IP_ACC_IN;
	u64 out_elem = id->flags & DRM_ZACCEL_IP_ACC_OUT ? 8 : 2;
	u64 n = zaccel_job_reg(job, DRM_ZACCEL_JOB_REG_IMAGES), ins, outs, weights, per_image;
	u64 in_stride, in2_stride, out_stride, bytes, times;
	u32 first_weight = acc_in || eltwise ? 3 : 2, want;
	bool loads;

	if (control & ~DRM_ZACCEL_JOB_FLAGS)
		return -EINVAL;
	if (DRM_ZACCEL_IP_ACT_OF(id->flags) == DRM_ZACCEL_ACT_CLIP &&
	    (s16)(act & 0xffff) > (s16)(act >> 16))
		return -EINVAL;
	if (DRM_ZACCEL_IP_ACT_OF(id->flags) == DRM_ZACCEL_ACT_LEAKY && act > 0x7fff)
		return -EINVAL;
	if (DRM_ZACCEL_IP_ACT_OF(id->flags) == DRM_ZACCEL_ACT_HARDSIGMOID &&
	    (act & 0xffff) > 0x7fff)
		return -EINVAL;
	if (DRM_ZACCEL_IP_ACT_OF(id->flags) == DRM_ZACCEL_ACT_HARDSWISH &&
	    ((s32)act < -ZACCEL_HARDSWISH_MAX_FRAC || (s32)act > ZACCEL_HARDSWISH_MAX_FRAC))
		return -EINVAL;
	if (DRM_ZACCEL_IP_ACT_OF(id->flags) == DRM_ZACCEL_ACT_PRELU && act)
		return -EINVAL;
	if (eltwise && (align < -ZACCEL_MAX_ALIGN || align > ZACCEL_MAX_ALIGN))
		return -EINVAL;
	if (keep && id->weight_mode != DRM_ZACCEL_WEIGHTS_BATCH_CACHED)
		return -EINVAL;
	if (keep && !job->kept)
		return -ENODATA;
	loads = zaccel_ip_streams(id) && !keep;
	want = first_weight + (loads ? 2 : 0);
	/* A PRelu's slopes ride in its bias words: it cannot do without them. */
	if (job->arg_count != want &&
	    !(loads && DRM_ZACCEL_IP_ACT_OF(id->flags) != DRM_ZACCEL_ACT_PRELU &&
	      job->arg_count == want - 1))
		return -EINVAL;
	/* At most 2^32 values in and out, together, per job; the sum may overflow. */
	if (!zaccel_ip_inputs(id, &ins) || !zaccel_ip_outputs(id, &outs) ||
	    !zaccel_ip_weights(id, &weights) || check_add_overflow(ins, outs, &per_image) ||
	    !per_image)
		return -EINVAL;
	if (!n || n > div64_u64(1ULL << 32, per_image))
		return -EINVAL;
	in_stride = zaccel_job_reg(job, DRM_ZACCEL_JOB_REG_IN_STRIDE) ?: ins;
	out_stride = zaccel_job_reg(job, DRM_ZACCEL_JOB_REG_OUT_STRIDE) ?: outs;
	if (in_stride < ins || out_stride < outs)
		return -EINVAL;
	if (!zaccel_extent(n, in_stride, ins, 2, &bytes) ||
	    !zaccel_arg_fits(job, 0, bytes, DRM_ZACCEL_ARG_READ))
		return -EINVAL;
	if (!zaccel_extent(n, out_stride, outs, out_elem, &bytes) ||
	    !zaccel_arg_fits(job, 1, bytes, DRM_ZACCEL_ARG_WRITE))
		return -EINVAL;
	plan->images = n;
	plan->in_bytes = 0;
	plan->out_bytes = 0;
	plan->loads_cache = false;
	if (!zaccel_add_bytes(&plan->in_bytes, n, ins, 2) ||
	    !zaccel_add_bytes(&plan->out_bytes, n, outs, out_elem))
		return -EINVAL;
	if (acc_in) {
		if (!zaccel_mul3(n, outs, 8, &bytes) ||
		    !zaccel_arg_fits(job, 2, bytes, DRM_ZACCEL_ARG_READ) ||
		    check_add_overflow(plan->in_bytes, bytes, &plan->in_bytes))
			return -EINVAL;
	}
	if (eltwise) {
		in2_stride = zaccel_job_reg(job, DRM_ZACCEL_JOB_REG_IN2_STRIDE) ?: ins;
		if (in2_stride < ins || !zaccel_extent(n, in2_stride, ins, 2, &bytes) ||
		    !zaccel_arg_fits(job, 2, bytes, DRM_ZACCEL_ARG_READ) ||
		    !zaccel_add_bytes(&plan->in_bytes, n, ins, 2))
			return -EINVAL;
	}
	if (loads) {
		times = id->weight_mode == DRM_ZACCEL_WEIGHTS_STREAMED ? n : 1;
		if (!zaccel_mul3(weights, 2, 1, &bytes) ||
		    !zaccel_arg_fits(job, first_weight, bytes, DRM_ZACCEL_ARG_READ) ||
		    !zaccel_add_bytes(&plan->in_bytes, times, weights, 2))
			return -EINVAL;
		if (job->arg_count == want) {
			bytes = zaccel_ip_biases(id) * 8;
			if (!zaccel_arg_fits(job, first_weight + 1, bytes, DRM_ZACCEL_ARG_READ) ||
			    check_add_overflow(plan->in_bytes, bytes, &plan->in_bytes))
				return -EINVAL;
		}
		plan->loads_cache = id->weight_mode == DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
	}
	return 0;
}
