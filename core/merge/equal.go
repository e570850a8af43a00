package merge

import (
	"bytes"
	"math"

	"google.golang.org/protobuf/proto"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
)

// Tie-breaks compare canonical encodings; two values with the same content
// bit for bit (floats by their bits, unknown fields byte for byte) have the
// same encoding, so the tie is decided without encoding either. bitEqual
// knows the types whose ties are frequent (configs, capabilities, the
// registers of states); proto.Equal would not do: it finds -0.0 equal to
// +0.0, whose encodings differ. equalFields lists the fields each
// comparison reads; a test fails when one of these types gains a field.

// bitEqual reports whether a and b (of one type) have identical content;
// known is false for a type it does not know.
func bitEqual(a, b proto.Message) (equal, known bool) {
	switch x := a.(type) {
	case *commonv1.Timestamp:
		return eqTimestamp(x, b.(*commonv1.Timestamp)), true
	case *capabilityv1.Capability:
		return eqCapability(x, b.(*capabilityv1.Capability)), true
	case *cellv1.CellConfig:
		return eqCellConfig(x, b.(*cellv1.CellConfig)), true
	case *zonev1.ZoneConfig:
		return eqZoneConfig(x, b.(*zonev1.ZoneConfig)), true
	case *cellv1.CellState:
		return eqCellState(x, b.(*cellv1.CellState)), true
	case *zonev1.ZoneState:
		return eqZoneState(x, b.(*zonev1.ZoneState)), true
	}
	return false, false
}

// equalFields are the fields each comparison reads, by message type.
var equalFields = map[string][]string{
	"cap.common.v1.Timestamp":      {"seconds", "nanos"},
	"cap.capability.v1.Capability": {"id", "name", "capability_type", "confidence", "metadata_json", "registered_at"},
	"cap.cell.v1.CellConfig":       {"id", "max_size", "min_size", "created_at"},
	"cap.zone.v1.ZoneConfig":       {"id", "max_cells", "min_cells", "created_at"},
	"cap.cell.v1.CellState":        {"config", "leader_id", "members", "capabilities", "platoon_id", "timestamp"},
	"cap.zone.v1.ZoneState":        {"config", "coordinator_id", "cells", "aggregated_capabilities", "timestamp"},
}

func eqUnknown(a, b proto.Message) bool { return bytes.Equal(unknown(a), unknown(b)) }

func eqTimestamp(a, b *commonv1.Timestamp) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a == b || a.Seconds == b.Seconds && a.Nanos == b.Nanos && eqUnknown(a, b)
}

func eqCapability(a, b *capabilityv1.Capability) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a == b || a.Id == b.Id && a.Name == b.Name && a.CapabilityType == b.CapabilityType &&
		math.Float32bits(a.Confidence) == math.Float32bits(b.Confidence) && a.MetadataJson == b.MetadataJson &&
		eqTimestamp(a.RegisteredAt, b.RegisteredAt) && eqUnknown(a, b)
}

func eqCellConfig(a, b *cellv1.CellConfig) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a == b || a.Id == b.Id && a.MaxSize == b.MaxSize && a.MinSize == b.MinSize &&
		eqTimestamp(a.CreatedAt, b.CreatedAt) && eqUnknown(a, b)
}

func eqZoneConfig(a, b *zonev1.ZoneConfig) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a == b || a.Id == b.Id && a.MaxCells == b.MaxCells && a.MinCells == b.MinCells &&
		eqTimestamp(a.CreatedAt, b.CreatedAt) && eqUnknown(a, b)
}

func eqCellState(a, b *cellv1.CellState) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a == b || eqCellConfig(a.Config, b.Config) && eqOptString(a.LeaderId, b.LeaderId) &&
		eqStrings(a.Members, b.Members) && eqCapabilities(a.Capabilities, b.Capabilities) &&
		eqOptString(a.PlatoonId, b.PlatoonId) && eqTimestamp(a.Timestamp, b.Timestamp) && eqUnknown(a, b)
}

func eqZoneState(a, b *zonev1.ZoneState) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a == b || eqZoneConfig(a.Config, b.Config) && eqOptString(a.CoordinatorId, b.CoordinatorId) &&
		eqStrings(a.Cells, b.Cells) && eqCapabilities(a.AggregatedCapabilities, b.AggregatedCapabilities) &&
		eqTimestamp(a.Timestamp, b.Timestamp) && eqUnknown(a, b)
}

func eqOptString(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func eqStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func eqCapabilities(a, b []*capabilityv1.Capability) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !eqCapability(a[i], b[i]) {
			return false
		}
	}
	return true
}
