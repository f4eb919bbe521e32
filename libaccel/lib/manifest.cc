#include "lib/manifest.h"

#include <cerrno>
#include <iterator>
#include <set>
#include <string_view>

#include "ips/ip.h"
#include "ips/resources.h"
#include "lib/json_read.h"
#include "lib/sha256.h"
#include "util/error.h"

namespace zaccel::lib {
namespace {

constexpr struct {
  uint32_t bit;
  const char *name;
} kFlagNames[] = {{DRM_ZACCEL_IP_RELU, "relu"},
                  {DRM_ZACCEL_IP_AVG_POOL, "avg_pool"},
                  {DRM_ZACCEL_IP_COUNT_PAD, "count_pad"}};

const char *const kKinds[] = {"conv", "pool", "fc", "eltwise"};  // DRM_ZACCEL_IP_CONV..ELTWISE
// DRM_ZACCEL_ELTWISE_ADD..MAX: an element-wise IP's operation
const char *const kOps[] = {"add"};
static_assert(std::size(kOps) == DRM_ZACCEL_ELTWISE_MAX);
// DRM_ZACCEL_ACT_CLIP..MAX: an output stage's activation (absent: none)
const char *const kActs[] = {"clip",         "tanh",       "sigmoid", "leaky_relu",
                             "hard_sigmoid", "hard_swish", "prelu"};
static_assert(std::size(kActs) == DRM_ZACCEL_ACT_MAX);
const char *const kModes[] = {"none", "embedded", "streamed", "batch-cached"};

template <size_t N>
uint32_t index_of(const char *const (&names)[N], const JsonAt &v, uint32_t first) {
  const std::string s = v.str();
  for (size_t i = 0; i < N; ++i)
    if (s == names[i]) return first + static_cast<uint32_t>(i);
  fail(EINVAL, v.where, ": unknown value \"", s, "\"");
}

/// An array of exactly `n` integers, each at most `max`.
std::vector<uint32_t> ints(const JsonAt &v, size_t n, uint32_t max) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < v.size(n, n); ++i)
    out.push_back(v[i].u32(max));
  return out;
}

/// A file beside the manifest: no directory part, not hidden (so neither "." nor ".."), no NUL.
std::string plain_file(const JsonAt &v) {
  constexpr std::string_view kNotInName("/\\\0", 3);
  const std::string s = v.str();
  if (s.find_first_of(kNotInName) != std::string::npos || s[0] == '.')
    fail(EINVAL, v.where, ": ", v.j.dump(), " is not a file beside the manifest");  // dump: escaped
  return s;
}

drm_zaccel_ip_id parse_id(const JsonAt &ip) {
  drm_zaccel_ip_id id{};
  id.magic = ZACCEL_IP_MAGIC;
  id.kind = index_of(kKinds, ip["kind"], DRM_ZACCEL_IP_CONV);
  id.version = ip["version"].u32();
  const JsonAt flags = ip["flags"];
  for (size_t i = 0; i < flags.size(0, 3); ++i) {
    const std::string f = flags[i].str();
    bool known = false;
    for (const auto &k : kFlagNames) {
      if (f == k.name) {
        if (id.flags & k.bit) fail(EINVAL, flags.where, ": \"", f, "\" twice");
        id.flags |= k.bit;
        known = true;
      }
    }
    if (!known) fail(EINVAL, flags[i].where, ": unknown flag \"", f, "\"");
  }
  if (ip.has("activation"))
    id.flags |= DRM_ZACCEL_IP_ACT(index_of(kActs, ip["activation"], DRM_ZACCEL_ACT_CLIP));
  if (ip.has("operation"))
    id.flags |= DRM_ZACCEL_IP_ELTWISE_OP(index_of(kOps, ip["operation"], DRM_ZACCEL_ELTWISE_ADD));
  if (ip.has("groups")) {
    const uint32_t g = ip["groups"].u32(65536);
    if (g == 0) fail(EINVAL, ip.where, ".groups: not an integer from 1 to 65536");
    id.flags |= DRM_ZACCEL_IP_GROUPS(g);
  }
  const std::vector<uint32_t> in = ints(ip["input"], 3, 65535), out = ints(ip["output"], 3, 65535);
  id.in_c = in[0], id.in_h = in[1], id.in_w = in[2];
  id.out_c = out[0], id.out_h = out[1], id.out_w = out[2];
  const std::vector<uint32_t> k = ints(ip["kernel"], 2, 255), s = ints(ip["stride"], 2, 255),
                              p = ints(ip["padding"], 4, 255);
  // A dilation (absent: 1 x 1) shares the stride word (uapi DRM_ZACCEL_IP_STEP).
  std::vector<uint32_t> d = {1, 1};
  if (ip.has("dilation")) {
    d = ints(ip["dilation"], 2, 256);
    if (d[0] == 0 || d[1] == 0) fail(EINVAL, ip.where, ".dilation: not integers from 1 to 256");
  }
  id.kernel = k[0] << 16 | k[1];
  id.stride = DRM_ZACCEL_IP_STEP(s[0], d[0]) << 16 | DRM_ZACCEL_IP_STEP(s[1], d[1]);
  id.padding = p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
  const JsonAt bits = ip["bits"];
  id.bits = bits["weights"].u32(16) << 16 | bits["input"].u32(16) << 8 | bits["output"].u32(16);
  id.weight_mode = index_of(kModes, ip["weight_mode"], DRM_ZACCEL_WEIGHTS_NONE);
  id.lanes = ip["lanes"].u32();
  try {
    emu::check_ip_id(id);
  } catch (const Error &e) {
    fail(EINVAL, ip.where, ": ", e.what());
  }
  return id;
}

nlohmann::ordered_json id_json(const drm_zaccel_ip_id &id) {
  nlohmann::ordered_json flags = nlohmann::ordered_json::array();
  for (const auto &k : kFlagNames)
    if (id.flags & k.bit) flags.push_back(k.name);
  nlohmann::ordered_json j = {
      {"kind", kind_name(id.kind)},
      {"version", id.version},
      {"flags", flags},
      {"input", {id.in_c, id.in_h, id.in_w}},
      {"output", {id.out_c, id.out_h, id.out_w}},
      {"kernel", {id.kernel >> 16, id.kernel & 0xffff}},
      {"stride",
       {DRM_ZACCEL_IP_STEP_STRIDE(id.stride >> 16), DRM_ZACCEL_IP_STEP_STRIDE(id.stride & 0xffff)}},
      {"padding",
       {id.padding >> 24, id.padding >> 16 & 0xff, id.padding >> 8 & 0xff, id.padding & 0xff}},
      {"bits",
       {{"weights", id.bits >> 16}, {"input", id.bits >> 8 & 0xff}, {"output", id.bits & 0xff}}},
      {"weight_mode", weight_mode_name(id.weight_mode)},
      {"lanes", id.lanes}};
  // Written only when set, so that the manifests of IPs without them read as before.
  if (const uint32_t act = DRM_ZACCEL_IP_ACT_OF(id.flags);
      act >= DRM_ZACCEL_ACT_CLIP && act <= DRM_ZACCEL_ACT_MAX)
    j["activation"] = kActs[act - DRM_ZACCEL_ACT_CLIP];
  if (const uint32_t g = DRM_ZACCEL_IP_GROUPS_OF(id.flags); g > 1) j["groups"] = g;
  const uint32_t dh = DRM_ZACCEL_IP_STEP_DILATION(id.stride >> 16),
                 dw = DRM_ZACCEL_IP_STEP_DILATION(id.stride & 0xffff);
  if (id.kind != DRM_ZACCEL_IP_FC && (dh != 1 || dw != 1)) j["dilation"] = {dh, dw};
  if (const uint32_t op = DRM_ZACCEL_IP_ELTWISE_OF(id.flags);
      op >= DRM_ZACCEL_ELTWISE_ADD && op <= DRM_ZACCEL_ELTWISE_MAX)
    j["operation"] = kOps[op - DRM_ZACCEL_ELTWISE_ADD];
  return j;
}

}  // namespace

const char *kind_name(uint32_t kind) {
  return kind >= DRM_ZACCEL_IP_CONV && kind <= DRM_ZACCEL_IP_ELTWISE
             ? kKinds[kind - DRM_ZACCEL_IP_CONV]
             : "unknown";
}

const char *weight_mode_name(uint32_t mode) {
  return mode <= DRM_ZACCEL_WEIGHTS_BATCH_CACHED ? kModes[mode] : "unknown";
}

const PartialFile *IpManifest::partial_for(uint32_t region) const {
  for (const PartialFile &p : partials)
    if (p.region == region) return &p;
  return nullptr;
}

std::string weights_digest(const QLayer &l) {
  std::vector<uint8_t> bytes;
  const auto put = [&](uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
      bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  for (int16_t w : l.weights)
    put(static_cast<uint16_t>(w), 2);
  for (int64_t b : l.bias)
    put(static_cast<uint64_t>(b), 8);
  return sha256_hex(bytes.data(), bytes.size());
}

nlohmann::ordered_json to_json(const IpManifest &m) {
  nlohmann::ordered_json partials = nlohmann::ordered_json::array();
  for (const PartialFile &p : m.partials) {
    nlohmann::ordered_json e = {{"region", p.region},
                                {"interface_id", hex32(p.interface_id)},
                                {"file", p.file},
                                {"bytes", p.bytes},
                                {"sha256", p.sha256}};
    if (!p.signature.empty()) e["signature"] = p.signature;
    partials.push_back(std::move(e));
  }
  nlohmann::ordered_json source = {{"layer", m.layer}, {"out_channels", {m.out_lo, m.out_hi}}};
  if (!m.weights_sha256.empty()) source["weights_sha256"] = m.weights_sha256;
  return {{"schema", kIpSchema},
          {"name", m.name},
          {"ip", id_json(m.id)},
          {"resources",
           {{"dsp", m.resources.dsp},
            {"bram18", m.resources.bram18},
            {"lut", m.resources.lut},
            {"ff", m.resources.ff}}},
          {"latency",
           {{"cycles_per_image", m.cycles_per_image}, {"pipeline_cycles", m.pipeline_cycles}}},
          {"source", source},
          {"partials", partials}};
}

IpManifest parse_manifest(const nlohmann::json &j, const std::string &what, const Shell &shell) {
  const JsonAt root{j, what};
  root.expect_schema(kIpSchema);
  IpManifest m;
  m.name = root["name"].str();
  if (m.name.find_first_of("/\\") != std::string::npos || m.name[0] == '.')
    fail(EINVAL, what, ".name: \"", m.name, "\" is not a plain name");
  m.id = parse_id(root["ip"]);
  const JsonAt res = root["resources"];
  m.resources = {res["dsp"].u32(), res["bram18"].u32(), res["lut"].u32(), res["ff"].u32()};
  const emu::Resources model = emu::ip_resources(m.id);
  if (m.resources.dsp != model.dsp || m.resources.bram18 != model.bram18 ||
      m.resources.lut != model.lut || m.resources.ff != model.ff) {
    fail(EINVAL, res.where, ": not what the IP's identity costs (", model.dsp, " DSP, ",
         model.bram18, " BRAM18, ", model.lut, " LUT, ", model.ff, " FF)");
  }
  const JsonAt lat = root["latency"];
  m.cycles_per_image = lat["cycles_per_image"].u64();
  m.pipeline_cycles = lat["pipeline_cycles"].u64();
  const uint64_t fill = emu::ip_cycles(m.id, 0), per = emu::ip_cycles(m.id, 1) - fill;
  if (m.cycles_per_image != per || m.pipeline_cycles != fill) {
    fail(EINVAL, lat.where, ": not the IP's latency model (", per, " cycles per image, ", fill,
         " to fill the pipeline)");
  }
  const JsonAt src = root["source"];
  m.layer = src["layer"].str();
  const std::vector<uint32_t> oc = ints(src["out_channels"], 2, 65536);
  m.out_lo = oc[0], m.out_hi = oc[1];
  if (m.out_hi <= m.out_lo || m.out_hi - m.out_lo != m.id.out_c)
    fail(EINVAL, src.where, ".out_channels: [", m.out_lo, ", ", m.out_hi, ") is not ", m.id.out_c,
         " channels");
  const bool embedded = m.id.weight_mode == DRM_ZACCEL_WEIGHTS_EMBEDDED;
  if (embedded != src.has("weights_sha256"))
    fail(EINVAL, src.where, ".weights_sha256: ", embedded ? "missing" : "given", " for an IP that ",
         embedded ? "embeds" : "does not embed", " its weights");
  if (embedded) {
    m.weights_sha256 = src["weights_sha256"].str();
    if (m.weights_sha256.size() != 64 ||
        m.weights_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
      fail(EINVAL, src.where, ".weights_sha256: not 64 lowercase hex digits");
  }
  const JsonAt parts = root["partials"];
  for (size_t i = 0; i < parts.size(1, shell.regions.size()); ++i) {
    const JsonAt p = parts[i];
    PartialFile f;
    f.region = p["region"].u32();
    if (f.region >= shell.regions.size())
      fail(EINVAL, p.where, ".region: ", f.region, ", the shell has ", shell.regions.size());
    if (m.partial_for(f.region)) fail(EINVAL, p.where, ".region: ", f.region, " twice");
    const emu::RegionDesc &r = shell.regions[f.region];
    f.interface_id = p["interface_id"].hex32();
    if (f.interface_id != r.interface_id)
      fail(EINVAL, p.where, ".interface_id: ", hex32(f.interface_id), ", region ", f.region,
           " has ", hex32(r.interface_id));
    f.file = plain_file(p["file"]);
    f.bytes = p["bytes"].u64();
    if (f.bytes != r.partial_bytes())
      fail(EINVAL, p.where, ".bytes: ", f.bytes, ", region ", f.region, " takes ",
           r.partial_bytes());
    f.sha256 = p["sha256"].str();
    if (f.sha256.size() != 64 ||
        f.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
      fail(EINVAL, p.where, ".sha256: not 64 lowercase hex digits");
    if (p.has("signature")) f.signature = plain_file(p["signature"]);
    if (!emu::fits(m.resources, r.budget))
      fail(EINVAL, p.where, ": the IP does not fit region ", f.region, "'s budget");
    m.partials.push_back(std::move(f));
  }
  return m;
}

}  // namespace zaccel::lib
