// Reading the library's JSON files with errors that name the file and the field at fault:
// a missing or mistyped field is EINVAL, never an exception from the JSON library.
#pragma once

#include <cerrno>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "util/error.h"

namespace zaccel::lib {

/// Where a value sits, for messages: "shell.json: regions[1].budget".
struct JsonAt {
  const nlohmann::json &j;
  std::string where;

  JsonAt operator[](const std::string &key) const {
    if (!j.is_object()) fail(EINVAL, where, ": not an object");
    const auto it = j.find(key);
    if (it == j.end()) fail(EINVAL, where, ": no field \"", key, "\"");
    return {*it, where + "." + key};
  }
  JsonAt operator[](size_t i) const { return {j.at(i), where + "[" + std::to_string(i) + "]"}; }
  bool has(const std::string &key) const { return j.is_object() && j.contains(key); }
  size_t size(size_t min, size_t max) const {
    if (!j.is_array()) fail(EINVAL, where, ": not an array");
    if (j.size() < min || j.size() > max)
      fail(EINVAL, where, ": ", j.size(), " entries, ", min, " to ", max, " allowed");
    return j.size();
  }
  uint32_t u32(uint64_t max = UINT32_MAX) const {
    if (!j.is_number_unsigned() || j.get<uint64_t>() > max)
      fail(EINVAL, where, ": not an integer from 0 to ", max);
    return static_cast<uint32_t>(j.get<uint64_t>());
  }
  uint64_t u64() const {
    if (!j.is_number_unsigned()) fail(EINVAL, where, ": not a non-negative integer");
    return j.get<uint64_t>();
  }
  std::string str() const {
    if (!j.is_string() || j.get<std::string>().empty()) fail(EINVAL, where, ": not a string");
    return j.get<std::string>();
  }
  /// Checks that this object's "schema" field is `name` (EINVAL otherwise).
  void expect_schema(const char *name) const {
    const std::string got = (*this)["schema"].str();
    if (got != name) fail(EINVAL, where, ": schema \"", got, "\", not ", name);
  }
  /// A 32-bit value written as a "0x..." hex string, as interface IDs are.
  uint32_t hex32() const {
    const std::string s = str();
    if (s.size() < 3 || s.size() > 10 || s.compare(0, 2, "0x") != 0 ||
        s.find_first_not_of("0123456789abcdefABCDEF", 2) != std::string::npos)
      fail(EINVAL, where, ": \"", s, "\" is not a 32-bit hex value 0x...");
    return static_cast<uint32_t>(std::stoul(s.substr(2), nullptr, 16));
  }
};

/// "0x%08x".
std::string hex32(uint32_t v);

}  // namespace zaccel::lib
