// What an IP costs on the fabric (DSP48E1, BRAM18, LUT, FF), estimated from its identity
// block: the co-design model the planner budgets with and the emulator checks partials
// against. Rough by nature; every term is stated in resources.cc.
#pragma once

#include "fabric/board.h"
#include "zaccel_drm.h"

namespace zaccel::emu {

/// Resources of the IP `id` describes, in its weight mode. Every figure is computed with
/// overflow checks: throws Error (EFBIG) if one does not fit in 32 bits (such an IP fits no
/// region), and EINVAL if the identity's weight count overflows 64 bits.
Resources ip_resources(const drm_zaccel_ip_id &id);

/// True if `use` fits in `budget` in every resource.
bool fits(const Resources &use, const Resources &budget);

/// The sum of two uses; throws Error (EFBIG) if a figure does not fit in 32 bits.
Resources operator+(const Resources &a, const Resources &b);

}  // namespace zaccel::emu
