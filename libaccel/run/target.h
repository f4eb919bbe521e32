// A device's planning target: its regions' budgets and its rates, read through the uapi.
#pragma once

#include "device/device.h"
#include "ips/resources.h"
#include "plan/planner.h"

namespace zaccel {

/// The device's regions and rates; `dsp`/`bram18` below 0 keep the regions' sum as budget.
PlanTarget plan_target(dev::Device &d, int64_t dsp = -1, int64_t bram18 = -1);

}  // namespace zaccel
