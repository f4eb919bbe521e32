// The emulator backend: the uapi answered by the emulated fabric in this process.
#include <cerrno>

#include "device/backend.h"
#include "fabric/board.h"
#include "fabric/device.h"

namespace zaccel::dev {

int Backend::inject_fault(uint32_t, emu::Fault) {
  return -EOPNOTSUPP;
}

namespace {

class EmuBackend : public Backend {
 public:
  explicit EmuBackend(const std::string &dtbo) : dtbo_(dtbo), dev_(emu::load_board(dtbo)) {}
  int ioctl(unsigned long request, void *arg) override { return dev_.ioctl(request, arg); }
  void *map(uint64_t offset, size_t size) override { return dev_.map(offset, size); }
  void unmap(void *addr, size_t) override { dev_.unmap(addr); }
  std::string name() const override { return "emu:" + dtbo_; }
  int inject_fault(uint32_t region, emu::Fault fault) override {
    if (region >= dev_.board().regions.size()) return -EINVAL;
    dev_.inject(region, fault);
    return 0;
  }

 private:
  std::string dtbo_;
  emu::Device dev_;
};

}  // namespace

std::unique_ptr<Backend> open_emu_backend(const std::string &dtbo) {
  return std::make_unique<EmuBackend>(dtbo);
}

}  // namespace zaccel::dev
