// A struct libaccel fills, zeroed, with its size set (accel.h).
#pragma once

template <typename T>
T sized() {
  T v{};
  v.size = sizeof(T);
  return v;
}
