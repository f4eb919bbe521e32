// The C boundary of IP libraries: build, open, inspect, verify and load.
#include <cstring>

#include "c_api/guard.h"
#include "c_api/sized.h"
#include "lib/build.h"

using zaccel::capi::fence_handles;
using zaccel::capi::guard;
using zaccel::capi::make;

using zaccel::capi::verify_options;

zaccel::lib::VerifyOptions zaccel::capi::verify_options(const char *trusted_key, uint32_t flags) {
  if (flags & ~ACCEL_LIB_FLAGS) zaccel::fail(EINVAL, "unknown flags 0x", std::hex, flags);
  zaccel::lib::VerifyOptions o;
  if (trusted_key) o.trusted_key = trusted_key;
  o.require_signed = flags & ACCEL_LIB_REQUIRE_SIGNED;
  return o;
}

namespace {

const zaccel::lib::IpManifest &ip_at(const accel_lib *lib, uint32_t index) {
  if (index >= lib->lib.ips().size()) zaccel::fail(EINVAL, "no IP ", index);
  return lib->lib.ips()[index];
}

}  // namespace

extern "C" {

int accel_lib_build(const accel_qmodel *q, accel_device *dev, const char *spec_path,
                    const char *out_dir, const char *sign_key) {
  if (!q || !dev || !spec_path || !out_dir) return -EINVAL;
  return guard(q->ctx, [&] {
    const std::vector<uint8_t> text = zaccel::lib::read_file(spec_path);
    const nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) zaccel::fail(EINVAL, spec_path, ": not valid JSON");
    zaccel::lib::BuildOptions o;
    o.out = out_dir;
    if (sign_key) o.sign_key = sign_key;
    const auto built =
        zaccel::lib::build_library(q->q, *dev->dev, zaccel::lib::parse_specs(j, spec_path), o);
    return static_cast<int>(built.size());
  });
}

int accel_lib_open(accel_ctx *ctx, const char *dir, accel_lib **out) {
  if (!ctx || !dir || !out) return -EINVAL;
  *out = nullptr;
  return guard(ctx, [&] {
    zaccel::lib::Library lib = zaccel::lib::Library::open(dir);
    *out = make<accel_lib>(ctx);
    (*out)->shell_json = to_json(lib.shell()).dump(2);
    for (const auto &m : lib.ips())
      (*out)->ip_json.push_back(to_json(m).dump(2));
    (*out)->lib = std::move(lib);
    return 0;
  });
}

accel_lib *accel_lib_ref(accel_lib *lib) {
  return zaccel::capi::ref(lib);
}

accel_lib *accel_lib_unref(accel_lib *lib) {
  return zaccel::capi::unref(lib);
}

const char *accel_lib_board(const accel_lib *lib) {
  return lib ? lib->lib.shell().board.c_str() : nullptr;
}

int accel_lib_num_regions(const accel_lib *lib) {
  return lib ? static_cast<int>(lib->lib.shell().regions.size()) : -EINVAL;
}

int accel_lib_num_ips(const accel_lib *lib) {
  return lib ? static_cast<int>(lib->lib.ips().size()) : -EINVAL;
}

int accel_lib_get_ip(const accel_lib *lib, uint32_t index, accel_lib_ip *out) {
  if (!lib || !out) return -EINVAL;
  return guard(lib->ctx, [&] {
    const zaccel::lib::IpManifest &m = ip_at(lib, index);
    accel_lib_ip ip{};
    ip.name = m.name.c_str();
    ip.layer = m.layer.c_str();
    ip.out_lo = m.out_lo;
    ip.out_hi = m.out_hi;
    static_assert(sizeof(ip.id) == sizeof(m.id));
    std::memcpy(&ip.id, &m.id, sizeof(ip.id));
    ip.dsp = m.resources.dsp;
    ip.bram18 = m.resources.bram18;
    ip.lut = m.resources.lut;
    ip.ff = m.resources.ff;
    ip.cycles_per_image = m.cycles_per_image;
    ip.pipeline_cycles = m.pipeline_cycles;
    for (const auto &p : m.partials) {
      if (p.region < 32) {
        ip.regions |= 1u << p.region;
        if (!p.signature.empty()) ip.signed_regions |= 1u << p.region;
      }
    }
    zaccel::capi::copy_sized(out, ip, ACCEL_SIZE_THROUGH(accel_lib_ip, pad), "library IP");
    return 0;
  });
}

int accel_lib_find(const accel_lib *lib, const char *name) {
  if (!lib || !name) return -EINVAL;
  const auto &ips = lib->lib.ips();
  for (size_t i = 0; i < ips.size(); ++i)
    if (ips[i].name == name) return static_cast<int>(i);
  return -ENOENT;
}

const char *accel_lib_shell_json(const accel_lib *lib) {
  return lib ? lib->shell_json.c_str() : nullptr;
}

const char *accel_lib_ip_json(const accel_lib *lib, uint32_t index) {
  return lib && index < lib->ip_json.size() ? lib->ip_json[index].c_str() : nullptr;
}

int accel_lib_check_device(const accel_lib *lib, accel_device *dev) {
  if (!lib || !dev) return -EINVAL;
  return guard(lib->ctx, [&] {
    check_shell(lib->lib.shell(), *dev->dev);
    return 0;
  });
}

int accel_lib_verify(const accel_lib *lib, uint32_t index, uint32_t region, const char *trusted_key,
                     uint32_t flags) {
  if (!lib) return -EINVAL;
  return guard(lib->ctx, [&] {
    lib->lib.verified_partial(ip_at(lib, index), region, verify_options(trusted_key, flags));
    return 0;
  });
}

int accel_lib_load(const accel_lib *lib, uint32_t index, accel_device *dev, uint32_t region,
                   const char *trusted_key, uint32_t flags, accel_fence *const *waits,
                   unsigned nwaits, accel_fence *done) {
  if (!lib || !dev || (nwaits && !waits)) return -EINVAL;
  return guard(lib->ctx, [&] {
    const zaccel::lib::IpManifest &m = ip_at(lib, index);
    const std::vector<uint8_t> bits =
        lib->lib.verified_partial(m, region, verify_options(trusted_key, flags));
    check_shell(lib->lib.shell(), *dev->dev);
    zaccel::dev::Bo bo(*dev->dev, bits.size(), DRM_ZACCEL_BO_WRITE_COMBINED);
    std::memcpy(bo.data(), bits.data(), bits.size());
    dev->dev->reconfig(region, bo, 0, bits.size(), {m.id}, fence_handles(waits, nwaits),
                       done ? done->sync->handle() : 0);
    return 0;
  });
}

}  // extern "C"
