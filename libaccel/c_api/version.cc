// The release of the library actually loaded, which may be newer than the header a program
// was built with.
#include "c_api/objects.h"

static_assert(ACCEL_VERSION_MAJOR == ZACCEL_VERSION_MAJOR &&
                  ACCEL_VERSION_MINOR == ZACCEL_VERSION_MINOR &&
                  ACCEL_VERSION_PATCH == ZACCEL_VERSION_PATCH,
              "accel.h's ACCEL_VERSION_* must be the project's version (CMakeLists.txt)");

extern "C" {

const char *accel_version(void) {
  return ZACCEL_VERSION_STRING;
}

uint32_t accel_uapi_version(void) {
  return ZACCEL_API_VERSION;
}

}  // extern "C"
