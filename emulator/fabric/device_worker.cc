// The device's worker: admits queued reconfigurations and jobs in dependency order (a region's
// work in submission order, after its in-syncs), earliest virtual start first; runs the
// started jobs' DMA bursts in virtual-time order, so that the regions share the DDR; and
// signals fences.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#include "fabric/device.h"

namespace zaccel::emu {
namespace {

uint64_t ns(Picos p) {
  return p / 1000;
}

bool signalled(const Work &w) {
  return std::all_of(w.waits.begin(), w.waits.end(), [](const auto &f) { return f->signaled; });
}

}  // namespace

Picos Device::ready_time(const Work &w, const Region &r) {
  // After its in-syncs, after the work before it on its slot (a job) or on the whole region
  // (a reconfiguration), and not before the host could have submitted it.
  Picos t = std::max(w.not_before,
                     w.reconfig ? r.idle_at : std::max(r.slot_idle[w.slot], r.reconfig_end));
  for (const auto &f : w.waits)
    t = std::max(t, f->at);
  return t;
}

Work *Device::next_ready() {
  // A job may start once the work queued before it on its slot, and any reconfiguration
  // queued before it on its region, have finished; a reconfiguration once everything queued
  // before it on its region has. Of the works that may start and whose in-syncs have
  // signalled, the one that can start earliest on the virtual clock: the fabric's queues
  // advance in time order, whatever order the host submitted to different regions in.
  std::set<uint32_t> used, reconfiguring;        // regions with earlier work, with a reconfig
  std::set<std::pair<uint32_t, uint32_t>> busy;  // slots with earlier work
  Work *best = nullptr;
  Picos best_at = 0;
  for (const auto &w : queue_) {
    const bool region_free = !used.count(w->region);
    used.insert(w->region);
    if (reconfiguring.count(w->region)) continue;
    if (w->reconfig) reconfiguring.insert(w->region);
    const bool slot_free = busy.insert({w->region, w->slot}).second;
    if (!(w->reconfig ? region_free : slot_free) || w->started || !signalled(*w)) continue;
    const Picos at = ready_time(*w, regions_[w->region]);
    if (!best || at < best_at) {
      best = w.get();
      best_at = at;
    }
  }
  return best;
}

void Device::admit(Work &w, std::unique_lock<std::mutex> &) {
  const auto failed =
      std::find_if(w.waits.begin(), w.waits.end(), [](const auto &f) { return f->error != 0; });
  if (failed != w.waits.end()) {
    Picos at = 0;
    for (const auto &f : w.waits)
      at = std::max(at, f->at);
    finish(w, ECANCELED, at, at, 0, 0, 0);
  } else if (w.reconfig) {
    execute_reconfig(w);
  } else if (start_job(w)) {
    return;
  }
  retire(w);
}

void Device::advance(std::unique_lock<std::mutex> &l) {
  // The running job whose next burst can start first; submission order breaks ties.
  auto next = std::min_element(running_.begin(), running_.end(), [](auto &a, auto &b) {
    const Picos ta = a.current().next, tb = b.current().next;
    return ta < tb || (ta == tb && a.work->seq < b.work->seq);
  });
  if (!step_job(*next, l)) return;
  Work &w = *next->work;
  running_.erase(next);
  retire(w);
}

void Device::retire(const Work &w) {
  queue_.remove_if([&w](const auto &p) { return p.get() == &w; });
  // No work queued or yet to come can start before the earliest of them was submitted.
  Picos horizon = host_now_;
  for (const auto &q : queue_)
    horizon = std::min(horizon, q->not_before);
  clock_.forget_before(horizon);
  changed_.notify_all();
}

bool Device::wait_host(std::unique_lock<std::mutex> &l, std::chrono::steady_clock::time_point until,
                       const std::function<bool()> &done) {
  waiters_.push_back(&done);
  changed_.notify_all();
  const bool ok = changed_.wait_until(l, until, done);
  waiters_.remove(&done);
  return ok;
}

bool Device::wanted() const {
  return stop_ || std::any_of(waiters_.begin(), waiters_.end(), [](auto *d) { return !(*d)(); });
}

void Device::worker() {
  std::unique_lock l(lock_);
  for (;;) {
    if (!wanted()) {
      changed_.wait(l, [&] { return wanted(); });
      continue;
    }
    if (Work *w = recheck_ ? next_ready() : nullptr) {
      admit(*w, l);
      continue;
    }
    recheck_ = false;
    if (!running_.empty()) {
      advance(l);
      continue;
    }
    if (stop_) break;
    changed_.wait(l, [&] { return stop_ || recheck_; });
  }
  // Closing the device cancels what can never run.
  while (!queue_.empty()) {
    finish(*queue_.front(), ECANCELED, 0, 0, 0, 0, 0);
    queue_.pop_front();
  }
  changed_.notify_all();
}

void Device::finish(Work &w, int error, Picos start, Picos end, Picos c0, Picos c1,
                    uint64_t bytes) {
  if (w.report.bo) {
    drm_zaccel_report rep{ns(start), ns(end), ns(c0), ns(c1), bytes, static_cast<uint32_t>(error),
                          0};
    std::memcpy(w.report.bo->ddr() + w.report.offset, &rep, sizeof(rep));
  }
  for (BoRange *r : {&w.report, &w.bitstream})
    if (r->bo) --r->bo->busy;
  for (BoRange &r : w.args)
    --r.bo->busy;
  w.done->error = error;
  w.done->at = end;
  w.done->signaled = true;
  recheck_ = true;
  if (error == ECANCELED) return;
  Region &r = regions_[w.region];
  r.idle_at = std::max(r.idle_at, end);
  if (w.reconfig) {
    r.reconfig_end = end;
    std::fill(r.slot_idle.begin(), r.slot_idle.end(), end);
  } else {
    r.slot_idle[w.slot] = std::max(r.slot_idle[w.slot], end);
  }
  r.bytes += bytes;
  if (error) {
    ++r.errors;
    r.last_error = static_cast<uint32_t>(error);
  } else {
    ++(w.reconfig ? r.reconfigs : r.jobs);
  }
}

}  // namespace zaccel::emu
