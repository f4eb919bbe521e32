// What the two schedule builders share: one job's arguments and registers.
#pragma once

#include <cstdint>

#include "schedule/schedule.h"

namespace zaccel::sched {

/// The job of the plan's IP `unit` in `region` on images [first_img, first_img + job images)
/// of a batch of `n` images at position `batch`: its arguments (input, output or partial sums,
/// the partial sums it adds, an Add's second operand, streamed weights and bias unless a
/// batch-cached IP keeps them) and its registers; no waits, and its signal still to set.
Submit job(const QModel &q, const Plan &plan, const BatchLayout &layout, size_t unit,
           uint32_t batch, uint32_t n, uint32_t first_img, uint32_t region);

}  // namespace zaccel::sched
