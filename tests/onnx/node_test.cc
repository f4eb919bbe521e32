// ONNX's own backend node tests (Debian's libonnx-testdata) through the float path: every case
// whose model uses only operators the importer supports. The weights the cases pass as graph
// inputs (all inputs after the first) become initializers; every output must match within
// 1e-4. A case the importer refuses as unsupported (EOPNOTSUPP) is skipped with its message as
// the reason. At the end a table gives the passes per operator and lists the skipped cases.
//
// Usage: onnx_node_tests [--data DIR] [gtest options]. Exit 77 if DIR does not exist.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/float_exec.h"
#include "model/onnx_import.h"
#include "util/error.h"

namespace zaccel {
namespace {

namespace fs = std::filesystem;

constexpr double kTolerance = 1e-4;

// The operators of the set that the importer reads (Constant folds away).
const std::set<std::string> &supported() {
  static const std::set<std::string> ops = {"Conv",
                                            "BatchNormalization",
                                            "Relu",
                                            "LeakyRelu",
                                            "Clip",
                                            "PRelu",
                                            "Sigmoid",
                                            "Tanh",
                                            "HardSigmoid",
                                            "HardSwish",
                                            "MaxPool",
                                            "AveragePool",
                                            "GlobalAveragePool",
                                            "GlobalMaxPool",
                                            "Gemm",
                                            "MatMul",
                                            "Flatten",
                                            "Reshape",
                                            "Squeeze",
                                            "Unsqueeze",
                                            "Add",
                                            "Mul",
                                            "Concat",
                                            "Softmax",
                                            "LogSoftmax",
                                            "Dropout",
                                            "Identity",
                                            "Pad",
                                            "QuantizeLinear",
                                            "DequantizeLinear"};
  return ops;
}

enum class Outcome { kPass, kSkip, kFail };

struct Result {
  std::string op, name;
  Outcome outcome = Outcome::kFail;
  std::string reason;
};

std::vector<Result> &results() {
  static std::vector<Result> r;
  return r;
}

onnx::TensorProto read_tensor(const fs::path &p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream buf;
  buf << f.rdbuf();
  onnx::TensorProto t;
  if (!t.ParseFromString(buf.str())) fail(EBADMSG, p.string(), ": not a TensorProto");
  return t;
}

// Codes of `T` (raw) or from int32_data, as floats.
template <typename T>
std::vector<float> codes(const onnx::TensorProto &t, size_t n) {
  std::vector<float> out;
  if (!t.has_raw_data()) {
    out.assign(t.int32_data().begin(), t.int32_data().end());
  } else {
    if (t.raw_data().size() != n * sizeof(T)) fail(EBADMSG, "tensor size mismatch");
    std::vector<T> v(n);
    std::memcpy(v.data(), t.raw_data().data(), t.raw_data().size());
    out.assign(v.begin(), v.end());
  }
  if (out.size() != n) fail(EBADMSG, "tensor size mismatch");
  return out;
}

// A tensor's shape and values: float, or int8 and uint8 codes (exact as floats); Error
// (EOPNOTSUPP) for another data type.
Tensor to_tensor(const onnx::TensorProto &t) {
  Tensor out{{t.dims().begin(), t.dims().end()}, {}};
  const size_t n = TensorView::elements(out.shape);
  if (t.data_type() == onnx::TensorProto::INT8) {
    out.data = codes<int8_t>(t, n);
    return out;
  }
  if (t.data_type() == onnx::TensorProto::UINT8) {
    out.data = codes<uint8_t>(t, n);
    return out;
  }
  if (t.data_type() != onnx::TensorProto::FLOAT)
    fail(EOPNOTSUPP, "tensor '", t.name(), "' has data type ", t.data_type(), ", not float");
  if (t.has_raw_data()) {
    if (t.raw_data().size() != n * sizeof(float)) fail(EBADMSG, "tensor size mismatch");
    out.data.resize(n);
    std::memcpy(out.data.data(), t.raw_data().data(), t.raw_data().size());
  } else {
    out.data.assign(t.float_data().begin(), t.float_data().end());
  }
  return out;
}

std::vector<fs::path> numbered(const fs::path &dir, const std::string &prefix) {
  std::vector<fs::path> files;
  for (size_t k = 0; fs::exists(dir / (prefix + std::to_string(k) + ".pb")); ++k)
    files.push_back(dir / (prefix + std::to_string(k) + ".pb"));
  return files;
}

// Runs one data set of a case; returns an empty string if every output matches, else why not.
std::string run_case(const onnx::ModelProto &model, const fs::path &set) {
  const std::vector<fs::path> ins = numbered(set, "input_"), outs = numbered(set, "output_");
  onnx::ModelProto m = model;
  onnx::GraphProto &g = *m.mutable_graph();
  if (ins.empty() || g.input_size() != static_cast<int>(ins.size()))
    fail(EOPNOTSUPP, "the case gives ", ins.size(), " inputs for ", g.input_size());
  // Inputs after the first are the case's weights: initializers.
  for (size_t k = 1; k < ins.size(); ++k) {
    onnx::TensorProto t = read_tensor(ins[k]);
    t.set_name(g.input(static_cast<int>(k)).name());
    *g.add_initializer() = t;
  }
  while (g.input_size() > 1)
    g.mutable_input()->RemoveLast();
  const Graph graph = import_onnx(m);
  std::vector<Tensor> inputs;
  inputs.push_back(to_tensor(read_tensor(ins[0])));
  const std::vector<Tensor> got = run_float(graph, std::move(inputs));
  if (got.size() != outs.size())
    return "gives " + std::to_string(got.size()) + " outputs, expected " +
           std::to_string(outs.size());
  for (size_t k = 0; k < outs.size(); ++k) {
    const Tensor want = to_tensor(read_tensor(outs[k]));
    if (got[k].shape != want.shape) return "output " + std::to_string(k) + " has another shape";
    for (size_t i = 0; i < want.data.size(); ++i) {
      const double d = std::fabs(double{got[k].data[i]} - want.data[i]);
      if (!(d <= kTolerance)) {
        std::ostringstream os;
        os << "output " << k << "[" << i << "] is " << got[k].data[i] << ", expected "
           << want.data[i];
        return os.str();
      }
    }
  }
  return "";
}

class NodeCase : public testing::Test {
 public:
  NodeCase(fs::path dir, std::string op) : dir_(std::move(dir)), op_(std::move(op)) {}

  void TestBody() override {
    Result r{op_, dir_.filename().string(), Outcome::kFail, ""};
    try {
      onnx::ModelProto model;
      std::ifstream f(dir_ / "model.onnx", std::ios::binary);
      std::ostringstream buf;
      buf << f.rdbuf();
      if (!model.ParseFromString(buf.str())) fail(EBADMSG, "model.onnx does not parse");
      size_t sets = 0;
      for (const auto &e : fs::directory_iterator(dir_)) {
        if (!e.is_directory() || e.path().filename().string().rfind("test_data_set_", 0) != 0)
          continue;
        ++sets;
        r.reason = run_case(model, e.path());
        if (!r.reason.empty()) break;
      }
      if (sets == 0) r.reason = "no test data set";
      r.outcome = r.reason.empty() ? Outcome::kPass : Outcome::kFail;
    } catch (const Error &e) {
      r.reason = e.what();
      r.outcome = e.err() == EOPNOTSUPP ? Outcome::kSkip : Outcome::kFail;
    } catch (const std::exception &e) {
      r.reason = e.what();
    }
    results().push_back(r);
    if (r.outcome == Outcome::kSkip) GTEST_SKIP() << r.reason;
    EXPECT_EQ(r.outcome, Outcome::kPass) << r.reason;
  }

 private:
  fs::path dir_;
  std::string op_;
};

// The operator a case tests: its first node's that is not a Constant; empty if the model uses
// an operator outside the supported set.
std::string case_operator(const fs::path &dir) {
  onnx::ModelProto m;
  std::ifstream f(dir / "model.onnx", std::ios::binary);
  std::ostringstream buf;
  buf << f.rdbuf();
  if (!m.ParseFromString(buf.str())) return "";
  std::string op;
  for (const auto &n : m.graph().node()) {
    if (n.op_type() == "Constant") continue;
    if (!supported().count(n.op_type())) return "";
    if (op.empty()) op = n.op_type();
  }
  return op;
}

void print_table() {
  std::map<std::string, std::array<int, 3>> per_op;
  for (const Result &r : results())
    ++per_op[r.op][static_cast<size_t>(r.outcome)];
  std::printf("\nONNX backend node tests through the float path (each output within %g)\n",
              kTolerance);
  std::printf("%-20s %6s %6s %7s %6s\n", "operator", "cases", "passed", "skipped", "failed");
  std::array<int, 3> total{};
  for (const auto &[op, n] : per_op) {
    std::printf("%-20s %6d %6d %7d %6d\n", op.c_str(), n[0] + n[1] + n[2], n[0], n[1], n[2]);
    for (size_t k = 0; k < 3; ++k)
      total[k] += n[k];
  }
  std::printf("%-20s %6d %6d %7d %6d\n", "total", total[0] + total[1] + total[2], total[0],
              total[1], total[2]);
  for (Outcome o : {Outcome::kSkip, Outcome::kFail}) {
    std::printf("\n%s:\n", o == Outcome::kSkip ? "skipped (unsupported)" : "failed");
    for (const Result &r : results())
      if (r.outcome == o) std::printf("  %-50s %s\n", r.name.c_str(), r.reason.c_str());
  }
}

}  // namespace
}  // namespace zaccel

int main(int argc, char **argv) {
  namespace fs = std::filesystem;
  testing::InitGoogleTest(&argc, argv);
  fs::path data = "/usr/share/libonnx-testdata/data/node";
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--data") == 0) data = argv[i + 1];
  if (!fs::is_directory(data)) {
    std::printf("no ONNX node tests at %s (Debian package libonnx-testdata): skipped\n",
                data.c_str());
    return 77;
  }
  std::vector<fs::path> dirs;
  for (const auto &e : fs::directory_iterator(data))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path &dir : dirs) {
    const std::string op = zaccel::case_operator(dir);
    if (op.empty()) continue;
    testing::RegisterTest(op.c_str(), dir.filename().c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [=]() -> zaccel::NodeCase * { return new zaccel::NodeCase(dir, op); });
  }
  const int rc = RUN_ALL_TESTS();
  zaccel::print_table();
  return rc;
}
