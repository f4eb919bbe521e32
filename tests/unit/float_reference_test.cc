// The float path on the imported model reproduces PyTorch's logits (reference.json, written
// by tools/train/train_lenet5.py) on the first 100 test images.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "data/idx.h"
#include "model/float_exec.h"
#include "model/onnx_import.h"

namespace zaccel {
namespace {

TEST(FloatReference, MatchesPyTorchLogits) {
  if (!std::filesystem::exists(ZACCEL_DATA_DIR)) GTEST_SKIP() << "no " << ZACCEL_DATA_DIR;
  std::ifstream f(ZACCEL_MODEL_DIR "/reference.json");
  const auto ref = nlohmann::json::parse(f);
  const auto &logits = ref.at("logits_first_100");
  ASSERT_EQ(logits.size(), 100u);

  const Graph g = import_onnx_file(ZACCEL_MODEL_DIR "/model.onnx");
  const Dataset test = load_dataset_dir(ZACCEL_DATA_DIR, "t10k");
  std::vector<float> in(100 * g.input().size());
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<float>(test.images[i]) / 255.0f;
  const std::vector<float> out = run_float(g, 100, in.data());
  ASSERT_EQ(out.size(), 1000u);
  double worst = 0;
  for (size_t i = 0; i < 100; ++i) {
    for (size_t k = 0; k < 10; ++k) {
      worst = std::max(worst, std::fabs(out[i * 10 + k] - logits[i][k].get<double>()));
    }
  }
  EXPECT_LT(worst, 1e-4);
  RecordProperty("max_abs_diff", std::to_string(worst));
}

}  // namespace
}  // namespace zaccel
