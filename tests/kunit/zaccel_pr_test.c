// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * KUnit: zaccel's partial-reconfiguration sequence (driver/zaccel_pr.c) against a fake FPGA
 * manager and fake bridges registered with the real FPGA framework, which log every call, as
 * drivers/fpga/tests do. The fake manager "configures" the region by writing identities into a
 * register window in memory. Checked: the bridges are disabled before the load and enabled
 * only after the identities match; on every failure they stay disabled, the region is
 * reported decoupled and in the state of the failed phase. And the image a load is prepared
 * as, before its fence exists: the partial's own pages in an sg table, which the framework
 * reads in place, with the first bytes copied into a page of their own at load time when the
 * manager's header would cross a page boundary (else the framework would allocate then).
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/fpga/fpga-bridge.h>
#include <linux/fpga/fpga-mgr.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "zaccel_pr.h"

#define LOG_BYTES 160
/* The fake manager's initial_header_size. */
#define HEADER_BYTES 64
/* Pages of the memory a test's partial is in. */
#define SRC_ORDER 2
#define SRC_BYTES (PAGE_SIZE << SRC_ORDER)

struct pr_ctx {
	struct kunit *test;
	struct zaccel_regs regs;
	struct zaccel_pr pr;
	struct device *bridge_dev[2];
	struct fpga_bridge *bridge[2];
	int bridges;
	char log[LOG_BYTES];
	/* What the fake manager does. */
	int fail_init;
	int fail_complete;
	struct drm_zaccel_ip_id configures[DRM_ZACCEL_MAX_SLOTS];
	u32 configures_count;
	/* The memory the partial is in, and what the fake manager received of it. */
	u8 *src;
	u8 *rx;
	size_t rx_bytes;
	size_t init_bytes;
	u8 init_head[HEADER_BYTES];
	u32 writes;
};

static void pr_log(struct pr_ctx *ctx, const char *what)
{
	if (ctx->log[0])
		strlcat(ctx->log, " ", LOG_BYTES);
	strlcat(ctx->log, what, LOG_BYTES);
}

static int fake_write_init(struct fpga_manager *mgr, struct fpga_image_info *info,
			   const char *buf, size_t count)
{
	struct pr_ctx *ctx = mgr->priv;

	pr_log(ctx, info->flags & FPGA_MGR_PARTIAL_RECONFIG ? "init(partial)" : "init(full)");
	ctx->init_bytes = count;
	if (count >= HEADER_BYTES)
		memcpy(ctx->init_head, buf, HEADER_BYTES);
	return ctx->fail_init;
}

static int fake_write(struct fpga_manager *mgr, const char *buf, size_t count)
{
	struct pr_ctx *ctx = mgr->priv;

	if (!ctx->writes++)
		pr_log(ctx, "write");
	if (count > SRC_BYTES - ctx->rx_bytes)
		return -EFBIG;
	memcpy(ctx->rx + ctx->rx_bytes, buf, count);
	ctx->rx_bytes += count;
	return 0;
}

static int fake_write_complete(struct fpga_manager *mgr, struct fpga_image_info *info)
{
	struct pr_ctx *ctx = mgr->priv;
	u32 slot, i;

	pr_log(ctx, "complete");
	if (ctx->fail_complete)
		return ctx->fail_complete;
	for (slot = 0; slot < ctx->configures_count; slot++)
		for (i = 0; i < sizeof(ctx->configures[0]) / 4; i++)
			zaccel_wr(&ctx->regs, ZACCEL_SLOT(slot) + ZACCEL_REG_ID + 4 * i,
				  ((u32 *)&ctx->configures[slot])[i]);
	return 0;
}

static const struct fpga_manager_ops fake_mgr_ops = {
	.initial_header_size = HEADER_BYTES,
	.write_init = fake_write_init,
	.write = fake_write,
	.write_complete = fake_write_complete,
};

static int fake_enable_set(struct fpga_bridge *bridge, bool enable)
{
	struct pr_ctx *ctx = bridge->priv;

	pr_log(ctx, bridge->dev.parent == ctx->bridge_dev[0] ? (enable ? "br0:on" : "br0:off") :
							       (enable ? "br1:on" : "br1:off"));
	return 0;
}

static const struct fpga_bridge_ops fake_bridge_ops = {
	.enable_set = fake_enable_set,
};

static int get_both_bridges(struct zaccel_pr *pr, struct fpga_image_info *info,
			    struct list_head *list)
{
	struct pr_ctx *ctx = container_of(pr, struct pr_ctx, pr);
	int i, ret;

	for (i = 0; i < ctx->bridges; i++) {
		ret = fpga_bridge_get_to_list(ctx->bridge_dev[i], info, list);
		if (ret) {
			fpga_bridges_put(list);
			return ret;
		}
	}
	return 0;
}

KUNIT_DEFINE_ACTION_WRAPPER(bridge_unregister, fpga_bridge_unregister, struct fpga_bridge *);

static void free_src(void *src)
{
	free_pages((unsigned long)src, SRC_ORDER);
}

static struct drm_zaccel_ip_id test_id(u32 out_c)
{
	struct drm_zaccel_ip_id id = {
		.magic = ZACCEL_IP_MAGIC, .kind = DRM_ZACCEL_IP_CONV, .version = 1 << 16,
		.in_c = 1, .in_h = 6, .in_w = 6, .out_c = out_c, .out_h = 4, .out_w = 4,
		.kernel = 3 << 16 | 3, .stride = 1 << 16 | 1, .bits = 8 << 16 | 8 << 8 | 8,
		.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED, .lanes = 9,
	};
	return id;
}

static int pr_test_init(struct kunit *test)
{
	static const char * const names[] = { "zaccel-test-br0", "zaccel-test-br1" };
	struct fpga_manager *mgr;
	struct device *mgr_dev;
	struct pr_ctx *ctx;
	size_t b;
	int i;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	ctx->test = test;
	ctx->src = (u8 *)__get_free_pages(GFP_KERNEL, SRC_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, ctx->src);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_src, ctx->src), 0);
	for (b = 0; b < SRC_BYTES; b++)
		ctx->src[b] = b * 7 + b / 251;
	ctx->rx = kunit_kzalloc(test, SRC_BYTES, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->rx);
	ctx->regs.mem = kunit_kzalloc(test, ZACCEL_WINDOW_BYTES, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->regs.mem);
	mgr_dev = kunit_device_register(test, "zaccel-test-mgr");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mgr_dev);
	mgr = devm_fpga_mgr_register(mgr_dev, "zaccel test manager", &fake_mgr_ops, ctx);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mgr);
	ctx->bridges = 1;
	for (i = 0; i < 2; i++) {
		ctx->bridge_dev[i] = kunit_device_register(test, names[i]);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->bridge_dev[i]);
		ctx->bridge[i] = fpga_bridge_register(ctx->bridge_dev[i], names[i],
						      &fake_bridge_ops, ctx);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->bridge[i]);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, bridge_unregister,
								ctx->bridge[i]), 0);
	}
	ctx->pr.dev = mgr_dev;
	ctx->pr.mgr = mgr;
	ctx->pr.get_bridges = get_both_bridges;
	ctx->pr.regs = &ctx->regs;
	ctx->configures[0] = test_id(2);
	ctx->configures_count = 1;
	test->priv = ctx;
	return 0;
}

/*
 * Loads @size bytes at @offset in ctx->src as a partial expecting test_id(2) in slot 0 (the
 * fake decides what it holds), through an image prepared first, as RECONFIG does.
 */
static int pr_load_range(struct pr_ctx *ctx, size_t offset, size_t size,
			 struct zaccel_pr_result *res)
{
	struct drm_zaccel_ip_id expected = test_id(2);
	struct zaccel_pr_image img;
	int ret;

	KUNIT_ASSERT_EQ(ctx->test, zaccel_pr_image_init(&ctx->pr, &img, virt_to_page(ctx->src),
							offset, size), 0);
	memset(res, 0, sizeof(*res));
	res->state = DRM_ZACCEL_STATE_WRITE_INIT_ERR;
	ret = zaccel_pr_load(&ctx->pr, &img, &expected, 1, res);
	zaccel_pr_image_fini(&img);
	return ret;
}

static int pr_load(struct pr_ctx *ctx, struct zaccel_pr_result *res)
{
	return pr_load_range(ctx, 0, HEADER_BYTES, res);
}

static void pr_success(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;

	KUNIT_EXPECT_EQ(test, pr_load(ctx, &res), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "br0:off init(partial) write complete br0:on");
	KUNIT_EXPECT_FALSE(test, res.decoupled);
	KUNIT_EXPECT_EQ(test, res.state, DRM_ZACCEL_STATE_OPERATING);
	KUNIT_EXPECT_EQ(test, res.slots, 1);
	KUNIT_EXPECT_EQ(test, res.loaded[0].out_c, 2);
}

static void pr_two_bridges(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;

	ctx->bridges = 2;
	KUNIT_EXPECT_EQ(test, pr_load(ctx, &res), 0);
	/* fpga_bridge_get_to_list() adds at the head: the later bridge comes first. */
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "br1:off br0:off init(partial) write complete br1:on br0:on");
}

static void pr_init_fails(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;

	ctx->fail_init = -EBADMSG;
	KUNIT_EXPECT_EQ(test, pr_load(ctx, &res), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, ctx->log, "br0:off init(partial)");
	KUNIT_EXPECT_TRUE(test, res.decoupled);
	KUNIT_EXPECT_EQ(test, res.state, DRM_ZACCEL_STATE_WRITE_INIT_ERR);
	KUNIT_EXPECT_EQ(test, res.slots, 0);
}

static void pr_complete_fails(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;

	ctx->fail_complete = -EBADMSG;
	KUNIT_EXPECT_EQ(test, pr_load(ctx, &res), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, ctx->log, "br0:off init(partial) write complete");
	KUNIT_EXPECT_TRUE(test, res.decoupled);
	KUNIT_EXPECT_EQ(test, res.state, DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR);
}

static void pr_identity_differs(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;

	ctx->configures[0] = test_id(3);
	KUNIT_EXPECT_EQ(test, pr_load(ctx, &res), -EPROTO);
	KUNIT_EXPECT_STREQ(test, ctx->log, "br0:off init(partial) write complete");
	KUNIT_EXPECT_TRUE(test, res.decoupled);
	KUNIT_EXPECT_EQ(test, res.state, DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR);
	KUNIT_EXPECT_EQ(test, res.slots, 0);
}

static void pr_extra_ip(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;

	ctx->configures[1] = test_id(1);
	ctx->configures_count = 2;
	KUNIT_EXPECT_EQ(test, pr_load(ctx, &res), -EPROTO);
	KUNIT_EXPECT_TRUE(test, res.decoupled);
}

static void pr_bridge_busy(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;
	struct fpga_bridge *held;

	held = fpga_bridge_get(ctx->bridge_dev[0], NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, held);
	KUNIT_EXPECT_EQ(test, pr_load(ctx, &res), -EBUSY);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_FALSE(test, res.decoupled);
	fpga_bridge_put(held);
	/* The region is usable once the bridge is free again. */
	KUNIT_EXPECT_EQ(test, pr_load(ctx, &res), 0);
}

static void pr_manager_busy(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;

	KUNIT_ASSERT_EQ(test, fpga_mgr_lock(ctx->pr.mgr), 0);
	KUNIT_EXPECT_EQ(test, pr_load(ctx, &res), -EBUSY);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	fpga_mgr_unlock(ctx->pr.mgr);
}

static void pr_state_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, zaccel_state_name(DRM_ZACCEL_STATE_WRITE_INIT_ERR),
			   "write init error");
	KUNIT_EXPECT_STREQ(test, zaccel_state_name(DRM_ZACCEL_STATE_OPERATING), "operating");
	KUNIT_EXPECT_STREQ(test, zaccel_state_name(999), "unknown");
	KUNIT_EXPECT_EQ(test, zaccel_pr_state(FPGA_MGR_STATE_PARSE_HEADER_ERR),
			DRM_ZACCEL_STATE_WRITE_INIT_ERR);
	KUNIT_EXPECT_EQ(test, zaccel_pr_state(FPGA_MGR_STATE_WRITE_COMPLETE_ERR),
			DRM_ZACCEL_STATE_WRITE_COMPLETE_ERR);
}

/* A partial whose header fits in its first page: the sg table is the partial's own pages. */
static void pr_image_in_place(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;
	struct zaccel_pr_image img;

	KUNIT_ASSERT_EQ(test, zaccel_pr_image_init(&ctx->pr, &img, virt_to_page(ctx->src),
						   PAGE_SIZE + 24, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_NULL(test, img.head);
	KUNIT_EXPECT_EQ(test, img.sgt.orig_nents, 1);
	KUNIT_EXPECT_PTR_EQ(test, sg_page(img.sgt.sgl), virt_to_page(ctx->src + PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, img.sgt.sgl->offset, 24);
	KUNIT_EXPECT_EQ(test, img.sgt.sgl->length, 2 * PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, img.info.sgt, &img.sgt);
	KUNIT_EXPECT_TRUE(test, img.info.flags & FPGA_MGR_PARTIAL_RECONFIG);
	zaccel_pr_image_fini(&img);

	/* The framework maps the table a page at a time: write_init sees the first page's part. */
	KUNIT_EXPECT_EQ(test, pr_load_range(ctx, PAGE_SIZE + 24, 2 * PAGE_SIZE, &res), 0);
	KUNIT_EXPECT_EQ(test, ctx->init_bytes, PAGE_SIZE - 24);
	KUNIT_EXPECT_EQ(test, ctx->writes, 3);
	KUNIT_EXPECT_EQ(test, ctx->rx_bytes, 2 * PAGE_SIZE);
	KUNIT_EXPECT_MEMEQ(test, ctx->rx, ctx->src + PAGE_SIZE + 24, 2 * PAGE_SIZE);
}

/* A header that ends exactly at a page boundary still needs no copy. */
static void pr_image_header_fits(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_image img;

	KUNIT_ASSERT_EQ(test, zaccel_pr_image_init(&ctx->pr, &img, virt_to_page(ctx->src),
						   PAGE_SIZE - HEADER_BYTES, PAGE_SIZE), 0);
	KUNIT_EXPECT_NULL(test, img.head);
	KUNIT_EXPECT_EQ(test, img.sgt.orig_nents, 1);
	zaccel_pr_image_fini(&img);
}

/*
 * A header that crosses a page boundary: a page of its own starts the table, filled when the
 * load starts (so with what the partial holds then, not when the image was made), and the
 * partial's own pages follow. The manager receives the partial unchanged.
 */
static void pr_image_header_crosses(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct drm_zaccel_ip_id expected = test_id(2);
	size_t offset = PAGE_SIZE - 16, size = 2 * PAGE_SIZE + 40;
	struct zaccel_pr_result res = {};
	struct zaccel_pr_image img;
	struct scatterlist *sg;

	KUNIT_ASSERT_EQ(test, zaccel_pr_image_init(&ctx->pr, &img, virt_to_page(ctx->src),
						   offset, size), 0);
	KUNIT_ASSERT_NOT_NULL(test, img.head);
	KUNIT_EXPECT_EQ(test, img.head_bytes, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, img.sgt.orig_nents, 2);
	sg = img.sgt.sgl;
	KUNIT_EXPECT_PTR_EQ(test, sg_page(sg), img.head);
	KUNIT_EXPECT_EQ(test, sg->offset, 0);
	KUNIT_EXPECT_EQ(test, sg->length, PAGE_SIZE);
	sg = sg_next(sg);
	KUNIT_EXPECT_PTR_EQ(test, sg_page(sg), virt_to_page(ctx->src + PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, sg->offset, PAGE_SIZE - 16);
	KUNIT_EXPECT_EQ(test, sg->length, PAGE_SIZE + 40);

	ctx->src[offset] ^= 0xff;
	ctx->src[PAGE_SIZE + 8] ^= 0xff;
	KUNIT_EXPECT_EQ(test, zaccel_pr_load(&ctx->pr, &img, &expected, 1, &res), 0);
	zaccel_pr_image_fini(&img);
	KUNIT_EXPECT_EQ(test, ctx->init_bytes, PAGE_SIZE);
	KUNIT_EXPECT_MEMEQ(test, ctx->init_head, ctx->src + offset, HEADER_BYTES);
	KUNIT_EXPECT_EQ(test, ctx->rx_bytes, size);
	KUNIT_EXPECT_MEMEQ(test, ctx->rx, ctx->src + offset, size);
	KUNIT_EXPECT_EQ(test, res.slots, 1);
}

/* A partial shorter than a page whose header crosses one is copied whole. */
static void pr_image_short_crossing(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_result res;
	struct zaccel_pr_image img;

	KUNIT_ASSERT_EQ(test, zaccel_pr_image_init(&ctx->pr, &img, virt_to_page(ctx->src),
						   PAGE_SIZE - 8, 200), 0);
	KUNIT_EXPECT_NOT_NULL(test, img.head);
	KUNIT_EXPECT_EQ(test, img.head_bytes, 200);
	KUNIT_EXPECT_EQ(test, img.sgt.orig_nents, 1);
	zaccel_pr_image_fini(&img);
	KUNIT_EXPECT_EQ(test, pr_load_range(ctx, PAGE_SIZE - 8, 200, &res), 0);
	KUNIT_EXPECT_EQ(test, ctx->rx_bytes, 200);
	KUNIT_EXPECT_MEMEQ(test, ctx->rx, ctx->src + PAGE_SIZE - 8, 200);
}

static void pr_image_empty(struct kunit *test)
{
	struct pr_ctx *ctx = test->priv;
	struct zaccel_pr_image img;

	KUNIT_EXPECT_EQ(test, zaccel_pr_image_init(&ctx->pr, &img, virt_to_page(ctx->src), 0, 0),
			-EINVAL);
	zaccel_pr_image_fini(&img);
}

static struct kunit_case pr_cases[] = {
	KUNIT_CASE(pr_success),
	KUNIT_CASE(pr_two_bridges),
	KUNIT_CASE(pr_init_fails),
	KUNIT_CASE(pr_complete_fails),
	KUNIT_CASE(pr_identity_differs),
	KUNIT_CASE(pr_extra_ip),
	KUNIT_CASE(pr_bridge_busy),
	KUNIT_CASE(pr_manager_busy),
	KUNIT_CASE(pr_state_names),
	KUNIT_CASE(pr_image_in_place),
	KUNIT_CASE(pr_image_header_fits),
	KUNIT_CASE(pr_image_header_crosses),
	KUNIT_CASE(pr_image_short_crossing),
	KUNIT_CASE(pr_image_empty),
	{}
};

static struct kunit_suite pr_suite = {
	.name = "zaccel_pr",
	.init = pr_test_init,
	.test_cases = pr_cases,
};

kunit_test_suite(pr_suite);

MODULE_DESCRIPTION("KUnit tests of zaccel's partial reconfiguration sequence");
MODULE_LICENSE("Dual MIT/GPL");
