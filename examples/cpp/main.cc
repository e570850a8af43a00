// The three jobs of libpeat from C++, with bytes only (no protobuf runtime):
// validate a node's configuration, merge two replicas' view of a cell, and
// decide whether a deployment directive targets this node. Messages are
// written as proto3 JSON here for readability; libpeat converts them.
// Builds with or without exceptions: it only uses the Result API.
#include <cstdio>
#include <string>

#include "peat/peat.hpp"

namespace {

// Prints what went wrong and returns false.
bool report(const char* step, const peat::Error& e) {
  std::fprintf(stderr, "%s failed: %s\n", step, e.to_string().c_str());
  return false;
}

// Shows a binary message of `type` as JSON.
void show(const char* label, const char* type, peat::Bytes bin) {
  peat::Result<peat::Buffer> json = peat::convert(type, peat::Format::Binary, peat::Format::Json, bin);
  std::printf("%s: %s\n", label, json.ok() ? json->str().c_str() : json.error().to_string().c_str());
}

bool validate_node() {
  const char* config =
      R"({"id":"uav-7","platformType":"quadrotor","commRangeM":1500,"capabilities":[)"
      R"({"id":"cam-1","name":"EO camera","capabilityType":"CAPABILITY_TYPE_SENSOR","confidence":1.5}]})";
  peat::Result<peat::Buffer> r = peat::validate("cap.node.v1.NodeConfig", peat::Format::Json, config);
  if (!r.ok()) return report("validate", r.error());
  show("validation report", "peat.validation.v1.ValidationReport", *r);
  return true;
}

bool merge_cell() {
  const char* mine =
      R"({"config":{"id":"cell-alpha","maxSize":4,"minSize":2},"leaderId":"uav-1","members":["uav-1","uav-7"],)"
      R"("timestamp":{"seconds":"1767225590"}})";
  const char* theirs =
      R"({"config":{"id":"cell-alpha","maxSize":4,"minSize":2},"leaderId":"uav-1","members":["uav-1","uav-3"],)"
      R"("timestamp":{"seconds":"1767225596"}})";
  peat::Result<peat::Buffer> merged =
      peat::merge("cap.cell.v1.CellState", peat::Format::Json, peat::Format::Json, mine, theirs);
  if (!merged.ok()) return report("merge", merged.error());
  std::printf("merged cell: %s\n", merged->str().c_str());
  return true;
}

bool target_directive() {
  const std::string request =
      R"({"directive":{"directiveId":"dep-42","issuedAt":{"seconds":"1767225540"},"issuerNodeId":"c2-main",)"
      R"("scope":{"capability":{"requiredCapabilities":["EO camera"]}},)"
      R"("artifact":{"blobHash":"sha256:)" + std::string(64, 'a') +
      R"(","sizeBytes":"12582912","artifactType":{"onnxModel":{"executionProviders":["CPUExecutionProvider"]}}}},)"
      R"("nodeConfig":{"id":"uav-7","platformType":"quadrotor","capabilities":[{"id":"cam-1","name":"EO camera",)"
      R"("capabilityType":"CAPABILITY_TYPE_SENSOR","confidence":0.9}]}})";
  peat::Result<peat::Buffer> bin =
      peat::convert("peat.directive.v1.TargetRequest", peat::Format::Json, peat::Format::Binary, request);
  if (!bin.ok()) return report("convert TargetRequest", bin.error());
  peat::Result<peat::Buffer> decision = peat::directive_target(*bin);
  if (!decision.ok()) return report("directive_target", decision.error());
  show("target decision", "peat.directive.v1.TargetDecision", *decision);
  return true;
}

}  // namespace

int main() {
  if (!peat::abi_compatible()) {
    std::fprintf(stderr, "libpeat ABI %#x is not compatible with this build\n", peat::abi_version());
    return 1;
  }
  std::printf("libpeat %s\n", peat::version());
  const bool ok = validate_node() && merge_cell() && target_directive();
  return ok ? 0 : 1;
}
