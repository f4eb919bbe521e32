// IP libraries given hostile files, through the internal API: a signature named outside the
// library, partials and signatures that are devices, FIFOs or far larger than they may be,
// JSON files that never end. Each is refused with its errno, without reading what it offers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "device/device.h"
#include "lib/build.h"
#include "lib/library.h"
#include "small_model.h"
#include "test_files.h"
#include "util/error.h"
#include "zaccel_drm.h"

namespace zaccel {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;

// Peak resident memory of the process so far, in KiB.
long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Expects `f` to throw Error `err` whose message holds every one of `parts`, and the process's
// peak memory to grow by less than 64 MiB meanwhile.
template <typename F>
void expect_refused(F &&f, int err, const std::vector<std::string> &parts) {
  const long rss = peak_rss_kib();
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), err) << e.what();
    for (const std::string &p : parts)
      EXPECT_THAT(e.what(), HasSubstr(p));
  }
  EXPECT_LT(peak_rss_kib() - rss, 64 * 1024) << "KiB more at the peak";
}

class IpLibHostile : public ::testing::Test {
 protected:
  void SetUp() override {
    // An Ed25519 key pair: the library is signed, so that signatures are read.
    EVP_PKEY *k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    ASSERT_NE(k, nullptr);
    FILE *f = std::fopen(dir_.file("key.pem").c_str(), "w");
    ASSERT_EQ(PEM_write_PrivateKey(f, k, nullptr, nullptr, 0, nullptr, nullptr), 1);
    std::fclose(f);
    f = std::fopen(pub().c_str(), "w");
    ASSERT_EQ(PEM_write_PUBKEY(f, k), 1);
    std::fclose(f);
    EVP_PKEY_free(k);

    const auto dev = dev::Device::open("emu:pynq-z2");
    lib::IpSpecs specs;
    specs.board = "pynq-z2";
    specs.ips = {{"conv1", "conv1", 0, 0, DRM_ZACCEL_WEIGHTS_EMBEDDED, 8, {}}};
    lib::build_library(test::model(), *dev, specs, {lib_dir(), dir_.file("key.pem")});
    ASSERT_NO_THROW(verify());
  }

  std::string lib_dir() const { return dir_.file("lib"); }
  fs::path ip_dir() const { return fs::path(lib_dir()) / "conv1"; }
  std::string pub() const { return dir_.file("pub.pem"); }
  lib::Library open() const { return lib::Library::open(lib_dir()); }
  /// Verifies conv1's partial for region 0 with its signature.
  void verify() const {
    const lib::Library l = open();
    l.verified_partial(l.find("conv1"), 0, {pub(), true});
  }
  template <typename F>
  void edit_json(const fs::path &p, F &&change) {
    nlohmann::json j = nlohmann::json::parse(std::ifstream(p));
    change(j);
    std::ofstream(p) << j.dump(2);
  }
  /// Replaces `p` by a symbolic link to `target`.
  static void link(const fs::path &p, const fs::path &target) {
    fs::remove(p);
    fs::create_symlink(target, p);
  }

  test::TempDir dir_;
};

TEST_F(IpLibHostile, SignatureOutsideTheLibraryRefusedAtOpen) {
  const fs::path manifest = ip_dir() / "manifest.json";
  const std::vector<std::string> names = {
      "../../etc/passwd", "/etc/passwd",     "..",
      "sub/rp0.bin.sig",  "..\\rp0.bin.sig", std::string("rp0.bin.sig\0/x", 14)};
  for (const std::string &sig : names) {
    SCOPED_TRACE(sig);
    edit_json(manifest, [&](nlohmann::json &j) { j["partials"][0]["signature"] = sig; });
    expect_refused([&] { open(); }, EINVAL,
                   {manifest.string(), "partials[0].signature", "not a file beside the manifest"});
  }
}

TEST_F(IpLibHostile, PartialThatIsADevice) {
  link(ip_dir() / "rp0.bin", "/dev/zero");
  expect_refused([&] { verify(); }, EBADMSG, {"region 0", "rp0.bin", "not a regular file"});
}

TEST_F(IpLibHostile, PartialThatIsAFifo) {
  fs::remove(ip_dir() / "rp0.bin");
  ASSERT_EQ(mkfifo((ip_dir() / "rp0.bin").c_str(), 0600), 0);
  expect_refused([&] { verify(); }, EBADMSG, {"rp0.bin", "not a regular file"});
}

TEST_F(IpLibHostile, PartialFarLargerThanTheManifestSays) {
  fs::resize_file(ip_dir() / "rp0.bin", uint64_t{256} << 20);  // sparse: costs no disk
  expect_refused([&] { verify(); }, EBADMSG, {"rp0.bin", "268435456 bytes", "more than"});
}

TEST_F(IpLibHostile, SignatureThatIsADevice) {
  link(ip_dir() / "rp0.bin.sig", "/dev/zero");
  expect_refused([&] { verify(); }, EBADMSG, {"signature", "rp0.bin.sig", "not a regular file"});
}

TEST_F(IpLibHostile, SignatureTooLarge) {
  fs::resize_file(ip_dir() / "rp0.bin.sig", uint64_t{1} << 20);
  expect_refused([&] { verify(); }, EBADMSG, {"signature", "rp0.bin.sig", "more than the 65536"});
}

TEST_F(IpLibHostile, JsonFilesThatNeverEnd) {
  link(ip_dir() / "manifest.json", "/dev/zero");
  expect_refused([&] { open(); }, EINVAL, {"manifest.json", "not a regular file"});
  fs::remove(ip_dir() / "manifest.json");
  const fs::path shell = fs::path(lib_dir()) / "shell.json";
  fs::remove(shell);
  ASSERT_EQ(mkfifo(shell.c_str(), 0600), 0);
  expect_refused([&] { open(); }, EINVAL, {"shell.json", "not a regular file"});
}

TEST_F(IpLibHostile, ShellWithHugeRegions) {
  // Manifest and shell agree on regions of 2^20 frames (424 MB partials): still refused.
  const uint64_t frames = uint64_t{1} << 20, bytes = frames * 101 * 4;
  edit_json(fs::path(lib_dir()) / "shell.json", [&](nlohmann::json &j) {
    j["regions"][0]["frames"] = frames;
    j["regions"][0]["partial_bytes"] = bytes;
  });
  edit_json(ip_dir() / "manifest.json",
            [&](nlohmann::json &j) { j["partials"][0]["bytes"] = bytes; });
  expect_refused([&] { open(); }, EINVAL, {"shell.json", "regions[0].frames", "1048576"});
}

}  // namespace
}  // namespace zaccel
