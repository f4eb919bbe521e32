#include "lib/build.h"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <set>

#include "bitstream/partial.h"
#include "ips/ip.h"
#include "ips/resources.h"
#include "lib/json_read.h"
#include "lib/manifest.h"
#include "lib/sha256.h"
#include "lib/shell.h"
#include "lib/signature.h"
#include "model/slice.h"
#include "plan/layer_ip.h"
#include "run/partials.h"
#include "util/error.h"

namespace zaccel::lib {
namespace {

namespace fs = std::filesystem;

uint32_t mode_of(const JsonAt &v) {
  const std::string s = v.str();
  for (uint32_t m = DRM_ZACCEL_WEIGHTS_EMBEDDED; m <= DRM_ZACCEL_WEIGHTS_BATCH_CACHED; ++m)
    if (s == weight_mode_name(m)) return m;
  fail(EINVAL, v.where, ": \"", s, "\" is not embedded, streamed or batch-cached");
}

bool plain_name(const std::string &s) {
  return !s.empty() && s[0] != '.' &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
             std::string::npos;
}

void write_file(const fs::path &path, const void *data, size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char *>(data), static_cast<std::streamsize>(size));
  if (!out.flush()) fail(EIO, path.string(), ": cannot write");
}

void write_json(const fs::path &path, const nlohmann::ordered_json &j) {
  const std::string text = j.dump(2) + "\n";
  write_file(path, text.data(), text.size());
}

const QLayer &layer_named(const QModel &q, const std::string &name, unsigned *in_bits) {
  const std::vector<unsigned> bits = layer_input_bits(q);
  for (size_t i = 0; i < q.layers.size(); ++i) {
    if (q.layers[i].name == name) {
      *in_bits = bits[i];
      return q.layers[i];
    }
  }
  fail(EINVAL, "the model has no layer \"", name, "\"");
}

}  // namespace

IpSpecs parse_specs(const nlohmann::json &j, const std::string &what) {
  const JsonAt root{j, what};
  root.expect_schema(kSpecSchema);
  IpSpecs specs;
  specs.board = root["board"].str();
  const JsonAt ips = root["ips"];
  std::set<std::string> names;
  for (size_t i = 0; i < ips.size(1, 1024); ++i) {
    const JsonAt e = ips[i];
    IpSpec s;
    s.name = e["name"].str();
    if (!plain_name(s.name)) fail(EINVAL, e.where, ".name: \"", s.name, "\" is not a plain name");
    if (!names.insert(s.name).second) fail(EINVAL, e.where, ".name: \"", s.name, "\" twice");
    s.layer = e["layer"].str();
    s.weight_mode = e.has("weights") ? mode_of(e["weights"]) : DRM_ZACCEL_WEIGHTS_EMBEDDED;
    if (e.has("lanes")) s.lanes = e["lanes"].u32();
    if (e.has("out_channels")) {
      const JsonAt oc = e["out_channels"];
      oc.size(2, 2);
      s.out_lo = oc[0].u32();
      s.out_hi = oc[1].u32();
      if (s.out_hi <= s.out_lo) fail(EINVAL, oc.where, ": empty range");
    }
    if (e.has("regions")) {
      const JsonAt rs = e["regions"];
      for (size_t k = 0; k < rs.size(1, 64); ++k)
        s.regions.push_back(rs[k].u32());
    }
    specs.ips.push_back(std::move(s));
  }
  return specs;
}

std::vector<std::string> build_library(const QModel &q, dev::Device &dev, const IpSpecs &specs,
                                       const BuildOptions &opts) {
  const fs::path root(opts.out);
  std::error_code ec;
  if (fs::exists(root, ec) && !fs::is_empty(root, ec))
    fail(EEXIST, opts.out, ": exists and is not empty");
  const Shell shell = device_shell(dev, specs.board);
  std::vector<std::string> built;
  for (const IpSpec &s : specs.ips) {
    unsigned in_bits = 0;
    const QLayer &whole = layer_named(q, s.layer, &in_bits);
    const bool sliced = s.out_hi != 0;
    const QLayer l = sliced ? slice_out_channels(whole, s.out_lo, s.out_hi) : whole;
    const LayerIp ip = layer_ip(l, in_bits, s.weight_mode, s.lanes);
    IpManifest m;
    m.name = s.name;
    m.id = ip.id;
    m.resources = emu::ip_resources(ip.id);
    m.pipeline_cycles = emu::ip_cycles(ip.id, 0);
    m.cycles_per_image = emu::ip_cycles(ip.id, 1) - m.pipeline_cycles;
    m.layer = s.layer;
    m.out_lo = sliced ? s.out_lo : 0;
    m.out_hi = sliced ? s.out_hi : whole.out.c;
    if (ip.id.weight_mode == DRM_ZACCEL_WEIGHTS_EMBEDDED) m.weights_sha256 = weights_digest(l);
    std::vector<uint32_t> regions = s.regions;
    for (uint32_t r = 0; s.regions.empty() && r < shell.regions.size(); ++r)
      if (emu::fits(m.resources, shell.regions[r].budget)) regions.push_back(r);
    for (uint32_t r : regions) {
      if (r >= shell.regions.size())
        fail(EINVAL, "IP ", s.name, ": region ", r, ", the device has ", shell.regions.size());
      PartialFile p;
      p.region = r;
      m.partials.push_back(std::move(p));
    }
    if (m.partials.empty()) fail(EFBIG, "IP ", s.name, " fits no region of the device");
    const fs::path dir = root / s.name;
    fs::create_directories(dir, ec);
    if (ec) fail(EIO, dir.string(), ": ", ec.message());
    for (PartialFile &p : m.partials) {
      const emu::RegionDesc &desc = shell.regions[p.region];
      std::vector<uint8_t> bits;
      try {
        bits = emu::build_partial(layer_partial(l, ip, desc.interface_id), desc);
      } catch (const Error &e) {
        fail(e.err(), "IP ", s.name, ", region ", p.region, ": ", e.what());
      }
      p.interface_id = desc.interface_id;
      p.file = "rp" + std::to_string(p.region) + ".bin";
      p.bytes = bits.size();
      p.sha256 = sha256_hex(bits.data(), bits.size());
      write_file(dir / p.file, bits.data(), bits.size());
      if (!opts.sign_key.empty()) {
        const std::vector<uint8_t> sig = sign_data(bits, opts.sign_key);
        p.signature = p.file + ".sig";
        write_file(dir / p.signature, sig.data(), sig.size());
      }
    }
    write_json(dir / "manifest.json", to_json(m));
    built.push_back(s.name);
  }
  write_json(root / "shell.json", to_json(shell));
  return built;
}

}  // namespace zaccel::lib
