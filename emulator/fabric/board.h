// The board as the emulator builds it: read from the same device-tree overlay the driver
// probes on the board (dts/), never from a second, hand-kept table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zaccel::emu {

/// Programmable-logic resources: a budget or a use.
struct Resources {
  uint32_t dsp = 0, bram18 = 0, lut = 0, ff = 0;
};

/// One reconfigurable region (a fpga-region with partial-fpga-config).
struct RegionDesc {
  std::string name;           ///< the region node's name, e.g. fpga-region-rp0
  uint32_t frames = 0;        ///< configuration frames; a partial is frames * 101 words
  uint32_t interface_id = 0;  ///< partials for this region carry this ID
  uint64_t reg_base = 0;      ///< the IP's register window
  uint64_t reg_size = 0;
  uint32_t irq = 0;             ///< GIC SPI number
  uint64_t decoupler_base = 0;  ///< the xlnx,pr-decoupler bridge of the region
  uint32_t freeze_timeout_us = 0;
  Resources budget;
  uint32_t hp_ports = 1;  ///< AXI HP ports the region's IPs move data through

  /// Bytes of a partial bitstream for this region: 101 32-bit words per frame (7-series).
  uint64_t partial_bytes() const { return uint64_t{frames} * 101 * 4; }
};

struct BoardDesc {
  std::string model;
  uint64_t pl_clock_hz = 0;
  uint64_t pcap_bytes_per_s = 0;
  uint64_t ddr_bytes_per_s = 0;
  uint64_t hp_port_bytes_per_s = 0;
  uint32_t hp_ports = 0;    ///< the PS's, shared out among the regions
  uint64_t pool_bytes = 0;  ///< the reserved-memory pool for buffer objects
  Resources budget;         ///< the whole device
  std::vector<RegionDesc> regions;
};

/// Parses a flattened device tree (an overlay or a merged tree) holding a "zaccel,shell-1.0"
/// node. Throws Error (EINVAL or EBADMSG) naming the node and property at fault.
BoardDesc parse_board(const void *fdt, size_t size, const std::string &what);

/// Reads and parses a .dtbo or .dtb file.
BoardDesc load_board(const std::string &path);

}  // namespace zaccel::emu
