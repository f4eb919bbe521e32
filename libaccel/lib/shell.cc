#include "lib/shell.h"

#include <cerrno>
#include <cstdio>
#include <set>

#include "device/region_desc.h"
#include "lib/json_read.h"
#include "util/error.h"
#include "zaccel_drm.h"

namespace zaccel::lib {
namespace {

// Far above any Zynq region (the largest Zynq-7000's whole bitstream, under 20 MB, is some
// 43,000 frames). Partials are read whole: this bounds what a shell.json can make the library
// read (106 MB).
constexpr uint32_t kMaxFrames = uint32_t{1} << 18;

}  // namespace

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

Shell device_shell(dev::Device &dev, const std::string &board) {
  Shell s;
  s.board = board;
  const auto n = static_cast<uint32_t>(dev.param(DRM_ZACCEL_PARAM_NUM_REGIONS));
  for (uint32_t r = 0; r < n; ++r) {
    s.regions.push_back(region_desc(dev, r));
    s.regions.back().name = "rp" + std::to_string(r);
  }
  return s;
}

nlohmann::ordered_json to_json(const Shell &s) {
  nlohmann::ordered_json regions = nlohmann::ordered_json::array();
  for (size_t i = 0; i < s.regions.size(); ++i) {
    const emu::RegionDesc &r = s.regions[i];
    regions.push_back({{"index", i},
                       {"name", r.name},
                       {"interface_id", hex32(r.interface_id)},
                       {"frames", r.frames},
                       {"partial_bytes", r.partial_bytes()},
                       {"hp_ports", r.hp_ports},
                       {"budget",
                        {{"dsp", r.budget.dsp},
                         {"bram18", r.budget.bram18},
                         {"lut", r.budget.lut},
                         {"ff", r.budget.ff}}}});
  }
  return {{"schema", kShellSchema}, {"board", s.board}, {"regions", regions}};
}

Shell parse_shell(const nlohmann::json &j, const std::string &what) {
  const JsonAt root{j, what};
  root.expect_schema(kShellSchema);
  Shell s;
  s.board = root["board"].str();
  const JsonAt regions = root["regions"];
  std::set<std::string> names;
  for (size_t i = 0; i < regions.size(1, 64); ++i) {
    const JsonAt r = regions[i];
    if (r["index"].u32() != i) fail(EINVAL, r.where, ".index: ", r["index"].u32(), ", not ", i);
    emu::RegionDesc d;
    d.name = r["name"].str();
    if (!names.insert(d.name).second) fail(EINVAL, r.where, ".name: \"", d.name, "\" twice");
    d.interface_id = r["interface_id"].hex32();
    d.frames = r["frames"].u32();
    if (d.frames == 0 || d.frames > kMaxFrames)
      fail(EINVAL, r.where, ".frames: ", d.frames, ", not 1 to ", kMaxFrames);
    if (r["partial_bytes"].u64() != d.partial_bytes()) {
      fail(EINVAL, r.where, ".partial_bytes: ", r["partial_bytes"].u64(), ", but ", d.frames,
           " frames make ", d.partial_bytes());
    }
    d.hp_ports = r["hp_ports"].u32();
    const JsonAt b = r["budget"];
    d.budget = {b["dsp"].u32(), b["bram18"].u32(), b["lut"].u32(), b["ff"].u32()};
    s.regions.push_back(d);
  }
  return s;
}

void check_shell(const Shell &s, dev::Device &dev) {
  const Shell have = device_shell(dev, s.board);
  for (size_t i = 0; i < s.regions.size(); ++i) {
    const emu::RegionDesc &want = s.regions[i];
    if (i >= have.regions.size()) {
      fail(ENODEV, "shell.json names region ", i, " (", want.name, "); the device has ",
           have.regions.size(), " regions");
    }
    const emu::RegionDesc &got = have.regions[i];
    const auto differ = [&](const char *what, uint64_t a, uint64_t b) {
      if (a != b) {
        fail(ENODEV, "region ", i, " (", want.name, "): ", what, " ", a, " in shell.json, ", b,
             " on the device");
      }
    };
    if (want.interface_id != got.interface_id) {
      fail(ENODEV, "region ", i, " (", want.name, "): interface ", hex32(want.interface_id),
           " in shell.json, ", hex32(got.interface_id), " on the device");
    }
    differ("frames", want.frames, got.frames);
    differ("DSP", want.budget.dsp, got.budget.dsp);
    differ("BRAM18", want.budget.bram18, got.budget.bram18);
    differ("LUT", want.budget.lut, got.budget.lut);
    differ("FF", want.budget.ff, got.budget.ff);
  }
}

}  // namespace zaccel::lib
