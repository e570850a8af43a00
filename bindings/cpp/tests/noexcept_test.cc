// The result-type API in a translation unit compiled with -fno-exceptions
// -fno-rtti, as flight software is often built. No GoogleTest here (it is
// built with exceptions); checks print one line each and the closing line
// "N passed, N failed".
#include <cstdio>
#include <cstring>
#include <string>

#include "lsan_static.hpp"
#include "peat/peat.hpp"

#if defined(__cpp_exceptions) || defined(__GXX_RTTI)
#error "this translation unit must be compiled with -fno-exceptions -fno-rtti"
#endif

namespace {
int passed = 0, failed = 0;
void check(bool ok, const char* what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    std::fprintf(stderr, "FAILED: %s\n", what);
  }
}
}  // namespace

int main() {
  peat_test_ignore_static_strings();
  check(peat::abi_compatible(), "abi_compatible");

  const char* json = "{\"id\":\"uav-7\",\"platformType\":\"quadrotor\",\"commRangeM\":1500}";
  peat::Result<peat::Buffer> bin = peat::convert("cap.node.v1.NodeConfig", peat::Format::Json, peat::Format::Binary, json);
  check(bin.ok(), "convert json->binary");
  if (!bin.ok()) return 1;
  peat::Result<peat::Buffer> back = peat::convert("cap.node.v1.NodeConfig", peat::Format::Binary, peat::Format::Json, *bin);
  check(back.ok() && back->view() == json, "convert binary->json round trip");

  peat::Result<peat::Buffer> report = peat::validate("cap.node.v1.NodeConfig", peat::Format::Binary, *bin);
  check(report.ok() && report->size() > 0, "validate returns a report");

  peat::Result<peat::Buffer> bad = peat::convert("cap.node.v1.NodeConfig", peat::Format::Binary, peat::Format::Json,
                                                 peat::Bytes("\xff\xff\xff", 3));
  check(!bad.ok(), "garbage fails");
  check(bad.status() == peat::Status::Decode, "garbage is a decode error");
  check(bad.error().code() == "DECODE_ERROR", "error code decoded");
  check(!bad.error().message().empty(), "error message decoded");

  peat::Result<peat::Buffer> unknown = peat::validate("no.such.Type", peat::Format::Binary, peat::Bytes());
  check(!unknown.ok() && unknown.status() == peat::Status::UnknownType, "unknown type");

  peat::Result<std::vector<std::string>> names = peat::type_names();
  check(names.ok() && names->size() >= 42, "type_names");

  // Moving buffers out of results, and a Result reassigned from error to value.
  peat::Buffer owned = std::move(*bin);
  check(owned.size() > 0 && bin->size() == 0, "buffer moved out of result");
  bad = peat::compress(owned);
  check(bad.ok() && bad->size() > 0, "result reassigned");

  std::printf("noexcept_result_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
