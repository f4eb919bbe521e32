// accelctl dev info | regions: what a device is, and the state of its regions.
#include <zaccel_drm.h>

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "loader.h"
#include "printer.h"

namespace accelctl {
namespace {

uint64_t param(accel_device *dev, uint32_t p, uint32_t index = 0) {
  uint64_t v = 0;
  check(accel_device_param(dev, p, index, &v), "GET_PARAM");
  return v;
}

void info(const std::string &uri, const Global &g) {
  Ctx ctx = new_context();
  Device dev = open_device(ctx.get(), uri);
  accel_device *d = dev.get();
  const uint64_t caps = param(d, DRM_ZACCEL_PARAM_CAPABILITIES);
  std::string cap_names;
  for (const auto &[bit, name] : {std::pair{DRM_ZACCEL_CAP_EMULATED, "emulated"},
                                  {DRM_ZACCEL_CAP_NO_HW, "no-hw"},
                                  {DRM_ZACCEL_CAP_VIRTUAL_TIME, "virtual-time"}}) {
    if (caps & bit) cap_names += (cap_names.empty() ? "" : ",") + std::string(name);
  }
  Printer p(g.json, g.pretty);
  p.str("device", "device", accel_device_name(d));
  p.integer("api_version", "uapi version",
            static_cast<long long>(param(d, DRM_ZACCEL_PARAM_API_VERSION)));
  p.str("capabilities", "capabilities", cap_names.empty() ? "none" : cap_names);
  p.integer("regions", "regions", static_cast<long long>(param(d, DRM_ZACCEL_PARAM_NUM_REGIONS)));
  p.real("pl_clock_mhz", "PL clock", double(param(d, DRM_ZACCEL_PARAM_PL_CLOCK_HZ)) / 1e6, 1,
         " MHz");
  p.real("pcap_mb_per_s", "PCAP", double(param(d, DRM_ZACCEL_PARAM_PCAP_BYTES_PER_S)) / 1e6, 1,
         " MB/s");
  p.real("ddr_mb_per_s", "DDR", double(param(d, DRM_ZACCEL_PARAM_DDR_BYTES_PER_S)) / 1e6, 1,
         " MB/s");
  p.real("hp_mb_per_s", "HP port", double(param(d, DRM_ZACCEL_PARAM_HP_BYTES_PER_S)) / 1e6, 1,
         " MB/s");
  p.integer("max_bo_bytes", "largest BO",
            static_cast<long long>(param(d, DRM_ZACCEL_PARAM_MAX_BO_SIZE)));
}

const char *kind_name(uint32_t kind) {
  switch (kind) {
    case DRM_ZACCEL_IP_CONV:
      return "conv";
    case DRM_ZACCEL_IP_POOL:
      return "pool";
    case DRM_ZACCEL_IP_FC:
      return "fc";
    case DRM_ZACCEL_IP_ELTWISE:
      return "eltwise";
    default:
      return "none";
  }
}

void regions(const std::string &uri, const Global &g) {
  Ctx ctx = new_context();
  Device dev = open_device(ctx.get(), uri);
  accel_device *d = dev.get();
  const uint32_t n = static_cast<uint32_t>(param(d, DRM_ZACCEL_PARAM_NUM_REGIONS));
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (uint32_t r = 0; r < n; ++r) {
    auto info = sized<accel_region_info>();
    check(accel_device_region_info(d, r, 0, &info), "REGION_QUERY");
    const accel_ip_id &ip = info.loaded;
    char dims[96];
    std::snprintf(dims, sizeof(dims), "%ux%ux%u -> %ux%ux%u", ip.in_c, ip.in_h, ip.in_w, ip.out_c,
                  ip.out_h, ip.out_w);
    nlohmann::ordered_json j = {
        {"region", r},
        {"state", accel_region_state_name(info.state)},
        {"decoupled", (info.flags & DRM_ZACCEL_REGION_DECOUPLED) != 0},
        {"ip_valid", (info.flags & DRM_ZACCEL_REGION_IP_VALID) != 0},
        {"slots", info.slots},
        {"frames", info.frames},
        {"interface_id", param(d, DRM_ZACCEL_PARAM_REGION_INTERFACE_ID, r)},
        {"partial_bytes", param(d, DRM_ZACCEL_PARAM_REGION_PARTIAL_SIZE, r)},
        {"hp_ports", param(d, DRM_ZACCEL_PARAM_REGION_HP_PORTS, r)},
        {"budget",
         {{"dsp", param(d, DRM_ZACCEL_PARAM_REGION_DSP, r)},
          {"bram18", param(d, DRM_ZACCEL_PARAM_REGION_BRAM18, r)},
          {"lut", param(d, DRM_ZACCEL_PARAM_REGION_LUT, r)},
          {"ff", param(d, DRM_ZACCEL_PARAM_REGION_FF, r)}}},
        {"ip", (info.flags & DRM_ZACCEL_REGION_IP_VALID) ? kind_name(ip.kind) : "none"},
        {"ip_dims", (info.flags & DRM_ZACCEL_REGION_IP_VALID) ? dims : ""},
        {"reconfigs", info.reconfigs},
        {"jobs", info.jobs},
        {"bytes", info.bytes},
        {"errors", info.errors},
        {"last_error", info.last_error ? std::strerror(static_cast<int>(info.last_error)) : ""}};
    if (!g.json) {
      std::printf("region %u: %s%s, %u frames, interface 0x%08llx, IP %s %s\n", r,
                  accel_region_state_name(info.state),
                  (info.flags & DRM_ZACCEL_REGION_DECOUPLED) ? " (decoupled)" : "", info.frames,
                  static_cast<unsigned long long>(j["interface_id"].get<uint64_t>()),
                  j["ip"].get<std::string>().c_str(), j["ip_dims"].get<std::string>().c_str());
      std::printf(
          "  budget %llu DSP, %llu BRAM18, %llu LUT, %llu FF, %llu HP ports; %llu reconfigs, %llu "
          "jobs, "
          "%llu errors%s%s\n",
          static_cast<unsigned long long>(j["budget"]["dsp"].get<uint64_t>()),
          static_cast<unsigned long long>(j["budget"]["bram18"].get<uint64_t>()),
          static_cast<unsigned long long>(j["budget"]["lut"].get<uint64_t>()),
          static_cast<unsigned long long>(j["budget"]["ff"].get<uint64_t>()),
          static_cast<unsigned long long>(j["hp_ports"].get<uint64_t>()),
          static_cast<unsigned long long>(info.reconfigs),
          static_cast<unsigned long long>(info.jobs), static_cast<unsigned long long>(info.errors),
          info.last_error ? ", last: " : "",
          info.last_error ? std::strerror(static_cast<int>(info.last_error)) : "");
    }
    all.push_back(std::move(j));
  }
  if (g.json)
    std::printf("%s\n", nlohmann::ordered_json{{"device", accel_device_name(d)}, {"regions", all}}
                            .dump(g.pretty ? 2 : -1)
                            .c_str());
}

}  // namespace

void add_dev(CLI::App &app, const Global &global) {
  auto uri = std::make_shared<std::string>();
  CLI::App *cmd = app.add_subcommand("dev", "show a device: info, regions");
  cmd->require_subcommand(1);
  CLI::App *info_cmd =
      cmd->add_subcommand("info", "uapi version, capabilities, clocks and bandwidths");
  CLI::App *regions_cmd =
      cmd->add_subcommand("regions", "each region's state, loaded IP, budget and counters");
  for (CLI::App *sub : {info_cmd, regions_cmd}) {
    sub->add_option("--device", *uri,
                    "emu:BOARD, emu:FILE.dtbo or /dev/accel/accelN (default: the first zaccel "
                    "node, else emu:pynq-z2)");
  }
  info_cmd->callback(guarded([uri, &global] { info(*uri, global); }));
  regions_cmd->callback(guarded([uri, &global] { regions(*uri, global); }));
}

}  // namespace accelctl
