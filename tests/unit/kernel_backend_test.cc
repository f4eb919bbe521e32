// The kernel backend's failure paths and node discovery. No zaccel driver is loaded on CI, so
// opening only fails here; a machine with the driver also opens the node discovery returns.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "device/backend.h"
#include "util/error.h"

namespace zaccel::dev {
namespace {

int open_errno(const std::string &node) {
  try {
    open_kernel_backend(node);
  } catch (const Error &e) {
    return e.err();
  }
  return 0;
}

TEST(KernelBackend, MissingNodeIsEnoent) {
  EXPECT_EQ(open_errno("/nonexistent/zaccel/accel0"), ENOENT);
}

TEST(KernelBackend, NonDrmNodeIsEnodev) {
  EXPECT_EQ(open_errno("/dev/null"), ENODEV);
}

TEST(KernelBackend, NonDrmNodeMessageNamesNode) {
  try {
    open_kernel_backend("/dev/null");
    FAIL() << "/dev/null opened as a zaccel device";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("/dev/null"), std::string::npos) << e.what();
  }
}

TEST(KernelBackend, FindKernelNodeFindsAnOpenableNodeOrNothing) {
  const std::string node = find_kernel_node();
  if (node.empty()) return;
  EXPECT_EQ(node.rfind("/dev/", 0), 0u) << node;
  std::unique_ptr<Backend> b;
  ASSERT_NO_THROW(b = open_kernel_backend(node)) << node;
  EXPECT_EQ(b->name(), node);
}

}  // namespace
}  // namespace zaccel::dev
