// Uses classes that peat_generate_cpp() added to this executable: checks
// that they are registered under their paths below share/peat/proto (what
// libpeat's own type names and imports assume), and round-trips a message
// through libpeat. Prints "proto consumer: ok" when everything holds.
#include <cstdio>
#include <string>

#include "cap/node/v1/node.pb.h"
#include "peat/peat.hpp"
#include "peat/validation/v1/validation.pb.h"

namespace {
int failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what.c_str());
    ++failures;
  }
}
}  // namespace

int main() {
  cap::node::v1::NodeConfig node;
  node.set_id("uav-7");
  node.set_platform_type("quadrotor");
  cap::capability::v1::Capability* cam = node.add_capabilities();
  cam->set_id("cam-1");
  cam->set_name("EO camera");
  cam->set_capability_type(cap::capability::v1::CAPABILITY_TYPE_SENSOR);
  cam->set_confidence(1.5f);

  const std::string file = node.GetDescriptor()->file()->name();
  check(file == "cap/node/v1/node.proto", "NodeConfig is registered in " + file);
  check(peat::type_name_of(node) == "cap.node.v1.NodeConfig", "type name " + peat::type_name_of(node));

  // Binary -> JSON -> binary through libpeat gives the same message back.
  peat::Result<std::string> bin = peat::to_bytes(node);
  check(bin.ok(), "serialize");
  peat::Result<peat::Buffer> json = peat::convert("cap.node.v1.NodeConfig", peat::Format::Binary, peat::Format::Json, *bin);
  check(json.ok() && json->str().find("\"EO camera\"") != std::string::npos,
        "convert to JSON: " + (json.ok() ? json->str() : json.error().to_string()));
  if (json.ok()) {
    peat::Result<cap::node::v1::NodeConfig> back = peat::parse<cap::node::v1::NodeConfig>(
        peat::convert("cap.node.v1.NodeConfig", peat::Format::Json, peat::Format::Binary, *json));
    check(back.ok() && back->SerializeAsString() == node.SerializeAsString(), "JSON round trip");
  }

  peat::Result<peat::validation::v1::ValidationReport> report =
      peat::validate_message<peat::validation::v1::ValidationReport>(node);
  check(report.ok() && !report->valid() && report->violations_size() == 1 &&
            report->violations(0).code() == "INVALID_CONFIDENCE" &&
            report->violations(0).path() == "capabilities[0].confidence",
        "validation report: " + (report.ok() ? report->ShortDebugString() : report.error().to_string()));

  if (failures != 0) return 1;
  std::printf("proto consumer: ok\n");
  return 0;
}
