// Every case of every tests/vectors/<area>/manifest.json, run through the
// byte-level calls of peat.hpp (one C call each). Areas are discovered at run
// time, one GoogleTest test per area (Vectors.<area>).
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "mini_json.hpp"
#include "peat/directive/v1/directive.pb.h"
#include "peat/validation/v1/validation.pb.h"
#include "support.hpp"

namespace {

using peat::Bytes;
using peat::Format;

std::vector<std::string> list_areas() {
  std::vector<std::string> areas;
  DIR* d = opendir(PEAT_VECTORS_DIR);
  if (d == nullptr) return areas;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::ifstream probe(std::string(PEAT_VECTORS_DIR) + "/" + name + "/manifest.json");
    if (probe.good()) areas.push_back(name);
  }
  closedir(d);
  std::sort(areas.begin(), areas.end());
  return areas;
}

Format parse_format(const std::string& s) {
  if (s == "binary") return Format::Binary;
  if (s == "json") return Format::Json;
  if (s == "rust-json") return Format::RustJson;
  if (!s.empty()) ADD_FAILURE() << "unknown format " << s;
  return static_cast<Format>(0);
}

// Runs one case through the wrapper; sets *known=false for an unknown op.
peat::Result<peat::Buffer> exec(const std::string& dir, const mini_json::Value& c, bool* known) {
  std::vector<std::string> ins;
  if (c.has("inputs"))
    for (const mini_json::Value& f : c.at("inputs").arr) ins.push_back(peat_test::read_file(dir + "/" + f.str));
  const std::string opts = c.has("options") ? peat_test::read_file(dir + "/" + c.at("options").str) : std::string();
  const std::string op = c.at("op").str;
  const std::string type = c.get_string("type");
  const Format from = parse_format(c.get_string("from"));
  const Format to = parse_format(c.get_string("to"));
  const uint64_t max_out = c.has("max_out") ? c.at("max_out").u64 : 0;
  auto arg = [&](size_t i) { return i < ins.size() ? Bytes(ins[i]) : Bytes(); };
  std::vector<Bytes> all(ins.begin(), ins.end());
  *known = true;
  if (op == "convert") return peat::convert(type, from, to, arg(0));
  if (op == "compress") return peat::compress(arg(0));
  if (op == "decompress") return peat::decompress(arg(0), max_out);
  if (op == "validate") return peat::validate(type, from, arg(0), opts);
  if (op == "validate_batch") return peat::validate_batch(type, from, all, opts);
  if (op == "sanitize") return peat::sanitize(type, from, to, arg(0));
  if (op == "merge") return peat::merge(type, from, to, arg(0), arg(1));
  if (op == "merge_batch") return peat::merge_batch(type, from, to, all);
  if (op == "doc_new") return peat::doc_new(type, arg(0));
  if (op == "doc_apply") return peat::doc_apply(type, arg(0), arg(1));
  if (op == "doc_merge") return peat::doc_merge(type, arg(0), arg(1));
  if (op == "doc_materialize") return peat::doc_materialize(type, to, arg(0));
  if (op == "directive_target") return peat::directive_target(arg(0));
  if (op == "directive_advance") return peat::directive_advance(arg(0));
  if (op == "directive_summarize") return peat::directive_summarize(arg(0));
  *known = false;
  return peat::Error(PEAT_E_INVALID_ARGUMENT, "UNKNOWN_OP", "unknown op " + op, "");
}

void check_case(const std::string& dir, const mini_json::Value& c) {
  SCOPED_TRACE(c.at("name").str + " (" + c.at("op").str + ")");
  bool known = false;
  peat::Result<peat::Buffer> r = exec(dir, c, &known);
  ASSERT_TRUE(known) << "unknown op " << c.at("op").str << ": the C++ test must learn it";
  const mini_json::Value& want = c.at("expect");
  const std::string want_status = want.at("status").str;
  ASSERT_EQ(std::string(peat::status_name(r.ok() ? PEAT_OK : r.error().raw_status())), want_status)
      << (r.ok() ? std::string("call succeeded") : r.error().to_string());
  if (!r.ok()) {
    if (want.has("code")) {
      EXPECT_EQ(r.error().code(), want.at("code").str);
    }
    return;
  }
  if (want.has("output")) {
    const std::string expected = peat_test::read_file(dir + "/" + want.at("output").str);
    EXPECT_TRUE(r->view() == expected) << "output differs from " << want.at("output").str << " (" << r->size()
                                       << " bytes, want " << expected.size() << ")";
  }
  if (want.has("valid")) {
    peat::validation::v1::ValidationReport report;
    ASSERT_TRUE(report.ParseFromArray(r->data(), static_cast<int>(r->size())));
    EXPECT_EQ(report.valid(), want.at("valid").b);
    std::vector<std::pair<std::string, std::string>> got, expected;
    for (const auto& v : report.violations()) got.emplace_back(v.code(), v.path());
    if (want.has("violations")) {
      for (const mini_json::Value& v : want.at("violations").arr) expected.emplace_back(v.at("code").str, v.at("path").str);
    }
    EXPECT_EQ(got, expected);
  }
  if (want.has("targeted")) {
    peat::directive::v1::TargetDecision decision;
    ASSERT_TRUE(decision.ParseFromArray(r->data(), static_cast<int>(r->size())));
    EXPECT_EQ(decision.targeted(), want.at("targeted").b);
  }
}

class VectorArea : public testing::Test {
 public:
  explicit VectorArea(std::string area) : area_(std::move(area)) {}
  void TestBody() override {
    const std::string dir = std::string(PEAT_VECTORS_DIR) + "/" + area_;
    const mini_json::Value m = mini_json::parse(peat_test::read_file(dir + "/manifest.json"));
    ASSERT_EQ(m.at("area").str, area_);
    const auto& cases = m.at("cases").arr;
    ASSERT_FALSE(cases.empty()) << "manifest of " << area_ << " has no case";
    for (const mini_json::Value& c : cases) check_case(dir, c);
    RecordProperty("cases", static_cast<int>(cases.size()));
  }

 private:
  std::string area_;
};

// Registers Vectors.<area> for each area present when the binary starts.
const bool registered = [] {
  for (const std::string& area : list_areas()) {
    testing::RegisterTest("Vectors", area.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [area]() -> testing::Test* { return new VectorArea(area); });
  }
  return true;
}();

TEST(VectorsDir, HasManifests) {
  EXPECT_TRUE(registered);
  EXPECT_FALSE(list_areas().empty()) << "no manifest under " << PEAT_VECTORS_DIR;
}

}  // namespace
