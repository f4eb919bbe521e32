#include "fabric/board.h"

#include <libfdt.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <tuple>

#include "util/error.h"

namespace zaccel::emu {
namespace {

constexpr const char *kShellCompatible = "zaccel,shell-1.0";
constexpr uint32_t kMaxRegions = 16;

// One node of the tree, with its path for messages.
class Node {
 public:
  Node(const void *fdt, int off, const std::string &what) : fdt_(fdt), off_(off), what_(what) {
    char buf[512];
    path_ = fdt_get_path(fdt, off, buf, sizeof(buf)) == 0 ? buf : "?";
  }
  [[noreturn]] void bad(const char *prop, const std::string &why) const {
    fail(EINVAL, what_, ": ", path_, ": ", prop, ": ", why);
  }
  // The property as big-endian 32-bit cells; empty if absent.
  std::vector<uint32_t> cells(const char *prop) const {
    int len = 0;
    const auto *p = static_cast<const fdt32_t *>(fdt_getprop(fdt_, off_, prop, &len));
    if (!p) return {};
    if (len % 4) bad(prop, "length " + std::to_string(len) + " is not a multiple of 4");
    std::vector<uint32_t> v(static_cast<size_t>(len) / 4);
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = fdt32_to_cpu(p[i]);
    return v;
  }
  uint32_t u32(const char *prop) const {
    const auto v = cells(prop);
    if (v.size() != 1) bad(prop, v.empty() ? "missing" : "expected one cell");
    return v[0];
  }
  uint32_t positive(const char *prop) const {
    const uint32_t v = u32(prop);
    if (v == 0) bad(prop, "must not be zero");
    return v;
  }
  Resources resources(const char *prop) const {
    const auto v = cells(prop);
    if (v.size() != 4) bad(prop, "expected <dsp bram18 lut ff>");
    return {v[0], v[1], v[2], v[3]};
  }
  // The node a phandle cell points to (within this tree).
  Node deref(uint32_t phandle, const char *prop) const {
    const int off = fdt_node_offset_by_phandle(fdt_, phandle);
    if (off < 0) bad(prop, "phandle " + std::to_string(phandle) + " resolves to no node");
    return Node(fdt_, off, what_);
  }
  bool has(const char *prop) const { return fdt_getprop(fdt_, off_, prop, nullptr) != nullptr; }
  bool compatible(const char *c) const { return fdt_node_check_compatible(fdt_, off_, c) == 0; }
  std::string name() const { return fdt_get_name(fdt_, off_, nullptr); }
  std::string string(const char *prop) const {
    int len = 0;
    const char *s = static_cast<const char *>(fdt_getprop(fdt_, off_, prop, &len));
    return s && len > 0 && s[len - 1] == '\0' ? s : "";
  }
  // First (address, size) pair of `reg` with one cell each (Zynq-7000 is 32-bit).
  std::pair<uint64_t, uint64_t> reg(size_t index) const {
    const auto v = cells("reg");
    if (v.size() < 2 * (index + 1)) bad("reg", "no entry " + std::to_string(index));
    return {v[2 * index], v[2 * index + 1]};
  }

 private:
  const void *fdt_;
  int off_;
  std::string what_;
  std::string path_;
};

RegionDesc parse_region(const Node &shell, const Node &rp, size_t index) {
  RegionDesc r;
  r.name = rp.name();
  if (!rp.compatible("fpga-region")) rp.bad("compatible", "not a fpga-region");
  if (!rp.has("partial-fpga-config")) rp.bad("partial-fpga-config", "missing");
  r.frames = rp.positive("zaccel,frames");
  r.interface_id = rp.u32("zaccel,interface-id");
  r.budget = rp.resources("zaccel,resources");
  r.hp_ports = rp.has("zaccel,hp-ports") ? rp.positive("zaccel,hp-ports") : 1;
  r.freeze_timeout_us = rp.has("region-freeze-timeout-us") ? rp.u32("region-freeze-timeout-us") : 0;
  const auto bridges = rp.cells("fpga-bridges");
  if (bridges.size() != 1) rp.bad("fpga-bridges", "expected exactly one decoupler");
  const Node dec = rp.deref(bridges[0], "fpga-bridges");
  if (!dec.compatible("xlnx,pr-decoupler")) dec.bad("compatible", "not an xlnx,pr-decoupler");
  r.decoupler_base = dec.reg(0).first;
  std::tie(r.reg_base, r.reg_size) = shell.reg(index);
  const auto irqs = shell.cells("interrupts");
  if (irqs.size() < 3 * (index + 1)) shell.bad("interrupts", "fewer than one per region");
  r.irq = irqs[3 * index + 1];
  return r;
}

}  // namespace

BoardDesc parse_board(const void *fdt, size_t size, const std::string &what) {
  if (size < sizeof(fdt_header) || fdt_magic(fdt) != FDT_MAGIC) {
    fail(EBADMSG, what, ": not a flattened device tree (bad magic)");
  }
  if (fdt_totalsize(fdt) > size) {
    fail(EBADMSG, what, ": truncated: header says ", fdt_totalsize(fdt), " bytes, have ", size);
  }
  // libfdt 1.6.1's fdt_check_full reads through a NULL pointer on blobs older than version 17
  // (found by tests/fuzz/board_fuzz): dtc has written version 17 since 2007.
  if (fdt_version(fdt) < 17) {
    fail(EBADMSG, what, ": device tree version ", fdt_version(fdt), ", 17 or later needed");
  }
  if (const int err = fdt_check_full(fdt, size); err < 0) {
    fail(EBADMSG, what, ": corrupt device tree: ", fdt_strerror(err));
  }
  const int off = fdt_node_offset_by_compatible(fdt, -1, kShellCompatible);
  if (off < 0) fail(EINVAL, what, ": no node compatible with \"", kShellCompatible, "\"");
  const Node shell(fdt, off, what);

  BoardDesc b;
  b.model = shell.string("model");
  const auto rates = shell.cells("assigned-clock-rates");
  if (rates.size() != 1 || rates[0] == 0) shell.bad("assigned-clock-rates", "expected one rate");
  b.pl_clock_hz = rates[0];
  b.pcap_bytes_per_s = shell.positive("zaccel,pcap-bytes-per-second");
  b.ddr_bytes_per_s = shell.positive("zaccel,ddr-bytes-per-second");
  b.hp_port_bytes_per_s = shell.positive("zaccel,hp-port-bytes-per-second");
  b.hp_ports = shell.positive("zaccel,hp-ports");
  b.budget = shell.resources("zaccel,resources");

  const auto pool = shell.cells("memory-region");
  if (pool.size() != 1) shell.bad("memory-region", "expected one phandle");
  const Node pool_node = shell.deref(pool[0], "memory-region");
  const auto pool_size = pool_node.cells("size");
  if (pool_size.size() != 1 || pool_size[0] == 0)
    pool_node.bad("size", "expected one non-zero cell");
  b.pool_bytes = pool_size[0];

  const auto rps = shell.cells("fpga-regions");
  if (rps.empty() || rps.size() > kMaxRegions) {
    shell.bad("fpga-regions", "expected 1 to " + std::to_string(kMaxRegions) + " regions");
  }
  for (size_t i = 0; i < rps.size(); ++i) {
    b.regions.push_back(parse_region(shell, shell.deref(rps[i], "fpga-regions"), i));
  }
  uint64_t ports = 0;
  for (const RegionDesc &r : b.regions)
    ports += r.hp_ports;
  if (ports > b.hp_ports) {
    shell.bad("zaccel,hp-ports", "the regions use " + std::to_string(ports) +
                                     " HP ports, the PS has " + std::to_string(b.hp_ports));
  }
  return b;
}

BoardDesc load_board(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail(errno ? errno : ENOENT, path, ": cannot open: ", std::strerror(errno));
  const std::vector<char> bytes((std::istreambuf_iterator<char>(f)), {});
  return parse_board(bytes.data(), bytes.size(), path);
}

}  // namespace zaccel::emu
