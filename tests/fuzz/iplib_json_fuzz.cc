// libFuzzer: an IP library's shell.json and manifest readers (libaccel/lib/shell.h,
// manifest.h) on arbitrary bytes parsed as JSON. The document is read as a shell; then as a
// manifest against that shell when it was one, else against the PYNQ-Z2 shell of the library
// the tests build.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "lib/manifest.h"
#include "lib/shell.h"
#include "util/error.h"

namespace {

const zaccel::lib::Shell &pynq_shell() {
  static const zaccel::lib::Shell s = zaccel::lib::parse_shell(nlohmann::json::parse(R"({
    "schema": "zaccel-shell/1", "board": "pynq-z2", "regions": [
      {"index": 0, "name": "rp0", "interface_id": "0x5a520001", "frames": 1800,
       "partial_bytes": 727200, "hp_ports": 2,
       "budget": {"dsp": 80, "bram18": 100, "lut": 16000, "ff": 32000}},
      {"index": 1, "name": "rp1", "interface_id": "0x5a520002", "frames": 1800,
       "partial_bytes": 727200, "hp_ports": 2,
       "budget": {"dsp": 80, "bram18": 100, "lut": 16000, "ff": 32000}}]})"),
                                                               "builtin shell");
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  std::optional<zaccel::lib::Shell> shell;
  try {
    shell = zaccel::lib::parse_shell(j, "fuzz shell.json");
    (void)zaccel::lib::to_json(*shell).dump();
  } catch (const zaccel::Error &) {
  }
  try {
    const zaccel::lib::IpManifest m =
        zaccel::lib::parse_manifest(j, "fuzz manifest.json", shell ? *shell : pynq_shell());
    (void)zaccel::lib::to_json(m).dump();
  } catch (const zaccel::Error &) {
  }
  return 0;
}
