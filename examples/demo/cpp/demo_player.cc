// The C++ player of `make demo`: hosts the replicas of the plan's C++ nodes
// (n1, n2) and plays one phase per run, as examples/demo/README.md specifies
// (the player contract). Uses only peat.hpp's public API; messages are the
// classes the system protoc generates from proto/.
//
// Usage: demo_player PHASE [ROUND] --dir DIR
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cap/cell/v1/cell.pb.h"
#include "cap/node/v1/node.pb.h"
#include "peat/crdt/v1/crdt.pb.h"
#include "peat/demo/v1/demo.pb.h"
#include "peat/directive/v1/directive.pb.h"
#include "peat/peat.hpp"
#include "peat/validation/v1/validation.pb.h"
#include "sha256.hpp"

namespace fs = std::filesystem;
namespace crdt = peat::crdt::v1;
namespace dir_v1 = peat::directive::v1;
namespace demo_v1 = peat::demo::v1;
using peat::validation::v1::ValidationReport;

namespace {

const char* const kLang = "cpp";

// Failure of a step of the demo (a libpeat error or a broken expectation).
struct DemoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The value of a peat call, or a DemoError naming the call.
template <class T>
T check(peat::Result<T>&& r, const std::string& what) {
  if (!r.ok()) throw DemoError(what + ": " + r.error().to_string());
  return std::move(*r);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw DemoError("cannot read " + p.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& p, peat::Bytes b) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  if (!out) throw DemoError("cannot write " + p.string());
}

// A document key as spelt in file names ("node/n2" -> "node_n2").
std::string file_key(std::string key) {
  std::replace(key.begin(), key.end(), '/', '_');
  return key;
}

std::string state_name(int state) {
  std::string s = dir_v1::DeploymentState_Name(static_cast<dir_v1::DeploymentState>(state));
  return s.substr(std::string("DEPLOYMENT_STATE_").size());
}

template <class M>
std::string serialize(const M& m) {
  return check(peat::to_bytes(m), "serialize " + peat::type_name_of(m));
}

// Why a received delta must be refused (undecodable or invalid), or "".
std::string refusal(const std::string& type, const std::string& delta) {
  auto report = peat::parse<ValidationReport>(peat::validate(type, peat::Format::Binary, delta));
  if (!report.ok()) return report.error().to_string();
  if (report->valid()) return "";
  const auto& v = report->violations(0);
  return v.code() + " at " + v.path() + ": " + v.message();
}

void say(const std::string& who, const std::string& text) { std::printf("[%s %s] %s\n", kLang, who.c_str(), text.c_str()); }

class Player {
 public:
  explicit Player(fs::path dir) : dir_(std::move(dir)) {
    const std::string bin = read_file(dir_ / "plan.bin");
    if (!plan_.ParseFromString(bin)) throw DemoError("unreadable plan.bin");
    for (const auto& d : plan_.docs()) docs_[d.key()] = &d;
    for (int i = 0; i < plan_.nodes_size(); i++) {
      if (plan_.nodes(i).language() == kLang) own_.emplace_back(i, &plan_.nodes(i));
    }
  }

  int rounds() const { return plan_.rounds_size(); }

  void init() {
    for (const auto& [index, node] : own_) {
      for (const auto& d : plan_.docs()) {
        save(node->id(), d.key(), check(peat::doc_new(d.type(), serialize(d.init())), "doc_new " + d.key()).str());
      }
      std::string keys;
      for (const auto& d : plan_.docs()) keys += " " + d.key();
      say(node->id(), "creates its replicas of" + keys);
    }
  }

  void act(int round) {
    const auto& steps = plan_.rounds(round).steps();
    for (int i = 0; i < steps.size(); i++) {
      const demo_v1::Step& s = steps[i];
      if (!owns(s.by())) continue;
      const std::string doc = load(s.by(), s.doc());
      auto applied = check(peat::parse<crdt::ApplyResult>(peat::doc_apply(type_of(s.doc()), doc, serialize(s.op()))),
                           s.say());
      save(s.by(), s.doc(), applied.doc());
      char name[32];
      std::snprintf(name, sizeof name, "%03d__", i);
      write_file(dir_ / "mesh" / std::to_string(round) / (name + file_key(s.doc()) + ".delta"), applied.delta());
      say(s.by(), s.say() + " (delta " + std::to_string(applied.delta().size()) + " bytes)");
    }
  }

  void sync(int round) {
    struct Delta {
      std::string name, key, bytes;
    };
    std::map<std::string, std::string> by_file_key;
    for (const auto& [key, d] : docs_) by_file_key[file_key(key)] = key;
    std::vector<Delta> deltas;
    for (const auto& e : fs::directory_iterator(dir_ / "mesh" / std::to_string(round))) {
      const std::string name = e.path().filename().string();
      if (e.path().extension() != ".delta") continue;
      const std::string fk = name.substr(name.find("__") + 2, name.size() - name.find("__") - 2 - 6);
      deltas.push_back({name, by_file_key.at(fk), read_file(e.path())});
    }
    std::sort(deltas.begin(), deltas.end(), [](const Delta& a, const Delta& b) { return a.name < b.name; });

    for (const auto& [index, node] : own_) {
      // A Fisher-Yates shuffle on the raw engine: the same order with any standard library.
      std::mt19937_64 rng(static_cast<uint64_t>(plan_.seed() + index));
      std::vector<size_t> order(deltas.size());
      for (size_t i = 0; i < order.size(); i++) order[i] = i;
      for (size_t i = order.size(); i > 1; i--) std::swap(order[i - 1], order[rng() % i]);

      std::map<std::string, std::string> replica;
      for (const auto& [key, d] : docs_) replica[key] = load(node->id(), key);
      int delivered = 0, refused = 0;
      for (size_t i : order) {
        const Delta& d = deltas[i];
        const std::string& type = type_of(d.key);
        for (int times = 1 + static_cast<int>(rng() % 2); times > 0; times--) {
          delivered++;
          const std::string problem = refusal(type, d.bytes);
          if (!problem.empty()) {
            refused++;
            say(node->id(), "refused " + d.name + ": " + problem);
            continue;
          }
          replica[d.key] = check(peat::doc_merge(type, replica[d.key], d.bytes), "merge " + d.name).str();
        }
      }
      for (const auto& [key, doc] : replica) save(node->id(), key, doc);

      auto cell_bytes = check(peat::doc_materialize(type_of("cell"), peat::Format::Binary, replica["cell"]), "materialize");
      auto cell = check(peat::from_bytes<cap::cell::v1::CellState>(cell_bytes), "parse the cell");
      auto report = check(peat::validate_message<ValidationReport>(cell), "validate the cell");
      std::string members;
      for (const auto& m : cell.members()) members += (members.empty() ? "" : " ") + m;
      const std::string verdict =
          report.valid() ? "valid"
                         : "INVALID (" + report.violations(0).code() + " at " + report.violations(0).path() + ")";
      std::string fuel;
      for (const auto& n : plan_.nodes()) {
        const std::string key = "node/" + n.id();
        auto m = check(peat::doc_materialize(type_of(key), peat::Format::Binary, replica[key]), "materialize " + key);
        auto material = check(peat::from_bytes<cap::node::v1::Node>(m), "parse " + key);
        fuel += (fuel.empty() ? "" : " ") + n.id() + " " + std::to_string(material.state().fuel_minutes());
      }
      say(node->id(), "merged " + std::to_string(deltas.size()) + " deltas (" + std::to_string(delivered) +
                          " deliveries, shuffled, " + std::to_string(refused) + " refused): cell " + verdict +
                          ", members " + members + ", leader " + (cell.leader_id().empty() ? "-" : cell.leader_id()) +
                          ", fuel " + fuel);
      if (!report.valid()) throw DemoError("the merged cell is invalid");
    }
  }

  void deploy() {
    const fs::path deploy = dir_ / "mesh" / "deploy";
    dir_v1::DeploymentDirective directive;
    if (!directive.ParseFromString(read_file(deploy / "directive.bin"))) throw DemoError("unreadable directive.bin");
    for (const auto& [index, node] : own_) {
      const std::string key = "node/" + node->id();
      auto material = check(peat::doc_materialize(type_of(key), peat::Format::Binary, load(node->id(), key)), "materialize");
      auto self = check(peat::from_bytes<cap::node::v1::Node>(material), "parse the node");

      dir_v1::TargetRequest req;
      *req.mutable_directive() = directive;
      *req.mutable_node_config() = node->config();
      *req.mutable_node_state() = self.state();
      *req.mutable_resources() = node->resources();
      auto decision = check(peat::target<dir_v1::TargetDecision>(req), "directive_target");
      if (!decision.targeted()) {
        say(node->id(), "not targeted by " + directive.directive_id() + ": " + decision.reason());
        continue;
      }
      say(node->id(), "targeted by " + directive.directive_id() + ": " + decision.reason());

      dir_v1::DeploymentStatus status;
      status.set_directive_id(directive.directive_id());
      status.set_node_id(node->id());
      status.set_state(dir_v1::DEPLOYMENT_STATE_PENDING);
      *status.mutable_reported_at() = plan_.pending_at();
      std::string steps = state_name(status.state());
      for (const auto& t : plan_.reports().at(node->id()).transitions()) {
        dir_v1::AdvanceRequest adv;
        *adv.mutable_current() = status;
        *adv.mutable_transition() = t;
        status = check(peat::advance<dir_v1::DeploymentStatus>(adv), "directive_advance");
        steps += " -> " + state_name(status.state());
        if (t.state() == dir_v1::DEPLOYMENT_STATE_DOWNLOADING) steps += " " + std::to_string(status.progress_percent()) + "%";
      }
      say(node->id(), "status " + steps + (status.has_instance_id() ? " (instance " + status.instance_id() + ")" : ""));

      // The status machine must refuse moving back from the final state.
      dir_v1::AdvanceRequest back;
      *back.mutable_current() = status;
      back.mutable_transition()->set_state(dir_v1::DEPLOYMENT_STATE_DOWNLOADING);
      back.mutable_transition()->set_progress_percent(status.progress_percent());
      *back.mutable_transition()->mutable_reported_at() = status.reported_at();
      back.mutable_transition()->mutable_reported_at()->set_seconds(status.reported_at().seconds() + 1);
      auto refused = peat::advance<dir_v1::DeploymentStatus>(back);
      if (refused.ok() || refused.status() != peat::Status::IllegalTransition) {
        throw DemoError("the illegal move " + state_name(status.state()) + " -> DOWNLOADING was not refused as illegal");
      }
      say(node->id(), "refused " + state_name(status.state()) + " -> DOWNLOADING: " + refused.error().code());
      write_file(deploy / ("status__" + node->id() + ".bin"), serialize(status));
    }
  }

  void digest() {
    for (const auto& [index, node] : own_) {
      demo::Sha256 h;
      for (const auto& d : plan_.docs()) {
        auto m = check(peat::doc_materialize(d.type(), peat::Format::Binary, load(node->id(), d.key())), "materialize");
        h.update(m.view());
      }
      std::printf("DIGEST %s %s %s\n", kLang, node->id().c_str(), h.hex().c_str());
    }
  }

 private:
  bool owns(const std::string& id) const {
    return std::any_of(own_.begin(), own_.end(), [&](const auto& n) { return n.second->id() == id; });
  }
  const std::string& type_of(const std::string& key) const { return docs_.at(key)->type(); }
  fs::path doc_path(const std::string& node, const std::string& key) const {
    return dir_ / "state" / node / (file_key(key) + ".doc");
  }
  std::string load(const std::string& node, const std::string& key) const { return read_file(doc_path(node, key)); }
  void save(const std::string& node, const std::string& key, peat::Bytes doc) const {
    write_file(doc_path(node, key), doc);
  }

  fs::path dir_;
  demo_v1::Plan plan_;
  std::map<std::string, const demo_v1::Doc*> docs_;
  std::vector<std::pair<int, const demo_v1::Node*>> own_;
};

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: demo_player init|act R|sync R|deploy|digest --dir DIR\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string phase, dir;
  int round = -1;
  for (int i = 1; i < argc; i++) {
    const std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (phase.empty()) {
      phase = a;
    } else if (round < 0 && !a.empty() && a.find_first_not_of("0123456789") == std::string::npos) {
      round = std::stoi(a);
    } else {
      usage();
    }
  }
  if (phase.empty() || dir.empty()) usage();
  if (!peat::abi_compatible()) {
    std::fprintf(stderr, "[%s] libpeat ABI %#x is not the one peat.hpp was written for\n", kLang, peat::abi_version());
    return 1;
  }
  try {
    Player p(dir);
    if (phase == "act" || phase == "sync") {
      if (round < 0 || round >= p.rounds()) usage();
      phase == "act" ? p.act(round) : p.sync(round);
    } else if (phase == "init") {
      p.init();
    } else if (phase == "deploy") {
      p.deploy();
    } else if (phase == "digest") {
      p.digest();
    } else if (phase != "issue" && phase != "summarize") {  // C2's phases: the Java player plays C2.
      usage();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "[%s] %s\n", kLang, e.what());
    return 1;
  }
  return 0;
}
