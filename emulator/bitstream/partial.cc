#include "bitstream/partial.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "ips/resources.h"
#include "util/checked.h"
#include "util/error.h"

namespace zaccel::emu {
namespace {

constexpr uint32_t kPayloadMagic = 0x5A415042;  // "ZAPB"
constexpr uint32_t kFormatVersion = 2;
constexpr uint32_t kNoop = 0x20000000;
constexpr uint32_t kCmdWrite = 0x30008001, kCmdDesync = 0x0000000D;
constexpr uint32_t kPreamble[kPreambleWords] = {
    0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
    0xFFFFFFFF, 0x000000BB, 0x11220044, 0xFFFFFFFF, 0xFFFFFFFF, kSyncWord,  kNoop};
constexpr size_t kSyncOffset = 12 * 4;
constexpr size_t kIdWords = sizeof(drm_zaccel_ip_id) / 4;
// Payload header: magic, version, interface id, slot count; then per IP: id words, weight
// count, bias count, weights (two per word), bias (two words each).
constexpr size_t kHeaderWords = 4;
constexpr size_t kIpHeaderWords = kIdWords + 2;
// Trailer: CRC, then the DESYNC command (two words).
constexpr size_t kTrailerWords = 3;

void put(std::vector<uint8_t> &out, size_t word, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out[word * 4 + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

uint32_t get(const uint8_t *p, size_t word) {
  p += word * 4;
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

uint32_t crc_of(const uint8_t *data, size_t size) {
  const uint8_t *from = data + kSyncOffset;
  const size_t len = size - kSyncOffset - kTrailerWords * 4;
  return static_cast<uint32_t>(crc32(0, from, static_cast<uInt>(len)));
}

uint64_t ip_words(uint64_t nweights, uint64_t nbias) {
  return kIpHeaderWords + (nweights + 1) / 2 + 2 * nbias;
}

}  // namespace

std::vector<uint8_t> build_partial(const PartialContents &c, const RegionDesc &region) {
  if (c.ips.empty() || c.ips.size() > DRM_ZACCEL_MAX_SLOTS) {
    fail(EINVAL, "a partial holds 1 to ", DRM_ZACCEL_MAX_SLOTS, " IPs, not ", c.ips.size());
  }
  const size_t size = host_size(region.partial_bytes());
  const size_t words = size / 4;
  uint64_t need = kPreambleWords + kHeaderWords + kTrailerWords;
  Resources use;
  for (const IpImage &ip : c.ips) {
    need += ip_words(ip.weights.size(), ip.bias.size());
    use = use + ip_resources(ip.id);
  }
  if (need > words) {
    fail(EFBIG, "IPs need ", need * 4, " bytes of configuration, region ", region.name, " holds ",
         size);
  }
  if (!fits(use, region.budget)) {
    fail(EFBIG, "IPs need ", use.dsp, " DSP, ", use.bram18, " BRAM18, ", use.lut, " LUT, ", use.ff,
         " FF; region ", region.name, " has ", region.budget.dsp, ", ", region.budget.bram18, ", ",
         region.budget.lut, ", ", region.budget.ff);
  }
  std::vector<uint8_t> out(size, 0);
  size_t w = 0;
  for (uint32_t v : kPreamble)
    put(out, w++, v);
  put(out, w++, kPayloadMagic);
  put(out, w++, kFormatVersion);
  put(out, w++, c.interface_id);
  put(out, w++, static_cast<uint32_t>(c.ips.size()));
  for (const IpImage &ip : c.ips) {
    uint32_t id[kIdWords];
    std::memcpy(id, &ip.id, sizeof(id));
    for (uint32_t v : id)
      put(out, w++, v);
    put(out, w++, static_cast<uint32_t>(ip.weights.size()));
    put(out, w++, static_cast<uint32_t>(ip.bias.size()));
    for (size_t i = 0; i < ip.weights.size(); i += 2) {
      const uint32_t hi = static_cast<uint16_t>(ip.weights[i]);
      const uint32_t lo = i + 1 < ip.weights.size() ? static_cast<uint16_t>(ip.weights[i + 1]) : 0;
      put(out, w++, hi << 16 | lo);
    }
    for (int64_t b : ip.bias) {
      put(out, w++, static_cast<uint32_t>(static_cast<uint64_t>(b) >> 32));
      put(out, w++, static_cast<uint32_t>(b));
    }
  }
  put(out, words - 2, kCmdWrite);
  put(out, words - 1, kCmdDesync);
  put(out, words - 3, crc_of(out.data(), size));
  return out;
}

void check_partial_header(const uint8_t *data, size_t size, const RegionDesc &region) {
  if (size != region.partial_bytes()) {
    fail(EINVAL, "partial is ", size, " bytes, region ", region.name, " takes ",
         region.partial_bytes());
  }
  if (size / 4 < kPreambleWords + kHeaderWords + kTrailerWords) fail(EBADMSG, "partial too short");
  for (size_t i = 0; i < kPreambleWords; ++i) {
    if (get(data, i) != kPreamble[i]) {
      fail(EBADMSG, "bad bitstream preamble at word ", i, i == 12 ? " (no sync word)" : "");
    }
  }
  size_t w = kPreambleWords;
  if (get(data, w++) != kPayloadMagic) fail(EBADMSG, "no IP descriptor after the sync word");
  if (const uint32_t v = get(data, w++); v != kFormatVersion) {
    fail(EBADMSG, "unknown partial format version ", v);
  }
  if (const uint32_t iface = get(data, w++); iface != region.interface_id) {
    fail(ENODEV, "partial targets interface 0x", std::hex, iface, ", region ", region.name,
         " is 0x", region.interface_id);
  }
  if (const uint32_t n = get(data, w); n == 0 || n > DRM_ZACCEL_MAX_SLOTS) {
    fail(EBADMSG, "partial declares ", n, " IPs");
  }
}

PartialContents parse_partial(const uint8_t *data, size_t size, const RegionDesc &region) {
  check_partial_header(data, size, region);
  const size_t words = size / 4;
  if (get(data, words - 2) != kCmdWrite || get(data, words - 1) != kCmdDesync) {
    fail(EBADMSG, "bitstream does not end with DESYNC");
  }
  if (const uint32_t crc = crc_of(data, size); crc != get(data, words - 3)) {
    fail(EBADMSG, "bitstream CRC mismatch");
  }
  size_t w = kPreambleWords + 2;
  PartialContents c;
  c.interface_id = get(data, w++);
  c.ips.resize(get(data, w++));
  uint64_t left = words - w - kTrailerWords;
  for (IpImage &ip : c.ips) {
    if (left < kIpHeaderWords) fail(EBADMSG, "IP descriptors run past the partial");
    uint32_t id[kIdWords];
    for (uint32_t &v : id)
      v = get(data, w++);
    std::memcpy(&ip.id, id, sizeof(id));
    const uint32_t nweights = get(data, w++), nbias = get(data, w++);
    if (ip_words(nweights, nbias) > left) {
      fail(EBADMSG, "IP descriptor declares more weights than the partial holds");
    }
    left -= ip_words(nweights, nbias);
    ip.weights.resize(nweights);
    for (size_t i = 0; i < nweights; i += 2) {
      const uint32_t v = get(data, w++);
      ip.weights[i] = static_cast<int16_t>(v >> 16);
      if (i + 1 < nweights) ip.weights[i + 1] = static_cast<int16_t>(v & 0xFFFF);
    }
    ip.bias.resize(nbias);
    for (int64_t &b : ip.bias) {
      const uint64_t hi = get(data, w), lo = get(data, w + 1);
      w += 2;
      b = static_cast<int64_t>(hi << 32 | lo);
    }
  }
  return c;
}

}  // namespace zaccel::emu
