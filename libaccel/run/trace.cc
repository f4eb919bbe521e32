// Chrome trace-event JSON (the format Perfetto and chrome://tracing open) of a session's spans.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "run/session.h"
#include "util/error.h"

namespace zaccel {
namespace {

const char *kind_name(SpanKind k) {
  switch (k) {
    case SpanKind::kPr:
      return "PR";
    case SpanKind::kDma:
      return "DMA";
    default:
      return "compute";
  }
}

}  // namespace

void write_chrome_trace(const std::string &path, const std::deque<TraceSpan> &spans,
                        uint32_t regions) {
  nlohmann::json events = nlohmann::json::array();
  // One process per region, one thread (track) per kind of work.
  for (uint32_t r = 0; r < regions; ++r) {
    events.push_back({{"ph", "M"},
                      {"name", "process_name"},
                      {"pid", r},
                      {"args", {{"name", "region " + std::to_string(r)}}}});
    for (SpanKind k : {SpanKind::kPr, SpanKind::kDma, SpanKind::kCompute}) {
      events.push_back({{"ph", "M"},
                        {"name", "thread_name"},
                        {"pid", r},
                        {"tid", static_cast<int>(k)},
                        {"args", {{"name", kind_name(k)}}}});
    }
  }
  for (const TraceSpan &s : spans) {
    events.push_back({{"ph", "X"},
                      {"name", s.name},
                      {"cat", kind_name(s.kind)},
                      {"pid", s.region},
                      {"tid", static_cast<int>(s.kind)},
                      {"ts", static_cast<double>(s.start_ns) / 1000.0},
                      {"dur", static_cast<double>(s.end_ns - s.start_ns) / 1000.0}});
  }
  std::ofstream out(path);
  if (!out) fail(errno ? errno : EIO, path, ": ", std::strerror(errno));
  out << nlohmann::json{{"traceEvents", events}, {"displayTimeUnit", "ns"}}.dump() << '\n';
  if (!out.flush()) fail(EIO, path, ": write failed");
}

}  // namespace zaccel
