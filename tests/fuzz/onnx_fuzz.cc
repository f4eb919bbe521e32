// libFuzzer: the ONNX importer (libaccel/model/onnx_import.h) on arbitrary protobuf bytes, then
// the float path (model/float_exec.h) and quantization (model/quantize.h) of what it imports,
// on one image made of the input's bytes.
#include <onnx/onnx_pb.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/float_exec.h"
#include "model/onnx_import.h"
#include "model/quantize.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  onnx::ModelProto model;
  if (!model.ParseFromArray(data, static_cast<int>(size))) return 0;
  try {
    const zaccel::Graph g = zaccel::import_onnx(model);
    // A model with a huge input is legitimate but not this harness's business.
    const uint64_t in = g.input().size();
    if (in == 0 || in > (uint64_t{1} << 16)) return 0;
    std::vector<float> calib(in);
    for (size_t i = 0; i < calib.size(); ++i)
      calib[i] = static_cast<float>(data[i % size]) / 255.0f;
    (void)zaccel::run_float(g, 1, calib.data());
    zaccel::QuantOptions opts;
    const zaccel::QModel q = zaccel::quantize(g, opts, 1, calib.data());
    (void)zaccel::quantize_input(q, 1, calib.data());
  } catch (const zaccel::Error &) {
  }
  return 0;
}
