package examples

import (
	"fmt"
	"math"
	"strings"

	"google.golang.org/protobuf/proto"

	beaconv1 "github.com/peat-protocol/libpeat/core/pb/cap/beacon/v1"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	compositionv1 "github.com/peat-protocol/libpeat/core/pb/cap/composition/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	rolev1 "github.com/peat-protocol/libpeat/core/pb/cap/role/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
)

// Want is one expected violation.
type Want struct{ Code, Path string }

// Case is an example message changed by Mutate, validated at Now (with
// Options when set), and the complete list of violations a correct validator
// reports, sorted by path then code. The expectations are written by hand
// from docs/VALIDATION.md, not recorded from the validator.
type Case struct {
	Name    string
	Type    string
	Mutate  func(proto.Message)
	Options *validationv1.ValidateOptions
	Want    []Want
	Note    string
}

// Build returns the mutated example.
func (c Case) Build() proto.Message {
	m := Message(c.Type)
	if c.Mutate != nil {
		c.Mutate(m)
	}
	return m
}

// NowOptions are the options every case runs with unless it sets its own.
func NowOptions() *validationv1.ValidateOptions {
	return &validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: Now}}
}

func ptr[T any](v T) *T { return &v }

// caps returns n distinct minimal capabilities.
func caps(n int) []*capabilityv1.Capability {
	out := make([]*capabilityv1.Capability, n)
	for i := range out {
		out[i] = &capabilityv1.Capability{Id: fmt.Sprintf("c%d", i), Name: "n",
			CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.5}
	}
	return out
}

// padBeacon grows a beacon's first capability metadata_json so that the
// beacon encodes to exactly size bytes (it must start smaller).
func padBeacon(b *beaconv1.Beacon, size int) {
	c := b.NodeConfig.Capabilities[0]
	for i := 0; i < 4 && proto.Size(b) != size; i++ {
		extra := size - proto.Size(b)
		pad := len(c.MetadataJson) - len(`{"p":""}`) + extra
		c.MetadataJson = `{"p":"` + strings.Repeat("x", max(pad, 0)) + `"}`
	}
}

// Cases returns the hand-written validation cases: valid boundary cases and
// at least two invalid cases per violation code.
func Cases() []Case {
	nc := func(f func(*nodev1.NodeConfig)) func(proto.Message) {
		return func(m proto.Message) { f(m.(*nodev1.NodeConfig)) }
	}
	cs := func(f func(*cellv1.CellState)) func(proto.Message) {
		return func(m proto.Message) { f(m.(*cellv1.CellState)) }
	}
	zs := func(f func(*zonev1.ZoneState)) func(proto.Message) {
		return func(m proto.Message) { f(m.(*zonev1.ZoneState)) }
	}
	ns := func(f func(*nodev1.NodeState)) func(proto.Message) {
		return func(m proto.Message) { f(m.(*nodev1.NodeState)) }
	}
	future := &validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: Now}, MaxFutureSkewSeconds: ptr(uint64(3600))}
	lenient := &validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: Now}, AllowUnknownEnumValues: true}
	return []Case{
		// Valid boundaries.
		{Name: "valid_confidence_bounds", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.Capabilities[0].Confidence, n.Capabilities[1].Confidence = 0, 1
		}), Note: "confidence 0 and 1 are inside [0, 1]"},
		{Name: "valid_position_bounds", Type: "cap.common.v1.Position", Mutate: func(m proto.Message) {
			p := m.(*commonv1.Position)
			p.Latitude, p.Longitude = -90, 180
		}},
		{Name: "valid_cell_at_max_size", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Config.MaxSize = 3
		}), Note: "members == max_size is allowed"},
		{Name: "valid_cell_at_min_size", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Members, s.Config.MinSize = s.Members[:2], 2
		})},
		{Name: "valid_cell_without_leader", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) { s.LeaderId = nil })},
		{Name: "valid_timestamp_at_skew_limit", Type: "cap.node.v1.NodeState", Mutate: ns(func(s *nodev1.NodeState) {
			s.Timestamp = &commonv1.Timestamp{Seconds: Now + 300}
		}), Note: "exactly now + 300 s (the default skew) is allowed"},
		{Name: "valid_future_with_larger_skew", Type: "cap.node.v1.NodeState", Options: future, Mutate: ns(func(s *nodev1.NodeState) {
			s.Timestamp = &commonv1.Timestamp{Seconds: Now + 3000}
		})},
		{Name: "valid_unknown_enum_allowed", Type: "cap.node.v1.NodeState", Options: lenient, Mutate: ns(func(s *nodev1.NodeState) {
			s.Health = 99
		}), Note: "allow_unknown_enum_values accepts numbers a newer minor version may add"},
		{Name: "valid_uuid_upper_case", Type: "cap.common.v1.Uuid", Mutate: func(m proto.Message) {
			m.(*commonv1.Uuid).Value = "3F2504E0-4F89-41D3-9A0C-0305E82C3301"
		}},
		{Name: "valid_first_role_change", Type: "cap.role.v1.RoleChangeEvent",
			Note: "previous_role may be UNSPECIFIED (a first assignment)"},
		{Name: "valid_static_node", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.MaxSpeedMps, n.CommRangeM = 0, 0
		}), Note: "a stationary node (speed 0) is valid, unlike in the reference"},
		{Name: "valid_100_capabilities", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.Capabilities = caps(100)
		})},

		// Absent optional fields (proto3 optional, and sub-messages the ICD
		// does not require) are never REQUIRED_FIELD.
		{Name: "valid_beacon_query_all", Type: "cap.beacon.v1.BeaconQuery", Mutate: func(m proto.Message) { proto.Reset(m) },
			Note: "BeaconQuery{}: every filter is optional; the empty query asks for all beacons"},
		{Name: "valid_node_state_without_optionals", Type: "cap.node.v1.NodeState", Mutate: ns(func(s *nodev1.NodeState) {
			s.CellId, s.ZoneId, s.Position = nil, nil, nil
		})},
		{Name: "valid_cell_state_without_config", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Config, s.LeaderId, s.PlatoonId = nil, nil, nil
			s.Members = append(s.Members, "n4", "n5", "n6", "n7", "n8", "n9")
		}), Note: "a cell whose config has not arrived: no size rule applies (ICD §6.3 checks sizes only with a config)"},
		{Name: "valid_zone_state_without_config", Type: "cap.zone.v1.ZoneState", Mutate: zs(func(s *zonev1.ZoneState) {
			s.Config, s.CoordinatorId = nil, nil
		})},
		{Name: "valid_success_without_cell", Type: "cap.cell.v1.CellFormationResponse", Mutate: func(m proto.Message) {
			m.(*cellv1.CellFormationResponse).Cell = nil
		}, Note: "cell and failure_reason are optional fields; the ICD ties neither to success"},
		{Name: "valid_failure_without_reason", Type: "cap.zone.v1.ZoneFormationResponse", Mutate: func(m proto.Message) {
			m.(*zonev1.ZoneFormationResponse).FailureReason = nil
		}},
		{Name: "valid_emergent_rule_without_output", Type: "cap.composition.v1.CompositionRule", Mutate: func(m proto.Message) {
			r := m.(*compositionv1.CompositionRule)
			r.OutputCapability, r.MaxInputs = nil, nil
		}},

		// Numbers at the edges of their ranges.
		{Name: "valid_negative_zero", Type: "cap.beacon.v1.BeaconQuery", Mutate: func(m proto.Message) {
			q := m.(*beaconv1.BeaconQuery)
			q.MaxDistanceM = ptr(float32(math.Copysign(0, -1)))
			q.ReferencePosition.Latitude, q.ReferencePosition.Longitude = math.Copysign(0, -1), math.Copysign(0, -1)
		}, Note: "-0 is inside every range that contains 0"},
		{Name: "valid_negative_zero_confidence", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.Capabilities[0].Confidence = float32(math.Copysign(0, -1))
			n.CommRangeM, n.MaxSpeedMps = float32(math.Copysign(0, -1)), float32(math.Copysign(0, -1))
		})},
		{Name: "valid_subnormals", Type: "cap.capability.v1.Capability", Mutate: func(m proto.Message) {
			m.(*capabilityv1.Capability).Confidence = math.Float32frombits(1) // 1.4e-45, the smallest float
		}},
		{Name: "valid_cell_max_size_zero_empty", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Config.MaxSize, s.Config.MinSize = 0, 0
			s.Members, s.LeaderId = nil, nil
		}), Want: []Want{{"INVALID_NUMBER", "config.min_size"}},
			Note: "max_size 0 is a limit of 0: no member is not too many (min_size 0 is below 2)"},

		// CELL_FULL
		{Name: "cell_full", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Config.MaxSize = 2
		}), Want: []Want{{"CELL_FULL", "members"}}},
		{Name: "cell_full_max_size_zero", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Config.MaxSize, s.Config.MinSize = 0, 0
			s.Members, s.LeaderId = s.Members[:1], nil
		}), Want: []Want{{"INVALID_NUMBER", "config.min_size"}, {"CELL_FULL", "members"}},
			Note: "max_size 0 is a limit of 0 (ICD §6.2 members.len() <= config.max_size), not 'no limit'"},
		{Name: "cell_full_and_min_above_max", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Config.MaxSize = 0
		}), Want: []Want{{"INVALID_RANGE", "config.min_size"}, {"CELL_FULL", "members"}},
			Note: "max_size 0 below min_size 2: the size rules still apply to the config as given"},
		{Name: "cell_full_by_cell_config", Type: "cap.cell.v1.Cell", Mutate: func(m proto.Message) {
			c := m.(*cellv1.Cell)
			c.Config.MaxSize, c.State.Config = 2, nil
		}, Want: []Want{{"CELL_FULL", "state.members"}}, Note: "a state without its own config is measured against the cell's"},
		{Name: "cell_full_in_cell", Type: "cap.cell.v1.Cell", Mutate: func(m proto.Message) {
			m.(*cellv1.Cell).State.Members = append(m.(*cellv1.Cell).State.Members, "u4", "u5", "u6", "u7", "u8", "u9")
		}, Want: []Want{{"CELL_FULL", "state.members"}}},
		// CELL_INVALID
		{Name: "cell_below_min_size", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Members = s.Members[:1]
		}), Want: []Want{{"CELL_INVALID", "members"}}},
		{Name: "cell_config_and_state_disagree", Type: "cap.cell.v1.Cell", Mutate: func(m proto.Message) {
			m.(*cellv1.Cell).State.Config.Id = "cell-9"
		}, Want: []Want{{"CELL_INVALID", "state.config.id"}}},
		// INVALID_LEADER
		{Name: "leader_not_member", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.LeaderId = ptr("uav-9")
		}), Want: []Want{{"INVALID_LEADER", "leader_id"}}},
		{Name: "leader_not_member_nested", Type: "cap.cell.v1.CellFormationResponse", Mutate: func(m proto.Message) {
			m.(*cellv1.CellFormationResponse).Cell.State.LeaderId = ptr("ghost")
		}, Want: []Want{{"INVALID_LEADER", "cell.state.leader_id"}}},
		{Name: "leader_present_but_empty", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.LeaderId = ptr("")
		}), Want: []Want{{"INVALID_LEADER", "leader_id"}, {"REQUIRED_FIELD", "leader_id"}},
			Note: `leader_id = "" is set, and "" is not a member (ICD §6.3 checks any present leader)`},
		{Name: "leader_without_members", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Config = nil
			s.Members = nil
		}), Want: []Want{{"INVALID_LEADER", "leader_id"}}},
		// INVALID_CONFIDENCE
		{Name: "confidence_above_one", Type: "cap.capability.v1.Capability", Mutate: func(m proto.Message) {
			m.(*capabilityv1.Capability).Confidence = 1.5
		}, Want: []Want{{"INVALID_CONFIDENCE", "confidence"}}},
		{Name: "confidence_negative_nested", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.Capabilities[1].Confidence = -0.1
		}), Want: []Want{{"INVALID_CONFIDENCE", "capabilities[1].confidence"}}},
		{Name: "confidence_message", Type: "cap.common.v1.Confidence", Mutate: func(m proto.Message) {
			m.(*commonv1.Confidence).Value = 2
		}, Want: []Want{{"INVALID_CONFIDENCE", "value"}}},
		{Name: "confidence_infinite", Type: "cap.capability.v1.CapabilityQuery", Mutate: func(m proto.Message) {
			m.(*capabilityv1.CapabilityQuery).MinConfidence = float32(math.Inf(-1))
		}, Want: []Want{{"INVALID_CONFIDENCE", "min_confidence"}, {"INVALID_NUMBER", "min_confidence"}},
			Note: "a non-finite confidence is INVALID_CONFIDENCE (ICD §6.2) and INVALID_NUMBER"},
		{Name: "confidence_nan_payload", Type: "cap.composition.v1.CompositionResult", Mutate: func(m proto.Message) {
			m.(*compositionv1.CompositionResult).CompositionConfidence = math.Float32frombits(0x7f800001) // a signalling NaN
		}, Want: []Want{{"INVALID_CONFIDENCE", "composition_confidence"}, {"INVALID_NUMBER", "composition_confidence"}}},
		{Name: "confidence_negative_subnormal", Type: "cap.common.v1.Confidence", Mutate: func(m proto.Message) {
			m.(*commonv1.Confidence).Value = -math.Float32frombits(1)
		}, Want: []Want{{"INVALID_CONFIDENCE", "value"}}, Note: "-1.4e-45 is below 0"},
		// INVALID_POSITION
		{Name: "latitude_out_of_range", Type: "cap.node.v1.NodeState", Mutate: ns(func(s *nodev1.NodeState) {
			s.Position.Latitude = 91
		}), Want: []Want{{"INVALID_POSITION", "position.latitude"}}},
		{Name: "longitude_out_of_range", Type: "cap.beacon.v1.BeaconQuery", Mutate: func(m proto.Message) {
			m.(*beaconv1.BeaconQuery).ReferencePosition.Longitude = -180.5
		}, Want: []Want{{"INVALID_POSITION", "reference_position.longitude"}}},
		{Name: "position_both_out_of_range", Type: "cap.common.v1.Position", Mutate: func(m proto.Message) {
			m.(*commonv1.Position).Latitude, m.(*commonv1.Position).Longitude = -100, 200
		}, Want: []Want{{"INVALID_POSITION", "latitude"}, {"INVALID_POSITION", "longitude"}}},
		{Name: "position_nan_latitude", Type: "cap.node.v1.NodeState", Mutate: ns(func(s *nodev1.NodeState) {
			s.Position.Latitude = math.NaN()
		}), Want: []Want{{"INVALID_NUMBER", "position.latitude"}, {"INVALID_POSITION", "position.latitude"}},
			Note: "a non-finite coordinate is INVALID_POSITION (ICD §6.2) and INVALID_NUMBER"},
		{Name: "position_infinite_longitude", Type: "cap.beacon.v1.BeaconQuery", Mutate: func(m proto.Message) {
			m.(*beaconv1.BeaconQuery).ReferencePosition.Longitude = math.Inf(-1)
		}, Want: []Want{{"INVALID_NUMBER", "reference_position.longitude"}, {"INVALID_POSITION", "reference_position.longitude"}}},
		{Name: "position_nan_payload", Type: "cap.common.v1.Position", Mutate: func(m proto.Message) {
			p := m.(*commonv1.Position)
			p.Latitude, p.Longitude = math.Float64frombits(0x7ff0000000000001), math.Float64frombits(0xfff8000000000abc)
		}, Want: []Want{{"INVALID_NUMBER", "latitude"}, {"INVALID_POSITION", "latitude"}, {"INVALID_NUMBER", "longitude"}, {"INVALID_POSITION", "longitude"}},
			Note: "NaNs with payloads (a signalling NaN, a negative quiet NaN)"},
		// REQUIRED_FIELD
		{Name: "empty_id_and_platform_type", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.Id, n.PlatformType = "", ""
		}), Want: []Want{{"REQUIRED_FIELD", "id"}, {"REQUIRED_FIELD", "platform_type"}}},
		{Name: "node_without_state", Type: "cap.node.v1.Node", Mutate: func(m proto.Message) {
			m.(*nodev1.Node).State = nil
		}, Want: []Want{{"REQUIRED_FIELD", "state"}}},
		{Name: "empty_member_id", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Members = append(s.Members, "")
		}), Want: []Want{{"REQUIRED_FIELD", "members[3]"}}},
		{Name: "empty_uuid", Type: "cap.common.v1.Uuid", Mutate: func(m proto.Message) { m.(*commonv1.Uuid).Value = "" },
			Want: []Want{{"REQUIRED_FIELD", "value"}}},
		{Name: "optional_platform_type_empty", Type: "cap.beacon.v1.BeaconQuery", Mutate: func(m proto.Message) {
			m.(*beaconv1.BeaconQuery).PlatformType = ptr("")
		}, Want: []Want{{"REQUIRED_FIELD", "platform_type"}}, Note: "an optional platform_type may be absent, but not present and empty (ICD §6.1.1)"},
		{Name: "optional_ids_empty", Type: "cap.node.v1.NodeState", Mutate: ns(func(s *nodev1.NodeState) {
			s.CellId, s.ZoneId = ptr(""), ptr("")
		}), Want: []Want{{"REQUIRED_FIELD", "cell_id"}, {"REQUIRED_FIELD", "zone_id"}}},
		{Name: "coordinator_present_but_empty", Type: "cap.zone.v1.ZoneState", Mutate: zs(func(s *zonev1.ZoneState) {
			s.CoordinatorId = ptr("")
		}), Want: []Want{{"REQUIRED_FIELD", "coordinator_id"}}, Note: "a zone's cells are cell ids, so its coordinator (a node) is not checked against them"},
		{Name: "empty_metadata_key", Type: "cap.common.v1.Metadata", Mutate: func(m proto.Message) {
			m.(*commonv1.Metadata).Fields[""] = "x"
		}, Want: []Want{{"REQUIRED_FIELD", `fields[""]`}}},
		{Name: "node_state_empty", Type: "cap.node.v1.NodeState", Mutate: func(m proto.Message) { proto.Reset(m) },
			Want: []Want{{"INVALID_ENUM", "health"}, {"INVALID_ENUM", "phase"}, {"REQUIRED_FIELD", "timestamp"}},
			Note: "an empty NodeState: health and phase UNSPECIFIED, no timestamp"},
		// INVALID_ENUM
		{Name: "unknown_enum_number", Type: "cap.node.v1.NodeState", Mutate: ns(func(s *nodev1.NodeState) { s.Health = 99 }),
			Want: []Want{{"INVALID_ENUM", "health"}}},
		{Name: "unspecified_capability_type", Type: "cap.capability.v1.Capability", Mutate: func(m proto.Message) {
			m.(*capabilityv1.Capability).CapabilityType = 0
		}, Want: []Want{{"INVALID_ENUM", "capability_type"}}},
		{Name: "unknown_enum_in_map", Type: "cap.role.v1.RoleAssignmentRequest", Mutate: func(m proto.Message) {
			m.(*rolev1.RoleAssignmentRequest).PreferredRoles["uav-2"] = 42
		}, Want: []Want{{"INVALID_ENUM", `preferred_roles["uav-2"]`}}},
		{Name: "unspecified_in_repeated_enum", Type: "cap.capability.v1.CapabilityQuery", Mutate: func(m proto.Message) {
			q := m.(*capabilityv1.CapabilityQuery)
			q.RequiredTypes = append(q.RequiredTypes, 0)
		}, Want: []Want{{"INVALID_ENUM", "required_types[1]"}}},
		// INVALID_TIMESTAMP
		{Name: "nanos_out_of_range", Type: "cap.node.v1.NodeState", Mutate: ns(func(s *nodev1.NodeState) {
			s.Timestamp.Nanos = 1_000_000_000
		}), Want: []Want{{"INVALID_TIMESTAMP", "timestamp.nanos"}}},
		{Name: "timestamp_in_future", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Timestamp = &commonv1.Timestamp{Seconds: Now + 300, Nanos: 1}
		}), Want: []Want{{"INVALID_TIMESTAMP", "timestamp.seconds"}}, Note: "1 ns beyond the default 300 s skew"},
		{Name: "last_seen_before_first_seen", Type: "cap.beacon.v1.BeaconRecord", Mutate: func(m proto.Message) {
			r := m.(*beaconv1.BeaconRecord)
			r.FirstSeen, r.LastSeen = r.LastSeen, r.FirstSeen
		}, Want: []Want{{"INVALID_TIMESTAMP", "last_seen"}}},
		{Name: "far_future_nested", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.Capabilities[0].RegisteredAt = &commonv1.Timestamp{Seconds: math.MaxUint64}
		}), Want: []Want{{"INVALID_TIMESTAMP", "capabilities[0].registered_at.seconds"}}},
		// INVALID_NUMBER
		{Name: "nan_float", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.CommRangeM = float32(math.NaN())
		}), Want: []Want{{"INVALID_NUMBER", "comm_range_m"}}},
		{Name: "nan_confidence", Type: "cap.capability.v1.Capability", Mutate: func(m proto.Message) {
			m.(*capabilityv1.Capability).Confidence = float32(math.NaN())
		}, Want: []Want{{"INVALID_CONFIDENCE", "confidence"}, {"INVALID_NUMBER", "confidence"}},
			Note: "NaN is INVALID_NUMBER, and outside the confidence range"},
		{Name: "nan_max_distance", Type: "cap.beacon.v1.BeaconQuery", Mutate: func(m proto.Message) {
			m.(*beaconv1.BeaconQuery).MaxDistanceM = ptr(float32(math.NaN()))
		}, Want: []Want{{"INVALID_NUMBER", "max_distance_m"}}},
		{Name: "infinite_altitude", Type: "cap.node.v1.NodeState", Mutate: ns(func(s *nodev1.NodeState) {
			s.Position.Altitude = math.Inf(1)
		}), Want: []Want{{"INVALID_NUMBER", "position.altitude"}}},
		{Name: "utilisation_above_one", Type: "cap.capability.v1.ResourceStatus", Mutate: func(m proto.Message) {
			m.(*capabilityv1.ResourceStatus).PowerLevel = 1.2
		}, Want: []Want{{"INVALID_NUMBER", "power_level"}}},
		{Name: "cell_min_size_below_two", Type: "cap.cell.v1.CellConfig", Mutate: func(m proto.Message) {
			m.(*cellv1.CellConfig).MinSize = 1
		}, Want: []Want{{"INVALID_NUMBER", "min_size"}}},
		{Name: "total_count_below_items", Type: "cap.capability.v1.CapabilityResponse", Mutate: func(m proto.Message) {
			m.(*capabilityv1.CapabilityResponse).TotalCount = 1
		}, Want: []Want{{"INVALID_NUMBER", "total_count"}}},
		// INVALID_RANGE
		{Name: "cell_min_above_max", Type: "cap.cell.v1.CellConfig", Mutate: func(m proto.Message) {
			c := m.(*cellv1.CellConfig)
			c.MinSize, c.MaxSize = 5, 3
		}, Want: []Want{{"INVALID_RANGE", "min_size"}}},
		{Name: "zone_min_above_max", Type: "cap.zone.v1.ZoneConfig", Mutate: func(m proto.Message) {
			c := m.(*zonev1.ZoneConfig)
			c.MinCells, c.MaxCells = 4, 3
		}, Want: []Want{{"INVALID_RANGE", "min_cells"}}},
		{Name: "rule_max_inputs_below_min", Type: "cap.composition.v1.CompositionRule", Mutate: func(m proto.Message) {
			m.(*compositionv1.CompositionRule).MaxInputs = ptr(uint32(1))
		}, Want: []Want{{"INVALID_RANGE", "max_inputs"}}},
		{Name: "cell_state_with_bad_config", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Config.MinSize, s.Config.MaxSize = 5, 4
		}), Want: []Want{{"INVALID_RANGE", "config.min_size"}, {"CELL_INVALID", "members"}},
			Note: "each size rule is checked against the config as given, also when its own range is broken"},
		// ZONE_FULL
		{Name: "zone_full", Type: "cap.zone.v1.ZoneState", Mutate: zs(func(s *zonev1.ZoneState) {
			s.Config.MaxCells = 1
		}), Want: []Want{{"ZONE_FULL", "cells"}}},
		{Name: "zone_full_in_zone", Type: "cap.zone.v1.Zone", Mutate: func(m proto.Message) {
			z := m.(*zonev1.Zone)
			z.State.Config.MaxCells = 1
			z.Config.MaxCells = 1
		}, Want: []Want{{"ZONE_FULL", "state.cells"}}},
		{Name: "zone_full_and_min_above_max", Type: "cap.zone.v1.ZoneState", Mutate: zs(func(s *zonev1.ZoneState) {
			s.Config.MaxCells, s.Config.MinCells = 1, 3
		}), Want: []Want{{"ZONE_FULL", "cells"}, {"ZONE_INVALID", "cells"}, {"INVALID_RANGE", "config.min_cells"}}},
		{Name: "zone_full_max_cells_zero", Type: "cap.zone.v1.ZoneState", Mutate: zs(func(s *zonev1.ZoneState) {
			s.Config.MaxCells, s.Config.MinCells = 0, 0
			s.Cells = s.Cells[:1]
		}), Want: []Want{{"ZONE_FULL", "cells"}, {"INVALID_NUMBER", "config.max_cells"}},
			Note: "max_cells 0 is a limit of 0 (and below the minimum 1 of a config)"},
		{Name: "zone_max_cells_zero_empty", Type: "cap.zone.v1.ZoneState", Mutate: zs(func(s *zonev1.ZoneState) {
			s.Config.MaxCells, s.Config.MinCells = 0, 0
			s.Cells = nil
		}), Want: []Want{{"INVALID_NUMBER", "config.max_cells"}}},
		{Name: "zone_full_by_zone_config", Type: "cap.zone.v1.Zone", Mutate: func(m proto.Message) {
			z := m.(*zonev1.Zone)
			z.Config.MaxCells, z.State.Config = 1, nil
		}, Want: []Want{{"ZONE_FULL", "state.cells"}}},
		// ZONE_INVALID
		{Name: "zone_below_min_cells", Type: "cap.zone.v1.ZoneState", Mutate: zs(func(s *zonev1.ZoneState) {
			s.Config.MinCells = 3
		}), Want: []Want{{"ZONE_INVALID", "cells"}}},
		{Name: "zone_config_and_state_disagree", Type: "cap.zone.v1.Zone", Mutate: func(m proto.Message) {
			m.(*zonev1.Zone).State.Config.Id = "zone-9"
		}, Want: []Want{{"ZONE_INVALID", "state.config.id"}}},
		// DUPLICATE_ID
		{Name: "duplicate_capability_id", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.Capabilities[1].Id = n.Capabilities[0].Id
		}), Want: []Want{{"DUPLICATE_ID", "capabilities[1].id"}}},
		{Name: "duplicate_cell", Type: "cap.zone.v1.ZoneState", Mutate: zs(func(s *zonev1.ZoneState) {
			s.Cells = []string{"cell-1", "cell-1"}
		}), Want: []Want{{"DUPLICATE_ID", "cells[1]"}}},
		{Name: "duplicate_member", Type: "cap.cell.v1.CellState", Mutate: cs(func(s *cellv1.CellState) {
			s.Members[2] = s.Members[0]
		}), Want: []Want{{"DUPLICATE_ID", "members[2]"}}},
		// STRING_TOO_LONG
		{Name: "id_too_long", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.Id = strings.Repeat("a", 129)
			n.OperatorBinding.PlatformIds[0] = n.Id
		}), Want: []Want{{"STRING_TOO_LONG", "id"}, {"STRING_TOO_LONG", "operator_binding.platform_ids[0]"}},
			Note: "identifiers are limited to 128 bytes"},
		{Name: "metadata_value_too_long", Type: "cap.common.v1.Metadata", Mutate: func(m proto.Message) {
			m.(*commonv1.Metadata).Fields["callsign"] = strings.Repeat("é", 513)
		}, Want: []Want{{"STRING_TOO_LONG", `fields["callsign"]`}}, Note: "1026 bytes of UTF-8 (513 characters) over the 1024-byte limit"},
		// INVALID_STRING
		{Name: "control_character", Type: "cap.capability.v1.Capability", Mutate: func(m proto.Message) {
			m.(*capabilityv1.Capability).Name = "EO\x07camera"
		}, Want: []Want{{"INVALID_STRING", "name"}}},
		{Name: "malformed_metadata_json", Type: "cap.capability.v1.Capability", Mutate: func(m proto.Message) {
			m.(*capabilityv1.Capability).MetadataJson = `{"fov_deg":`
		}, Want: []Want{{"INVALID_STRING", "metadata_json"}}},
		{Name: "line_break_in_id", Type: "cap.cell.v1.CellMembershipChange", Mutate: func(m proto.Message) {
			m.(*cellv1.CellMembershipChange).NodeId = "ugv-1\n"
		}, Want: []Want{{"INVALID_STRING", "node_id"}}, Note: "line breaks are allowed in text, not in identifiers"},
		// INVALID_UUID
		{Name: "uuid_malformed", Type: "cap.common.v1.Uuid", Mutate: func(m proto.Message) { m.(*commonv1.Uuid).Value = "not-a-uuid" },
			Want: []Want{{"INVALID_UUID", "value"}}},
		{Name: "uuid_version_1", Type: "cap.common.v1.Uuid", Mutate: func(m proto.Message) {
			m.(*commonv1.Uuid).Value = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
		}, Want: []Want{{"INVALID_UUID", "value"}}},
		// TOO_MANY_ITEMS
		{Name: "too_many_capabilities", Type: "cap.node.v1.NodeConfig", Mutate: nc(func(n *nodev1.NodeConfig) {
			n.Capabilities = caps(101)
		}), Want: []Want{{"TOO_MANY_ITEMS", "capabilities"}}},
		{Name: "too_many_beacon_capabilities", Type: "cap.beacon.v1.Beacon", Mutate: func(m proto.Message) {
			b := m.(*beaconv1.Beacon)
			b.NodeConfig.Capabilities = nil
			b.Capabilities = caps(101)
		}, Want: []Want{{"TOO_MANY_ITEMS", "capabilities"}}},
		// MESSAGE_TOO_LARGE (embedded; the top-level limit is an error status)
		{Name: "embedded_beacon_too_large", Type: "cap.beacon.v1.BeaconRecord", Mutate: func(m proto.Message) {
			padBeacon(m.(*beaconv1.BeaconRecord).Beacon, 10*1024+1)
		}, Want: []Want{{"MESSAGE_TOO_LARGE", "beacon"}}, Note: "a 10 241-byte Beacon inside a BeaconRecord"},
		{Name: "embedded_beacon_too_large_in_response", Type: "cap.beacon.v1.BeaconQueryResponse", Mutate: func(m proto.Message) {
			padBeacon(m.(*beaconv1.BeaconQueryResponse).Beacons[0], 10*1024+1)
		}, Want: []Want{{"MESSAGE_TOO_LARGE", "beacons[0]"}}},
		{Name: "embedded_beacon_at_limit", Type: "cap.beacon.v1.BeaconRecord", Mutate: func(m proto.Message) {
			padBeacon(m.(*beaconv1.BeaconRecord).Beacon, 10*1024)
		}, Note: "exactly 10 240 bytes is allowed"},
	}
}
