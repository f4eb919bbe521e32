// The kernel driver names each region's state in debugfs ("regions"), as fpga-mgr names its
// states in sysfs, error states included. The emulator has no debugfs: skipped there.
#include <glob.h>

#include <fstream>
#include <sstream>

#include "conformance/fixture.h"

namespace zaccel::conformance {
namespace {

class StateNames : public Conformance {
 protected:
  void SetUp() override {
    if (GetParam().rfind("emu:", 0) == 0) GTEST_SKIP() << "the emulator has no debugfs";
    Conformance::SetUp();
  }
  /// The driver's "regions" file, read whole; "" if there is none.
  static std::string regions_file() {
    glob_t g{};
    std::string text;
    if (::glob("/sys/kernel/debug/zaccel-*/regions", 0, nullptr, &g) == 0 && g.gl_pathc == 1) {
      std::ifstream in(g.gl_pathv[0]);
      std::stringstream s;
      s << in.rdbuf();
      text = s.str();
    }
    ::globfree(&g);
    return text;
  }
};

TEST_P(StateNames, RegionsFileNamesStatesAndErrors) {
  if (regions_file().empty()) GTEST_SKIP() << "debugfs is not mounted";
  drm_zaccel_ip_id expected = test_ip();
  expected.lanes = 3;
  ASSERT_EQ(load(0, partial(0, {test_ip()}), {expected}).error, uint32_t{EPROTO});
  ASSERT_EQ(load(1, partial(1, {test_ip()}), {test_ip()}).error, 0u);
  const std::string text = regions_file();
  EXPECT_NE(text.find("rp0: write complete error, decoupled, 0 IPs"), std::string::npos) << text;
  EXPECT_NE(text.find("last error 71"), std::string::npos) << "EPROTO\n" << text;
  EXPECT_NE(text.find("rp1: operating, coupled, 1 IPs"), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(Backends, StateNames, ::testing::ValuesIn(backends()));

}  // namespace
}  // namespace zaccel::conformance
