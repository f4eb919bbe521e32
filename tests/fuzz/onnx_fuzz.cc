// libFuzzer: the ONNX importer (libaccel/model/onnx_import.h) on arbitrary protobuf bytes, then
// quantization (model/quantize.h) of what it imports, calibrated on one image made of the
// input's bytes.
#include <onnx/onnx_pb.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/onnx_import.h"
#include "model/quantize.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  onnx::ModelProto model;
  if (!model.ParseFromArray(data, static_cast<int>(size))) return 0;
  try {
    const zaccel::Graph g = zaccel::import_onnx(model);
    // A model with a huge input is legitimate but not this harness's business.
    const uint64_t in = uint64_t{g.input.c} * g.input.h * g.input.w;
    if (in == 0 || in > (uint64_t{1} << 16)) return 0;
    std::vector<float> calib(in);
    for (size_t i = 0; i < calib.size(); ++i)
      calib[i] = static_cast<float>(data[i % size]) / 255.0f;
    zaccel::QuantOptions opts;
    const zaccel::QModel q = zaccel::quantize(g, opts, 1, calib.data());
    (void)zaccel::quantize_input(q, 1, calib.data());
  } catch (const zaccel::Error &) {
  }
  return 0;
}
