// Benchmark of the C++ binding: each operation through peat.hpp, and for the
// per-call overhead the same call made directly through the C ABI in the
// same run. Rounds of the wrapper and the raw C call alternate and the
// fastest round of each is kept, so background load affects both alike.
// Usage: bench INPUTS_DIR OUT.json
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "peat/peat.hpp"

namespace {

std::string slurp(const std::string& dir, const char* name) {
  std::ifstream f(dir + "/" + name, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "bench: cannot open %s/%s\n", dir.c_str(), name);
    std::exit(1);
  }
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// One timed round: ns per op of `iters` runs of op.
double round_ns(const std::function<void()>& op, long iters) {
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < iters; i++) op();
  const auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(iters);
}

// Iterations for a round of ~target_ns.
long calibrate(const std::function<void()>& op, double target_ns) {
  long iters = 1;
  for (;;) {
    const double ns = round_ns(op, iters) * static_cast<double>(iters);
    if (ns > target_ns / 4 || iters > (1L << 30)) return std::max(1L, static_cast<long>(static_cast<double>(iters) * target_ns / std::max(ns, 1.0)));
    iters *= 10;
  }
}

struct Result {
  std::string name;
  double ns;
  std::string note;
};
std::vector<Result> results;

// Times ops side by side in alternating rounds; returns the best round of each.
std::vector<double> measure(const std::vector<std::function<void()>>& ops, int rounds = 7, double round_target_ns = 6e7) {
  std::vector<long> iters;
  for (const auto& op : ops) {
    op();  // warm-up
    iters.push_back(calibrate(op, round_target_ns));
  }
  std::vector<double> best(ops.size(), 1e300);
  for (int r = 0; r < rounds; r++)
    for (size_t i = 0; i < ops.size(); i++) best[i] = std::min(best[i], round_ns(ops[i], iters[i]));
  return best;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Wrapper and raw C call, timed in many short chunks that alternate (A B, B A,
// ...), so both see the same background load. Returns the median ns/op of
// each and the median of the per-pair differences (wrapper - C).
struct Pair {
  double wrapper, c, diff;
};
Pair measure_pair(const std::function<void()>& wrapper, const std::function<void()>& c, int pairs = 400) {
  wrapper();
  c();
  const long iters = std::max(calibrate(wrapper, 1e6), calibrate(c, 1e6));
  std::vector<double> a, b, d;
  for (int i = 0; i < pairs; i++) {
    double x, y;
    if (i % 2 == 0) {
      x = round_ns(wrapper, iters);
      y = round_ns(c, iters);
    } else {
      y = round_ns(c, iters);
      x = round_ns(wrapper, iters);
    }
    a.push_back(x);
    b.push_back(y);
    d.push_back(x - y);
  }
  return {median(a), median(b), median(d)};
}

std::string fmt(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

// Checks that the call works before timing it.
bool works(const char* name, const peat::Result<peat::Buffer>& r) {
  if (r.ok()) return true;
  std::fprintf(stderr, "cpp %-34s %s\n", name, r.error().to_string().c_str());
  results.push_back({name, -1, r.error().code()});
  return false;
}

void record(const std::string& name, double ns, const std::string& note) {
  results.push_back({name, ns, note});
  std::fprintf(stderr, "cpp %-34s %12.1f ns/op  %s\n", name.c_str(), ns, note.c_str());
}

volatile uint32_t sink;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: bench INPUTS_DIR OUT.json\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::string small = slurp(dir, "nodeconfig_small.bin"), big = slurp(dir, "nodeconfig_50kb.bin");
  const std::string cs_a = slurp(dir, "cellstate8_a.bin"), cs_b = slurp(dir, "cellstate8_b.bin");
  const std::string ns = slurp(dir, "nodestate_small.bin");
  const char* kNodeConfig = "cap.node.v1.NodeConfig";

  {
    Pair p = measure_pair([] { sink = peat::abi_version(); }, [] { sink = peat_abi_version(); });
    record("abi_version", p.wrapper, "peat::abi_version() (inline); median wrapper - C = " + fmt(p.diff) + " ns");
    record("abi_version_c", p.c, "peat_abi_version() called directly from C++, same run");
  }
  if (works("convert_nodeconfig_bin_to_json", peat::convert(kNodeConfig, peat::Format::Binary, peat::Format::Json, small))) {
    Pair p = measure_pair([&] {
                           peat::Result<peat::Buffer> r =
                               peat::convert(kNodeConfig, peat::Format::Binary, peat::Format::Json, small);
                           sink = static_cast<uint32_t>(r->size());
                         },
                         [&] {
                           peat_buf out{nullptr, 0};
                           peat_convert(kNodeConfig, PEAT_FORMAT_BINARY, PEAT_FORMAT_JSON,
                                        reinterpret_cast<const uint8_t*>(small.data()), small.size(), &out);
                           sink = static_cast<uint32_t>(out.len);
                           peat_buf_free(&out);
                         }, 200);
    record("convert_nodeconfig_bin_to_json", p.wrapper,
           "peat::convert, Result<Buffer> freed; median wrapper - C = " + fmt(p.diff) + " ns");
    record("convert_nodeconfig_bin_to_json_c", p.c, "peat_convert + peat_buf_free from C++, same run");
  }

  // The wrapper's own cost is clearest on a cheap call that still returns a
  // buffer: an empty message converted binary -> binary.
  if (works("convert_empty_bin_to_bin", peat::convert("cap.common.v1.Uuid", peat::Format::Binary, peat::Format::Binary, peat::Bytes()))) {
    Pair p = measure_pair([&] {
                           peat::Result<peat::Buffer> r =
                               peat::convert("cap.common.v1.Uuid", peat::Format::Binary, peat::Format::Binary, peat::Bytes());
                           sink = static_cast<uint32_t>(r.ok());
                         },
                         [&] {
                           peat_buf out{nullptr, 0};
                           sink = static_cast<uint32_t>(
                               peat_convert("cap.common.v1.Uuid", PEAT_FORMAT_BINARY, PEAT_FORMAT_BINARY, nullptr, 0, &out));
                           peat_buf_free(&out);
                         });
    record("convert_empty_bin_to_bin", p.wrapper,
           "peat::convert of an empty Uuid; median wrapper - C = " + fmt(p.diff) + " ns");
    record("convert_empty_bin_to_bin_c", p.c, "peat_convert + peat_buf_free from C++, same run");
  }
  {
    // What the wrapper adds around any C call, without the call: a
    // Result<Buffer> built from a successful status, moved out and destroyed.
    auto best = measure({[] {
      peat::Result<peat::Buffer> r = peat::detail::finish(PEAT_OK, peat::Buffer());
      peat::Buffer b = std::move(*r);
      sink = static_cast<uint32_t>(b.size());
    }});
    record("wrapper_result_overhead", best[0], "Result<Buffer> construction + move + destruction alone, no C call");
  }

  auto single = [&](const char* name, const std::function<peat::Result<peat::Buffer>()>& call, const char* note,
                    double per = 1) {
    if (!works(name, call())) return;
    auto best = measure({[&] {
                          peat::Result<peat::Buffer> r = call();
                          sink = static_cast<uint32_t>(r.ok());
                        }},
                        5);
    record(name, best[0] / per, note);
  };
  single("validate_nodeconfig_small", [&] { return peat::validate(kNodeConfig, peat::Format::Binary, small); },
         "peat::validate, default options");
  single("validate_nodeconfig_50kb", [&] { return peat::validate(kNodeConfig, peat::Format::Binary, big); },
         "peat::validate, default options");
  single("merge_cellstate8",
         [&] { return peat::merge("cap.cell.v1.CellState", peat::Format::Binary, peat::Format::Binary, cs_a, cs_b); },
         "peat::merge binary -> binary");
  for (const char* size : {"10k", "100k"}) {
    const std::string a = slurp(dir, (std::string("celldoc_") + size + "_a.bin").c_str());
    const std::string b = slurp(dir, (std::string("celldoc_") + size + "_b.bin").c_str());
    single((std::string("doc_merge_cell_") + size).c_str(),
           [&] { return peat::doc_merge("peat.crdt.v1.CellDoc", a, b); }, "peat::doc_merge");
  }
  {
    const std::vector<const uint8_t*> ptrs(1000, reinterpret_cast<const uint8_t*>(ns.data()));
    const std::vector<size_t> lens(1000, ns.size());
    single("validate_batch_1000",
           [&] {
             return peat::validate_batch("cap.node.v1.NodeState", peat::Format::Binary, ptrs.data(), lens.data(), 1000);
           },
           "peat::validate_batch (pointer arrays) of 1000 NodeState; ns per message", 1000);
  }

  std::FILE* f = std::fopen(argv[2], "w");
  if (f == nullptr) return 1;
  std::fprintf(f, "{\"language\": \"cpp\", \"results\": [");
  for (size_t i = 0; i < results.size(); i++) {
    std::fprintf(f, "%s\n  {\"name\": \"%s\", \"ns_per_op\": %.2f, \"note\": \"%s\"}", i ? "," : "",
                 results[i].name.c_str(), results[i].ns, results[i].note.c_str());
  }
  std::fprintf(f, "\n]}\n");
  std::fclose(f);
  return 0;
}
