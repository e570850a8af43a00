// peat::Replica (ABI 1.2): a replicated document held open in libpeat
// between calls. Every step gives the bytes of the stateless doc_* calls;
// clones are independent; RAII, move-only, use after close or move is
// libpeat's INVALID_HANDLE; wrong document type and garbage are coded errors
// that leave the replica unchanged.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "cap/cell/v1/cell.pb.h"
#include "cap/node/v1/node.pb.h"
#include "peat/crdt/v1/crdt.pb.h"
#include "support.hpp"

namespace {

namespace cell = cap::cell::v1;
namespace node = cap::node::v1;
namespace crdt = peat::crdt::v1;

const char* const kCellDoc = "peat.crdt.v1.CellDoc";
const char* const kNodeDoc = "peat.crdt.v1.NodeDoc";
constexpr int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z

static_assert(!std::is_copy_constructible_v<peat::Replica>, "Replica is move-only");
static_assert(!std::is_copy_assignable_v<peat::Replica>, "Replica is move-only");
static_assert(std::is_nothrow_move_constructible_v<peat::Replica>, "moves never throw");
static_assert(std::is_nothrow_move_assignable_v<peat::Replica>, "moves never throw");
static_assert(std::is_nothrow_destructible_v<peat::Replica>, "destruction never throws");
static_assert(!std::is_convertible_v<uint64_t, peat::Replica>, "no implicit adoption of a handle");
static_assert(!std::is_convertible_v<peat::Replica, peat::Bytes>, "a replica is not bytes");
static_assert(!std::is_convertible_v<peat::Replica, bool>, "operator bool is explicit");
static_assert(std::is_constructible_v<bool, const peat::Replica&>, "but usable in a condition");

crdt::DocInit cell_init(const std::string& id, std::vector<std::string> members, uint32_t max_size) {
  crdt::DocInit init;
  init.set_replica("uav-1");
  init.mutable_timestamp()->set_seconds(kNow - 100);
  cell::CellState* s = init.mutable_cell_state();
  s->mutable_config()->set_id(id);
  s->mutable_config()->set_max_size(max_size);
  s->mutable_config()->set_min_size(1);
  for (const std::string& m : members) s->add_members(m);
  return init;
}

crdt::Operation op(const std::string& replica, int64_t at) {
  crdt::Operation o;
  o.set_replica(replica);
  o.mutable_timestamp()->set_seconds(at);
  return o;
}
crdt::Operation add_member(const std::string& replica, int64_t at, const std::string& id) {
  crdt::Operation o = op(replica, at);
  o.mutable_add_member()->set_node_id(id);
  return o;
}
crdt::Operation remove_member(const std::string& replica, int64_t at, const std::string& id) {
  crdt::Operation o = op(replica, at);
  o.mutable_remove_member()->set_node_id(id);
  return o;
}
crdt::Operation set_leader(const std::string& replica, int64_t at, const std::string& id) {
  crdt::Operation o = op(replica, at);
  o.mutable_set_leader()->set_node_id(id);
  return o;
}
crdt::Operation add_capability(const std::string& replica, int64_t at, const std::string& id) {
  crdt::Operation o = op(replica, at);
  auto* c = o.mutable_add_capability()->mutable_capability();
  c->set_id(id);
  c->set_name("sensor " + id);
  c->set_capability_type(cap::capability::v1::CAPABILITY_TYPE_SENSOR);
  c->set_confidence(0.5f);
  return o;
}

std::string bin(const google::protobuf::MessageLite& m) { return m.SerializeAsString(); }

std::string encoded(const peat::Replica& r) {
  auto e = r.encode();
  if (!e.ok()) throw std::runtime_error("encode: " + e.error().to_string());
  return e->str();
}

// Applies op to replica r and, statelessly, to ref; the delta and the new
// document must be byte for byte those of doc_apply (also when it fails:
// same status and code, and neither changes).
void apply_both(peat::Replica& r, std::string& ref, const char* type, const std::string& op_bytes) {
  auto stateless = peat::doc_apply(type, ref, op_bytes);
  auto delta = r.apply(op_bytes);
  ASSERT_EQ(delta.ok(), stateless.ok()) << (delta.ok() ? stateless.error() : delta.error()).to_string();
  if (!stateless.ok()) {
    EXPECT_EQ(delta.status(), stateless.status());
    EXPECT_EQ(delta.error().code(), stateless.error().code());
    EXPECT_EQ(encoded(r), ref) << "a failed apply left the replica unchanged";
    return;
  }
  auto res = peat::parse<crdt::ApplyResult>(stateless);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(delta->str(), res->delta());
  ref = res->doc();
  EXPECT_EQ(encoded(r), ref);
}

// Merges bytes into replica r and, statelessly, into ref.
void merge_both(peat::Replica& r, std::string& ref, const char* type, const std::string& doc) {
  auto stateless = peat::doc_merge(type, ref, doc);
  auto merged = r.merge(doc);
  ASSERT_EQ(merged.ok(), stateless.ok()) << (merged.ok() ? stateless.error() : merged.error()).to_string();
  if (!stateless.ok()) {
    EXPECT_EQ(merged.error().code(), stateless.error().code());
    EXPECT_EQ(encoded(r), ref);
    return;
  }
  EXPECT_TRUE(merged->empty());
  ref = stateless->str();
  EXPECT_EQ(encoded(r), ref);
}

// Every output format of materialize equals doc_materialize's.
void expect_same_materialized(const peat::Replica& r, const char* type, const std::string& ref) {
  for (peat::Format f : {peat::Format::Binary, peat::Format::Json, peat::Format::RustJson}) {
    auto stateless = peat::doc_materialize(type, f, ref);
    auto held = r.materialize(f);
    ASSERT_TRUE(stateless.ok()) << stateless.error().to_string();
    ASSERT_TRUE(held.ok()) << held.error().to_string();
    EXPECT_EQ(held->str(), stateless->str()) << "format " << static_cast<int>(f);
  }
}

// True while libpeat still has replica handle h.
bool live(uint64_t h) {
  peat::Buffer out;
  const int32_t st = peat_replica_encode(h, out.reset());
  return !(st == PEAT_E_INVALID_ARGUMENT && peat::Error::decode(st, out).code() == "INVALID_HANDLE");
}

void expect_invalid_handle(const peat::Error& e, const char* what) {
  EXPECT_EQ(e.status(), peat::Status::InvalidArgument) << what;
  EXPECT_EQ(e.code(), "INVALID_HANDLE") << what << ": " << e.to_string();
}

// ---- bytes equal the stateless calls --------------------------------------------

TEST(Replica, TwoCellReplicasGiveTheStatelessBytesAtEveryStep) {
  const crdt::DocInit init = cell_init("cell-alpha", {"uav-1", "uav-2"}, 4);
  auto doc = peat::doc_new(kCellDoc, bin(init));
  ASSERT_TRUE(doc.ok()) << doc.error().to_string();
  std::string ref_a = doc->str(), ref_b = doc->str();

  // A from the DocInit message, B from the document's bytes.
  auto a = peat::Replica::create<crdt::CellDoc>(init);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  auto b = peat::Replica::open(kCellDoc, ref_b);
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  ASSERT_TRUE(a->valid() && b->valid());
  EXPECT_NE(a->handle(), b->handle());
  EXPECT_EQ(encoded(*a), ref_a);
  EXPECT_EQ(encoded(*b), ref_b);

  // Concurrent writers; each ships its delta to the other.
  struct Step {
    bool on_a;
    crdt::Operation op;
  };
  const std::vector<Step> steps = {
      {true, add_member("uav-1", kNow - 50, "uav-7")},
      {false, remove_member("uav-2", kNow - 40, "uav-2")},
      {true, set_leader("uav-1", kNow - 30, "uav-7")},
      {false, add_capability("uav-2", kNow - 20, "eo-1")},
      {true, set_leader("uav-1", kNow - 10, "not-a-member")},  // refused (INVALID_LEADER) by both
      {false, add_member("uav-2", kNow - 5, "uav-9")},
  };
  for (const Step& s : steps) {
    peat::Replica& r = s.on_a ? *a : *b;
    std::string& ref = s.on_a ? ref_a : ref_b;
    auto stateless = peat::doc_apply(kCellDoc, ref, bin(s.op));
    ASSERT_NO_FATAL_FAILURE(apply_both(r, ref, kCellDoc, bin(s.op)));
    if (!stateless.ok()) continue;
    auto res = peat::parse<crdt::ApplyResult>(stateless);
    ASSERT_TRUE(res.ok());
    peat::Replica& peer = s.on_a ? *b : *a;
    std::string& peer_ref = s.on_a ? ref_b : ref_a;
    ASSERT_NO_FATAL_FAILURE(merge_both(peer, peer_ref, kCellDoc, res->delta()));
  }
  EXPECT_EQ(ref_a, ref_b) << "the deltas converge";
  ASSERT_NO_FATAL_FAILURE(expect_same_materialized(*a, kCellDoc, ref_a));

  // Message level: apply returns the delta as the document class, merge
  // takes a document message, materialize/encode parse.
  crdt::Operation more = add_capability("uav-1", kNow - 1, "ir-2");
  auto stateless = peat::parse<crdt::ApplyResult>(peat::doc_apply(kCellDoc, ref_a, bin(more)));
  ASSERT_TRUE(stateless.ok());
  auto delta = a->apply<crdt::CellDoc>(more);
  ASSERT_TRUE(delta.ok()) << delta.error().to_string();
  EXPECT_EQ(bin(*delta), bin(peat::from_bytes<crdt::CellDoc>(stateless->delta()).value()));
  ref_a = stateless->doc();
  EXPECT_EQ(encoded(*a), ref_a);
  auto merged = peat::doc_merge(kCellDoc, ref_b, bin(*delta));
  ASSERT_TRUE(merged.ok());
  ASSERT_TRUE(b->merge(*delta).ok());  // a CellDoc message
  ref_b = merged->str();
  EXPECT_EQ(encoded(*b), ref_b);
  auto view = a->materialize<cell::CellState>();
  auto ref_view = peat::parse<cell::CellState>(peat::doc_materialize(kCellDoc, peat::Format::Binary, ref_a));
  ASSERT_TRUE(view.ok() && ref_view.ok());
  EXPECT_EQ(bin(*view), bin(*ref_view));
  EXPECT_EQ(view->leader_id(), "uav-7");
  auto as_doc = a->encode<crdt::CellDoc>();
  ASSERT_TRUE(as_doc.ok());
  EXPECT_EQ(bin(*as_doc), bin(peat::from_bytes<crdt::CellDoc>(ref_a).value()));

  // merge(const Replica&) is doc_merge of the two documents; itself is a no-op.
  auto joined = peat::doc_merge(kCellDoc, ref_b, ref_a);
  ASSERT_TRUE(joined.ok());
  auto mr = b->merge(*a);
  ASSERT_TRUE(mr.ok()) << mr.error().to_string();
  EXPECT_TRUE(mr->empty());
  EXPECT_EQ(encoded(*b), joined->str());
  EXPECT_EQ(encoded(*a), ref_a) << "the other replica is unchanged";
  ASSERT_TRUE(b->merge(*b).ok());
  EXPECT_EQ(encoded(*b), joined->str());
  // open() of a document message holds the same bytes.
  auto reopened = peat::Replica::open(*as_doc);
  ASSERT_TRUE(reopened.ok()) << reopened.error().to_string();
  EXPECT_EQ(encoded(*reopened), ref_a);
}

TEST(Replica, NodeDocumentFromEmptyMatchesTheStatelessCalls) {
  // The byte-level factory with no init (an empty document), as doc_new.
  auto empty = peat::doc_new(kNodeDoc);
  ASSERT_TRUE(empty.ok());
  auto r = peat::replica_new(kNodeDoc);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  std::string ref = empty->str();
  EXPECT_EQ(encoded(*r), ref);
  auto from_type = peat::Replica::create<crdt::NodeDoc>();
  ASSERT_TRUE(from_type.ok());
  EXPECT_EQ(encoded(*from_type), ref);

  crdt::DocInit init;
  init.set_replica("uav-3");
  init.set_id("uav-3");
  init.mutable_timestamp()->set_seconds(kNow - 60);
  init.mutable_node_state()->set_fuel_minutes(90);
  auto seeded = peat::doc_new(kNodeDoc, bin(init));
  ASSERT_TRUE(seeded.ok()) << seeded.error().to_string();
  // The empty document has no id: merging node uav-3 into it is refused
  // (another entity) by both, and the replica stays empty.
  ASSERT_NO_FATAL_FAILURE(merge_both(*r, ref, kNodeDoc, seeded->str()));
  EXPECT_EQ(r->merge(*seeded).status(), peat::Status::Mismatch);
  EXPECT_EQ(encoded(*r), empty->str());
  // The byte-level factory with a DocInit, as doc_new.
  r = peat::replica_new(kNodeDoc, bin(init));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ref = seeded->str();
  EXPECT_EQ(encoded(*r), ref);

  std::vector<crdt::Operation> ops;
  ops.push_back(op("uav-3", kNow - 50));
  ops.back().mutable_consume_fuel()->set_minutes(15);
  ops.push_back(op("uav-3", kNow - 40));
  ops.back().mutable_update_phase()->set_phase(node::PHASE_CELL);
  ops.push_back(op("uav-3", kNow - 30));
  ops.back().mutable_assign_cell()->set_cell_id("cell-alpha");
  ops.push_back(op("gcs", kNow - 20));
  ops.back().mutable_replenish_fuel()->set_minutes(30);
  ops.push_back(op("uav-3", kNow - 10));
  ops.back().mutable_update_health()->set_health(node::HEALTH_STATUS_DEGRADED);
  for (const crdt::Operation& o : ops) ASSERT_NO_FATAL_FAILURE(apply_both(*r, ref, kNodeDoc, bin(o)));
  ASSERT_NO_FATAL_FAILURE(expect_same_materialized(*r, kNodeDoc, ref));
  auto n = r->materialize<node::Node>();
  ASSERT_TRUE(n.ok()) << n.error().to_string();
  EXPECT_EQ(n->state().fuel_minutes(), 105u);
  EXPECT_EQ(n->state().cell_id(), "cell-alpha");
}

// ---- clones ---------------------------------------------------------------------

TEST(Replica, CloneIsIndependentBothWays) {
  auto a = peat::Replica::create<crdt::CellDoc>(cell_init("cell-alpha", {"uav-1"}, 8));
  ASSERT_TRUE(a.ok());
  const std::string before = encoded(*a);
  auto c = a->clone();
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_NE(c->handle(), a->handle());
  EXPECT_EQ(encoded(*c), before);

  ASSERT_TRUE(c->apply(bin(add_member("uav-2", kNow, "uav-2"))).ok());
  EXPECT_EQ(encoded(*a), before) << "applying to the clone leaves the original";
  const std::string clone_after = encoded(*c);
  EXPECT_NE(clone_after, before);
  ASSERT_TRUE(a->apply(bin(add_member("uav-1", kNow, "uav-5"))).ok());
  EXPECT_EQ(encoded(*c), clone_after) << "applying to the original leaves the clone";
  a->close();
  EXPECT_EQ(encoded(*c), clone_after) << "closing the original leaves the clone";
  auto cc = c->clone();
  ASSERT_TRUE(cc.ok());
  c->close();
  EXPECT_EQ(encoded(*cc), clone_after);
}

// ---- RAII and moves ------------------------------------------------------------

TEST(Replica, DestructorMoveAssignmentAndReleaseFreeEachHandleOnce) {
  uint64_t h1 = 0;
  {
    auto r = peat::Replica::create(kCellDoc);
    ASSERT_TRUE(r.ok());
    h1 = r->handle();
    EXPECT_TRUE(live(h1));
  }
  EXPECT_FALSE(live(h1)) << "freed by the destructor";

  peat::Replica a = peat::Replica::create(kCellDoc).value();
  peat::Replica b = peat::Replica::create(kNodeDoc).value();
  const uint64_t ha = a.handle(), hb = b.handle();
  ASSERT_NE(ha, 0u);
  ASSERT_NE(hb, 0u);
  a = std::move(b);  // a's old handle is freed, b's moves over
  EXPECT_FALSE(live(ha));
  EXPECT_TRUE(live(hb));
  EXPECT_EQ(a.handle(), hb);
  EXPECT_EQ(b.handle(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_FALSE(b.valid());
  EXPECT_FALSE(static_cast<bool>(b));
  peat::Replica& same = a;
  a = std::move(same);  // self-move keeps the handle
  EXPECT_EQ(a.handle(), hb);
  EXPECT_TRUE(live(hb));

  peat::Replica moved(std::move(a));
  EXPECT_EQ(moved.handle(), hb);
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(moved.valid() && moved.is_open() && static_cast<bool>(moved));

  const uint64_t raw = moved.release();  // ownership leaves the wrapper
  EXPECT_EQ(raw, hb);
  EXPECT_FALSE(moved.valid());
  EXPECT_TRUE(live(raw));
  {
    peat::Replica adopted(raw);  // and comes back
    EXPECT_EQ(adopted.handle(), raw);
    EXPECT_TRUE(adopted.encode().ok());
  }
  EXPECT_FALSE(live(raw));
}

TEST(Replica, UseAfterCloseOrMoveIsLibpeatsInvalidHandle) {
  const std::string add = bin(add_member("uav-1", kNow, "uav-2"));
  peat::Replica r = peat::Replica::create<crdt::CellDoc>(cell_init("cell-alpha", {"uav-1"}, 4)).value();
  const uint64_t h = r.handle();
  r.close();
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.handle(), 0u);
  r.close();  // a second close does nothing
  EXPECT_FALSE(live(h)) << "close() really freed libpeat's object";

  peat::Replica fresh = peat::Replica::create(kCellDoc).value();
  peat::Replica moved_to(std::move(fresh));
  peat::Replica none;
  for (peat::Replica* dead : {&r, &fresh, &none}) {
    ASSERT_EQ(dead->handle(), 0u);
    expect_invalid_handle(dead->apply(add).error(), "apply");
    expect_invalid_handle(dead->apply<crdt::CellDoc>(add_member("uav-1", kNow, "uav-3")).error(), "apply<Doc>");
    expect_invalid_handle(dead->merge(peat::Bytes()).error(), "merge(bytes)");
    expect_invalid_handle(dead->merge(crdt::CellDoc()).error(), "merge(message)");
    expect_invalid_handle(dead->merge(moved_to).error(), "merge(replica)");
    expect_invalid_handle(dead->materialize(peat::Format::Json).error(), "materialize");
    expect_invalid_handle(dead->materialize<cell::CellState>().error(), "materialize<Icd>");
    expect_invalid_handle(dead->encode().error(), "encode");
    expect_invalid_handle(dead->encode<crdt::CellDoc>().error(), "encode<Doc>");
    auto c = dead->clone();
    ASSERT_FALSE(c.ok());
    expect_invalid_handle(c.error(), "clone");
    // A live replica merging a dead one: the same error, and no change.
    const std::string before = encoded(moved_to);
    expect_invalid_handle(moved_to.merge(*dead).error(), "merge(dead replica)");
    EXPECT_EQ(encoded(moved_to), before);
  }
  EXPECT_TRUE(moved_to.apply(add).ok()) << "the move target carries on";
  EXPECT_THROW((void)r.encode().value(), peat::Exception);
}

// ---- errors ----------------------------------------------------------------------

TEST(Replica, MergingAnotherDocumentTypeIsDocTypeMismatch) {
  peat::Replica c = peat::Replica::create<crdt::CellDoc>(cell_init("cell-alpha", {"uav-1"}, 4)).value();
  peat::Replica z = peat::Replica::create<crdt::ZoneDoc>().value();
  const std::string cell_before = encoded(c), zone_before = encoded(z);
  using Pair = std::pair<peat::Replica*, peat::Replica*>;
  for (auto [into, from] : {Pair{&c, &z}, Pair{&z, &c}}) {
    auto m = into->merge(*from);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status(), peat::Status::Mismatch);
    EXPECT_EQ(m.error().code(), "DOC_TYPE_MISMATCH") << m.error().to_string();
  }
  EXPECT_EQ(encoded(c), cell_before);
  EXPECT_EQ(encoded(z), zone_before);

  // Another cell (another entity) is PEAT_E_MISMATCH, as doc_merge says.
  auto other = peat::doc_new(kCellDoc, bin(cell_init("cell-beta", {"uav-9"}, 4)));
  ASSERT_TRUE(other.ok());
  auto stateless = peat::doc_merge(kCellDoc, cell_before, *other);
  ASSERT_FALSE(stateless.ok());
  auto m = c.merge(*other);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status(), peat::Status::Mismatch);
  EXPECT_EQ(m.error().code(), stateless.error().code());
  EXPECT_EQ(m.error().field_path(), stateless.error().field_path());
  EXPECT_EQ(encoded(c), cell_before);
}

TEST(Replica, GarbageBytesAreDecodeErrorsAndChangeNothing) {
  const std::string garbage("\x0a\xff\xff", 3);  // a length past the end
  auto opened = peat::Replica::open(kCellDoc, garbage);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status(), peat::Status::Decode);
  EXPECT_EQ(opened.error().code(), "DECODE_ERROR") << opened.error().to_string();
  auto created = peat::Replica::create(kCellDoc, garbage);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status(), peat::Status::Decode);

  peat::Replica r = peat::Replica::create<crdt::CellDoc>(cell_init("cell-alpha", {"uav-1"}, 4)).value();
  const std::string before = encoded(r);
  auto applied = r.apply(garbage);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status(), peat::Status::Decode);
  auto merged = r.merge(garbage);
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.status(), peat::Status::Decode);
  EXPECT_EQ(merged.error().code(), "DECODE_ERROR");
  EXPECT_EQ(encoded(r), before);
  // Unknown types, a NUL inside the name (refused before libpeat is
  // called), a format that is none.
  auto unknown = peat::Replica::create("cap.cell.v1.CellState");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status(), peat::Status::UnknownType);
  auto nul = peat::Replica::open(std::string("peat.crdt.v1.CellDoc\0x", 22), "");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.status(), peat::Status::InvalidArgument);
  auto fmt = r.materialize(static_cast<peat::Format>(42));
  ASSERT_FALSE(fmt.ok());
  EXPECT_EQ(fmt.status(), peat::Status::InvalidArgument);
  EXPECT_EQ(encoded(r), before);
  // The throwing conveniences.
  EXPECT_THROW((void)r.apply(garbage).value(), peat::Exception);
  EXPECT_THROW((void)peat::unwrap(peat::Replica::open(kCellDoc, garbage)), peat::Exception);
  peat::Replica ok = peat::unwrap(peat::replica_open(kCellDoc, before));
  EXPECT_EQ(encoded(ok), before);
}

// ---- threads ---------------------------------------------------------------------

TEST(Replica, ClonesOnThreadsMergeToTheStatelessJoin) {
  constexpr int kThreads = 4, kOps = 25;
  peat::Replica shared = peat::Replica::create<crdt::CellDoc>(cell_init("cell-alpha", {"uav-1"}, 4)).value();
  std::vector<peat::Replica> clones;
  for (int t = 0; t < kThreads; t++) clones.push_back(shared.clone().value());
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      const std::string w = "w" + std::to_string(t);
      for (int i = 0; i < kOps; i++)
        if (!clones[static_cast<size_t>(t)].apply(bin(add_capability(w, kNow + i, w + "-" + std::to_string(i)))).ok())
          failures[static_cast<size_t>(t)]++;
    });
  }
  for (std::thread& th : threads) th.join();
  std::string ref = encoded(shared);
  for (int t = 0; t < kThreads; t++) {
    EXPECT_EQ(failures[static_cast<size_t>(t)], 0);
    auto joined = peat::doc_merge(kCellDoc, ref, encoded(clones[static_cast<size_t>(t)]));
    ASSERT_TRUE(joined.ok());
    ref = joined->str();
    ASSERT_TRUE(shared.merge(clones[static_cast<size_t>(t)]).ok());
    EXPECT_EQ(encoded(shared), ref);
  }
  auto view = shared.materialize<cell::CellState>();
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->capabilities_size(), kThreads * kOps);
}

}  // namespace
