#include "printer.h"

#include <cstdio>

namespace accelctl {

Printer::~Printer() {
  if (json_) std::printf("%s\n", obj_.dump(pretty_ ? 2 : -1).c_str());
}

void Printer::str(const char *key, const char *label, const std::string &value) {
  if (json_)
    obj_[key] = value;
  else
    std::printf("%-22s %s\n", label, value.c_str());
}

void Printer::integer(const char *key, const char *label, long long value) {
  if (json_)
    obj_[key] = value;
  else
    std::printf("%-22s %lld\n", label, value);
}

void Printer::real(const char *key, const char *label, double value, int digits, const char *unit) {
  if (json_)
    obj_[key] = value;
  else
    std::printf("%-22s %.*f%s\n", label, digits, value, unit);
}

}  // namespace accelctl
