// ONNX import in stages: the graph's structure (onnx_graph_check), the operators and window
// attributes shape inference may see (onnx_precheck), ONNX's checker, shape
// inference (onnx_shapes), constant folding (onnx_const_fold), shape inference again on the
// folded graph, the operators (onnx_ops_*), and the layers merged (fuse).
#include "model/onnx_import.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "model/fuse.h"
#include "model/onnx_const_fold.h"
#include "model/onnx_graph_check.h"
#include "model/onnx_ops.h"
#include "model/onnx_opset.h"
#include "model/onnx_precheck.h"
#include "model/onnx_shapes.h"
#include "util/error.h"

namespace zaccel {

const TranslatorMap &translators() {
  static const TranslatorMap m = [] {
    TranslatorMap t;
    add_conv_translators(t);
    add_dense_translators(t);
    add_shape_translators(t);
    add_activation_translators(t);
    add_quant_translators(t);
    return t;
  }();
  return m;
}

namespace {

Graph translate(const onnx::ModelProto &m, const ShapeMap &shapes) {
  const onnx::GraphProto &g = m.graph();
  ImportCtx c(g, shapes);
  const int opset = default_opset(m);
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto &n = g.node(i);
    const OnnxNode on{n, i, where(n, i), opset};
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      fail(EOPNOTSUPP, on.ctx, ": operator domain '", n.domain(), "' is not supported");
    const auto t = translators().find(n.op_type());
    if (t == translators().end())
      fail(EOPNOTSUPP, on.ctx, ": unsupported operator '", n.op_type(), "'");
    t->second(c, on);
  }
  for (const auto &out : g.output())
    c.graph.outputs.push_back(c.named(out.name(), "graph output '" + out.name() + "'"));
  if (c.graph.outputs.empty()) fail(EBADMSG, "graph has no outputs");
  fuse_layers(c.graph);
  return std::move(c.graph);
}

}  // namespace

Graph import_onnx(const onnx::ModelProto &model) {
  onnx::ModelProto m = model;
  check_and_sort(*m.mutable_graph());
  precheck(m.graph());
  try {
    onnx::checker::check_model(m);
  } catch (const std::exception &e) {
    fail(EBADMSG, "invalid ONNX model: ", e.what());
  }
  const ShapeMap first = infer_shapes(m);
  fold_constants(m, first);
  return translate(m, infer_shapes(m));
}

Graph import_onnx_file(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail(errno ? errno : ENOENT, path, ": cannot open: ", std::strerror(errno));
  std::ostringstream buf;
  buf << f.rdbuf();
  onnx::ModelProto model;
  if (!model.ParseFromString(buf.str())) fail(EBADMSG, path, ": not a valid ONNX protobuf");
  try {
    return import_onnx(model);
  } catch (const Error &e) {
    fail(e.err(), path, ": ", e.what());
  }
}

}  // namespace zaccel
