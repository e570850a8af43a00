// The three jobs of libpeat from C++ with message classes: the generated
// cap::* and peat::* classes of Peat::proto (find_package(Peat CONFIG
// REQUIRED COMPONENTS proto); CMakeLists.txt) and the message-level
// templates of peat/peat.hpp. No protoc step of your own: the package
// generates the classes with your protoc and libprotobuf.
// Failures are values (Result), as in main.cc; nothing here throws.
#include <cstdio>
#include <string>

#include "cap/cell/v1/cell.pb.h"
#include "cap/node/v1/node.pb.h"
#include "peat/directive/v1/directive.pb.h"
#include "peat/peat.hpp"
#include "peat/validation/v1/validation.pb.h"

namespace {

constexpr uint64_t kNow = 1767225600;  // the mission clock: 2026-01-01T00:00:00Z

bool report(const char* step, const peat::Error& e) {
  std::fprintf(stderr, "%s failed: %s\n", step, e.to_string().c_str());
  return false;
}

cap::node::v1::NodeConfig uav7(float camera_confidence) {
  cap::node::v1::NodeConfig node;
  node.set_id("uav-7");
  node.set_platform_type("quadrotor");
  node.set_comm_range_m(1500);
  cap::capability::v1::Capability* cam = node.add_capabilities();
  cam->set_id("cam-1");
  cam->set_name("EO camera");
  cam->set_capability_type(cap::capability::v1::CAPABILITY_TYPE_SENSOR);
  cam->set_confidence(camera_confidence);
  return node;
}

bool validate_node() {
  peat::validation::v1::ValidateOptions options;
  options.mutable_now()->set_seconds(kNow);
  auto r = peat::validate_message<peat::validation::v1::ValidationReport>(uav7(1.5f), options);
  if (!r.ok()) return report("validate", r.error());
  std::printf("validation report: valid=%s", r->valid() ? "true" : "false");
  for (const auto& v : r->violations()) std::printf(" %s at %s;", v.code().c_str(), v.path().c_str());
  std::printf("\n");
  return true;
}

cap::cell::v1::CellState cell(const char* member, uint64_t seconds) {
  cap::cell::v1::CellState s;
  s.mutable_config()->set_id("cell-alpha");
  s.mutable_config()->set_max_size(4);
  s.mutable_config()->set_min_size(2);
  s.set_leader_id("uav-1");
  s.add_members("uav-1");
  s.add_members(member);
  s.mutable_timestamp()->set_seconds(seconds);
  return s;
}

bool merge_cell() {
  auto merged = peat::merge_messages(cell("uav-7", kNow - 10), cell("uav-3", kNow - 4));
  if (!merged.ok()) return report("merge", merged.error());
  std::printf("merged cell: %s leader=%s members=", merged->config().id().c_str(), merged->leader_id().c_str());
  for (const std::string& m : merged->members()) std::printf("%s ", m.c_str());
  std::printf("\n");
  return true;
}

bool target_directive() {
  peat::directive::v1::TargetRequest req;
  peat::directive::v1::DeploymentDirective* d = req.mutable_directive();
  d->set_directive_id("dep-42");
  d->mutable_issued_at()->set_seconds(kNow - 60);
  d->set_issuer_node_id("c2-main");
  d->mutable_scope()->mutable_capability()->add_required_capabilities("EO camera");
  peat::directive::v1::ArtifactSpec* art = d->mutable_artifact();
  art->set_blob_hash("sha256:" + std::string(64, 'a'));
  art->set_size_bytes(12582912);
  art->mutable_artifact_type()->mutable_onnx_model()->add_execution_providers("CPUExecutionProvider");
  *req.mutable_node_config() = uav7(0.9f);
  auto decision = peat::target<peat::directive::v1::TargetDecision>(req);
  if (!decision.ok()) return report("target", decision.error());
  std::printf("target decision: targeted=%s code=%s\n", decision->targeted() ? "true" : "false",
              peat::directive::v1::TargetReason_Name(decision->code()).c_str());
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
