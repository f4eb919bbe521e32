#include "model/onnx_tensor.h"

#include <onnx/onnx_pb.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <sstream>

#include "util/error.h"

namespace zaccel {
namespace {

template <typename T>
std::vector<T> raw_values(const onnx::TensorProto &t, size_t count, const std::string &ctx) {
  const std::string &raw = t.raw_data();
  if (raw.size() != count * sizeof(T)) {
    fail(EBADMSG, ctx, ": tensor '", t.name(), "' holds ", raw.size(), " bytes, shape needs ",
         count * sizeof(T));
  }
  std::vector<T> v(count);
  std::memcpy(v.data(), raw.data(), raw.size());  // ONNX raw data is little-endian, as the host
  return v;
}

template <typename T>
std::vector<int64_t> widen(const std::vector<T> &v) {
  return {v.begin(), v.end()};
}

// The values of an integer tensor of `count` elements as int64.
std::vector<int64_t> ints(const onnx::TensorProto &t, size_t count, const std::string &ctx) {
  const bool raw = t.has_raw_data();
  switch (t.data_type()) {
    case onnx::TensorProto::INT64:
      return raw ? raw_values<int64_t>(t, count, ctx)
                 : std::vector<int64_t>(t.int64_data().begin(), t.int64_data().end());
    case onnx::TensorProto::INT32:
      return raw ? widen(raw_values<int32_t>(t, count, ctx))
                 : std::vector<int64_t>(t.int32_data().begin(), t.int32_data().end());
    case onnx::TensorProto::INT8:  // not raw: in int32_data, as the narrow types
      return raw ? widen(raw_values<int8_t>(t, count, ctx))
                 : std::vector<int64_t>(t.int32_data().begin(), t.int32_data().end());
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::BOOL:
      return raw ? widen(raw_values<uint8_t>(t, count, ctx))
                 : std::vector<int64_t>(t.int32_data().begin(), t.int32_data().end());
    default:
      fail(EOPNOTSUPP, ctx, ": tensor '", t.name(), "' has unsupported data type ", t.data_type());
  }
}

}  // namespace

std::string node_id(const onnx::NodeProto &n, int index) {
  if (!n.name().empty()) return n.name();
  std::ostringstream os;
  os << "#" << index;
  return os.str();
}

std::string where(const onnx::NodeProto &n, int index) {
  std::ostringstream os;
  os << "node ";
  if (n.name().empty())
    os << "#" << index;
  else
    os << "'" << n.name() << "'";
  os << " (" << n.op_type() << ")";
  return os.str();
}

Const to_const(const onnx::TensorProto &t, const std::string &ctx) {
  Const c;
  size_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || d > (int64_t{1} << 31)) fail(EBADMSG, ctx, ": tensor '", t.name(), "' bad dim");
    c.dims.push_back(d);
    count *= static_cast<size_t>(d);
    if (count > (size_t{1} << 31)) fail(EFBIG, ctx, ": tensor '", t.name(), "' is too large");
  }
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    fail(EOPNOTSUPP, ctx, ": tensor '", t.name(), "' uses external data");
  }
  const bool raw = t.has_raw_data();
  c.type = t.data_type();
  if (t.data_type() == onnx::TensorProto::FLOAT) {
    c.is_float = true;
    c.f = raw ? raw_values<float>(t, count, ctx)
              : std::vector<float>(t.float_data().begin(), t.float_data().end());
  } else if (t.data_type() == onnx::TensorProto::DOUBLE) {
    c.is_float = true;
    const auto d = raw ? raw_values<double>(t, count, ctx)
                       : std::vector<double>(t.double_data().begin(), t.double_data().end());
    c.f.assign(d.begin(), d.end());
  } else {
    c.i = ints(t, count, ctx);
  }
  if (c.size() != count) fail(EBADMSG, ctx, ": tensor '", t.name(), "' size mismatch");
  return c;
}

Const constant_value(const onnx::NodeProto &n, const std::string &ctx) {
  if (n.attribute_size() != 1 || n.output_size() != 1)
    fail(EOPNOTSUPP, ctx, ": needs exactly one value attribute and one output");
  const onnx::AttributeProto &a = n.attribute(0);
  Const c;
  if (a.name() == "value") {
    c = to_const(a.t(), ctx);
  } else if (a.name() == "value_float") {
    c.is_float = true;
    c.f = {a.f()};
  } else if (a.name() == "value_floats") {
    c.is_float = true;
    c.f.assign(a.floats().begin(), a.floats().end());
    c.dims = {static_cast<int64_t>(c.f.size())};
  } else if (a.name() == "value_int") {
    c.i = {a.i()};
  } else if (a.name() == "value_ints") {
    c.i.assign(a.ints().begin(), a.ints().end());
    c.dims = {static_cast<int64_t>(c.i.size())};
  } else {
    fail(EOPNOTSUPP, ctx, ": unsupported attribute '", a.name(), "'");
  }
  return c;
}

void need_finite(const std::vector<float> &v, const std::string &tensor, const std::string &ctx,
                 const char *scaled) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      fail(EINVAL, ctx, ": tensor '", tensor, "'", scaled, " holds ", v[i], " at index ", i,
           " (weights and biases must be finite)");
    }
  }
}

}  // namespace zaccel
