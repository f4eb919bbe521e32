// accelctl lib build: the partial bitstream of every layer's IP for every region of a device,
// written beside an index of what each one is (identity block, region, size).
#include <zaccel_drm.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "loader.h"

namespace accelctl {
namespace {

struct LibArgs {
  ModelArgs m;
  std::string device = "emu:pynq-z2";
  std::string out;
  std::string weights = "embedded";
};

uint32_t weight_mode(const std::string &name) {
  if (name == "embedded") return DRM_ZACCEL_WEIGHTS_EMBEDDED;
  if (name == "streamed") return DRM_ZACCEL_WEIGHTS_STREAMED;
  return DRM_ZACCEL_WEIGHTS_BATCH_CACHED;
}

nlohmann::ordered_json id_json(const accel_ip_id &id) {
  return {{"kind", id.kind},     {"version", id.version},
          {"flags", id.flags},   {"in_c", id.in_c},
          {"in_h", id.in_h},     {"in_w", id.in_w},
          {"out_c", id.out_c},   {"out_h", id.out_h},
          {"out_w", id.out_w},   {"kernel", id.kernel},
          {"stride", id.stride}, {"padding", id.padding},
          {"bits", id.bits},     {"weight_mode", id.weight_mode},
          {"lanes", id.lanes}};
}

void build(const LibArgs &a, const Global &g) {
  Loaded l = load(a.m);
  Device dev = open_device(l.ctx.get(), a.device);
  uint64_t regions = 0;
  check(accel_device_param(dev.get(), DRM_ZACCEL_PARAM_NUM_REGIONS, 0, &regions), "GET_PARAM");
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) {
    std::fprintf(stderr, "accelctl: %s: %s\n", a.out.c_str(), ec.message().c_str());
    throw Failure{1};
  }
  const int layers = accel_model_num_layers(l.model.get());
  check(layers, "model");
  nlohmann::ordered_json index = nlohmann::ordered_json::array();
  std::vector<uint8_t> buf;
  for (int i = 0; i < layers; ++i) {
    const std::string name = accel_model_layer_name(l.model.get(), static_cast<uint32_t>(i));
    for (uint32_t r = 0; r < regions; ++r) {
      accel_ip_id id{};
      const int64_t size =
          accel_qmodel_build_partial(l.q.get(), static_cast<uint32_t>(i), dev.get(), r,
                                     weight_mode(a.weights), nullptr, 0, nullptr);
      check(static_cast<int>(size < 0 ? size : 0), ("partial of " + name).c_str());
      buf.resize(static_cast<size_t>(size));
      check(static_cast<int>(accel_qmodel_build_partial(l.q.get(), static_cast<uint32_t>(i),
                                                        dev.get(), r, weight_mode(a.weights),
                                                        buf.data(), buf.size(), &id) < 0),
            ("partial of " + name).c_str());
      const std::string file = name + ".rp" + std::to_string(r) + ".bin";
      std::ofstream out(std::filesystem::path(a.out) / file, std::ios::binary);
      out.write(reinterpret_cast<const char *>(buf.data()), static_cast<std::streamsize>(size));
      if (!out.flush()) {
        std::fprintf(stderr, "accelctl: cannot write %s in %s\n", file.c_str(), a.out.c_str());
        throw Failure{1};
      }
      index.push_back(
          {{"layer", name}, {"region", r}, {"file", file}, {"bytes", size}, {"ip", id_json(id)}});
    }
  }
  const nlohmann::ordered_json doc = {
      {"device", accel_device_name(dev.get())}, {"model", a.m.model}, {"partials", index}};
  std::ofstream(std::filesystem::path(a.out) / "index.json") << doc.dump(2) << '\n';
  if (g.json) {
    std::printf("%s\n", doc.dump(g.pretty ? 2 : -1).c_str());
  } else {
    std::printf("%zu partials for %d layers x %llu regions in %s\n", index.size(), layers,
                static_cast<unsigned long long>(regions), a.out.c_str());
  }
}

}  // namespace

void add_lib(CLI::App &app, const Global &global) {
  auto args = std::make_shared<LibArgs>();
  CLI::App *cmd = app.add_subcommand("lib", "partial bitstreams of IPs");
  cmd->require_subcommand(1);
  CLI::App *b = cmd->add_subcommand(
      "build", "write every layer's partial for every region of a device, and index.json");
  args->m.add_options(b);
  b->add_option("--device", args->device, "whose regions the partials target")
      ->capture_default_str();
  b->add_option("--out", args->out, "output directory")->required();
  b->add_option("--weights", args->weights, "where conv and fc IPs keep their weights")
      ->check(CLI::IsMember({"embedded", "streamed", "batch-cached"}))
      ->capture_default_str();
  b->callback(guarded([args, &global] { build(*args, global); }));
}

}  // namespace accelctl
