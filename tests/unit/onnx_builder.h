// A small ONNX model builder for the import tests (onnx_import_test.cc, qdq_test.cc): input
// [N, c, h, w], initializers, and a chain of nodes; and a check of an Error's errno and message.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/onnx_import.h"
#include "util/error.h"

namespace zaccel::test {

// A small model builder: input [N, c, h, w], float initializers, a node chain.
class Builder {
 public:
  Builder(int64_t c, int64_t h, int64_t w) {
    m_.set_ir_version(7);
    m_.mutable_graph()->set_name("test");
    m_.add_opset_import()->set_version(13);
    auto *in = m_.mutable_graph()->add_input();
    in->set_name("x");
    auto *tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    tt->mutable_shape()->add_dim()->set_dim_param("N");
    for (int64_t d : {c, h, w})
      tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  void init(const std::string &name, std::vector<int64_t> dims, float fill = 0.5f) {
    auto *t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    int64_t n = 1;
    for (int64_t d : dims) {
      t->add_dims(d);
      n *= d;
    }
    for (int64_t i = 0; i < n; ++i)
      t->add_float_data(fill * static_cast<float>(i % 7 - 3));
  }
  void init_values(const std::string &name, std::vector<int64_t> dims, std::vector<float> vals) {
    auto *t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
      t->add_dims(d);
    for (float v : vals)
      t->add_float_data(v);
  }
  void init_i64(const std::string &name, std::vector<int64_t> vals) {
    auto *t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(vals.size()));
    for (int64_t v : vals)
      t->add_int64_data(v);
  }
  // A node wired by hand: its inputs and outputs as given; the chain goes on from its first
  // output.
  onnx::NodeProto *wire(const std::string &op, std::vector<std::string> inputs,
                        std::vector<std::string> outputs) {
    auto *n = m_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(op + std::to_string(count_++));
    for (const auto &i : inputs)
      n->add_input(i);
    for (const auto &o : outputs)
      n->add_output(o);
    cur_ = outputs.at(0);
    return n;
  }
  void init_i64_dims(const std::string &name, std::vector<int64_t> dims,
                     std::vector<int64_t> vals) {
    init_i64(name, std::move(vals));
    auto *t = m_.mutable_graph()->mutable_initializer(m_.graph().initializer_size() - 1);
    t->clear_dims();
    for (int64_t d : dims)
      t->add_dims(d);
  }
  // An integer initializer of ONNX type `type` (INT8, UINT8: in int32_data, as ONNX stores them).
  void init_codes(const std::string &name, std::vector<int64_t> dims, int32_t type,
                  std::vector<int32_t> vals) {
    auto *t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    for (int64_t d : dims)
      t->add_dims(d);
    for (int32_t v : vals)
      t->add_int32_data(v);
  }
  void opset(int64_t v) { m_.mutable_opset_import(0)->set_version(v); }
  onnx::ModelProto &model() { return m_; }
  onnx::NodeProto *node(const std::string &op, std::vector<std::string> extra_inputs = {}) {
    auto *n = m_.mutable_graph()->add_node();
    n->set_op_type(op);
    const std::string id = std::to_string(count_++);
    n->set_name(op);
    n->mutable_name()->append(id);
    n->add_input(cur_);
    for (const auto &i : extra_inputs)
      n->add_input(i);
    cur_ = id;
    cur_.insert(cur_.begin(), 't');  // not "t" + id: GCC 12's -Wrestrict misfires on that
    n->add_output(cur_);
    return n;
  }
  static void ints(onnx::NodeProto *n, const std::string &name, std::vector<int64_t> v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v)
      a->add_ints(x);
  }
  static void str1(onnx::NodeProto *n, const std::string &name, const std::string &v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
  }
  static void int1(onnx::NodeProto *n, const std::string &name, int64_t v) {
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  Graph import() {
    auto *out = m_.mutable_graph()->add_output();
    out->set_name(cur_);
    out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    out->mutable_type()->mutable_tensor_type()->mutable_shape();
    return import_onnx(m_);
  }

 private:
  onnx::ModelProto m_;
  std::string cur_ = "x";
  int count_ = 0;
};

template <typename F>
inline void expect_error(F &&f, int err, const std::vector<std::string> &parts) {
  try {
    f();
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.err(), err) << e.what();
    for (const auto &p : parts)
      EXPECT_THAT(e.what(), ::testing::HasSubstr(p));
  }
}
}  // namespace zaccel::test
