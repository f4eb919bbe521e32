// The emulator's board description, read from the PYNQ-Z2 overlay in dts/, and clear errors
// for malformed trees (compiled here with dtc from variants of a small overlay).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "fabric/board.h"
#include "test_files.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

using ::testing::HasSubstr;

const std::string kOverlay = ZACCEL_DTBO_DIR "/pynq-z2-zaccel.dtbo";

std::vector<uint8_t> read_all(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

// A one-region overlay; `region` and `shell` are extra properties for those nodes.
std::string small_dts(const std::string &region, const std::string &shell) {
  return R"(/dts-v1/;
/plugin/;
&{/} {
  pool: pool { size = <0x100000>; };
  dec: decoupler@1000 { compatible = "xlnx,pr-decoupler"; reg = <0x1000 0x100>; };
  rp: region { compatible = "fpga-region"; partial-fpga-config; )" +
         region + R"( };
  shell { compatible = "zaccel,shell-1.0"; reg = <0x2000 0x100>; interrupts = <0 7 4>;
          memory-region = <&pool>; fpga-regions = <&rp>; assigned-clock-rates = <50000000>;
          zaccel,pcap-bytes-per-second = <1000>; zaccel,ddr-bytes-per-second = <2000>;
          zaccel,hp-port-bytes-per-second = <3000>; zaccel,hp-ports = <1>;
          zaccel,resources = <1 2 3 4>; )" +
         shell + R"( };
};
)";
}

const std::string kGoodRegion =
    "fpga-bridges = <&dec>; zaccel,frames = <10>; zaccel,interface-id = <5>; "
    "zaccel,resources = <1 2 3 4>;";

class BoardDts : public ::testing::Test {
 protected:
  // Compiles `dts` with dtc and parses the result (Error propagates).
  BoardDesc compile_and_load(const std::string &dts) {
    const std::string src = dir_.file("t.dts"), bin = dir_.file("t.dtbo");
    std::ofstream(src) << dts;
    const std::string cmd = "dtc -@ -q -I dts -O dtb -o " + bin + " " + src;
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return load_board(bin);
  }
  void expect_error(const std::string &dts, int err, const std::string &msg) {
    try {
      compile_and_load(dts);
      FAIL() << "no error";
    } catch (const Error &e) {
      EXPECT_EQ(e.err(), err) << e.what();
      EXPECT_THAT(e.what(), HasSubstr(msg));
    }
  }
  test::TempDir dir_;
};

TEST(Board, PynqZ2Overlay) {
  const BoardDesc b = load_board(kOverlay);
  EXPECT_EQ(b.model, "PYNQ-Z2 (XC7Z020)");
  EXPECT_EQ(b.pl_clock_hz, 100'000'000u);
  EXPECT_EQ(b.pcap_bytes_per_s, 145'000'000u);
  EXPECT_EQ(b.ddr_bytes_per_s, 2'100'000'000u);
  EXPECT_EQ(b.hp_port_bytes_per_s, 1'200'000'000u);
  EXPECT_EQ(b.hp_ports, 4u);
  EXPECT_EQ(b.pool_bytes, 128u << 20);
  EXPECT_EQ(b.budget.dsp, 220u);
  EXPECT_EQ(b.budget.bram18, 280u);
  ASSERT_EQ(b.regions.size(), 2u);
  EXPECT_EQ(b.regions[0].name, "fpga-region-rp0");
  EXPECT_EQ(b.regions[0].frames, 1800u);
  EXPECT_EQ(b.regions[0].partial_bytes(), 1800u * 101 * 4);
  EXPECT_EQ(b.regions[0].interface_id, 0x5a520001u);
  EXPECT_EQ(b.regions[1].interface_id, 0x5a520002u);
  EXPECT_EQ(b.regions[0].reg_base, 0x43c20000u);
  EXPECT_EQ(b.regions[1].reg_base, 0x43c30000u);
  EXPECT_EQ(b.regions[0].decoupler_base, 0x43c00000u);
  EXPECT_EQ(b.regions[1].decoupler_base, 0x43c10000u);
  EXPECT_EQ(b.regions[0].irq, 29u);
  EXPECT_EQ(b.regions[1].irq, 30u);
  EXPECT_EQ(b.regions[0].freeze_timeout_us, 1000u);
  EXPECT_EQ(b.regions[0].hp_ports, 2u);
  EXPECT_EQ(b.regions[1].hp_ports, 2u);
}

void expect_parse_error(const std::vector<uint8_t> &bytes, int err, const std::string &msg) {
  try {
    parse_board(bytes.data(), bytes.size(), "test.dtbo");
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), err) << e.what();
    EXPECT_THAT(e.what(), HasSubstr(msg));
  }
}

TEST(Board, Garbage) {
  expect_parse_error(std::vector<uint8_t>(256, 0x5A), EBADMSG, "bad magic");
}

TEST(Board, Truncated) {
  auto bytes = read_all(kOverlay);
  bytes.resize(bytes.size() / 2);
  expect_parse_error(bytes, EBADMSG, "truncated");
}

TEST(Board, CorruptStructure) {
  auto bytes = read_all(kOverlay);
  for (size_t i = 64; i < 200; ++i)
    bytes[i] = 0xFF;  // inside the structure block
  EXPECT_THROW(parse_board(bytes.data(), bytes.size(), "bad.dtbo"), Error);
}

TEST(Board, MissingFile) {
  EXPECT_THROW(load_board("/nonexistent/board.dtbo"), Error);
}

TEST_F(BoardDts, SmallOverlay) {
  const BoardDesc b = compile_and_load(small_dts(kGoodRegion, ""));
  ASSERT_EQ(b.regions.size(), 1u);
  EXPECT_EQ(b.pl_clock_hz, 50'000'000u);
  EXPECT_EQ(b.regions[0].irq, 7u);
  EXPECT_EQ(b.regions[0].decoupler_base, 0x1000u);
  EXPECT_EQ(b.regions[0].hp_ports, 1u);  // the default
}

TEST_F(BoardDts, RegionsUseMoreHpPortsThanThePsHas) {
  expect_error(small_dts(kGoodRegion + " zaccel,hp-ports = <2>;", ""), EINVAL,
               "the regions use 2 HP ports, the PS has 1");
  expect_error(small_dts(kGoodRegion + " zaccel,hp-ports = <0>;", ""), EINVAL,
               "zaccel,hp-ports: must not be zero");
}

TEST_F(BoardDts, NoShell) {
  std::string dts = small_dts(kGoodRegion, "");
  dts.replace(dts.find("zaccel,shell-1.0"), 16, "other,thing");
  expect_error(dts, EINVAL, "no node compatible");
}

TEST_F(BoardDts, ZeroFrames) {
  expect_error(small_dts("fpga-bridges = <&dec>; zaccel,frames = <0>; zaccel,interface-id = <5>; "
                         "zaccel,resources = <1 2 3 4>;",
                         ""),
               EINVAL, "zaccel,frames: must not be zero");
}

TEST_F(BoardDts, NoDecoupler) {
  expect_error(
      small_dts("zaccel,frames = <10>; zaccel,interface-id = <5>; zaccel,resources = <1 2 3 4>;",
                ""),
      EINVAL, "fpga-bridges");
}

TEST_F(BoardDts, BridgeIsNotADecoupler) {
  expect_error(small_dts("fpga-bridges = <&pool>; zaccel,frames = <10>; zaccel,interface-id = <5>; "
                         "zaccel,resources = <1 2 3 4>;",
                         ""),
               EINVAL, "not an xlnx,pr-decoupler");
}

TEST_F(BoardDts, FewerInterruptsThanRegions) {
  std::string dts = small_dts(kGoodRegion, "");
  dts.replace(dts.find("interrupts = <0 7 4>;"), 21, "interrupts = <0 7>;");
  expect_error(dts, EINVAL, "interrupts");
}

TEST_F(BoardDts, BadResources) {
  expect_error(small_dts("fpga-bridges = <&dec>; zaccel,frames = <10>; zaccel,interface-id = <5>; "
                         "zaccel,resources = <1 2>;",
                         ""),
               EINVAL, "zaccel,resources");
}

}  // namespace
}  // namespace zaccel::emu
