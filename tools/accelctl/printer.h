// Prints each field once, as text ("label: value") or, with -j, as one JSON object with
// snake_case keys (schemas in schema/).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace accelctl {

class Printer {
 public:
  Printer(bool json, bool pretty) : json_(json), pretty_(pretty) {}
  ~Printer();

  void str(const char *key, const char *label, const std::string &value);
  void integer(const char *key, const char *label, long long value);
  /// A real number shown with `digits` decimals in text, at full precision in JSON.
  void real(const char *key, const char *label, double value, int digits, const char *unit = "");

 private:
  bool json_, pretty_;
  nlohmann::ordered_json obj_ = nlohmann::ordered_json::object();
};

}  // namespace accelctl
