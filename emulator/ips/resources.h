// What an IP costs on the fabric (DSP48E1, BRAM18, LUT, FF), estimated from its identity
// block: the co-design model the planner budgets with and the emulator checks partials
// against. Rough by nature; every term is stated in resources.cc.
#pragma once

#include "fabric/board.h"
#include "zaccel_drm.h"

namespace zaccel::emu {

/// Resources of the IP `id` describes, in its weight mode.
Resources ip_resources(const drm_zaccel_ip_id &id);

/// True if `use` fits in `budget` in every resource.
bool fits(const Resources &use, const Resources &budget);

Resources operator+(const Resources &a, const Resources &b);

}  // namespace zaccel::emu
