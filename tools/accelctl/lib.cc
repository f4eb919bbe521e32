// accelctl lib build|list|show|verify: IP libraries on disk (shell.json, a manifest and
// partials per IP), built from IP specs and verified before anything is loaded.
#include <zaccel_drm.h>

#include <cstdio>
#include <memory>
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
  std::string lib = ZACCEL_DEFAULT_LIB;
  std::string spec = ZACCEL_DEFAULT_SPEC;
  std::string out, sign_key, trusted_key, ip;
  bool require_signed = false;
};

/// A context whose error messages are kept for the caller instead of printed.
struct Quiet {
  Ctx ctx;
  std::string last;

  Quiet() {
    accel_ctx *c = nullptr;
    check(accel_ctx_new(&c), "context");
    ctx.reset(c);
    accel_ctx_set_log_fn(
        c, [](void *self, int, const char *msg) { static_cast<Quiet *>(self)->last = msg; }, this);
  }
};

Lib open_lib(Quiet &q, const std::string &dir) {
  accel_lib *lib = nullptr;
  if (const int err = accel_lib_open(q.ctx.get(), dir.c_str(), &lib); err < 0) {
    std::fprintf(stderr, "accelctl: %s\n", q.last.c_str());
    throw Failure{1};
  }
  return Lib(lib);
}

std::string regions_of(uint32_t mask) {
  std::string s;
  // Appended piece by piece: on armhf, GCC 12's -Wrestrict sees a false overlap in
  // `"rp" + std::to_string(r)` at -O3.
  for (uint32_t r = 0; r < 32; ++r) {
    if (!(mask >> r & 1)) continue;
    s += s.empty() ? "rp" : ",rp";
    s += std::to_string(r);
  }
  return s.empty() ? "-" : s;
}

void build(const LibArgs &a, const Global &g) {
  Loaded l = load(a.m);
  Device dev = open_device(l.ctx.get(), a.device);
  const int n = accel_lib_build(l.q.get(), dev.get(), a.spec.c_str(), a.out.c_str(),
                                a.sign_key.empty() ? nullptr : a.sign_key.c_str());
  check(n, "lib build");
  if (g.json) {
    std::printf("%s\n", nlohmann::ordered_json{{"out", a.out}, {"ips", n}}.dump().c_str());
  } else {
    std::printf("%d IPs for %s in %s%s\n", n, accel_device_name(dev.get()), a.out.c_str(),
                a.sign_key.empty() ? "" : ", signed");
  }
}

void list(const LibArgs &a, const Global &g) {
  Quiet q;
  const Lib lib = open_lib(q, a.lib);
  const int n = accel_lib_num_ips(lib.get());
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  if (!g.json) {
    std::printf("library %s, board %s, %d regions, %d IPs\n", a.lib.c_str(),
                accel_lib_board(lib.get()), accel_lib_num_regions(lib.get()), n);
    std::printf("%-12s %-5s %-12s %-13s %5s %4s %6s %6s %6s %10s %-8s %-8s\n", "ip", "kind",
                "computes", "weights", "lanes", "DSP", "BRAM18", "LUT", "FF", "cyc/image",
                "regions", "signed");
  }
  for (int i = 0; i < n; ++i) {
    auto ip = sized<accel_lib_ip>();
    check(accel_lib_get_ip(lib.get(), static_cast<uint32_t>(i), &ip), "lib");
    const nlohmann::json m = nlohmann::json::parse(accel_lib_ip_json(lib.get(), i));
    const std::string kind = m["ip"]["kind"], weights = m["ip"]["weight_mode"];
    const std::string computes = std::string(ip.layer) + "[" + std::to_string(ip.out_lo) + ":" +
                                 std::to_string(ip.out_hi) + "]";
    if (g.json) {
      rows.push_back({{"name", ip.name},
                      {"kind", kind},
                      {"layer", ip.layer},
                      {"out_channels", {ip.out_lo, ip.out_hi}},
                      {"weight_mode", weights},
                      {"lanes", ip.id.lanes},
                      {"dsp", ip.dsp},
                      {"bram18", ip.bram18},
                      {"lut", ip.lut},
                      {"ff", ip.ff},
                      {"cycles_per_image", ip.cycles_per_image},
                      {"regions", ip.regions},
                      {"signed_regions", ip.signed_regions}});
      continue;
    }
    std::printf("%-12s %-5s %-12s %-13s %5u %4u %6u %6u %6u %10llu %-8s %-8s\n", ip.name,
                kind.c_str(), computes.c_str(), weights.c_str(), ip.id.lanes, ip.dsp, ip.bram18,
                ip.lut, ip.ff, static_cast<unsigned long long>(ip.cycles_per_image),
                regions_of(ip.regions).c_str(), regions_of(ip.signed_regions).c_str());
  }
  if (g.json) {
    std::printf("%s\n", nlohmann::ordered_json{{"library", a.lib},
                                               {"board", accel_lib_board(lib.get())},
                                               {"regions", accel_lib_num_regions(lib.get())},
                                               {"ips", rows}}
                            .dump(g.pretty ? 2 : -1)
                            .c_str());
  }
}

void show(const LibArgs &a, const Global &) {
  Quiet q;
  const Lib lib = open_lib(q, a.lib);
  const int i = accel_lib_find(lib.get(), a.ip.c_str());
  if (i < 0) {
    std::fprintf(stderr, "accelctl: no IP \"%s\" in %s\n", a.ip.c_str(), a.lib.c_str());
    throw Failure{1};
  }
  std::printf("%s\n", accel_lib_ip_json(lib.get(), static_cast<uint32_t>(i)));
}

void verify(const LibArgs &a, const Global &g) {
  Quiet q;
  const Lib lib = open_lib(q, a.lib);
  accel_device *d = nullptr;
  if (accel_device_open(q.ctx.get(), a.device.c_str(), &d) < 0) {
    std::fprintf(stderr, "accelctl: %s: %s\n", a.device.c_str(), q.last.c_str());
    throw Failure{1};
  }
  const Device dev(d);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  int failed = 0, checked = 0;
  std::string first_failure;
  const auto report = [&](const std::string &ip, int region, int err) {
    const std::string msg = err < 0 ? q.last : "ok";
    ++checked;
    if (err < 0 && !failed++) first_failure = msg;
    if (g.json) {
      rows.push_back({{"ip", ip}, {"region", region}, {"ok", err >= 0}, {"message", msg}});
    } else if (region < 0) {
      std::printf("%-12s %s\n", ip.c_str(), msg.c_str());
    } else {
      std::printf("%-12s rp%-2d %s\n", ip.c_str(), region, msg.c_str());
    }
  };
  report("shell.json", -1, accel_lib_check_device(lib.get(), dev.get()));
  const uint32_t flags = a.require_signed ? ACCEL_LIB_REQUIRE_SIGNED : 0;
  const char *key = a.trusted_key.empty() ? nullptr : a.trusted_key.c_str();
  const int n = accel_lib_num_ips(lib.get());
  for (int i = 0; i < n; ++i) {
    auto ip = sized<accel_lib_ip>();
    check(accel_lib_get_ip(lib.get(), static_cast<uint32_t>(i), &ip), "lib");
    if (!a.ip.empty() && a.ip != ip.name) continue;
    for (uint32_t r = 0; r < 32; ++r) {
      if (ip.regions >> r & 1)
        report(ip.name, static_cast<int>(r),
               accel_lib_verify(lib.get(), static_cast<uint32_t>(i), r, key, flags));
    }
  }
  if (g.json) {
    std::printf("%s\n", nlohmann::ordered_json{{"library", a.lib},
                                               {"device", accel_device_name(dev.get())},
                                               {"failed", failed},
                                               {"results", rows}}
                            .dump(g.pretty ? 2 : -1)
                            .c_str());
  } else {
    std::printf("%d failed\n", failed);
  }
  if (failed) {
    std::fflush(stdout);
    std::fprintf(stderr, "accelctl: lib verify: %d of %d failed, first: %s\n", failed, checked,
                 first_failure.c_str());
    throw Failure{1};
  }
}

}  // namespace

void add_lib(CLI::App &app, const Global &global) {
  auto args = std::make_shared<LibArgs>();
  CLI::App *cmd = app.add_subcommand("lib", "IP libraries: partial bitstreams with manifests");
  cmd->require_subcommand(1);

  CLI::App *b = cmd->add_subcommand("build", "build a library from IP specs for a device");
  args->m.add_options(b);
  b->add_option("--spec", args->spec, "IP specs (zaccel-ipspec/1 JSON)")->capture_default_str();
  b->add_option("--device", args->device, "whose regions the partials target")
      ->capture_default_str();
  b->add_option("--out", args->out, "output directory, absent or empty")->required();
  b->add_option("--sign-key", args->sign_key, "PEM private key to sign every partial with");
  b->callback(guarded([args, &global] { build(*args, global); }));

  CLI::App *l = cmd->add_subcommand("list", "the IPs of a library");
  l->add_option("--lib", args->lib, "library directory")->capture_default_str();
  l->callback(guarded([args, &global] { list(*args, global); }));

  CLI::App *s = cmd->add_subcommand("show", "one IP's manifest");
  s->add_option("ip", args->ip, "IP name")->required();
  s->add_option("--lib", args->lib, "library directory")->capture_default_str();
  s->callback(guarded([args, &global] { show(*args, global); }));

  CLI::App *v = cmd->add_subcommand(
      "verify", "check shell.json against a device, and every partial against its manifest");
  v->add_option("--lib", args->lib, "library directory")->capture_default_str();
  v->add_option("--device", args->device, "the device the library is for")->capture_default_str();
  v->add_option("--ip", args->ip, "only this IP");
  v->add_option("--trusted-key", args->trusted_key, "PEM public key signatures must verify with");
  v->add_flag("--require-signed", args->require_signed,
              "refuse partials without a valid signature");
  v->callback(guarded([args, &global] { verify(*args, global); }));
}

}  // namespace accelctl
