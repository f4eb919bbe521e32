#include "data/idx.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "util/error.h"

namespace zaccel {
namespace {

constexpr uint8_t kTypeUbyte = 0x08;
constexpr uint64_t kMaxBytes = uint64_t{1} << 31;  // far above any MNIST-format set
constexpr size_t kChunk = size_t{1} << 20;         // compressed data is read this much at a time

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// Reads up to `len` bytes; returns how many were read, throws on a stream error.
size_t read_some(gzFile f, const std::string &path, void *buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(len - done, 1u << 30));
    const int got = gzread(f, static_cast<char *>(buf) + done, chunk);
    if (got < 0) {
      int zerr = 0;
      const char *msg = gzerror(f, &zerr);
      fail(EBADMSG, path, ": corrupt compressed stream: ", msg ? msg : "unknown error");
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

uint32_t be32(const uint8_t *p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

std::string split_file(const std::string &dir, const std::string &split, const char *kind) {
  const std::string base = dir + "/" + split + "-" + kind + "-ubyte";
  return std::filesystem::exists(base + ".gz") || !std::filesystem::exists(base) ? base + ".gz"
                                                                                 : base;
}

}  // namespace

IdxArray read_idx(const std::string &path, uint32_t ndims) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(errno, path, ": cannot open: ", std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    fail(EIO, path, ": cannot stat: ", std::strerror(err));
  }
  GzFile f(gzdopen(fd, "rb"));
  if (!f) {
    ::close(fd);
    fail(ENOMEM, path, ": cannot open: out of memory");
  }

  uint8_t magic[4];
  if (read_some(f.get(), path, magic, 4) != 4) fail(EBADMSG, path, ": truncated header");
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != kTypeUbyte || magic[3] != ndims) {
    fail(EBADMSG, path, ": bad magic 0x", std::hex, be32(magic), ", expected 0x", 0x800u | ndims,
         " (unsigned byte IDX with ", std::dec, ndims, " dimensions)");
  }
  IdxArray a;
  uint64_t total = 1;  // below 2^31 before each product, so a product of 32-bit dims fits
  for (uint32_t i = 0; i < ndims; ++i) {
    uint8_t d[4];
    if (read_some(f.get(), path, d, 4) != 4) fail(EBADMSG, path, ": truncated header");
    const uint32_t dim = be32(d);
    if (dim == 0) fail(EBADMSG, path, ": dimension ", i, " is zero");
    total *= dim;
    if (total > kMaxBytes) fail(EFBIG, path, ": header declares more than ", kMaxBytes, " bytes");
    a.dims.push_back(dim);
  }
  const uint64_t header = 4 + 4 * uint64_t{ndims};
  const auto too_short = [&](uint64_t held, const char *how) {
    fail(EBADMSG, path, ": truncated: header declares ", a.dims[0],
         ndims == 3   ? " images"
         : ndims == 1 ? " labels"
                      : " items",
         " (", total, " bytes of data) but the file holds ", held, " bytes of data", how);
  };
  // A plain file's size is known: refuse a short one before allocating anything for it.
  if (S_ISREG(st.st_mode) && gzdirect(f.get()) &&
      static_cast<uint64_t>(st.st_size) < header + total)
    too_short(static_cast<uint64_t>(st.st_size) - header, "");
  // A compressed one's (or a pipe's) is not: read in chunks, so that memory follows the data.
  size_t got = 0;
  while (got < total) {
    a.data.resize(got + static_cast<size_t>(std::min<uint64_t>(total - got, kChunk)));
    const size_t n = read_some(f.get(), path, a.data.data() + got, a.data.size() - got);
    got += n;
    if (got < a.data.size()) too_short(got, gzdirect(f.get()) ? "" : " once decompressed");
  }
  uint8_t extra;
  if (read_some(f.get(), path, &extra, 1) != 0) {
    fail(EBADMSG, path, ": trailing data after the ", total, " bytes the header declares");
  }
  return a;
}

Dataset load_dataset(const std::string &images_path, const std::string &labels_path) {
  IdxArray img = read_idx(images_path, 3);
  IdxArray lab = read_idx(labels_path, 1);
  if (img.dims[0] != lab.dims[0]) {
    fail(EBADMSG, images_path, " has ", img.dims[0], " images but ", labels_path, " has ",
         lab.dims[0], " labels");
  }
  Dataset ds;
  ds.count = img.dims[0];
  ds.rows = img.dims[1];
  ds.cols = img.dims[2];
  ds.images = std::move(img.data);
  ds.labels = std::move(lab.data);
  return ds;
}

Dataset load_dataset_dir(const std::string &dir, const std::string &split) {
  if (split != "train" && split != "t10k") {
    fail(EINVAL, "unknown split '", split, "' (expected train or t10k)");
  }
  return load_dataset(split_file(dir, split, "images-idx3"), split_file(dir, split, "labels-idx1"));
}

}  // namespace zaccel
