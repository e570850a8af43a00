/* Good-path tests from C of the validation, merge, document and directive
 * calls: requests are written as proto3 JSON and turned into binary with
 * peat_convert, results are turned back into JSON and checked. Run under
 * valgrind by `make test-c`, so every output buffer must be freed. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"
#include "peat.h"

/* JSON -> binary of `type`; the caller frees the result. */
static peat_buf bin(const char* type, const char* json) {
  peat_buf b = {NULL, 0};
  int32_t st = peat_convert(type, PEAT_FORMAT_JSON, PEAT_FORMAT_BINARY, (const uint8_t*)json, strlen(json), &b);
  if (st != PEAT_OK) fprintf(stderr, "cannot convert %s: %s\n", type, peat_status_name(st));
  CHECK_STATUS(st, PEAT_OK);
  return b;
}

/* True if the binary message `b` of `type`, seen as proto3 JSON, contains
 * `needle`; `want` says which answer is expected, to explain a failure. */
static int json_contains(const char* type, const peat_buf* b, const char* needle, int want) {
  peat_buf js = {NULL, 0};
  int found = 0;
  if (peat_convert(type, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON, b->data, b->len, &js) == PEAT_OK) {
    found = memmem(js.data, js.len, needle, strlen(needle)) != NULL;
    if (found != want)
      fprintf(stderr, "  %s %s %s: %.*s\n", type, want ? "lacks" : "has", needle, (int)js.len, (const char*)js.data);
  }
  peat_buf_free(&js);
  return found;
}
#define json_has(type, b, needle) json_contains(type, b, needle, 1)
#define json_lacks(type, b, needle) (!json_contains(type, b, needle, 0))

static const char* REPORT = "peat.validation.v1.ValidationReport";

static void test_validate(void) {
  peat_buf good = bin("cap.node.v1.NodeConfig",
                      "{\"id\":\"uav-1\",\"platformType\":\"quadrotor\",\"commRangeM\":100,\"maxSpeedMps\":10,"
                      "\"capabilities\":[{\"id\":\"c1\",\"name\":\"cam\",\"capabilityType\":\"CAPABILITY_TYPE_SENSOR\","
                      "\"confidence\":0.5}]}");
  peat_buf bad = bin("cap.node.v1.NodeConfig",
                     "{\"id\":\"uav-1\",\"platformType\":\"quadrotor\",\"capabilities\":[{\"id\":\"c1\",\"name\":\"cam\","
                     "\"capabilityType\":\"CAPABILITY_TYPE_SENSOR\",\"confidence\":1.5}]}");
  peat_buf out = {NULL, 0};
  CHECK_STATUS(peat_validate("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, good.data, good.len, NULL, 0, &out), PEAT_OK);
  CHECK(json_has(REPORT, &out, "\"valid\":true"));
  peat_buf_free(&out);
  CHECK_STATUS(peat_validate("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, bad.data, bad.len, NULL, 0, &out), PEAT_OK);
  CHECK(json_has(REPORT, &out, "INVALID_CONFIDENCE"));
  CHECK(json_has(REPORT, &out, "capabilities[0].confidence"));
  peat_buf_free(&out);

  /* Options: a "now" far before the timestamps makes them future. */
  peat_buf opts = bin("peat.validation.v1.ValidateOptions", "{\"now\":{\"seconds\":\"1000\"}}");
  peat_buf ts = bin("cap.cell.v1.CellMembershipChange",
                    "{\"cellId\":\"c\",\"changeType\":\"CHANGE_TYPE_JOIN\",\"nodeId\":\"n\","
                    "\"timestamp\":{\"seconds\":\"1762430400\"}}");
  CHECK_STATUS(peat_validate("cap.cell.v1.CellMembershipChange", PEAT_FORMAT_BINARY, ts.data, ts.len, opts.data,
                             opts.len, &out),
               PEAT_OK);
  CHECK(json_has(REPORT, &out, "INVALID_TIMESTAMP"));
  peat_buf_free(&out);
  peat_buf_free(&opts);
  peat_buf_free(&ts);

  /* Batch: good, bad and garbage in one call; one report each, in order. */
  static const uint8_t garbage[] = {0xff, 0xff, 0xff};
  const uint8_t* msgs[3] = {good.data, bad.data, garbage};
  size_t lens[3] = {good.len, bad.len, sizeof garbage};
  CHECK_STATUS(peat_validate_batch("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, msgs, lens, 3, NULL, 0, &out),
               PEAT_OK);
  CHECK(json_has("peat.validation.v1.BatchValidationReport", &out, "INVALID_CONFIDENCE"));
  CHECK(json_has("peat.validation.v1.BatchValidationReport", &out, "DECODE_ERROR"));
  peat_buf_free(&out);
  CHECK_STATUS(peat_validate_batch("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, NULL, NULL, 0, NULL, 0, &out),
               PEAT_OK);
  peat_buf_free(&out);

  /* Undecodable input and unknown types are errors, not reports. */
  CHECK_STATUS(peat_validate("cap.node.v1.NodeConfig", PEAT_FORMAT_BINARY, garbage, sizeof garbage, NULL, 0, &out),
               PEAT_E_DECODE);
  peat_buf_free(&out);
  CHECK_STATUS(peat_validate("cap.node.v1.Nope", PEAT_FORMAT_BINARY, good.data, good.len, NULL, 0, &out),
               PEAT_E_UNKNOWN_TYPE);
  peat_buf_free(&out);

  /* Sanitize strips a control character and reports it. */
  const char* dirty = "{\"id\":\"uav\\u0007-1\",\"platformType\":\"quad\"}";
  CHECK_STATUS(peat_sanitize("cap.node.v1.NodeConfig", PEAT_FORMAT_JSON, PEAT_FORMAT_JSON, (const uint8_t*)dirty,
                             strlen(dirty), &out),
               PEAT_OK);
  CHECK(json_has("peat.validation.v1.SanitizeResult", &out, "\"path\":\"id\""));
  peat_buf_free(&out);
  peat_buf_free(&good);
  peat_buf_free(&bad);
}

static void test_merge(void) {
  peat_buf a = bin("cap.cell.v1.CellState",
                   "{\"config\":{\"id\":\"cell-1\",\"maxSize\":8,\"minSize\":2},\"members\":[\"n2\",\"n1\"],"
                   "\"timestamp\":{\"seconds\":\"100\"}}");
  peat_buf b = bin("cap.cell.v1.CellState",
                   "{\"config\":{\"id\":\"cell-1\",\"maxSize\":8,\"minSize\":2},\"members\":[\"n3\",\"n1\"],"
                   "\"leaderId\":\"n3\",\"timestamp\":{\"seconds\":\"101\"}}");
  peat_buf other = bin("cap.cell.v1.CellState", "{\"config\":{\"id\":\"cell-2\"}}");
  peat_buf ab = {NULL, 0}, ba = {NULL, 0}, err = {NULL, 0};
  CHECK_STATUS(peat_merge("cap.cell.v1.CellState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, a.data, a.len, b.data,
                          b.len, &ab),
               PEAT_OK);
  CHECK_STATUS(peat_merge("cap.cell.v1.CellState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, b.data, b.len, a.data,
                          a.len, &ba),
               PEAT_OK);
  CHECK(ab.len == ba.len && memcmp(ab.data, ba.data, ab.len) == 0);
  CHECK(json_has("cap.cell.v1.CellState", &ab, "\"members\":[\"n1\",\"n2\",\"n3\"]"));
  CHECK(json_has("cap.cell.v1.CellState", &ab, "\"leaderId\":\"n3\""));
  CHECK_STATUS(peat_merge("cap.cell.v1.CellState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, a.data, a.len,
                          other.data, other.len, &err),
               PEAT_E_MISMATCH);
  peat_buf_free(&err);
  CHECK_STATUS(peat_merge("cap.beacon.v1.Beacon", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, NULL, 0, NULL, 0, &err),
               PEAT_E_UNSUPPORTED);
  peat_buf_free(&err);

  const uint8_t* msgs[3] = {a.data, b.data, a.data};
  size_t lens[3] = {a.len, b.len, a.len};
  peat_buf folded = {NULL, 0};
  CHECK_STATUS(peat_merge_batch("cap.cell.v1.CellState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, msgs, lens, 3,
                                &folded),
               PEAT_OK);
  CHECK(folded.len == ab.len && memcmp(folded.data, ab.data, ab.len) == 0);
  peat_buf_free(&folded);
  CHECK_STATUS(peat_merge_batch("cap.cell.v1.CellState", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, msgs, lens, 0,
                                &err),
               PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  peat_buf_free(&ab);
  peat_buf_free(&ba);
  peat_buf_free(&a);
  peat_buf_free(&b);
  peat_buf_free(&other);
}

static void test_documents(void) {
  const char* CELLDOC = "peat.crdt.v1.CellDoc";
  peat_buf init = bin("peat.crdt.v1.DocInit",
                      "{\"replica\":\"r1\",\"id\":\"cell-1\",\"cellState\":{\"config\":{\"id\":\"cell-1\",\"maxSize\":8,"
                      "\"minSize\":1}}}");
  peat_buf doc1 = {NULL, 0}, doc2 = {NULL, 0}, res = {NULL, 0}, res2 = {NULL, 0}, err = {NULL, 0};
  CHECK_STATUS(peat_doc_new(CELLDOC, init.data, init.len, &doc1), PEAT_OK);
  CHECK_STATUS(peat_doc_new(CELLDOC, init.data, init.len, &doc2), PEAT_OK);
  CHECK(doc1.len == doc2.len && memcmp(doc1.data, doc2.data, doc1.len) == 0);

  peat_buf add = bin("peat.crdt.v1.Operation",
                     "{\"replica\":\"r1\",\"timestamp\":{\"seconds\":\"10\"},\"addMember\":{\"nodeId\":\"n1\"}}");
  peat_buf lead = bin("peat.crdt.v1.Operation",
                      "{\"replica\":\"r2\",\"timestamp\":{\"seconds\":\"11\"},\"addMember\":{\"nodeId\":\"n2\"}}");
  CHECK_STATUS(peat_doc_apply(CELLDOC, doc1.data, doc1.len, add.data, add.len, &res), PEAT_OK);
  CHECK_STATUS(peat_doc_apply(CELLDOC, doc2.data, doc2.len, lead.data, lead.len, &res2), PEAT_OK);

  /* ApplyResult {doc, delta}: merge each replica's delta into the other's doc
   * by merging the whole results' documents (equivalent, and simpler in C). */
  peat_buf m12 = {NULL, 0}, m21 = {NULL, 0}, state = {NULL, 0};
  peat_buf d1 = {NULL, 0}, d2 = {NULL, 0};
  CHECK_STATUS(peat_convert("peat.crdt.v1.ApplyResult", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, res.data, res.len, &d1),
               PEAT_OK);
  CHECK_STATUS(peat_convert("peat.crdt.v1.ApplyResult", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, res2.data, res2.len,
                            &d2),
               PEAT_OK);
  /* The ApplyResult's field 1 is the doc: in this small case it is the
   * first length-delimited field, tag 0x0a + one-byte length. */
  CHECK(d1.len > 2 && d1.data[0] == 0x0a && d2.data[0] == 0x0a);
  if (d1.len > 2 && d2.len > 2 && d1.data[1] < 0x80 && d2.data[1] < 0x80) {
    CHECK_STATUS(peat_doc_merge(CELLDOC, d1.data + 2, d1.data[1], d2.data + 2, d2.data[1], &m12), PEAT_OK);
    CHECK_STATUS(peat_doc_merge(CELLDOC, d2.data + 2, d2.data[1], d1.data + 2, d1.data[1], &m21), PEAT_OK);
    CHECK(m12.len == m21.len && memcmp(m12.data, m21.data, m12.len) == 0);
    CHECK_STATUS(peat_doc_materialize(CELLDOC, PEAT_FORMAT_JSON, m12.data, m12.len, &state), PEAT_OK);
    CHECK(memmem(state.data, state.len, "\"members\":[\"n1\",\"n2\"]", 21) != NULL);
  }
  CHECK_STATUS(peat_doc_materialize(CELLDOC, 42, doc1.data, doc1.len, &err), PEAT_E_INVALID_ARGUMENT);
  peat_buf_free(&err);
  CHECK_STATUS(peat_doc_new("cap.cell.v1.CellState", NULL, 0, &err), PEAT_E_UNKNOWN_TYPE);
  peat_buf_free(&err);
  static const uint8_t garbage[] = {0xff, 0xfe, 0xfd};
  CHECK_STATUS(peat_doc_merge(CELLDOC, garbage, sizeof garbage, doc1.data, doc1.len, &err), PEAT_E_DECODE);
  peat_buf_free(&err);
  CHECK_STATUS(peat_doc_apply(CELLDOC, doc1.data, doc1.len, garbage, sizeof garbage, &err), PEAT_E_DECODE);
  peat_buf_free(&err);

  peat_buf* all[] = {&init, &doc1, &doc2, &res, &res2, &add, &lead, &m12, &m21, &state, &d1, &d2};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) peat_buf_free(all[i]);
}

static void test_directives(void) {
  const char* directive =
      "{\"directiveId\":\"yolov8n-deploy-001\",\"issuedAt\":{\"seconds\":\"1762430700\"},\"issuerNodeId\":\"c2\","
      "\"scope\":{\"capability\":{\"requiredCapabilities\":[\"object_detection\"],\"minGpuMemoryMb\":\"4096\"}},"
      "\"artifact\":{\"blobHash\":\"sha256:9f2c4e1a7b3d5f60718293a4b5c6d7e89f2c4e1a7b3d5f60718293a4b5c6d7e8\","
      "\"sizeBytes\":\"500000000\",\"artifactType\":{\"onnxModel\":{\"executionProviders\":[\"CUDAExecutionProvider\"]}}},"
      "\"options\":{\"priority\":\"DEPLOYMENT_PRIORITY_HIGH\",\"timeoutSeconds\":300,\"rollbackThresholdPercent\":80}}";
  char req[4096];
  peat_buf out = {NULL, 0}, r = {NULL, 0};

  snprintf(req, sizeof req,
           "{\"directive\":%s,\"nodeConfig\":{\"id\":\"n1\",\"platformType\":\"uav\",\"capabilities\":[{\"id\":\"d\","
           "\"name\":\"Object_Detection\",\"capabilityType\":\"CAPABILITY_TYPE_COMPUTE\",\"confidence\":0.9}]},"
           "\"resources\":{\"gpuMemoryMb\":\"8192\"}}",
           directive);
  r = bin("peat.directive.v1.TargetRequest", req);
  CHECK_STATUS(peat_directive_target(r.data, r.len, &out), PEAT_OK);
  CHECK(json_has("peat.directive.v1.TargetDecision", &out, "\"targeted\":true"));
  peat_buf_free(&out);
  peat_buf_free(&r);

  snprintf(req, sizeof req,
           "{\"directive\":%s,\"nodeConfig\":{\"id\":\"n5\",\"platformType\":\"uav\",\"capabilities\":[{\"id\":\"d\","
           "\"name\":\"object_detection\",\"capabilityType\":\"CAPABILITY_TYPE_COMPUTE\",\"confidence\":0.9}]},"
           "\"resources\":{\"gpuMemoryMb\":\"2048\"}}",
           directive);
  r = bin("peat.directive.v1.TargetRequest", req);
  CHECK_STATUS(peat_directive_target(r.data, r.len, &out), PEAT_OK);
  CHECK(json_lacks("peat.directive.v1.TargetDecision", &out, "\"targeted\":true"));
  peat_buf_free(&out);
  peat_buf_free(&r);

  /* pending -> downloading is legal; pending -> active is not. */
  r = bin("peat.directive.v1.AdvanceRequest",
          "{\"current\":{\"directiveId\":\"d\",\"nodeId\":\"n1\",\"state\":\"DEPLOYMENT_STATE_PENDING\","
          "\"reportedAt\":{\"seconds\":\"100\"}},\"transition\":{\"state\":\"DEPLOYMENT_STATE_DOWNLOADING\","
          "\"progressPercent\":40,\"reportedAt\":{\"seconds\":\"101\"}}}");
  CHECK_STATUS(peat_directive_advance(r.data, r.len, &out), PEAT_OK);
  CHECK(json_has("peat.directive.v1.DeploymentStatus", &out, "\"progressPercent\":40"));
  peat_buf_free(&out);
  peat_buf_free(&r);
  r = bin("peat.directive.v1.AdvanceRequest",
          "{\"current\":{\"directiveId\":\"d\",\"nodeId\":\"n1\",\"state\":\"DEPLOYMENT_STATE_PENDING\","
          "\"reportedAt\":{\"seconds\":\"100\"}},\"transition\":{\"state\":\"DEPLOYMENT_STATE_ACTIVE\","
          "\"reportedAt\":{\"seconds\":\"101\"}}}");
  CHECK_STATUS(peat_directive_advance(r.data, r.len, &out), PEAT_E_ILLEGAL_TRANSITION);
  peat_buf_free(&out);
  peat_buf_free(&r);

  snprintf(req, sizeof req,
           "{\"directive\":%s,\"targetedNodeIds\":[\"n1\",\"n3\"],\"statuses\":["
           "{\"directiveId\":\"yolov8n-deploy-001\",\"nodeId\":\"n1\",\"state\":\"DEPLOYMENT_STATE_ACTIVE\","
           "\"progressPercent\":100,\"reportedAt\":{\"seconds\":\"1762430800\"}},"
           "{\"directiveId\":\"yolov8n-deploy-001\",\"nodeId\":\"n3\",\"state\":\"DEPLOYMENT_STATE_FAILED\","
           "\"errorMessage\":\"disk full\",\"reportedAt\":{\"seconds\":\"1762430800\"}}],"
           "\"now\":{\"seconds\":\"1762430900\"}}",
           directive);
  r = bin("peat.directive.v1.SummarizeRequest", req);
  CHECK_STATUS(peat_directive_summarize(r.data, r.len, &out), PEAT_OK);
  CHECK(json_has("peat.directive.v1.RolloutSummary", &out, "ROLLOUT_DECISION_ROLLBACK_REQUIRED"));
  peat_buf_free(&out);
  peat_buf_free(&r);

  static const uint8_t garbage[] = {0xff, 0xff};
  CHECK_STATUS(peat_directive_target(garbage, sizeof garbage, &out), PEAT_E_DECODE);
  peat_buf_free(&out);
  CHECK_STATUS(peat_directive_summarize(garbage, sizeof garbage, &out), PEAT_E_DECODE);
  peat_buf_free(&out);

  /* rust-json of the seed's directive converts both ways. */
  const char* rj =
      "{\"directive_id\":\"d-1\",\"issued_at\":\"2025-11-06T12:00:00Z\",\"issuer_node_id\":\"c2\",\"scope\":{\"type\":"
      "\"broadcast\"},\"artifact\":{\"blob_hash\":\"sha256:def456\",\"size_bytes\":100000000,\"artifact_type\":{"
      "\"type\":\"container\",\"runtime\":\"docker\",\"ports\":[],\"env\":{}}},\"capabilities\":[],\"config\":null,"
      "\"options\":{\"priority\":\"normal\",\"timeout_seconds\":300,\"replace_existing\":false,\"auto_activate\":true}}";
  peat_buf b = {NULL, 0};
  CHECK_STATUS(peat_convert("peat.directive.v1.DeploymentDirective", PEAT_FORMAT_RUST_JSON, PEAT_FORMAT_BINARY,
                            (const uint8_t*)rj, strlen(rj), &b),
               PEAT_OK);
  CHECK_STATUS(peat_convert("peat.directive.v1.DeploymentDirective", PEAT_FORMAT_BINARY, PEAT_FORMAT_RUST_JSON, b.data,
                            b.len, &out),
               PEAT_OK);
  CHECK(out.len == strlen(rj) && memcmp(out.data, rj, out.len) == 0);
  peat_buf_free(&out);
  peat_buf_free(&b);
}

int main(void) {
  test_validate();
  test_merge();
  test_documents();
  test_directives();
  return ctest_finish("test_ops");
}
