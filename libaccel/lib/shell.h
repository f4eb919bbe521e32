// shell.json: what a library's partials were implemented against (the static shell of one
// board): its reconfigurable regions, each with its interface ID, partial size and budget.
// Checked against the device before any partial of the library is loaded.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "device/device.h"
#include "fabric/board.h"

namespace zaccel::lib {

inline constexpr const char *kShellSchema = "zaccel-shell/1";

struct Shell {
  std::string board;                     ///< e.g. pynq-z2
  std::vector<emu::RegionDesc> regions;  ///< index order; name, frames, interface, budget, ports
};

/// The shell of `dev`, as `lib build` records it.
Shell device_shell(dev::Device &dev, const std::string &board);

nlohmann::ordered_json to_json(const Shell &s);
/// Throws Error (EINVAL) naming `what` and the field for a missing, mistyped or
/// contradictory field (regions out of order, duplicate names, frames zero or above 2^18).
Shell parse_shell(const nlohmann::json &j, const std::string &what);

/// Checks that `dev` has every region `s` names, with the same interface ID, frames and
/// budget. Throws Error (ENODEV) saying which region and what differs.
void check_shell(const Shell &s, dev::Device &dev);

}  // namespace zaccel::lib
