// zaccel's internal error: an errno value and a message for the log. Thrown inside the
// emulator and libaccel, turned into -errno at the C boundary (libaccel/c_api/guard.h).
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace zaccel {

class Error : public std::runtime_error {
 public:
  Error(int err, const std::string &msg) : std::runtime_error(msg), err_(err) {}
  int err() const { return err_; }

 private:
  int err_;
};

/// Throws Error(err, <parts concatenated>).
template <typename... Parts>
[[noreturn]] void fail(int err, Parts &&...parts) {
  std::ostringstream os;
  (os << ... << std::forward<Parts>(parts));
  throw Error(err, os.str());
}

}  // namespace zaccel
