// The IDX reader on files the tests write: good ones, gzip and plain, and each malformed case.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <chrono>
#include <filesystem>

#include "data/idx.h"
#include "test_files.h"
#include "util/error.h"

namespace zaccel {
namespace {

using test::idx_bytes;
using test::write_bytes;
using ::testing::AllOf;
using ::testing::HasSubstr;

std::vector<uint8_t> pixels(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<uint8_t>(i * 7);
  return v;
}

// Expects load_dataset to fail with `err` and a message containing each of `parts`.
template <typename Matcher>
void expect_error(const std::string &images, const std::string &labels, int err, Matcher m) {
  try {
    load_dataset(images, labels);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), err) << e.what();
    EXPECT_THAT(e.what(), m);
  }
}

class IdxTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    gz_ = GetParam();
    images_ = dir_.file(gz_ ? "images.gz" : "images");
    labels_ = dir_.file(gz_ ? "labels.gz" : "labels");
    write_bytes(labels_, idx_bytes({3}, {1, 2, 9}), gz_);
  }
  bool gz_ = false;
  test::TempDir dir_;
  std::string images_, labels_;
};

TEST_P(IdxTest, ReadsGoodFile) {
  write_bytes(images_, idx_bytes({3, 2, 4}, pixels(24)), gz_);
  const Dataset d = load_dataset(images_, labels_);
  EXPECT_EQ(d.count, 3u);
  EXPECT_EQ(d.rows, 2u);
  EXPECT_EQ(d.cols, 4u);
  EXPECT_EQ(d.images, pixels(24));
  EXPECT_EQ(d.labels, (std::vector<uint8_t>{1, 2, 9}));
}

TEST_P(IdxTest, TruncatedData) {
  write_bytes(images_, idx_bytes({3, 2, 4}, pixels(23)), gz_);
  expect_error(images_, labels_, EBADMSG,
               AllOf(HasSubstr(images_), HasSubstr("truncated"), HasSubstr("24"), HasSubstr("23")));
}

TEST_P(IdxTest, TruncatedHeader) {
  write_bytes(images_, {0, 0, 8, 3, 0, 0}, gz_);
  expect_error(images_, labels_, EBADMSG, AllOf(HasSubstr(images_), HasSubstr("truncated header")));
}

TEST_P(IdxTest, WrongMagic) {
  auto b = idx_bytes({3, 2, 4}, pixels(24));
  b[2] = 0x0D;  // float data
  write_bytes(images_, b, gz_);
  expect_error(images_, labels_, EBADMSG, AllOf(HasSubstr(images_), HasSubstr("bad magic")));
}

TEST_P(IdxTest, LabelsFileGivenAsImages) {
  write_bytes(images_, idx_bytes({3}, {1, 2, 3}), gz_);
  expect_error(images_, labels_, EBADMSG, HasSubstr("3 dimensions"));
}

TEST_P(IdxTest, CountMismatch) {
  write_bytes(images_, idx_bytes({4, 2, 4}, pixels(32)), gz_);
  expect_error(images_, labels_, EBADMSG,
               AllOf(HasSubstr("4 images"), HasSubstr("3 labels"), HasSubstr(labels_)));
}

TEST_P(IdxTest, TrailingData) {
  write_bytes(images_, idx_bytes({3, 2, 4}, pixels(25)), gz_);
  expect_error(images_, labels_, EBADMSG, AllOf(HasSubstr(images_), HasSubstr("trailing")));
}

TEST_P(IdxTest, ZeroDimension) {
  write_bytes(images_, idx_bytes({3, 0, 4}, {}), gz_);
  expect_error(images_, labels_, EBADMSG, HasSubstr("dimension 1 is zero"));
}

TEST_P(IdxTest, HugeHeader) {
  write_bytes(images_, idx_bytes({0xFFFFFFFF, 0xFFFFFFFF, 2}, pixels(8)), gz_);
  expect_error(images_, labels_, EFBIG, HasSubstr(images_));
}

// Peak resident memory of the process so far, in KiB.
long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// A 16-byte file whose header declares 2,700,000 images of 28x28 (2.1 GB): refused for what it
// holds, at once and without allocating anything like the size it declares.
TEST_P(IdxTest, HeaderDeclaresMoreThanTheFileHolds) {
  write_bytes(images_, idx_bytes({2700000, 28, 28}, {}), gz_);
  const long rss = peak_rss_kib();
  const auto start = std::chrono::steady_clock::now();
  expect_error(
      images_, labels_, EBADMSG,
      AllOf(HasSubstr(images_), HasSubstr("declares 2700000 images"), HasSubstr("holds 0 bytes")));
  if (!gz_) {
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  }
  EXPECT_LT(peak_rss_kib() - rss, 64 * 1024) << "KiB more at the peak";
}

TEST_P(IdxTest, Garbage) {
  std::vector<uint8_t> junk(1000);
  for (size_t i = 0; i < junk.size(); ++i)
    junk[i] = static_cast<uint8_t>(i * 131 + 17);
  write_bytes(images_, junk, gz_);
  expect_error(images_, labels_, EBADMSG, HasSubstr(images_));
}

INSTANTIATE_TEST_SUITE_P(PlainAndGzip, IdxTest, ::testing::Bool(),
                         [](const auto &p) { return p.param ? "gzip" : "plain"; });

TEST(Idx, CorruptGzipStream) {
  test::TempDir dir;
  const std::string p = dir.file("images.gz");
  write_bytes(p, idx_bytes({3, 2, 4}, pixels(24)), true);
  std::vector<uint8_t> bytes;
  {
    std::ifstream f(p, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), {});
  }
  for (size_t i = 12; i < bytes.size() - 8; ++i)
    bytes[i] ^= 0x5A;  // keep the gzip header
  write_bytes(p, bytes, false);
  try {
    read_idx(p, 3);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), EBADMSG);
    EXPECT_THAT(e.what(), HasSubstr(p));
  }
}

TEST(Idx, MissingFile) {
  try {
    read_idx("/nonexistent/zaccel/images", 3);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), ENOENT);
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/zaccel/images"));
  }
}

TEST(Idx, UnknownSplit) {
  EXPECT_THROW(load_dataset_dir(ZACCEL_DATA_DIR, "validation"), Error);
}

TEST(Idx, FashionMnist) {
  if (!std::filesystem::exists(ZACCEL_DATA_DIR)) GTEST_SKIP() << "no " << ZACCEL_DATA_DIR;
  const Dataset train = load_dataset_dir(ZACCEL_DATA_DIR, "train");
  const Dataset test = load_dataset_dir(ZACCEL_DATA_DIR, "t10k");
  EXPECT_EQ(train.count, 60000u);
  EXPECT_EQ(test.count, 10000u);
  EXPECT_EQ(test.rows, 28u);
  EXPECT_EQ(test.cols, 28u);
  for (uint8_t l : test.labels)
    ASSERT_LT(l, 10);
}

}  // namespace
}  // namespace zaccel
