/* The smallest complete libpeat program in C: convert a NodeConfig from
 * proto3 JSON to binary and back, validate it, and handle an error.
 *
 * Build against an installed prefix (make install PREFIX=/opt/peat, or an
 * unpacked release), recording where libpeat.so.1 is in the program (rpath),
 * so that it starts without LD_LIBRARY_PATH or ldconfig:
 *
 *   export PKG_CONFIG_PATH=/opt/peat/lib/pkgconfig
 *   cc roundtrip.c $(pkg-config --cflags --libs peat) $(pkg-config --variable=rpath peat)
 *
 * (examples/c/Makefile does the same: make -C examples/c PEAT_PREFIX=/opt/peat).
 * From this repository after `make`:
 *   cc -Iinclude examples/c/roundtrip.c -Lbuild/lib -lpeat -Wl,-rpath,$PWD/build/lib */
#include <stdio.h>
#include <string.h>

#include "peat.h"

/* Prints a failed call's error as "CODE at path: message" and frees it.
 * The error in `err` is a serialized peat.api.v1.Error; peat_error_view
 * reads it without a protobuf library (its strings are views into err:
 * print them before peat_buf_free). */
static int report(const char* what, int32_t st, peat_buf* err) {
  peat_error_info e;
  fprintf(stderr, "%s failed (%s): ", what, peat_status_name(st));
  if (peat_error_view(err, &e) != PEAT_OK)
    fprintf(stderr, "no readable error\n");
  else if (e.path_len > 0)
    fprintf(stderr, "%.*s at %.*s: %.*s\n", (int)e.code_len, e.code, (int)e.path_len, e.path, (int)e.message_len,
            e.message);
  else
    fprintf(stderr, "%.*s: %.*s\n", (int)e.code_len, e.code, (int)e.message_len, e.message);
  peat_buf_free(err);
  return 1;
}

int main(void) {
  const char* type = "cap.node.v1.NodeConfig";
  const char* json =
      "{\"id\":\"uav-7\",\"platformType\":\"quadrotor\",\"commRangeM\":1500,\"capabilities\":[{\"id\":\"cam-1\","
      "\"name\":\"EO camera\",\"capabilityType\":\"CAPABILITY_TYPE_SENSOR\",\"confidence\":1.5}]}";
  peat_buf bin = {NULL, 0}, back = {NULL, 0}, report_buf = {NULL, 0}, text = {NULL, 0};
  int32_t st;

  printf("libpeat %s, ABI %u.%u\n", peat_version(), peat_abi_version() >> 16, peat_abi_version() & 0xffff);

  st = peat_convert(type, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)json, strlen(json), &bin);
  if (st != PEAT_OK) return report("convert json->binary", st, &bin);
  st = peat_convert(type, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, bin.data, bin.len, &back);
  if (st != PEAT_OK) return report("convert binary->json", st, &back);
  printf("binary: %zu bytes; back to JSON: %.*s\n", bin.len, (int)back.len, (const char*)back.data);

  /* Validation returns OK with a report; this one lists INVALID_CONFIDENCE. */
  st = peat_validate(type, PEAT_FORMAT_BINARY, bin.data, bin.len, NULL, 0, &report_buf);
  if (st != PEAT_OK) return report("validate", st, &report_buf);
  st = peat_convert("peat.validation.v1.ValidationReport", PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, report_buf.data,
                    report_buf.len, &text);
  if (st != PEAT_OK) return report("convert report", st, &text);
  printf("validation report: %.*s\n", (int)text.len, (const char*)text.data);

  /* Errors: garbage bytes cannot be decoded; a value of the wrong JSON type
   * is reported with its field path. */
  peat_buf err = {NULL, 0};
  static const uint8_t garbage[] = {0xff, 0xff, 0xff};
  st = peat_convert(type, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, garbage, sizeof garbage, &err);
  report("convert of garbage (expected)", st, &err);
  {
    const char* wrong = "{\"id\":\"uav-7\",\"platform_type\":\"quadrotor\",\"capabilities\":[],\"comm_range_m\":\"far\"}";
    st = peat_convert(type, PEAT_FORMAT_RUST_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)wrong, strlen(wrong), &err);
    report("convert of a string range (expected)", st, &err);
  }

  peat_buf_free(&bin);
  peat_buf_free(&back);
  peat_buf_free(&report_buf);
  peat_buf_free(&text);
  return 0;
}
