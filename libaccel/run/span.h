// A span of device time: what a region did from when to when, for traces and statistics.
#pragma once

#include <cstdint>
#include <string>

namespace zaccel {

enum class SpanKind { kPr, kDma, kCompute };

struct TraceSpan {
  SpanKind kind;
  uint32_t region;
  std::string name;  ///< the layer
  uint64_t start_ns, end_ns;
};

}  // namespace zaccel
