/* SPDX-License-Identifier: MIT */
/*
 * libaccel: run quantized CNNs on zaccel devices (Zynq PL with partial reconfiguration) or
 * on their bit-exact emulator.
 *
 * Conventions, for every function here:
 *  - Functions returning int return 0 (or a non-negative value where documented) on success
 *    and a negative errno on failure. Details of a failure go to the context's log function.
 *  - Objects are opaque and reference counted: *_new and *_open return a reference the
 *    caller owns, *_ref adds one and returns its argument, *_unref drops one and returns
 *    NULL. *_unref(NULL) is a no-op. Objects keep a reference to the context they were made
 *    with, and to the objects they were made from (a session to its device, model and plan).
 *  - Strings returned as const char * are borrowed from the object and live as long as it.
 *  - Getters and *_run of models never modify their object and may be called from several
 *    threads at once on the same object. A session is modified by its run (it queues work,
 *    counts and records it): one thread at a time per session.
 *
 * How the ABI grows (docs/abi.md):
 *  - Options are opaque objects with one setter per option (accel_quant_opts,
 *    accel_plan_opts, accel_session_opts); a new option is a new setter.
 *  - Structs the library fills begin with `size`: the caller sets it to sizeof the struct it
 *    was built with (`struct accel_run_stats st = {.size = sizeof(st)};`). The library fills
 *    at most that many bytes and sets `size` to the bytes it filled: fields past it (those
 *    of a newer header than the library) are left as they were. New fields go at the end.
 *  - Every function says in which release it came (Since:). Its symbol is in the version node
 *    of that release (libaccel.map), and nodes are never edited once released. The SONAME's
 *    number changes only when the ABI breaks.
 */
#ifndef ACCEL_ACCEL_H
#define ACCEL_ACCEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ACCEL_BUILDING_LIBRARY)
#define ACCEL_API __attribute__((visibility("default")))
#else
#define ACCEL_API
#endif

/* ---- Version ------------------------------------------------------------------------------ */

/** The release this header belongs to; accel_version() tells the one actually loaded. */
#define ACCEL_VERSION_MAJOR 0
#define ACCEL_VERSION_MINOR 3
#define ACCEL_VERSION_PATCH 0

/** The loaded library's release, "MAJOR.MINOR.PATCH" (static storage). Since: 0.3 */
ACCEL_API const char *accel_version(void);
/** The version of the device contract (uapi/zaccel_drm.h, ZACCEL_API_VERSION) the library
 *  speaks; a device reports its own through DRM_ZACCEL_PARAM_API_VERSION. Since: 0.3 */
ACCEL_API uint32_t accel_uapi_version(void);

struct accel_ctx;
struct accel_dataset;
struct accel_model;
struct accel_quant_opts;
struct accel_qmodel;
struct accel_device;
struct accel_bo;
struct accel_fence;
struct accel_plan_opts;
struct accel_plan;
struct accel_session_opts;
struct accel_session;
struct accel_lib;

/* ---- Context and logging ---------------------------------------------------------------- */

/** Log priorities, as syslog(3). */
#define ACCEL_LOG_ERR 3
#define ACCEL_LOG_WARNING 4
#define ACCEL_LOG_INFO 6
#define ACCEL_LOG_DEBUG 7

/** Receives one complete message (no trailing newline) at a priority. */
typedef void (*accel_log_fn)(void *userdata, int priority, const char *msg);

/** Creates a context. By default messages at ACCEL_LOG_ERR or more urgent go to stderr.
 *  Since: 0.3 */
ACCEL_API int accel_ctx_new(struct accel_ctx **ctx);
/** Since: 0.3 */
ACCEL_API struct accel_ctx *accel_ctx_ref(struct accel_ctx *ctx);
/** Since: 0.3 */
ACCEL_API struct accel_ctx *accel_ctx_unref(struct accel_ctx *ctx);
/** Replaces the log function; NULL silences the library. Since: 0.3 */
ACCEL_API void accel_ctx_set_log_fn(struct accel_ctx *ctx, accel_log_fn fn, void *userdata);
/** Messages less urgent than `priority` are dropped. Since: 0.3 */
ACCEL_API void accel_ctx_set_log_priority(struct accel_ctx *ctx, int priority);

/* ---- Datasets (MNIST-format IDX files, gzip or plain) ----------------------------------- */

/** Opens an images file and a labels file; they must agree in count. Since: 0.3 */
ACCEL_API int accel_dataset_open_idx(struct accel_ctx *ctx, const char *images_path,
                                     const char *labels_path, struct accel_dataset **out);
/** Opens <dir>/<split>-images-idx3-ubyte[.gz] and its labels; split is "train" or "t10k".
 *  Since: 0.3 */
ACCEL_API int accel_dataset_open_dir(struct accel_ctx *ctx, const char *dir, const char *split,
                                     struct accel_dataset **out);
/** Since: 0.3 */
ACCEL_API struct accel_dataset *accel_dataset_ref(struct accel_dataset *ds);
/** Since: 0.3 */
ACCEL_API struct accel_dataset *accel_dataset_unref(struct accel_dataset *ds);
/** Number of images (0 for NULL). Since: 0.3 */
ACCEL_API uint32_t accel_dataset_count(const struct accel_dataset *ds);
/** Image height in pixels (0 for NULL). Since: 0.3 */
ACCEL_API uint32_t accel_dataset_rows(const struct accel_dataset *ds);
/** Image width in pixels (0 for NULL). Since: 0.3 */
ACCEL_API uint32_t accel_dataset_cols(const struct accel_dataset *ds);
/** Label of image `index` (>= 0), or -EINVAL. Since: 0.3 */
ACCEL_API int accel_dataset_label(const struct accel_dataset *ds, uint32_t index);
/** Writes images [first, first + count) as floats pixel / 255, count * rows * cols values.
 *  Since: 0.3 */
ACCEL_API int accel_dataset_get_input(const struct accel_dataset *ds, uint32_t first,
                                      uint32_t count, float *out);

/* ---- Models ----------------------------------------------------------------------------- */

/** Imports an ONNX model into a graph (the operators: libaccel/model/onnx_import.h). The log
 *  names the node, its operator and the reason: -EOPNOTSUPP for what it does not support
 *  (an operator, an attribute value, a dimension after the batch that is not static),
 *  -EBADMSG for a file that is no valid model (truncated, a cycle, a dangling input), -EINVAL
 *  for shapes that do not fit and for weights, biases or BatchNorm parameters that are not
 *  finite. Since: 0.3 */
ACCEL_API int accel_model_open_onnx(struct accel_ctx *ctx, const char *path,
                                    struct accel_model **out);
/** Since: 0.3 */
ACCEL_API struct accel_model *accel_model_ref(struct accel_model *model);
/** Since: 0.3 */
ACCEL_API struct accel_model *accel_model_unref(struct accel_model *model);
/** Input channels, height and width per image. Since: 0.3 */
ACCEL_API int accel_model_input_dims(const struct accel_model *model, uint32_t dims[3]);
/** Output values per image (> 0), or -EINVAL. Since: 0.3 */
ACCEL_API int accel_model_output_size(const struct accel_model *model);
/** Number of layers (>= 0), or -EINVAL: the graph's nodes in order, those that only reshape
 *  a tensor (Flatten, Reshape, Squeeze, Unsqueeze) aside. Since: 0.3 */
ACCEL_API int accel_model_num_layers(const struct accel_model *model);
/** Short name (conv1, pool1, fc1, ...) of layer `index`, or NULL. Since: 0.3 */
ACCEL_API const char *accel_model_layer_name(const struct accel_model *model, uint32_t index);
/** Kind of layer `index`: "conv", "pool", "fc", "relu", or that of another operator ("add",
 *  "concat", "sigmoid", "softmax", ...); NULL if out of range. Since: 0.3 */
ACCEL_API const char *accel_model_layer_kind(const struct accel_model *model, uint32_t index);
/** Runs `n` images (NCHW floats) in float; writes n * output_size logits. Since: 0.3 */
ACCEL_API int accel_model_run_float(const struct accel_model *model, const float *input, uint32_t n,
                                    float *logits);

/* ---- Quantization ----------------------------------------------------------------------- */

/** Options: 16-bit weights and activations, no calibration data until one is set. Errors of
 *  the setters go to `ctx`'s log. Since: 0.3 */
ACCEL_API int accel_quant_opts_new(struct accel_ctx *ctx, struct accel_quant_opts **out);
/** Since: 0.3 */
ACCEL_API struct accel_quant_opts *accel_quant_opts_ref(struct accel_quant_opts *opts);
/** Since: 0.3 */
ACCEL_API struct accel_quant_opts *accel_quant_opts_unref(struct accel_quant_opts *opts);
/** Bit widths (2..16) of every layer's weights and activations, and of the input.
 *  Since: 0.3 */
ACCEL_API int accel_quant_opts_set_bits(struct accel_quant_opts *opts, unsigned wbits,
                                        unsigned abits);
/** Bit widths of one conv or fc layer, by name; checked against the model at quantization.
 *  Since: 0.3 */
ACCEL_API int accel_quant_opts_set_layer_bits(struct accel_quant_opts *opts, const char *layer,
                                              unsigned wbits, unsigned abits);
/** Calibrates on `count` images of `ds` spread evenly over it (the options keep a reference).
 *  Since: 0.3 */
ACCEL_API int accel_quant_opts_set_calibration(struct accel_quant_opts *opts,
                                               struct accel_dataset *ds, uint32_t count);
/** Quantizes `model` to fixed point with per-layer power-of-two scales. Since: 0.3 */
ACCEL_API int accel_model_quantize(const struct accel_model *model,
                                   const struct accel_quant_opts *opts, struct accel_qmodel **out);
/** Since: 0.3 */
ACCEL_API struct accel_qmodel *accel_qmodel_ref(struct accel_qmodel *q);
/** Since: 0.3 */
ACCEL_API struct accel_qmodel *accel_qmodel_unref(struct accel_qmodel *q);
/** Format of layer `index`'s output (and weights: wbits 0 for layers without weights).
 *  Since: 0.3 */
ACCEL_API int accel_qmodel_layer_format(const struct accel_qmodel *q, uint32_t index,
                                        unsigned *wbits, int *wfrac, unsigned *abits, int *afrac);
/** Runs `n` images (NCHW floats, quantized on the way in) on the bit-exact kernels; writes
 *  n * output_size raw output codes of the last layer the IPs compute and, if `logits` is not
 *  NULL, the same dequantized, then put through the model's final Softmax or LogSoftmax if it
 *  has one (on the host, in float: the codes and their argmax do not depend on it).
 *  Since: 0.3 */
ACCEL_API int accel_qmodel_run(const struct accel_qmodel *q, const float *input, uint32_t n,
                               int16_t *codes, float *logits);

/* ---- Devices ----------------------------------------------------------------------------- */
/*
 * A device is opened by URI: "emu:<board>" (e.g. emu:pynq-z2) or "emu:<path to .dtbo>" for the
 * emulated fabric, a node such as /dev/accel/accel0 for the kernel driver, or NULL / "" for
 * the first zaccel node libudev finds, else the emulated PYNQ-Z2. Parameter numbers, region
 * states and IP identity fields are those of uapi/zaccel_drm.h (DRM_ZACCEL_PARAM_*, ...).
 */

/** An IP's identity block; the same fields, in the same order, as struct drm_zaccel_ip_id of
 *  the device contract, and like it fixed: a new identity layout would be a new type. */
struct accel_ip_id {
  uint32_t magic, kind, version, flags;
  uint32_t in_c, in_h, in_w, out_c, out_h, out_w;
  uint32_t kernel, stride, padding, bits, weight_mode, lanes;
};

/** One region's state, as REGION_QUERY reports it. Filled by the library: set `size`. */
struct accel_region_info {
  uint32_t size;  /**< in: sizeof the caller's struct; out: the bytes the library filled */
  uint32_t state; /**< DRM_ZACCEL_STATE_* */
  uint32_t flags; /**< DRM_ZACCEL_REGION_* */
  uint32_t frames;
  uint32_t last_error; /**< positive errno of the last failure, 0 if none */
  uint32_t slots;      /**< IPs the loaded partial holds, 0 if none */
  uint64_t reconfigs, jobs, bytes, errors;
  struct accel_ip_id loaded;
};

/** Since: 0.3 */
ACCEL_API int accel_device_open(struct accel_ctx *ctx, const char *uri, struct accel_device **out);
/** Since: 0.3 */
ACCEL_API struct accel_device *accel_device_ref(struct accel_device *dev);
/** Since: 0.3 */
ACCEL_API struct accel_device *accel_device_unref(struct accel_device *dev);
/** What was opened: "emu:<overlay path>" or the device node. Since: 0.3 */
ACCEL_API const char *accel_device_name(const struct accel_device *dev);
/** Parameter `param` (DRM_ZACCEL_PARAM_*), of region `index` where it is per region.
 *  Since: 0.3 */
ACCEL_API int accel_device_param(struct accel_device *dev, uint32_t param, uint32_t index,
                                 uint64_t *value);
/** The region's state and counters, and the identity of the IP in `slot`. -EINVAL if
 *  info->size is smaller than the struct of release 0.3. Since: 0.3 */
ACCEL_API int accel_device_region_info(struct accel_device *dev, uint32_t region, uint32_t slot,
                                       struct accel_region_info *info);
/** The fpga-mgr style name of a region state, e.g. "operating", "write init error".
 *  Since: 0.3 */
ACCEL_API const char *accel_region_state_name(uint32_t state);

/* Buffer objects: DMA memory the device reads and writes, mapped for the CPU. */
/** A BO of `size` bytes with DRM_ZACCEL_BO_* `flags`. Since: 0.3 */
ACCEL_API int accel_bo_new(struct accel_device *dev, uint64_t size, uint32_t flags,
                           struct accel_bo **out);
/** Since: 0.3 */
ACCEL_API struct accel_bo *accel_bo_ref(struct accel_bo *bo);
/** Since: 0.3 */
ACCEL_API struct accel_bo *accel_bo_unref(struct accel_bo *bo);
/** The CPU mapping, valid as long as the BO. Since: 0.3 */
ACCEL_API void *accel_bo_map(const struct accel_bo *bo);
/** Since: 0.3 */
ACCEL_API uint64_t accel_bo_size(const struct accel_bo *bo);
/** Waits up to `timeout_ms` for the device to finish with the BO, then syncs it for the CPU
 *  (DRM_ZACCEL_PREP_READ and/or DRM_ZACCEL_PREP_WRITE). -ETIMEDOUT if still busy.
 *  Since: 0.3 */
ACCEL_API int accel_bo_sync_for_cpu(struct accel_bo *bo, uint32_t flags, uint32_t timeout_ms);
/** Since: 0.3 */
ACCEL_API int accel_bo_sync_for_device(struct accel_bo *bo);

/* Fences: DRM sync objects. A reconfiguration or job signals one and may wait for others. */
/** Since: 0.3 */
ACCEL_API int accel_fence_new(struct accel_device *dev, struct accel_fence **out);
/** Since: 0.3 */
ACCEL_API struct accel_fence *accel_fence_ref(struct accel_fence *f);
/** Since: 0.3 */
ACCEL_API struct accel_fence *accel_fence_unref(struct accel_fence *f);
/** Waits up to `timeout_ms` for the work last attached to the fence: -ETIME on timeout.
 *  Since: 0.3 */
ACCEL_API int accel_fence_wait(struct accel_fence *f, uint32_t timeout_ms);

/** A buffer argument of a job (an array element, so fixed: a new kind of argument would be a
 *  new type and function). */
struct accel_arg {
  struct accel_bo *bo;
  uint64_t offset, size;
  uint32_t flags; /**< DRM_ZACCEL_ARG_READ and/or DRM_ZACCEL_ARG_WRITE */
  uint32_t pad;   /**< must be zero */
};

/** Loads `size` bytes of partial bitstream at `offset` in `bits` into `region`; `expected`
 *  holds the identity of each of the partial's `nexpected` IPs, slot 0 first. Once every
 *  fence of `waits` has signalled and the region's earlier jobs are done; signals `done` (may
 *  be NULL). Errors of the load itself are found as it runs: see accel_device_region_info.
 *  Since: 0.3 */
ACCEL_API int accel_device_reconfigure(struct accel_device *dev, uint32_t region,
                                       struct accel_bo *bits, uint64_t offset, uint64_t size,
                                       const struct accel_ip_id *expected, unsigned nexpected,
                                       struct accel_fence *const *waits, unsigned nwaits,
                                       struct accel_fence *done);
/** Runs the IP in `slot` of `region` on `args` and scalar registers `regs` (see
 *  DRM_IOCTL_ZACCEL_SUBMIT). Since: 0.3 */
ACCEL_API int accel_device_submit(struct accel_device *dev, uint32_t region, uint32_t slot,
                                  const struct accel_arg *args, unsigned nargs,
                                  const uint32_t *regs, unsigned nregs,
                                  struct accel_fence *const *waits, unsigned nwaits,
                                  struct accel_fence *done);

/* ---- Plans: where each layer keeps its weights ------------------------------------------- */

/** Plan options, all at their defaults: mode auto, jobs of one image, the device's regions
 *  as the budget, no split, no library. Errors of the setters (-EINVAL for a malformed value,
 *  which the log names) go to `ctx`'s log. Since: 0.3 */
ACCEL_API int accel_plan_opts_new(struct accel_ctx *ctx, struct accel_plan_opts **out);
/** Since: 0.3 */
ACCEL_API struct accel_plan_opts *accel_plan_opts_ref(struct accel_plan_opts *opts);
/** Since: 0.3 */
ACCEL_API struct accel_plan_opts *accel_plan_opts_unref(struct accel_plan_opts *opts);
/** "static", "dasp", "dapp", "batch-cached", "sdci" (IPs swapped through the regions by
 *  partial reconfiguration) or "auto" (the default, which never picks sdci). Since: 0.3 */
ACCEL_API int accel_plan_opts_set_mode(struct accel_plan_opts *opts, const char *mode);
/** Layers whose weights stream, comma-separated, the rest embedded (NULL or "": none).
 *  Since: 0.3 */
ACCEL_API int accel_plan_opts_set_stream(struct accel_plan_opts *opts, const char *layers);
/** Images per job, 1 to 4096 (default 1). Since: 0.3 */
ACCEL_API int accel_plan_opts_set_batch(struct accel_plan_opts *opts, uint32_t batch);
/** Images per load of batch-cached weights, 1 to 2^20 (0, the default: the batch).
 *  Since: 0.3 */
ACCEL_API int accel_plan_opts_set_cache_batch(struct accel_plan_opts *opts, uint32_t images);
/** DSP and BRAM18 budgets; a negative one (the default) is the device's regions together.
 *  Since: 0.3 */
ACCEL_API int accel_plan_opts_set_budget(struct accel_plan_opts *opts, int64_t dsp, int64_t bram18);
/** Layers split across IPs, ';'-separated: "conv1=4,2" by output channel (each part an IP of
 *  that many channels), "conv2=in:3,3" by input channel (a cascade passing partial sums on);
 *  NULL or "": none. Layers no region holds whole are split (by output channel) anyway.
 *  Since: 0.3 */
ACCEL_API int accel_plan_opts_set_split(struct accel_plan_opts *opts, const char *split);
/** sdci: images each IP runs on before its region is swapped, 1 to 2^20, rounded up to
 *  whole session batches (0, the default: 16 times the larger of batch and cache batch).
 *  Since: 0.3 */
ACCEL_API int accel_plan_opts_set_sweep(struct accel_plan_opts *opts, uint32_t images);
/** sdci: take every IP from `lib` (NULL: build them; the options keep a copy of it), its
 *  partials verified before any load with the PEM public key `trusted_key` (may be NULL)
 *  and ACCEL_LIB_* `flags`. Since: 0.3 */
ACCEL_API int accel_plan_opts_set_lib(struct accel_plan_opts *opts, struct accel_lib *lib,
                                      const char *trusted_key, uint32_t flags);

/** The plan as a whole: resources against the budget, DDR traffic and time estimates.
 *  Filled by the library: set `size`. */
struct accel_plan_summary {
  uint32_t size;    /**< in: sizeof the caller's struct; out: the bytes the library filled */
  uint32_t batch;   /**< images per job */
  const char *mode; /**< what was chosen */
  uint32_t layers;
  uint32_t dsp, bram18, lut, ff;
  uint32_t budget_dsp, budget_bram18, budget_lut, budget_ff;
  uint32_t cache_batch;
  uint64_t weight_bytes_per_image, act_bytes_per_image, cycles_per_image;
  double compute_ns_per_image, dma_ns_per_image; /**< sums over the layers */
  double ns_per_image;                           /**< the estimate: the critical path */
  uint32_t sweep;                                /**< sdci: images per residency of an IP; else 0 */
  uint32_t pad;
  double pr_ns_per_image; /**< sdci: reconfiguration time per image, hidden or not */
};

/** One IP of a plan. Filled by the library: set `size`. */
struct accel_plan_layer {
  uint32_t size;        /**< in: sizeof the caller's struct; out: the bytes the library filled */
  uint32_t weight_mode; /**< DRM_ZACCEL_WEIGHTS_* */
  const char *name;     /**< the model layer */
  uint32_t lanes;
  uint32_t region, slot; /**< where the IP lives */
  uint32_t split;        /**< 1 if other IPs compute the layer's other channels */
  uint32_t dsp, bram18, lut, ff;
  uint64_t weight_bytes_per_image, act_bytes_per_image, cycles_per_image;
  uint64_t dma_cycles_per_image; /**< its bytes through its region's HP ports */
  uint32_t out_lo, out_hi;       /**< the output channels of the layer this IP computes */
  /** the input channels it sums: fewer than the layer's for a part of a cascade, which
   *  passes partial sums on to the next part (the last one requantizes) */
  uint32_t in_lo, in_hi;
};

/** Plans `q` for `dev`'s budget, one IP per layer or per part of a split layer (so a plan may
 *  have more layers than the model); `opts` may be NULL for the defaults. -EINVAL for a
 *  budget of zero, an unknown layer name or a split the layer does not have, a library with a
 *  mode other than sdci or a library IP that does not compute its layer as quantized
 *  (dimensions, bit widths, weights); -ENOENT for a layer the library has no IP for; -EFBIG
 *  for a layer no region holds, -ENOSPC for a plan over budget (the log says by how much and
 *  which layer). Since: 0.3 */
ACCEL_API int accel_plan_new(struct accel_qmodel *q, struct accel_device *dev,
                             const struct accel_plan_opts *opts, struct accel_plan **out);
/** Since: 0.3 */
ACCEL_API struct accel_plan *accel_plan_ref(struct accel_plan *plan);
/** Since: 0.3 */
ACCEL_API struct accel_plan *accel_plan_unref(struct accel_plan *plan);
/** -EINVAL if out->size is smaller than the struct of release 0.3. Since: 0.3 */
ACCEL_API int accel_plan_get_summary(const struct accel_plan *plan, struct accel_plan_summary *out);
/** IP `index` of the plan, 0 to summary.layers - 1. Since: 0.3 */
ACCEL_API int accel_plan_get_layer(const struct accel_plan *plan, uint32_t index,
                                   struct accel_plan_layer *out);

/* ---- Partial bitstreams ------------------------------------------------------------------- */

/** Builds the partial bitstream of layer `layer`'s IP for `region` of `dev` (its interface ID
 *  and size come from the device), weights embedded or streamed (DRM_ZACCEL_WEIGHTS_*; layers
 *  without weights ignore it). Returns the partial's size; writes it to `buf` and the IP's
 *  identity to `id` (either may be NULL) if `size` is at least that. -EFBIG if the IP does not
 *  fit the region. Since: 0.3 */
ACCEL_API int64_t accel_qmodel_build_partial(const struct accel_qmodel *q, uint32_t layer,
                                             struct accel_device *dev, uint32_t region,
                                             uint32_t weight_mode, uint8_t *buf, uint64_t size,
                                             struct accel_ip_id *id);

/* ---- IP libraries: verified partial bitstreams on disk ------------------------------------ */
/*
 * A library is a directory: shell.json (the regions its partials were built for) and, per IP,
 * <ip>/manifest.json beside the IP's partial for each region it targets (<file>.bin, and
 * <file>.bin.sig if signed). Schemas: libaccel/lib/schema/. Every partial is verified before
 * it is loaded: its size and SHA-256 those of the manifest, built for the region's interface,
 * its header and IP identity the manifest's, and its signature when one is required.
 */

/** Refuse partials without a signature that verifies with the trusted key. */
#define ACCEL_LIB_REQUIRE_SIGNED 1u
#define ACCEL_LIB_FLAGS ACCEL_LIB_REQUIRE_SIGNED

/** One IP of a library, from its manifest. Filled by the library: set `size`. */
struct accel_lib_ip {
  uint32_t size;           /**< in: sizeof the caller's struct; out: the bytes the library filled */
  uint32_t regions;        /**< bit r: it has a partial for region r */
  const char *name;        /**< the IP */
  const char *layer;       /**< the model layer it computes */
  uint32_t out_lo, out_hi; /**< the output channels of that layer it computes */
  struct accel_ip_id id;   /**< what its identity registers read once loaded */
  uint32_t dsp, bram18, lut, ff;
  uint64_t cycles_per_image, pipeline_cycles; /**< latency: images x per image + pipeline */
  uint32_t signed_regions;                    /**< bit r: that partial is signed */
  uint32_t pad;
};

/** Builds a library in `out_dir` (absent or empty) for `dev`'s regions from the IP specs in
 *  JSON file `spec_path` (schema zaccel-ipspec/1): each IP a layer of `q`, or some of its
 *  output channels, with a weight mode and lanes. Signs every partial with the PEM private key
 *  `sign_key` unless it is NULL. Returns the number of IPs built. Since: 0.3 */
ACCEL_API int accel_lib_build(const struct accel_qmodel *q, struct accel_device *dev,
                              const char *spec_path, const char *out_dir, const char *sign_key);
/** Reads a library's shell.json and manifests: -ENOENT without shell.json, -EINVAL for a
 *  malformed or contradictory file (the log names the file and field). Since: 0.3 */
ACCEL_API int accel_lib_open(struct accel_ctx *ctx, const char *dir, struct accel_lib **out);
/** Since: 0.3 */
ACCEL_API struct accel_lib *accel_lib_ref(struct accel_lib *lib);
/** Since: 0.3 */
ACCEL_API struct accel_lib *accel_lib_unref(struct accel_lib *lib);
/** Board name from shell.json (NULL for NULL). Since: 0.3 */
ACCEL_API const char *accel_lib_board(const struct accel_lib *lib);
/** Number of regions in shell.json (>= 0), or -EINVAL. Since: 0.3 */
ACCEL_API int accel_lib_num_regions(const struct accel_lib *lib);
/** Number of IPs (>= 0), or -EINVAL. Since: 0.3 */
ACCEL_API int accel_lib_num_ips(const struct accel_lib *lib);
/** IP `index`'s manifest; -EINVAL if out->size is smaller than the struct of release 0.3.
 *  Since: 0.3 */
ACCEL_API int accel_lib_get_ip(const struct accel_lib *lib, uint32_t index,
                               struct accel_lib_ip *out);
/** Index of the IP named `name`, or -ENOENT. Since: 0.3 */
ACCEL_API int accel_lib_find(const struct accel_lib *lib, const char *name);
/** shell.json as JSON text (NULL for NULL). Since: 0.3 */
ACCEL_API const char *accel_lib_shell_json(const struct accel_lib *lib);
/** IP `index`'s manifest as JSON text (NULL if out of range). Since: 0.3 */
ACCEL_API const char *accel_lib_ip_json(const struct accel_lib *lib, uint32_t index);
/** Checks that `dev` has every region of shell.json, with its interface ID, frames and
 *  budget: -ENODEV, saying what differs, otherwise. Since: 0.3 */
ACCEL_API int accel_lib_check_device(const struct accel_lib *lib, struct accel_device *dev);
/** Verifies IP `index`'s partial for `region`, with signatures checked against the PEM public
 *  key `trusted_key` (may be NULL) and ACCEL_LIB_* `flags`: -ENOENT (no such partial or file),
 *  -EBADMSG (truncated, wrong hash, corrupt header, identity not the manifest's), -ENODEV
 *  (built for another region), -EKEYREJECTED (bad signature), -EPERM (unsigned or no trusted
 *  key while ACCEL_LIB_REQUIRE_SIGNED), -EINVAL (unknown flags). Since: 0.3 */
ACCEL_API int accel_lib_verify(const struct accel_lib *lib, uint32_t index, uint32_t region,
                               const char *trusted_key, uint32_t flags);
/** Verifies as accel_lib_verify, checks the shell against `dev`, then loads the partial into
 *  `region` (as accel_device_reconfigure, expecting the manifest's identity). Nothing reaches
 *  the device if verification fails. Since: 0.3 */
ACCEL_API int accel_lib_load(const struct accel_lib *lib, uint32_t index, struct accel_device *dev,
                             uint32_t region, const char *trusted_key, uint32_t flags,
                             struct accel_fence *const *waits, unsigned nwaits,
                             struct accel_fence *done);

/* ---- Sessions: a quantized model run as jobs on a device ----------------------------------- */

/** Session options at their defaults: host batches of 64 images. Errors of the setters go to
 *  `ctx`'s log. Since: 0.3 */
ACCEL_API int accel_session_opts_new(struct accel_ctx *ctx, struct accel_session_opts **out);
/** Since: 0.3 */
ACCEL_API struct accel_session_opts *accel_session_opts_ref(struct accel_session_opts *opts);
/** Since: 0.3 */
ACCEL_API struct accel_session_opts *accel_session_opts_unref(struct accel_session_opts *opts);
/** Images per host batch, 1 to 4096: a run's images go in batches of that many, each in its
 *  own device buffers, each as jobs of the plan's batch size. Since: 0.3 */
ACCEL_API int accel_session_opts_set_batch(struct accel_session_opts *opts, uint32_t images);
/** Trace spans the session keeps for accel_session_write_trace, the latest ones (default
 *  65536, 0: none). Statistics count every span whatever this is. Since: 0.3 */
ACCEL_API int accel_session_opts_set_trace_spans(struct accel_session_opts *opts, uint32_t spans);

/** Modelled (device-clock) figures of everything a session ran. Filled by the library: set
 *  `size`. */
struct accel_run_stats {
  uint32_t size; /**< in: sizeof the caller's struct; out: the bytes the library filled */
  uint32_t pad;
  uint64_t images, batches;
  uint64_t elapsed_ns;                /**< first work's start to last work's end */
  uint64_t pr_ns, dma_ns, compute_ns; /**< busy time of each kind, summed over regions */
  uint64_t reconfigs, jobs;
  /** reconfiguration time during which another region computed: PR hidden behind compute */
  uint64_t pr_hidden_ns;
};

/** Prepares `q` to run on `dev` as `plan` says (NULL: the auto plan with jobs of up to 8
 *  images) with `opts` (NULL: the defaults): each region's partial, the weight buffers,
 *  buffers for a host batch. Loads on the first run. An sdci plan's IPs take the regions in
 *  turn, each running on a sweep of images while the next loads; from an IP library, every
 *  partial is read and verified here, with the errors of accel_lib_verify. The session keeps
 *  references to `dev`, `q` and `plan`. Since: 0.3 */
ACCEL_API int accel_session_new(struct accel_device *dev, struct accel_qmodel *q,
                                const struct accel_plan *plan,
                                const struct accel_session_opts *opts, struct accel_session **out);
/** Since: 0.3 */
ACCEL_API struct accel_session *accel_session_ref(struct accel_session *s);
/** Since: 0.3 */
ACCEL_API struct accel_session *accel_session_unref(struct accel_session *s);
/** As accel_qmodel_run, on the device. Modifies the session (work queued, statistics, trace):
 *  not to be called from several threads at once on one session. Since: 0.3 */
ACCEL_API int accel_session_run(struct accel_session *s, const float *input, uint32_t n,
                                int16_t *codes, float *logits);
/** Statistics of every run so far; -EINVAL if stats->size is smaller than the struct of
 *  release 0.3. Since: 0.3 */
ACCEL_API int accel_session_stats(const struct accel_session *s, struct accel_run_stats *stats);
/** Writes the PR, DMA and compute spans the session kept (see
 *  accel_session_opts_set_trace_spans) as Chrome trace-event JSON. Since: 0.3 */
ACCEL_API int accel_session_write_trace(const struct accel_session *s, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* ACCEL_ACCEL_H */
