// Package examples holds one valid message of every ICD type, in canonical
// proto3 JSON, for the validator's tests, vectors, benchmarks and fuzz seeds.
// Every timestamp lies at or before Now.
package examples

import (
	"fmt"
	"sort"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/registry"
)

// Now is the "now" the examples are valid at: 2025-11-06T00:00:00Z (the ICD's date).
const Now = 1762387200

const (
	ts         = `{"seconds":"1762387000"}`
	cap1       = `{"id":"cap-eo","name":"EO camera","capabilityType":"CAPABILITY_TYPE_SENSOR","confidence":0.9,"metadataJson":"{\"fov_deg\":62}","registeredAt":` + ts + `}`
	cap2       = `{"id":"cap-radio","name":"Mesh radio","capabilityType":"CAPABILITY_TYPE_COMMUNICATION","confidence":0.8}`
	nodeConfig = `{"id":"uav-1","platformType":"quadrotor","capabilities":[` + cap1 + `,` + cap2 + `],"commRangeM":1500,"maxSpeedMps":12.5,` +
		`"operatorBinding":{"operators":[{"id":"op-1","name":"J. Doe","rank":"OPERATOR_RANK_E5","authorityLevel":"AUTHORITY_LEVEL_SUPERVISOR","mos":"15W"}],"platformIds":["uav-1"],"bindingType":"BINDING_TYPE_ONE_TO_ONE","boundAt":` + ts + `},` +
		`"createdAt":` + ts + `}`
	nodeState  = `{"position":{"latitude":38.8977,"longitude":-77.0365,"altitude":120},"fuelMinutes":45,"health":"HEALTH_STATUS_NOMINAL","phase":"PHASE_CELL","cellId":"cell-1","timestamp":` + ts + `}`
	cellConfig = `{"id":"cell-1","maxSize":8,"minSize":2,"createdAt":` + ts + `}`
	cellState  = `{"config":` + cellConfig + `,"leaderId":"uav-1","members":["uav-1","uav-2","ugv-1"],"capabilities":[` + cap1 + `],"platoonId":"plt-1","timestamp":` + ts + `}`
	zoneConfig = `{"id":"zone-1","maxCells":10,"minCells":1,"createdAt":` + ts + `}`
	zoneState  = `{"config":` + zoneConfig + `,"coordinatorId":"uav-1","cells":["cell-1","cell-2"],"aggregatedCapabilities":[` + cap1 + `,` + cap2 + `],"timestamp":` + ts + `}`
	beacon     = `{"nodeId":"uav-1","nodeConfig":` + nodeConfig + `,"nodeState":` + nodeState + `,"capabilities":[` + cap1 + `],"sequenceNumber":"42","ttl":3,"timestamp":` + ts + `,"currentCellId":"cell-1"}`
	rule       = `{"id":"rule-isr","name":"ISR","ruleType":"COMPOSITION_RULE_TYPE_EMERGENT","inputCapabilities":["CAPABILITY_TYPE_SENSOR","CAPABILITY_TYPE_COMMUNICATION"],"outputCapability":` + cap2 + `,"minInputs":2,"maxInputs":4,"confidenceMethod":"CONFIDENCE_METHOD_MIN","priority":1,"enabled":true,"createdAt":` + ts + `}`
	result     = `{"cellId":"cell-1","appliedRules":[` + rule + `],"inputCapabilities":[` + cap1 + `],"outputCapabilities":[` + cap2 + `],"compositionConfidence":0.8,"composedAt":` + ts + `,"valid":true}`
	scoring    = `{"capabilityScore":0.9,"mosScore":0.5,"healthScore":1,"enduranceScore":0.7,"positionScore":0.4,"overallScore":0.75,"calculationMethod":"weighted"}`
	assignment = `{"nodeId":"uav-1","assignedRole":"CELL_ROLE_LEADER","fitnessScore":0.75,"assignedAt":` + ts + `,"assignmentReason":"highest score"}`
)

var byType = map[string]string{
	"cap.common.v1.Uuid":       `{"value":"3f2504e0-4f89-41d3-9a0c-0305e82c3301"}`,
	"cap.common.v1.Timestamp":  ts,
	"cap.common.v1.Position":   `{"latitude":-33.8688,"longitude":151.2093,"altitude":58}`,
	"cap.common.v1.Confidence": `{"value":0.5}`,
	"cap.common.v1.Metadata":   `{"fields":{"callsign":"alpha","unit":"1-7"}}`,

	"cap.capability.v1.Capability":              cap1,
	"cap.capability.v1.CapabilityQuery":         `{"requiredTypes":["CAPABILITY_TYPE_SENSOR"],"minConfidence":0.5,"metadataFilters":{"band":"x"}}`,
	"cap.capability.v1.CapabilityResponse":      `{"capabilities":[` + cap1 + `,` + cap2 + `],"totalCount":2}`,
	"cap.capability.v1.CapabilityAdvertisement": `{"platformId":"uav-1","advertisedAt":` + ts + `,"capabilities":[` + cap1 + `],"resources":{"computeUtilization":0.65,"memoryUtilization":0.5,"powerLevel":0.9,"storageUtilization":0.3,"bandwidthUtilization":0.1,"extraJson":"{}"},"operationalStatus":"OPERATIONAL_STATUS_READY"}`,
	"cap.capability.v1.ResourceStatus":          `{"computeUtilization":0.65,"memoryUtilization":0.5,"powerLevel":0.9,"storageUtilization":0.3,"bandwidthUtilization":0.1}`,

	"cap.node.v1.Operator":         `{"id":"op-1","name":"J. Doe","rank":"OPERATOR_RANK_O3","authorityLevel":"AUTHORITY_LEVEL_COMMANDER","mos":"11A"}`,
	"cap.node.v1.HumanMachinePair": `{"operators":[{"id":"op-1","name":"J. Doe","authorityLevel":"AUTHORITY_LEVEL_OBSERVER"}],"platformIds":["uav-1","uav-2"],"bindingType":"BINDING_TYPE_ONE_TO_MANY","boundAt":` + ts + `}`,
	"cap.node.v1.NodeConfig":       nodeConfig,
	"cap.node.v1.NodeState":        nodeState,
	"cap.node.v1.Node":             `{"config":` + nodeConfig + `,"state":` + nodeState + `}`,

	"cap.cell.v1.CellConfig":            cellConfig,
	"cap.cell.v1.CellState":             cellState,
	"cap.cell.v1.Cell":                  `{"config":` + cellConfig + `,"state":` + cellState + `}`,
	"cap.cell.v1.CellFormationRequest":  `{"nodeId":"uav-1","requiredCapabilities":["CAPABILITY_TYPE_SENSOR"],"requestedAt":` + ts + `}`,
	"cap.cell.v1.CellFormationResponse": `{"cell":{"config":` + cellConfig + `,"state":` + cellState + `},"success":true}`,
	"cap.cell.v1.CellMembershipChange":  `{"cellId":"cell-1","changeType":"CHANGE_TYPE_JOIN","nodeId":"ugv-1","timestamp":` + ts + `}`,

	"cap.zone.v1.ZoneConfig":            zoneConfig,
	"cap.zone.v1.ZoneState":             zoneState,
	"cap.zone.v1.Zone":                  `{"config":` + zoneConfig + `,"state":` + zoneState + `}`,
	"cap.zone.v1.ZoneStats":             `{"zoneId":"zone-1","cellCount":2,"totalNodes":6,"uniqueCapabilityCount":2,"isValid":true,"calculatedAt":` + ts + `}`,
	"cap.zone.v1.ZoneFormationRequest":  `{"cellId":"cell-1","requiredCapabilities":["CAPABILITY_TYPE_COMPUTE"],"requestedAt":` + ts + `}`,
	"cap.zone.v1.ZoneFormationResponse": `{"success":false,"failureReason":"no zone within range"}`,
	"cap.zone.v1.ZoneMembershipChange":  `{"zoneId":"zone-1","changeType":"CHANGE_TYPE_CELL_JOIN","cellId":"cell-2","timestamp":` + ts + `}`,

	"cap.role.v1.RoleCapabilities":       `{"role":"CELL_ROLE_SENSOR","requiredCapabilities":["CAPABILITY_TYPE_SENSOR"],"preferredCapabilities":["CAPABILITY_TYPE_COMPUTE"],"relevantMos":["35F"],"description":"Collects imagery.\nReports tracks."}`,
	"cap.role.v1.RoleAssignment":         assignment,
	"cap.role.v1.RoleScoringFactors":     scoring,
	"cap.role.v1.RoleAssignmentRequest":  `{"cellId":"cell-1","nodeIds":["uav-1","uav-2"],"preferredRoles":{"uav-1":"CELL_ROLE_LEADER"},"requestedAt":` + ts + `}`,
	"cap.role.v1.RoleAssignmentResponse": `{"cellId":"cell-1","assignments":[` + assignment + `],"success":true,"unassignedNodes":["uav-2"],"scoringDetails":{"uav-1":` + scoring + `}}`,
	"cap.role.v1.RoleChangeEvent":        `{"cellId":"cell-1","nodeId":"uav-1","newRole":"CELL_ROLE_LEADER","changeReason":"elected","changedAt":` + ts + `}`,

	"cap.beacon.v1.Beacon":              beacon,
	"cap.beacon.v1.BeaconQuery":         `{"platformType":"quadrotor","requiredCapabilities":["CAPABILITY_TYPE_SENSOR"],"phase":"PHASE_DISCOVERY","maxDistanceM":5000,"referencePosition":{"latitude":38.9,"longitude":-77},"minHealth":"HEALTH_STATUS_DEGRADED","minFuelMinutes":10}`,
	"cap.beacon.v1.BeaconQueryResponse": `{"beacons":[` + beacon + `],"totalCount":1,"queriedAt":` + ts + `}`,
	"cap.beacon.v1.BeaconRecord":        `{"beacon":` + beacon + `,"firstSeen":{"seconds":"1762386000"},"lastSeen":` + ts + `,"seenCount":"17","active":true}`,

	"cap.composition.v1.CompositionRule":          rule,
	"cap.composition.v1.CompositionResult":        result,
	"cap.composition.v1.ApplyCompositionRequest":  `{"cellId":"cell-1","ruleIds":["rule-isr"],"inputCapabilities":[` + cap1 + `,` + cap2 + `]}`,
	"cap.composition.v1.ApplyCompositionResponse": `{"result":` + result + `,"success":true}`,
}

// Types returns the names of every type with an example, sorted.
func Types() []string {
	out := make([]string, 0, len(byType))
	for n := range byType {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// JSON returns the example of a type in canonical proto3 JSON.
func JSON(typeName string) string { return byType[typeName] }

// Message returns a fresh decoded copy of the example of a type. It panics on
// an unknown type name (a programming error in a test).
func Message(typeName string) proto.Message {
	mt, err := registry.Lookup(typeName)
	if err != nil {
		panic(err)
	}
	js, ok := byType[typeName]
	if !ok {
		panic(fmt.Sprintf("examples: no example for %s", typeName))
	}
	m := mt.New().Interface()
	if err := protojson.Unmarshal([]byte(js), m); err != nil {
		panic(fmt.Sprintf("examples: %s: %v", typeName, err))
	}
	return m
}
