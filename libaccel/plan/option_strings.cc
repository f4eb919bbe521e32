#include "plan/option_strings.h"

#include <cerrno>
#include <charconv>

#include "util/error.h"

namespace zaccel {

namespace {

/// Splits `text` at each `sep`, empty pieces included.
std::vector<std::string_view> pieces(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    const size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

}  // namespace

uint32_t parse_uint(std::string_view text, uint32_t min, uint32_t max, std::string_view what) {
  uint32_t v = 0;
  const char *first = text.data(), *last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, v);
  const bool leading_zero = text.size() > 1 && text[0] == '0';
  if (text.empty() || ec != std::errc() || end != last || leading_zero || v < min || v > max)
    fail(EINVAL, what, ": '", text, "' is not a number from ", min, " to ", max);
  return v;
}

bool valid_layer_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '/' || c == '-' || c == ':' || c == '[' ||
                    c == ']';
    if (!ok) return false;
  }
  return true;
}

SplitSpec parse_split(std::string_view text) {
  SplitSpec s;
  for (const std::string_view item : pieces(text, ';')) {
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    const std::string_view layer = item.substr(0, eq);
    if (eq == std::string_view::npos || !valid_layer_name(layer))
      fail(EINVAL, "split '", item, "': expected LAYER=C,C,... or LAYER=in:C,C,...");
    std::string_view parts = item.substr(eq + 1);
    const bool input = parts.starts_with("in:");
    if (input) parts.remove_prefix(3);
    const std::string name(layer);
    if (s.out.count(name) || s.in.count(name)) fail(EINVAL, "split: layer ", name, " named twice");
    std::vector<uint32_t> &v = (input ? s.in : s.out)[name];
    for (const std::string_view c : pieces(parts, ','))
      v.push_back(parse_uint(c, 1, 65535, "split '" + std::string(item) + "': channels"));
    if (v.size() < 2) fail(EINVAL, "split '", item, "': fewer than 2 parts");
  }
  return s;
}

std::vector<std::string> parse_layer_list(std::string_view text) {
  std::vector<std::string> out;
  for (const std::string_view name : pieces(text, ',')) {
    if (name.empty()) continue;
    if (!valid_layer_name(name))
      fail(EINVAL, "layer list '", text, "': '", name, "' is not a layer name");
    for (const std::string &seen : out)
      if (seen == name) fail(EINVAL, "layer list '", text, "': ", name, " named twice");
    out.emplace_back(name);
  }
  return out;
}

LayerBitsSpec parse_layer_bits(std::string_view text) {
  const size_t eq = text.find('=');
  const size_t colon = eq == std::string_view::npos ? eq : text.find(':', eq);
  if (colon == std::string_view::npos || !valid_layer_name(text.substr(0, eq)))
    fail(EINVAL, "layer bits '", text, "': expected LAYER=WBITS:ABITS");
  LayerBitsSpec b;
  b.layer = std::string(text.substr(0, eq));
  const std::string what = "layer bits '" + std::string(text) + "'";
  b.wbits = parse_uint(text.substr(eq + 1, colon - eq - 1), 2, 16, what + ": WBITS");
  b.abits = parse_uint(text.substr(colon + 1), 2, 16, what + ": ABITS");
  return b;
}

}  // namespace zaccel
