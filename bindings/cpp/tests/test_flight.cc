// A flight-software scenario: a UAV's mission computer builds its messages
// with libprotobuf-generated classes (the system protobuf, not libpeat's
// pinned one — only bytes cross the ABI) and runs the three jobs through the
// message-level templates of peat.hpp: validate what it sends and receives,
// merge replicated cell state, and act on a deployment directive.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cap/cell/v1/cell.pb.h"
#include "cap/node/v1/node.pb.h"
#include "peat/crdt/v1/crdt.pb.h"
#include "peat/directive/v1/directive.pb.h"
#include "peat/validation/v1/validation.pb.h"
#include "support.hpp"

namespace {

namespace node = cap::node::v1;
namespace cell = cap::cell::v1;
namespace crdt = peat::crdt::v1;
namespace dir = peat::directive::v1;
namespace val = peat::validation::v1;

constexpr uint64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z, the mission clock

node::NodeConfig uav_config(const std::string& id) {
  node::NodeConfig c;
  c.set_id(id);
  c.set_platform_type("quadrotor");
  c.set_comm_range_m(1500);
  c.set_max_speed_mps(22.5f);
  auto* cam = c.add_capabilities();
  cam->set_id(id + "-eo");
  cam->set_name("EO camera");
  cam->set_capability_type(cap::capability::v1::CAPABILITY_TYPE_SENSOR);
  cam->set_confidence(0.92f);
  auto* gpu = c.add_capabilities();
  gpu->set_id(id + "-gpu");
  gpu->set_name("onnx-inference");
  gpu->set_capability_type(cap::capability::v1::CAPABILITY_TYPE_COMPUTE);
  gpu->set_confidence(0.8f);
  c.mutable_created_at()->set_seconds(kNow - 3600);
  return c;
}

node::NodeState uav_state(double lat) {
  node::NodeState s;
  s.mutable_position()->set_latitude(lat);
  s.mutable_position()->set_longitude(-117.2);
  s.mutable_position()->set_altitude(120);
  s.set_fuel_minutes(42);
  s.set_health(node::HEALTH_STATUS_NOMINAL);
  s.set_phase(node::PHASE_CELL);
  s.set_cell_id("cell-alpha");
  s.mutable_timestamp()->set_seconds(kNow - 5);
  return s;
}

val::ValidateOptions mission_clock() {
  val::ValidateOptions o;
  o.mutable_now()->set_seconds(kNow);
  return o;
}

cell::CellState cell_view(std::vector<std::string> members, uint64_t at) {
  cell::CellState s;
  s.mutable_config()->set_id("cell-alpha");
  s.mutable_config()->set_max_size(4);
  s.mutable_config()->set_min_size(2);
  s.mutable_config()->mutable_created_at()->set_seconds(kNow - 7200);
  s.set_leader_id("uav-1");
  for (const std::string& m : members) s.add_members(m);
  s.mutable_timestamp()->set_seconds(at);
  return s;
}

std::vector<std::string> sorted_members(const cell::CellState& s) {
  std::vector<std::string> m(s.members().begin(), s.members().end());
  std::sort(m.begin(), m.end());
  return m;
}

TEST(Flight, OwnConfigAndStateAreValidAtMissionTime) {
  auto report = peat::validate_message<val::ValidationReport>(uav_config("uav-7"), mission_clock());
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_TRUE(report->valid()) << report->DebugString();
  EXPECT_EQ(report->type(), "cap.node.v1.NodeConfig");
  auto state = peat::validate_message<val::ValidationReport>(uav_state(32.7), mission_clock());
  ASSERT_TRUE(state.ok()) << state.error().to_string();
  EXPECT_TRUE(state->valid()) << state->DebugString();
}

TEST(Flight, BadTelemetryIsReportedFieldByField) {
  node::NodeConfig c = uav_config("uav-7");
  c.mutable_capabilities(1)->set_confidence(1.5f);  // confidence is 0..1
  auto report = peat::validate_message<val::ValidationReport>(c, mission_clock());
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_FALSE(report->valid());
  ASSERT_GE(report->violations_size(), 1);
  bool found = false;
  for (const auto& v : report->violations())
    found |= v.code() == "INVALID_CONFIDENCE" && v.path() == "capabilities[1].confidence";
  EXPECT_TRUE(found) << report->DebugString();

  node::NodeState s = uav_state(95.0);  // latitude out of range
  s.mutable_timestamp()->set_seconds(kNow + 3600);  // an hour in the future
  auto srep = peat::validate_message<val::ValidationReport>(s, mission_clock());
  ASSERT_TRUE(srep.ok());
  std::vector<std::string> codes;
  for (const auto& v : srep->violations()) codes.push_back(v.code());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "INVALID_POSITION"), codes.end()) << srep->DebugString();
  EXPECT_NE(std::find(codes.begin(), codes.end(), "INVALID_TIMESTAMP"), codes.end()) << srep->DebugString();
}

TEST(Flight, ReceivedBeaconBatchIsValidatedInOneCall) {
  std::vector<node::NodeState> received = {uav_state(32.7), uav_state(32.8), uav_state(-91)};
  auto batch = peat::validate_messages<val::BatchValidationReport>(received);
  ASSERT_TRUE(batch.ok()) << batch.error().to_string();
  ASSERT_EQ(batch->reports_size(), 3);
  EXPECT_EQ(batch->valid_count(), 2u);
  EXPECT_EQ(batch->invalid_count(), 1u);
  EXPECT_FALSE(batch->reports(2).valid());
}

TEST(Flight, SanitizeStripsControlCharactersFromOperatorInput) {
  node::NodeConfig c = uav_config("uav-7");
  c.set_platform_type("quad\x07rotor");
  auto r = peat::sanitize_message<val::SanitizeResult>(c);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_GE(r->changes_size(), 1);
  EXPECT_EQ(r->changes(0).path(), "platform_type");
  auto clean = peat::from_bytes<node::NodeConfig>(r->message());
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(clean->platform_type(), "quadrotor");
}

TEST(Flight, CellStateFromTwoReplicasMergesTheSameBothWays) {
  const cell::CellState mine = cell_view({"uav-1", "uav-7"}, kNow - 10);
  const cell::CellState theirs = cell_view({"uav-1", "uav-3"}, kNow - 4);
  auto ab = peat::merge_messages(mine, theirs);
  auto ba = peat::merge_messages(theirs, mine);
  ASSERT_TRUE(ab.ok()) << ab.error().to_string();
  ASSERT_TRUE(ba.ok());
  EXPECT_EQ(ab->SerializeAsString(), ba->SerializeAsString());
  EXPECT_EQ(ab->config().id(), "cell-alpha");
  // Merging is idempotent.
  auto again = peat::merge_messages(*ab, mine);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->SerializeAsString(), ab->SerializeAsString());
  auto batch = peat::merge_messages(std::vector<cell::CellState>{mine, theirs, mine});
  ASSERT_TRUE(batch.ok()) << batch.error().to_string();
  EXPECT_EQ(batch->SerializeAsString(), ab->SerializeAsString());

  cell::CellState other = theirs;
  other.mutable_config()->set_id("cell-bravo");
  auto mismatch = peat::merge_messages(mine, other);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status(), peat::Status::Mismatch);
}

TEST(Flight, ReplicatedCellDocumentConvergesAcrossReplicas) {
  crdt::DocInit init;
  init.set_replica("uav-1");
  init.mutable_timestamp()->set_seconds(kNow - 100);
  *init.mutable_cell_state() = cell_view({"uav-1", "uav-2"}, kNow - 100);
  auto base = peat::new_doc<crdt::CellDoc>(init);
  ASSERT_TRUE(base.ok()) << base.error().to_string();

  // uav-1 adds uav-7; uav-2 removes itself, concurrently.
  crdt::Operation add;
  add.set_replica("uav-1");
  add.mutable_timestamp()->set_seconds(kNow - 50);
  add.mutable_add_member()->set_node_id("uav-7");
  crdt::Operation remove;
  remove.set_replica("uav-2");
  remove.mutable_timestamp()->set_seconds(kNow - 40);
  remove.mutable_remove_member()->set_node_id("uav-2");
  auto a = peat::apply_op<crdt::ApplyResult>(*base, add);
  auto b = peat::apply_op<crdt::ApplyResult>(*base, remove);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  auto doc_a = peat::from_bytes<crdt::CellDoc>(a->doc());
  auto doc_b = peat::from_bytes<crdt::CellDoc>(b->doc());
  auto delta_b = peat::from_bytes<crdt::CellDoc>(b->delta());
  ASSERT_TRUE(doc_a.ok() && doc_b.ok() && delta_b.ok());

  // Replica A receives B's delta; replica B receives A's whole document.
  auto at_a = peat::merge_docs(*doc_a, *delta_b);
  auto at_b = peat::merge_docs(*doc_b, *doc_a);
  ASSERT_TRUE(at_a.ok()) << at_a.error().to_string();
  ASSERT_TRUE(at_b.ok());
  auto view_a = peat::materialize<cell::CellState>(*at_a);
  auto view_b = peat::materialize<cell::CellState>(*at_b);
  ASSERT_TRUE(view_a.ok()) << view_a.error().to_string();
  ASSERT_TRUE(view_b.ok());
  EXPECT_EQ(view_a->SerializeAsString(), view_b->SerializeAsString());
  EXPECT_EQ(sorted_members(*view_a), (std::vector<std::string>{"uav-1", "uav-7"}));
}

dir::DeploymentDirective detector_directive() {
  dir::DeploymentDirective d;
  d.set_directive_id("dep-42");
  d.mutable_issued_at()->set_seconds(kNow - 60);
  d.set_issuer_node_id("c2-main");
  auto* f = d.mutable_scope()->mutable_capability();
  f->add_required_capabilities("ONNX-Inference");
  f->set_min_gpu_memory_mb(2048);
  auto* art = d.mutable_artifact();
  art->set_blob_hash("sha256:" + std::string(64, 'a'));
  art->set_size_bytes(12 << 20);
  art->mutable_artifact_type()->mutable_onnx_model()->add_execution_providers("CUDAExecutionProvider");
  art->set_name("detector");
  art->set_version("2.1.0");
  d.add_capabilities("object-detection");
  d.mutable_options()->set_timeout_seconds(600);
  return d;
}

TEST(Flight, DeploymentDirectiveTargetsAndRunsThroughTheStatusMachine) {
  dir::TargetRequest req;
  *req.mutable_directive() = detector_directive();
  *req.mutable_node_config() = uav_config("uav-7");
  *req.mutable_node_state() = uav_state(32.7);
  req.mutable_resources()->set_gpu_memory_mb(4096);
  auto decision = peat::target<dir::TargetDecision>(req);
  ASSERT_TRUE(decision.ok()) << decision.error().to_string();
  EXPECT_TRUE(decision->targeted()) << decision->DebugString();
  EXPECT_EQ(decision->code(), dir::TARGET_REASON_CAPABILITY_MATCH);

  req.mutable_resources()->set_gpu_memory_mb(1024);
  auto small = peat::target<dir::TargetDecision>(req);
  ASSERT_TRUE(small.ok());
  EXPECT_FALSE(small->targeted());
  EXPECT_EQ(small->code(), dir::TARGET_REASON_RESOURCE_INSUFFICIENT);

  // PENDING -> DOWNLOADING 50% -> ACTIVATING -> ACTIVE.
  dir::DeploymentStatus st;
  st.set_directive_id("dep-42");
  st.set_node_id("uav-7");
  st.mutable_reported_at()->set_seconds(kNow - 50);
  st.set_state(dir::DEPLOYMENT_STATE_PENDING);
  uint64_t t = kNow - 50;
  auto step = [&](dir::DeploymentState next, int progress) {
    dir::AdvanceRequest a;
    *a.mutable_current() = st;
    a.mutable_transition()->set_state(next);
    if (progress >= 0) a.mutable_transition()->set_progress_percent(static_cast<uint32_t>(progress));
    if (next == dir::DEPLOYMENT_STATE_ACTIVE) a.mutable_transition()->set_instance_id("inst-1");
    a.mutable_transition()->mutable_reported_at()->set_seconds(t += 5);
    return peat::advance<dir::DeploymentStatus>(a);
  };
  for (auto [next, progress] : std::vector<std::pair<dir::DeploymentState, int>>{
           {dir::DEPLOYMENT_STATE_DOWNLOADING, 50},
           {dir::DEPLOYMENT_STATE_ACTIVATING, -1},
           {dir::DEPLOYMENT_STATE_ACTIVE, -1}}) {
    auto r = step(next, progress);
    ASSERT_TRUE(r.ok()) << dir::DeploymentState_Name(next) << ": " << r.error().to_string();
    EXPECT_EQ(r->state(), next);
    st = *r;
  }
  EXPECT_EQ(st.instance_id(), "inst-1");
  auto back = step(dir::DEPLOYMENT_STATE_PENDING, -1);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status(), peat::Status::IllegalTransition);

  dir::SummarizeRequest sum;
  *sum.mutable_directive() = detector_directive();
  sum.add_targeted_node_ids("uav-7");
  *sum.add_statuses() = st;
  sum.mutable_now()->set_seconds(kNow);
  auto summary = peat::summarize<dir::RolloutSummary>(sum);
  ASSERT_TRUE(summary.ok()) << summary.error().to_string();
  EXPECT_EQ(summary->targeted(), 1u);
  EXPECT_EQ(summary->active(), 1u);
  EXPECT_EQ(summary->decision(), dir::ROLLOUT_DECISION_SUCCEEDED);
}

TEST(Flight, GarbageFromTheRadioIsAnErrorNotACrash) {
  auto r = peat::parse<node::NodeConfig>(peat::convert("cap.node.v1.NodeConfig", peat::Format::Binary,
                                                       peat::Format::Binary, std::string("\x0a\x7f\x01", 3)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status(), peat::Status::Decode);
  // A message that is not what it claims to be: a NodeState's bytes sent as
  // a TargetRequest decode as garbage fields, and the directive is refused.
  auto d = peat::target<dir::TargetDecision>(uav_state(1.0));
  EXPECT_FALSE(d.ok());
}

}  // namespace
