// The emulated zaccel device: one open file of the driver, behind exactly the uapi. ioctl()
// takes the same request codes and structs as the kernel driver (zaccel_drm.h plus GEM_CLOSE
// and the SYNCOBJ_* core ioctls), validates them the same way and returns 0 or the same
// -errno. Reconfigurations and jobs run asynchronously on a worker thread in dependency order;
// their timing is modelled on the virtual clock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "clock/virtual_clock.h"
#include "fabric/bo.h"
#include "fabric/board.h"
#include "fabric/region.h"
#include "fabric/running_job.h"
#include "fabric/work.h"

namespace zaccel::emu {

class Device {
 public:
  explicit Device(BoardDesc board);
  ~Device();
  Device(const Device &) = delete;
  Device &operator=(const Device &) = delete;

  /// One ioctl: 0 or -errno. Never throws.
  int ioctl(unsigned long request, void *arg) noexcept;
  /// mmap of a BO's offset; the mapping holds the BO until unmap(). Throws Error (EINVAL).
  void *map(uint64_t offset, uint64_t size);
  void unmap(void *addr);
  /// Makes the region's next reconfiguration (kPrCrc) or job (kDmaTimeout, kIpHang) fail.
  void inject(uint32_t region, Fault fault);

  const BoardDesc &board() const { return board_; }

 private:
  // Handlers run with lock_ held and throw Error.
  void get_param(drm_zaccel_get_param &a) const;
  void bo_create(drm_zaccel_bo_create &a);
  void bo_prep(const drm_zaccel_bo_prep &a, std::unique_lock<std::mutex> &l);
  void bo_fini(const drm_zaccel_bo_fini &a);
  void gem_close(const drm_gem_close &a);
  void region_query(drm_zaccel_region_query &a) const;
  void reconfig(const drm_zaccel_reconfig &a);
  void submit(const drm_zaccel_submit &a);
  void syncobj_create(drm_syncobj_create &a);
  void syncobj_destroy(const drm_syncobj_destroy &a);
  void syncobj_wait(drm_syncobj_wait &a, std::unique_lock<std::mutex> &l);
  void syncobj_reset_or_signal(const drm_syncobj_array &a, bool signal);

  // Queue helpers (device_queue.cc).
  std::shared_ptr<Bo> lookup_bo(uint32_t handle) const;
  BoRange bo_range(uint32_t handle, uint64_t offset, uint64_t size) const;
  Region &region_at(uint32_t region);
  void read_waits(uint64_t ptr, uint32_t count, Work &w) const;
  void read_extensions(uint64_t ptr, Work &w) const;
  void enqueue(std::unique_ptr<Work> w, uint32_t out_sync);

  // The worker (device_worker.cc): admits work in virtual-time order and advances the
  // running jobs one DMA burst at a time, earliest first.
  void worker();
  Work *next_ready();
  void admit(Work &w, std::unique_lock<std::mutex> &l);
  void advance(std::unique_lock<std::mutex> &l);
  void retire(const Work &w);
  /// Waits until `done` holds (true) or `until` passes (false). The worker runs work only
  /// while a host thread waits for something that does not hold yet, so that the virtual
  /// clock never runs ahead of what the host has submitted: the same ioctls give the same
  /// virtual times, however the threads are scheduled.
  bool wait_host(std::unique_lock<std::mutex> &l, std::chrono::steady_clock::time_point until,
                 const std::function<bool()> &done);
  bool wanted() const;
  static Picos ready_time(const Work &w, const Region &r);
  void finish(Work &w, int error, Picos start, Picos end, Picos c0, Picos c1, uint64_t bytes);

  // Reconfigurations and job phases (device_exec.cc).
  void execute_reconfig(Work &w);
  /// Starts `w`'s job: running_ gains it, or it fails and is finished. False if it finished.
  bool start_job(Work &w);
  /// Moves `j`'s next burst; true once the job has finished (its fence signalled).
  bool step_job(RunningJob &j, std::unique_lock<std::mutex> &l);
  Transfer begin_transfer(Picos ready, uint64_t bytes) const;
  /// Moves one burst of `t` through region `r`'s HP ports and the DDR.
  void step_transfer(Region &r, Transfer &t);

  BoardDesc board_;

  std::mutex lock_;                  ///< protects every member below
  std::condition_variable changed_;  ///< a fence signalled, work was queued, or stop
  BoPool pool_;
  uint32_t next_handle_ = 1;
  std::map<uint32_t, std::shared_ptr<Bo>> bos_;          ///< GEM handles
  std::map<uint64_t, std::weak_ptr<Bo>> by_offset_;      ///< mmap offsets
  std::multimap<void *, std::shared_ptr<Bo>> mappings_;  ///< live mmaps
  std::map<uint32_t, std::shared_ptr<Fence>> syncobjs_;  ///< payload may be null
  std::vector<Region> regions_;
  VirtualClock clock_;
  unsigned pcap_ = 0, ddr_ = 0;                       ///< clock resources
  std::list<std::unique_ptr<Work>> queue_;            ///< submission order, running jobs included
  std::list<RunningJob> running_;                     ///< jobs started and not yet finished
  std::list<const std::function<bool()> *> waiters_;  ///< what host threads wait for
  bool recheck_ = true;  ///< work queued or fences signalled since next_ready() found nothing
  uint64_t seq_ = 0;
  /// The latest virtual time the host has seen (a fence SYNCOBJ_WAIT returned for): work it
  /// submits after that cannot start before it.
  Picos host_now_ = 0;
  bool stop_ = false;

  std::thread worker_;  ///< last: starts once everything above exists
};

}  // namespace zaccel::emu
