// Helpers shared by the C++ binding's tests.
#ifndef PEAT_TESTS_SUPPORT_HPP
#define PEAT_TESTS_SUPPORT_HPP

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "peat/peat.hpp"

namespace peat_test {

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// A populated cap.node.v1.NodeConfig in proto3 JSON.
inline const char* node_config_json() {
  return R"({"id":"uav-7","platformType":"quadrotor","commRangeM":1500,"maxSpeedMps":22.5,)"
         R"("capabilities":[{"id":"cam-1","name":"EO camera","capabilityType":"CAPABILITY_TYPE_SENSOR",)"
         R"("confidence":0.9}],"createdAt":{"seconds":"1700000000"}})";
}

// The binary form of node_config_json(), converted by libpeat.
inline std::string node_config_bin() {
  peat::Result<peat::Buffer> r =
      peat::convert("cap.node.v1.NodeConfig", peat::Format::Json, peat::Format::Binary, node_config_json());
  if (!r.ok()) throw std::runtime_error("node_config_bin: " + r.error().to_string());
  return r->str();
}

}  // namespace peat_test

#endif
