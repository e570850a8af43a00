// peat.h must compile cleanly as C++17 (flight software includes it from C++).
#include "peat.h"

#include <type_traits>

static_assert(std::is_same<decltype(&peat_convert),
                           int32_t (*)(const char*, int32_t, int32_t, const uint8_t*, size_t, peat_buf*)>::value,
              "peat_convert signature");
int main() {
  peat_buf b{nullptr, 0};
  peat_buf_free(&b);
  return PEAT_OK;
}
