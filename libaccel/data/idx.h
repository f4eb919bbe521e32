// MNIST-format IDX files (unsigned byte data), gzip-compressed or plain.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zaccel {

/// An image set with its labels, checked to agree.
struct Dataset {
  uint32_t count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> images;  ///< count * rows * cols pixels, row-major per image
  std::vector<uint8_t> labels;  ///< count labels
};

/// One IDX array of unsigned bytes.
struct IdxArray {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;
};

/// Reads `path`, checking the magic (unsigned byte data with `ndims` dimensions), that no
/// dimension is zero, and that the data is exactly as long as the header says. Throws Error
/// naming the file and the fault (EBADMSG for a malformed file, EFBIG past 2 GiB of data).
/// Memory follows the data actually there: a plain file shorter than its header declares is
/// refused before any allocation, a compressed one is read in 1 MiB chunks.
IdxArray read_idx(const std::string &path, uint32_t ndims);

/// Reads an images file (3 dimensions) and a labels file (1 dimension) that must agree.
Dataset load_dataset(const std::string &images_path, const std::string &labels_path);

/// Reads `<dir>/<split>-images-idx3-ubyte[.gz]` and the matching labels (split: train, t10k).
Dataset load_dataset_dir(const std::string &dir, const std::string &split);

}  // namespace zaccel
