/* A function planted in a test build of libaccel, to prove the ABI check sees where a new
 * function's symbol goes (tests/abi/CMakeLists.txt). */
#include <accel/accel.h>

ACCEL_API int accel_planted(void)
{
	return 0;
}
