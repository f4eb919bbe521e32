// Synthetic partial bitstreams: round trip, exact size, and each fault the runtime must catch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include "bitstream/partial.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

using ::testing::HasSubstr;

RegionDesc region(uint32_t interface_id = 0x5a520001) {
  RegionDesc r;
  r.name = "rp0";
  r.frames = 40;
  r.interface_id = interface_id;
  r.budget = {80, 100, 16000, 32000};
  return r;
}

PartialContents contents() {
  IpImage ip;
  ip.id.magic = ZACCEL_IP_MAGIC;
  ip.id.kind = DRM_ZACCEL_IP_CONV;
  ip.id.in_c = 1;
  ip.id.out_c = 6;
  ip.id.weight_mode = DRM_ZACCEL_WEIGHTS_EMBEDDED;
  ip.weights = {1, -2, 32767, -32768, 5};
  ip.bias = {-1, int64_t{1} << 40};
  return {0x5a520001, {ip}};
}

void expect_error(const std::vector<uint8_t> &bytes, const RegionDesc &r, int err,
                  const std::string &msg) {
  try {
    parse_partial(bytes.data(), bytes.size(), r);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), err) << e.what();
    EXPECT_THAT(e.what(), HasSubstr(msg));
  }
}

// Rewrites the CRC word so that a deliberate payload change is not caught by it.
void fix_crc(std::vector<uint8_t> &b) {
  const size_t from = 12 * 4, len = b.size() - from - 12;
  const auto crc = static_cast<uint32_t>(crc32(0, b.data() + from, static_cast<uInt>(len)));
  for (int i = 0; i < 4; ++i)
    b[b.size() - 12 + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
}

TEST(Partial, RoundTripAtRegionSize) {
  const auto bytes = build_partial(contents(), region());
  EXPECT_EQ(bytes.size(), 40u * 101 * 4);
  const uint8_t sync[] = {0xAA, 0x99, 0x55, 0x66};
  EXPECT_TRUE(std::equal(sync, sync + 4, bytes.begin() + 48));
  const PartialContents c = parse_partial(bytes.data(), bytes.size(), region());
  EXPECT_EQ(c.interface_id, 0x5a520001u);
  ASSERT_EQ(c.ips.size(), 1u);
  EXPECT_EQ(c.ips[0].id.kind, static_cast<uint32_t>(DRM_ZACCEL_IP_CONV));
  EXPECT_EQ(c.ips[0].id.out_c, 6u);
  EXPECT_EQ(c.ips[0].weights, contents().ips[0].weights);
  EXPECT_EQ(c.ips[0].bias, contents().ips[0].bias);
}

TEST(Partial, SeveralIps) {
  PartialContents in = contents();
  in.ips.push_back(in.ips[0]);
  in.ips[1].id.out_c = 3;
  in.ips[1].weights = {7};
  const auto bytes = build_partial(in, region());
  const PartialContents c = parse_partial(bytes.data(), bytes.size(), region());
  ASSERT_EQ(c.ips.size(), 2u);
  EXPECT_EQ(c.ips[1].id.out_c, 3u);
  EXPECT_EQ(c.ips[1].weights, std::vector<int16_t>{7});
  EXPECT_EQ(c.ips[0].weights, in.ips[0].weights);
  in.ips.assign(DRM_ZACCEL_MAX_SLOTS + 1, in.ips[0]);
  EXPECT_THROW(build_partial(in, region()), Error) << "more IPs than slots";
  in.ips.clear();
  EXPECT_THROW(build_partial(in, region()), Error) << "no IP";
}

TEST(Partial, SlotCountOutOfRange) {
  auto bytes = build_partial(contents(), region());
  bytes[17 * 4 + 3] = 0;  // the slot count word, after preamble, magic, version, interface
  fix_crc(bytes);
  expect_error(bytes, region(), EBADMSG, "declares 0 IPs");
}

TEST(Partial, CorruptPayloadFailsCrc) {
  auto bytes = build_partial(contents(), region());
  bytes[200] ^= 1;
  expect_error(bytes, region(), EBADMSG, "CRC");
}

TEST(Partial, NoSyncWord) {
  auto bytes = build_partial(contents(), region());
  bytes[48] = 0;
  expect_error(bytes, region(), EBADMSG, "no sync word");
}

TEST(Partial, Truncated) {
  auto bytes = build_partial(contents(), region());
  bytes.resize(bytes.size() - 404);
  expect_error(bytes, region(), EINVAL, "takes 16160");
}

TEST(Partial, OtherRegion) {
  const auto bytes = build_partial(contents(), region());
  expect_error(bytes, region(0x5a520002), ENODEV, "interface 0x5a520001");
}

TEST(Partial, MissingDesync) {
  auto bytes = build_partial(contents(), region());
  bytes.back() = 0;
  expect_error(bytes, region(), EBADMSG, "DESYNC");
}

TEST(Partial, DescriptorClaimsTooManyWeights) {
  auto bytes = build_partial(contents(), region());
  // preamble, magic/version/interface/slots, identity
  const size_t count_word = 14 + 4 + 16;
  for (size_t i = 0; i < 4; ++i)
    bytes[count_word * 4 + i] = 0xFF;
  fix_crc(bytes);
  expect_error(bytes, region(), EBADMSG, "more weights");
}

TEST(Partial, ContentsLargerThanRegion) {
  PartialContents c = contents();
  c.ips[0].weights.assign(40 * 101 * 2, 1);
  try {
    build_partial(c, region());
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), EFBIG);
  }
}

}  // namespace
}  // namespace zaccel::emu
