#include "data/idx.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "util/error.h"

namespace zaccel {
namespace {

constexpr uint8_t kTypeUbyte = 0x08;
constexpr uint64_t kMaxBytes = uint64_t{1} << 31;  // far above any MNIST-format set

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
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) fail(errno ? errno : ENOENT, path, ": cannot open: ", std::strerror(errno));

  uint8_t magic[4];
  if (read_some(f.get(), path, magic, 4) != 4) fail(EBADMSG, path, ": truncated header");
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != kTypeUbyte || magic[3] != ndims) {
    fail(EBADMSG, path, ": bad magic 0x", std::hex, be32(magic), ", expected 0x", 0x800u | ndims,
         " (unsigned byte IDX with ", std::dec, ndims, " dimensions)");
  }
  IdxArray a;
  uint64_t total = 1;
  for (uint32_t i = 0; i < ndims; ++i) {
    uint8_t d[4];
    if (read_some(f.get(), path, d, 4) != 4) fail(EBADMSG, path, ": truncated header");
    const uint32_t dim = be32(d);
    if (dim == 0) fail(EBADMSG, path, ": dimension ", i, " is zero");
    total *= dim;
    if (total > kMaxBytes) fail(EFBIG, path, ": header declares more than ", kMaxBytes, " bytes");
    a.dims.push_back(dim);
  }
  a.data.resize(total);
  const size_t got = read_some(f.get(), path, a.data.data(), a.data.size());
  if (got != total) {
    fail(EBADMSG, path, ": truncated: header declares ", total, " bytes of data, file has ", got);
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
