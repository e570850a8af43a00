// 16 threads call the library at once; every call must give exactly the
// result the same call gave on one thread (peat.h rule 4: no shared state).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "cap/cell/v1/cell.pb.h"
#include "support.hpp"

namespace {

using peat::Format;

struct Outcome {
  bool ok;
  int32_t status;
  std::string bytes;  // output on success, error code otherwise
  bool operator==(const Outcome& o) const { return ok == o.ok && status == o.status && bytes == o.bytes; }
};

Outcome outcome(const peat::Result<peat::Buffer>& r) {
  if (r.ok()) return {true, PEAT_OK, r->str()};
  return {false, r.error().raw_status(), r.error().code()};
}

std::string cell_state(const std::string& member) {
  cap::cell::v1::CellState s;
  s.mutable_config()->set_id("cell-alpha");
  s.mutable_config()->set_max_size(8);
  s.mutable_config()->set_min_size(2);
  s.add_members("uav-1");
  s.add_members(member);
  s.mutable_timestamp()->set_seconds(1700000000);
  return s.SerializeAsString();
}

TEST(Threads, SixteenThreadsGetTheSingleThreadedResults) {
  const std::string bin = peat_test::node_config_bin();
  const std::string cell_a = cell_state("uav-2"), cell_b = cell_state("uav-3");
  const std::string payload(4096, 'p');
  const std::vector<std::function<peat::Result<peat::Buffer>()>> calls = {
      [&] { return peat::convert("cap.node.v1.NodeConfig", Format::Binary, Format::Json, bin); },
      [&] { return peat::convert("cap.node.v1.NodeConfig", Format::Json, Format::Binary, peat_test::node_config_json()); },
      [&] { return peat::validate("cap.node.v1.NodeConfig", Format::Binary, bin); },
      [&] { return peat::validate_batch("cap.node.v1.NodeConfig", Format::Binary, {bin, bin, "\xff"}); },
      [&] { return peat::merge("cap.cell.v1.CellState", Format::Binary, Format::Binary, cell_a, cell_b); },
      [&] { return peat::compress(payload); },
      [&] { return peat::convert("cap.node.v1.NodeConfig", Format::Binary, Format::Json, "\xff\xff"); },
      [&] { return peat::types(); },
  };
  std::vector<Outcome> expected;
  for (const auto& call : calls) expected.push_back(outcome(call()));
  ASSERT_TRUE(expected[0].ok && expected[1].ok && expected[5].ok && expected[7].ok);
  ASSERT_FALSE(expected[6].ok);

  constexpr int kThreads = 16, kRounds = 150;
  std::atomic<int> mismatches{0}, calls_made{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kRounds; i++) {
        const size_t k = static_cast<size_t>(t + i) % calls.size();
        if (!(outcome(calls[k]()) == expected[k])) mismatches++;
        calls_made++;
        // Round-trip the compressed frame too: the output of one call is the
        // input of the next on the same thread.
        if (k == 5) {
          peat::Result<peat::Buffer> frame = peat::compress(payload);
          peat::Result<peat::Buffer> back = peat::decompress(*frame);
          if (!back.ok() || back->view() != payload) mismatches++;
        }
      }
    });
  }
  go = true;
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(calls_made.load(), kThreads * kRounds);
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
