// IP libraries through the C API: built from specs, listed, verified, loaded; and every kind
// of bad library input refused with its errno before anything reaches the device, which
// stays usable.
#include <accel/accel.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sized.h"
#include "zaccel_drm.h"

namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> read(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const fs::path &p, const std::vector<uint8_t> &data) {
  std::ofstream(p, std::ios::binary)
      .write(reinterpret_cast<const char *>(data.data()),
             static_cast<std::streamsize>(data.size()));
}

nlohmann::json read_json(const fs::path &p) {
  return nlohmann::json::parse(std::ifstream(p));
}

void write_json(const fs::path &p, const nlohmann::json &j) {
  std::ofstream(p) << j.dump(2);
}

/// Writes a new Ed25519 key pair as PEM files.
void make_key(const fs::path &priv, const fs::path &pub) {
  EVP_PKEY *k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  ASSERT_NE(k, nullptr);
  FILE *f = std::fopen(priv.c_str(), "w");
  ASSERT_EQ(PEM_write_PrivateKey(f, k, nullptr, nullptr, 0, nullptr, nullptr), 1);
  std::fclose(f);
  f = std::fopen(pub.c_str(), "w");
  ASSERT_EQ(PEM_write_PUBKEY(f, k), 1);
  std::fclose(f);
  EVP_PKEY_free(k);
}

class IpLib : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(accel_ctx_new(&ctx_), 0);
    accel_ctx_set_log_fn(ctx_, nullptr, nullptr);
    accel_model *m = nullptr;
    ASSERT_EQ(accel_model_open_onnx(ctx_, ZACCEL_MODEL_DIR "/model.onnx", &m), 0);
    accel_dataset *test = nullptr;
    ASSERT_EQ(accel_dataset_open_dir(ctx_, ZACCEL_DATA_DIR, "t10k", &test), 0);
    accel_quant_opts *o = nullptr;
    ASSERT_EQ(accel_quant_opts_new(ctx_, &o), 0);
    ASSERT_EQ(accel_quant_opts_set_calibration(o, test, 100), 0);
    ASSERT_EQ(accel_model_quantize(m, o, &q_), 0);
    input_.resize(4 * 784);
    ASSERT_EQ(accel_dataset_get_input(test, 0, 4, input_.data()), 0);
    accel_quant_opts_unref(o);
    accel_dataset_unref(test);
    accel_model_unref(m);
  }
  static void TearDownTestSuite() {
    accel_qmodel_unref(q_);
    accel_ctx_unref(ctx_);
  }

  void SetUp() override {
    ASSERT_TRUE(fs::exists(ZACCEL_DATA_DIR)) << "no " << ZACCEL_DATA_DIR;
    char tmpl[] = "/tmp/zaccel-iplib-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    ASSERT_EQ(accel_device_open(ctx_, "emu:pynq-z2", &dev_), 0);
    write_json(tmp_ / "spec.json",
               {{"schema", "zaccel-ipspec/1"},
                {"board", "pynq-z2"},
                {"ips",
                 {{{"name", "conv1"}, {"layer", "conv1"}, {"lanes", 26}},
                  {{"name", "conv1_a"}, {"layer", "conv1"}, {"out_channels", {0, 4}}},
                  {{"name", "conv1_b"}, {"layer", "conv1"}, {"out_channels", {4, 6}}},
                  {{"name", "fc1"}, {"layer", "fc1"}, {"weights", "streamed"}}}}});
  }
  void TearDown() override {
    accel_lib_unref(lib_);
    accel_device_unref(dev_);
    fs::remove_all(tmp_);
  }

  /// Builds the library (signed with `key` if not empty) and opens it.
  void build(const std::string &key = "") {
    ASSERT_EQ(accel_lib_build(q_, dev_, (tmp_ / "spec.json").c_str(), dir().c_str(),
                              key.empty() ? nullptr : key.c_str()),
              4);
    reopen(0);
  }
  /// Reopens the library after a change, expecting `err` (0 or a negative errno).
  void reopen(int err) {
    lib_ = accel_lib_unref(lib_);
    ASSERT_EQ(accel_lib_open(ctx_, dir().c_str(), &lib_), err);
  }
  fs::path dir() const { return tmp_ / "lib"; }
  int ip(const char *name) const { return accel_lib_find(lib_, name); }
  /// Edits IP `name`'s manifest.
  template <typename F>
  void edit(const char *name, F &&f) {
    nlohmann::json j = read_json(dir() / name / "manifest.json");
    f(j);
    write_json(dir() / name / "manifest.json", j);
  }

  /// Loads IP `name` into `region` and waits: 0 or the load's -errno.
  int load(const char *name, uint32_t region, uint32_t flags = 0, const char *key = nullptr) {
    accel_fence *f = nullptr;
    EXPECT_EQ(accel_fence_new(dev_, &f), 0);
    const int err = accel_lib_load(lib_, static_cast<uint32_t>(ip(name)), dev_, region, key, flags,
                                   nullptr, 0, f);
    if (err == 0) {
      EXPECT_EQ(accel_fence_wait(f, 5000), 0);
    }
    accel_fence_unref(f);
    return err;
  }
  /// The region is operating and holds IP `name`.
  void expect_holds(uint32_t region, const char *name) {
    auto info = sized<accel_region_info>();
    ASSERT_EQ(accel_device_region_info(dev_, region, 0, &info), 0);
    EXPECT_EQ(info.state, uint32_t{DRM_ZACCEL_STATE_OPERATING});
    auto want = sized<accel_lib_ip>();
    ASSERT_EQ(accel_lib_get_ip(lib_, static_cast<uint32_t>(ip(name)), &want), 0);
    EXPECT_EQ(std::memcmp(&info.loaded, &want.id, sizeof(want.id)), 0) << name;
  }

  static accel_ctx *ctx_;
  static accel_qmodel *q_;
  static std::vector<float> input_;
  fs::path tmp_;
  accel_device *dev_ = nullptr;
  accel_lib *lib_ = nullptr;
};

accel_ctx *IpLib::ctx_ = nullptr;
accel_qmodel *IpLib::q_ = nullptr;
std::vector<float> IpLib::input_;

TEST_F(IpLib, BuildListVerifyLoad) {
  build();
  EXPECT_STREQ(accel_lib_board(lib_), "pynq-z2");
  EXPECT_EQ(accel_lib_num_regions(lib_), 2);
  ASSERT_EQ(accel_lib_num_ips(lib_), 4);
  auto a = sized<accel_lib_ip>();
  ASSERT_EQ(accel_lib_get_ip(lib_, static_cast<uint32_t>(ip("conv1_a")), &a), 0);
  EXPECT_STREQ(a.layer, "conv1");
  EXPECT_EQ(a.out_lo, 0u);
  EXPECT_EQ(a.out_hi, 4u);
  EXPECT_EQ(a.id.out_c, 4u);
  EXPECT_EQ(a.regions, 3u) << "fits both regions";
  EXPECT_EQ(a.signed_regions, 0u);
  EXPECT_EQ(ip("nope"), -ENOENT);
  EXPECT_EQ(accel_lib_check_device(lib_, dev_), 0);
  for (int i = 0; i < 4; ++i) {
    for (uint32_t r = 0; r < 2; ++r)
      EXPECT_EQ(accel_lib_verify(lib_, static_cast<uint32_t>(i), r, nullptr, 0), 0);
  }
  EXPECT_EQ(accel_lib_verify(lib_, 0, 0, nullptr, 2), -EINVAL) << "unknown flag";
  EXPECT_EQ(accel_lib_verify(lib_, 9, 0, nullptr, 0), -EINVAL) << "no IP 9";
  EXPECT_EQ(accel_lib_verify(lib_, 0, 2, nullptr, 0), -ENOENT) << "no partial for region 2";
  ASSERT_EQ(load("conv1_a", 0), 0);
  expect_holds(0, "conv1_a");
  ASSERT_EQ(load("fc1", 1), 0);
  expect_holds(1, "fc1");
  EXPECT_EQ(accel_lib_build(q_, dev_, (tmp_ / "spec.json").c_str(), dir().c_str(), nullptr),
            -EEXIST)
      << "never over an existing library";
}

TEST_F(IpLib, BadPartialsNeverReachTheDevice) {
  build();
  ASSERT_EQ(load("conv1", 0), 0);
  const fs::path a = dir() / "conv1_a" / "rp0.bin";
  const std::vector<uint8_t> good = read(a);
  const auto set_hash = [&](const std::vector<uint8_t> &bits) {
    unsigned char md[32];
    unsigned len = 0;
    EVP_Digest(bits.data(), bits.size(), md, &len, EVP_sha256(), nullptr);
    std::string hex;
    char b[3];
    for (unsigned i = 0; i < len; ++i) {
      std::snprintf(b, sizeof(b), "%02x", md[i]);
      hex += b;
    }
    edit("conv1_a", [&](nlohmann::json &j) { j["partials"][0]["sha256"] = hex; });
    reopen(0);
  };
  const auto expect_refused = [&](int err, const char *what) {
    EXPECT_EQ(accel_lib_verify(lib_, static_cast<uint32_t>(ip("conv1_a")), 0, nullptr, 0), err)
        << what;
    EXPECT_EQ(load("conv1_a", 0), err) << what;
    expect_holds(0, "conv1");
  };
  std::vector<uint8_t> bad = good;
  bad[bad.size() / 2] ^= 1;
  write(a, bad);
  expect_refused(-EBADMSG, "a flipped bit: hash");
  write(a, {good.begin(), good.begin() + 1000});
  expect_refused(-EBADMSG, "truncated");
  bad = good;
  bad.push_back(0);
  write(a, bad);
  expect_refused(-EBADMSG, "a byte too many");
  fs::remove(a);
  expect_refused(-ENOENT, "missing");
  // Hashes that match what is there, so that the checks behind the hash are reached.
  bad = read(dir() / "conv1_a" / "rp1.bin");
  write(a, bad);
  set_hash(bad);
  expect_refused(-ENODEV, "region 1's partial as region 0's");
  bad = good;
  bad[14 * 4] ^= 0xff;  // the sync word
  write(a, bad);
  set_hash(bad);
  expect_refused(-EBADMSG, "corrupt header");
  bad = read(dir() / "conv1_b" / "rp0.bin");
  write(a, bad);
  set_hash(bad);
  expect_refused(-EBADMSG, "another IP's partial: identity not the manifest's");
  write(a, good);
  set_hash(good);
  ASSERT_EQ(load("conv1_a", 0), 0) << "the region is usable";
  expect_holds(0, "conv1_a");
}

TEST_F(IpLib, Signatures) {
  make_key(tmp_ / "key.pem", tmp_ / "pub.pem");
  make_key(tmp_ / "other.pem", tmp_ / "other-pub.pem");
  build((tmp_ / "key.pem").string());
  auto a = sized<accel_lib_ip>();
  ASSERT_EQ(accel_lib_get_ip(lib_, 0, &a), 0);
  EXPECT_EQ(a.signed_regions, 3u);
  const std::string pub = (tmp_ / "pub.pem").string(), other = (tmp_ / "other-pub.pem").string();
  EXPECT_EQ(accel_lib_verify(lib_, 0, 0, pub.c_str(), ACCEL_LIB_REQUIRE_SIGNED), 0);
  EXPECT_EQ(accel_lib_verify(lib_, 0, 0, other.c_str(), 0), -EKEYREJECTED);
  EXPECT_EQ(accel_lib_verify(lib_, 0, 0, nullptr, ACCEL_LIB_REQUIRE_SIGNED), -EPERM)
      << "no trusted key";
  EXPECT_EQ(accel_lib_verify(lib_, 0, 0, "/nonexistent.pem", 0), -ENOENT);
  EXPECT_EQ(load("conv1", 0, ACCEL_LIB_REQUIRE_SIGNED, pub.c_str()), 0);
  // A partial changed and rehashed by someone without the key.
  fs::remove(dir() / "conv1" / "rp0.bin.sig");
  EXPECT_EQ(accel_lib_verify(lib_, 0, 0, pub.c_str(), 0), -ENOENT) << "signature file gone";
  edit("conv1", [](nlohmann::json &j) { j["partials"][0].erase("signature"); });
  reopen(0);
  EXPECT_EQ(accel_lib_verify(lib_, 0, 0, pub.c_str(), ACCEL_LIB_REQUIRE_SIGNED), -EPERM)
      << "unsigned";
  EXPECT_EQ(accel_lib_verify(lib_, 0, 0, pub.c_str(), 0), 0) << "unsigned, not required";
}

TEST_F(IpLib, BadManifestsAndShells) {
  build();
  const auto refused = [&](const char *what, auto &&change) {
    const nlohmann::json keep = read_json(dir() / "conv1_a" / "manifest.json");
    edit("conv1_a", change);
    reopen(-EINVAL);
    EXPECT_EQ(lib_, nullptr) << what;
    write_json(dir() / "conv1_a" / "manifest.json", keep);
  };
  refused("no hash", [](nlohmann::json &j) { j["partials"][0].erase("sha256"); });
  refused("no identity", [](nlohmann::json &j) { j.erase("ip"); });
  refused("bytes not the region's", [](nlohmann::json &j) { j["partials"][0]["bytes"] = 1000; });
  refused("interface of the other region",
          [](nlohmann::json &j) { j["partials"][0]["interface_id"] = "0x5a520002"; });
  refused("a region the shell lacks", [](nlohmann::json &j) { j["partials"][0]["region"] = 5; });
  refused("a region twice", [](nlohmann::json &j) { j["partials"][1]["region"] = 0; });
  refused("output dims against window", [](nlohmann::json &j) { j["ip"]["output"][1] = 20; });
  refused("resources not the identity's", [](nlohmann::json &j) { j["resources"]["dsp"] = 1; });
  refused("latency not the identity's",
          [](nlohmann::json &j) { j["latency"]["cycles_per_image"] = 1; });
  refused("channels not out_c", [](nlohmann::json &j) { j["source"]["out_channels"][1] = 5; });
  refused("embedded weights without their digest",
          [](nlohmann::json &j) { j["source"].erase("weights_sha256"); });
  refused("a weights digest not in hex",
          [](nlohmann::json &j) { j["source"]["weights_sha256"] = std::string(64, 'z'); });
  refused("a pool weight mode on a conv",
          [](nlohmann::json &j) { j["ip"]["weight_mode"] = "none"; });
  refused("a file outside the IP",
          [](nlohmann::json &j) { j["partials"][0]["file"] = "../x.bin"; });
  refused("name not the directory's", [](nlohmann::json &j) { j["name"] = "conv1_b"; });
  refused("unknown flag", [](nlohmann::json &j) { j["ip"]["flags"] = {"relu", "turbo"}; });
  refused("groups that do not divide the channels",
          [](nlohmann::json &j) { j["ip"]["groups"] = 3; });
  refused("zero groups", [](nlohmann::json &j) { j["ip"]["groups"] = 0; });
  refused("a dilation whose window the output disagrees with", [](nlohmann::json &j) {
    j["ip"]["dilation"] = {2, 2};
  });
  refused("a zero dilation", [](nlohmann::json &j) { j["ip"]["dilation"] = {0, 1}; });
  refused("unknown activation", [](nlohmann::json &j) { j["ip"]["activation"] = "swish"; });
  refused("an activation with ReLU", [](nlohmann::json &j) { j["ip"]["activation"] = "tanh"; });
  std::ofstream(dir() / "conv1_a" / "manifest.json") << "{ not json";
  reopen(-EINVAL);
  // shell.json: a third region the overlay lacks, and a region whose interface differs.
  nlohmann::json shell = read_json(dir() / "shell.json");
  const nlohmann::json keep = shell;
  fs::remove_all(dir() / "conv1_a");
  shell["regions"].push_back(shell["regions"][1]);
  shell["regions"][2]["index"] = 2;
  shell["regions"][2]["name"] = "rp2";
  write_json(dir() / "shell.json", shell);
  reopen(0);
  EXPECT_EQ(accel_lib_check_device(lib_, dev_), -ENODEV);
  EXPECT_EQ(load("conv1", 0), -ENODEV) << "the shell is not the device's";
  shell = keep;
  shell["regions"][0]["interface_id"] = "0x12345678";
  write_json(dir() / "shell.json", shell);
  reopen(-EINVAL);  // the manifests' interface IDs now contradict the shell
  fs::remove(dir() / "shell.json");
  reopen(-ENOENT);
}

TEST_F(IpLib, SplitIpsConcatenateToTheWholeLayer) {
  // conv1 whole, and its filters 0-3 and 4-5 as two IPs: the two outputs, channel after
  // channel, are the whole IP's, bit for bit.
  build();
  ASSERT_EQ(load("conv1", 0), 0);
  ASSERT_EQ(load("conv1_a", 1), 0);
  accel_bo *in = nullptr, *out = nullptr;
  constexpr uint32_t kImages = 4, kPlane = 28 * 28;
  ASSERT_EQ(accel_bo_new(dev_, kImages * kPlane * 2, DRM_ZACCEL_BO_WRITE_COMBINED, &in), 0);
  ASSERT_EQ(accel_bo_new(dev_, 3 * kImages * 6 * kPlane * 2, DRM_ZACCEL_BO_WRITE_COMBINED, &out),
            0);
  auto *px = static_cast<int16_t *>(accel_bo_map(in));
  for (uint32_t i = 0; i < kImages * kPlane; ++i)
    px[i] = static_cast<int16_t>(input_[i] * 255);  // any input will do: the IPs must agree
  const uint64_t whole = kImages * 6 * kPlane * 2;
  const auto run = [&](uint32_t region, uint64_t offset, uint64_t size) {
    accel_arg args[2] = {{in, 0, kImages * kPlane * 2, DRM_ZACCEL_ARG_READ, 0},
                         {out, offset, size, DRM_ZACCEL_ARG_WRITE, 0}};
    const uint32_t regs[2] = {kImages, 8};
    accel_fence *f = nullptr;
    ASSERT_EQ(accel_fence_new(dev_, &f), 0);
    ASSERT_EQ(accel_device_submit(dev_, region, 0, args, 2, regs, 2, nullptr, 0, f), 0);
    ASSERT_EQ(accel_fence_wait(f, 5000), 0);
    accel_fence_unref(f);
  };
  run(0, 0, whole);
  run(1, whole, kImages * 4 * kPlane * 2);
  ASSERT_EQ(load("conv1_b", 1), 0);
  run(1, whole + kImages * 4 * kPlane * 2, kImages * 2 * kPlane * 2);
  ASSERT_EQ(accel_bo_sync_for_cpu(out, DRM_ZACCEL_PREP_READ, 5000), 0);
  const auto *o = static_cast<const int16_t *>(accel_bo_map(out));
  const int16_t *a = o + whole / 2, *b = a + kImages * 4 * kPlane;
  for (uint32_t img = 0; img < kImages; ++img) {
    const int16_t *w = o + img * 6 * kPlane;
    EXPECT_EQ(std::vector<int16_t>(w, w + 4 * kPlane),
              std::vector<int16_t>(a + img * 4 * kPlane, a + (img + 1) * 4 * kPlane));
    EXPECT_EQ(std::vector<int16_t>(w + 4 * kPlane, w + 6 * kPlane),
              std::vector<int16_t>(b + img * 2 * kPlane, b + (img + 1) * 2 * kPlane));
  }
  accel_bo_unref(in);
  accel_bo_unref(out);
}

}  // namespace
