// libFuzzer: the planner's option strings (libaccel/plan/option_strings.h). The first byte
// picks the parser; the rest is the string.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "plan/option_strings.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);
  try {
    switch (data[0] % 5) {
      case 0: {
        const zaccel::SplitSpec s = zaccel::parse_split(text);
        for (const auto *m : {&s.out, &s.in})
          for (const auto &[name, parts] : *m)
            if (!zaccel::valid_layer_name(name) || parts.size() < 2) std::abort();
        break;
      }
      case 1:
        for (const auto &name : zaccel::parse_layer_list(text))
          if (!zaccel::valid_layer_name(name)) std::abort();
        break;
      case 2: {
        const zaccel::LayerBitsSpec b = zaccel::parse_layer_bits(text);
        if (b.wbits < 2 || b.wbits > 16 || b.abits < 2 || b.abits > 16) std::abort();
        break;
      }
      case 3: {
        const uint32_t v = zaccel::parse_uint(text, 1, 65535, "fuzz");
        if (v < 1 || v > 65535) std::abort();
        break;
      }
      default:
        (void)zaccel::parse_uint(text, 0, UINT32_MAX, "fuzz");
        (void)zaccel::valid_layer_name(text);
        break;
    }
  } catch (const zaccel::Error &) {
  }
  return 0;
}
