package validate_test

import (
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	beaconv1 "github.com/peat-protocol/libpeat/core/pb/cap/beacon/v1"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/validate"
	"github.com/peat-protocol/libpeat/core/validate/examples"
)

func icdTypes(t *testing.T) []string {
	var out []string
	for _, n := range registry.Names() {
		if registry.IsICD(protoreflect.FullName(n)) {
			out = append(out, n)
		}
	}
	require.Len(t, out, 42)
	return out
}

// fieldPath renders the path of a field like the validator does.
func fieldPath(prefix string, fd protoreflect.FieldDescriptor) string {
	return validate.Join(prefix, string(fd.Name()))
}

func keyPath(base string, k protoreflect.MapKey) string {
	if s, ok := k.Interface().(string); ok {
		return validate.Key(base, s)
	}
	return base + "[" + k.String() + "]"
}

// walk calls f on every (message, path) of m: m itself, set sub-messages,
// list elements and map values, depth first.
func walk(m protoreflect.Message, path string, f func(protoreflect.Message, string)) {
	f(m, path)
	fds := m.Descriptor().Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		p := fieldPath(path, fd)
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := m.Get(fd).List()
			for j := 0; j < l.Len(); j++ {
				walk(l.Get(j).Message(), validate.Index(p, j), f)
			}
		case fd.IsMap() && fd.MapValue().Message() != nil:
			m.Get(fd).Map().Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
				walk(v.Message(), keyPath(p, k), f)
				return true
			})
		case !fd.IsList() && !fd.IsMap() && fd.Message() != nil && m.Has(fd):
			walk(m.Get(fd).Message(), p, f)
		}
	}
}

// absentOptionals returns the paths of every field with the proto3
// `optional` label that is absent in m, at any depth, and records the
// field's full name in seen.
func absentOptionals(m protoreflect.Message, seen map[protoreflect.FullName]bool) []string {
	var out []string
	walk(m, "", func(x protoreflect.Message, path string) {
		fds := x.Descriptor().Fields()
		for i := 0; i < fds.Len(); i++ {
			if fd := fds.Get(i); fd.HasOptionalKeyword() && !x.Has(fd) {
				out = append(out, fieldPath(path, fd))
				seen[fd.FullName()] = true
			}
		}
	})
	return out
}

// setOptionals returns the paths of the optional fields that are set in m.
func setOptionals(m protoreflect.Message) []string {
	var out []string
	walk(m, "", func(x protoreflect.Message, path string) {
		fds := x.Descriptor().Fields()
		for i := 0; i < fds.Len(); i++ {
			if fd := fds.Get(i); fd.HasOptionalKeyword() && x.Has(fd) {
				out = append(out, fieldPath(path, fd))
			}
		}
	})
	return out
}

// clearAt clears the optional field at path (as listed by setOptionals).
func clearAt(m protoreflect.Message, path string) {
	walk(m, "", func(x protoreflect.Message, p string) {
		fds := x.Descriptor().Fields()
		for i := 0; i < fds.Len(); i++ {
			if fd := fds.Get(i); fd.HasOptionalKeyword() && x.Has(fd) && fieldPath(p, fd) == path {
				x.Clear(fd)
			}
		}
	})
}

func clearAllOptionals(m protoreflect.Message) {
	for {
		set := setOptionals(m)
		if len(set) == 0 {
			return
		}
		clearAt(m, set[0])
	}
}

// variants returns base plus one copy per top-level bool flipped and per
// value of each top-level enum: the states the type's own rules look at.
func variants(base proto.Message) []proto.Message {
	out := []proto.Message{base}
	fds := base.ProtoReflect().Descriptor().Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if fd.IsList() || fd.IsMap() {
			continue
		}
		switch fd.Kind() {
		case protoreflect.BoolKind:
			c := proto.Clone(base)
			c.ProtoReflect().Set(fd, protoreflect.ValueOfBool(!c.ProtoReflect().Get(fd).Bool()))
			out = append(out, c)
		case protoreflect.EnumKind:
			vals := fd.Enum().Values()
			for j := 0; j < vals.Len(); j++ {
				c := proto.Clone(base)
				c.ProtoReflect().Set(fd, protoreflect.ValueOfEnum(vals.Get(j).Number()))
				out = append(out, c)
			}
		}
	}
	return out
}

func under(path, field string) bool {
	return path == field || strings.HasPrefix(path, field+".") || strings.HasPrefix(path, field+"[")
}

// TestValidateAbsentOptionalFieldsAreNeverRequired walks every ICD type: the empty
// message, the valid example, the example with each optional field (at any
// depth) cleared and with all of them cleared, each also with every bool
// flipped and every enum value. An absent optional field (and anything
// under it) must never be REQUIRED_FIELD.
func TestValidateAbsentOptionalFieldsAreNeverRequired(t *testing.T) {
	seen := map[protoreflect.FullName]bool{}
	for _, n := range icdTypes(t) {
		mt, err := registry.Lookup(n)
		require.NoError(t, err)
		ex := examples.Message(n)
		bases := []proto.Message{mt.New().Interface(), ex}
		for _, p := range setOptionals(ex.ProtoReflect()) {
			c := proto.Clone(ex)
			clearAt(c.ProtoReflect(), p)
			bases = append(bases, c)
		}
		bare := proto.Clone(ex)
		clearAllOptionals(bare.ProtoReflect())
		bases = append(bases, bare)
		for _, b := range bases {
			for _, m := range variants(b) {
				absent := absentOptionals(m.ProtoReflect(), seen)
				r := v.Validate(m, examples.NowOptions())
				for _, x := range r.Violations {
					if x.Code != string(validate.RequiredField) {
						continue
					}
					for _, a := range absent {
						assert.False(t, under(x.Path, a), "%s: absent optional %s reported as %s (%s)", n, a, x.Path, x.Message)
					}
				}
			}
		}
	}
	assert.Len(t, seen, len(icdOptionalFields), "every optional field was checked absent")
}

// TestValidateOptionalFieldsOfTheICD is the audit list: every field the wire schema
// labels optional (proto3 explicit presence). The test above covers each.
func TestValidateOptionalFieldsOfTheICD(t *testing.T) {
	var got []string
	for _, n := range icdTypes(t) {
		mt, _ := registry.Lookup(n)
		fds := mt.Descriptor().Fields()
		for i := 0; i < fds.Len(); i++ {
			if fds.Get(i).HasOptionalKeyword() {
				got = append(got, string(fds.Get(i).FullName()))
			}
		}
	}
	sort.Strings(got)
	assert.Equal(t, icdOptionalFields, got)
}

var icdOptionalFields = []string{
	"cap.beacon.v1.Beacon.current_cell_id",
	"cap.beacon.v1.BeaconQuery.max_distance_m",
	"cap.beacon.v1.BeaconQuery.min_fuel_minutes",
	"cap.beacon.v1.BeaconQuery.min_health",
	"cap.beacon.v1.BeaconQuery.phase",
	"cap.beacon.v1.BeaconQuery.platform_type",
	"cap.beacon.v1.BeaconQuery.reference_position",
	"cap.cell.v1.CellFormationResponse.cell",
	"cap.cell.v1.CellFormationResponse.failure_reason",
	"cap.cell.v1.CellState.leader_id",
	"cap.cell.v1.CellState.platoon_id",
	"cap.composition.v1.ApplyCompositionResponse.error_message",
	"cap.composition.v1.CompositionRule.max_inputs",
	"cap.composition.v1.CompositionRule.output_capability",
	"cap.node.v1.NodeConfig.operator_binding",
	"cap.node.v1.NodeState.cell_id",
	"cap.node.v1.NodeState.zone_id",
	"cap.role.v1.RoleAssignment.assignment_reason",
	"cap.role.v1.RoleScoringFactors.position_score",
	"cap.zone.v1.ZoneFormationResponse.failure_reason",
	"cap.zone.v1.ZoneFormationResponse.zone",
	"cap.zone.v1.ZoneState.coordinator_id",
}

func TestValidateBeaconQueryAllIsValid(t *testing.T) {
	r := v.Validate(&beaconv1.BeaconQuery{}, examples.NowOptions())
	assert.True(t, r.Valid, "%v", r.Violations)
	assert.Empty(t, r.Violations)
	// Present filters are still checked.
	r = v.Validate(&beaconv1.BeaconQuery{PlatformType: proto.String("")}, examples.NowOptions())
	assert.Equal(t, []examples.Want{{Code: "REQUIRED_FIELD", Path: "platform_type"}}, wants(r))
}

// TestValidateCellAndZoneWithoutConfig: a state whose config never arrived (e.g. a
// replicated document) has no size rule and no REQUIRED_FIELD for config.
func TestValidateCellAndZoneWithoutConfig(t *testing.T) {
	members := []string{"n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10"}
	ts := &commonv1.Timestamp{Seconds: examples.Now}
	for _, m := range []proto.Message{
		&cellv1.CellState{Members: members, LeaderId: proto.String("n1"), Timestamp: ts},
		&cellv1.CellState{Timestamp: ts},
		&zonev1.ZoneState{Cells: members, CoordinatorId: proto.String("n1"), Timestamp: ts},
		&zonev1.ZoneState{Timestamp: ts},
	} {
		r := v.Validate(m, examples.NowOptions())
		assert.True(t, r.Valid, "%T %v", m, r.Violations)
	}
}

// TestValidateMaxSizeZeroIsALimit: with a config, max_size (max_cells) is the limit,
// 0 included (ICD §6.2 members.len() <= config.max_size), whatever min_size.
func TestValidateMaxSizeZeroIsALimit(t *testing.T) {
	codes := func(m proto.Message) map[string]bool {
		out := map[string]bool{}
		for _, x := range v.Validate(m, examples.NowOptions()).Violations {
			if x.Path == "members" || x.Path == "cells" {
				out[x.Code] = true
			}
		}
		return out
	}
	for _, min := range []uint32{0, 2} {
		cfg := &cellv1.CellConfig{Id: "c", MaxSize: 0, MinSize: min}
		assert.False(t, codes(&cellv1.CellState{Config: cfg})["CELL_FULL"], "min %d, 0 members", min)
		assert.True(t, codes(&cellv1.CellState{Config: cfg, Members: []string{"n1"}})["CELL_FULL"], "min %d, 1 member", min)
		zcfg := &zonev1.ZoneConfig{Id: "z", MaxCells: 0, MinCells: min}
		assert.False(t, codes(&zonev1.ZoneState{Config: zcfg})["ZONE_FULL"], "min %d, 0 cells", min)
		assert.True(t, codes(&zonev1.ZoneState{Config: zcfg, Cells: []string{"c1"}})["ZONE_FULL"], "min %d, 1 cell", min)
	}
	// min > max: CELL_FULL and the config's INVALID_RANGE are both reported.
	r := v.Validate(&cellv1.CellState{Config: &cellv1.CellConfig{Id: "c", MaxSize: 3, MinSize: 5},
		Members: []string{"a", "b", "c", "d"}, Timestamp: &commonv1.Timestamp{Seconds: examples.Now}}, examples.NowOptions())
	assert.Equal(t, []examples.Want{{Code: "INVALID_RANGE", Path: "config.min_size"}, {Code: "CELL_FULL", Path: "members"},
		{Code: "CELL_INVALID", Path: "members"}}, wants(r))
}

func TestValidateEmptyLeaderIsNotAMember(t *testing.T) {
	s := &cellv1.CellState{Members: []string{"a", "b"}, LeaderId: proto.String("")}
	r := v.Validate(s, examples.NowOptions())
	assert.Contains(t, wants(r), examples.Want{Code: "INVALID_LEADER", Path: "leader_id"})
	s.LeaderId = proto.String("b")
	assert.NotContains(t, wants(v.Validate(s, examples.NowOptions())), examples.Want{Code: "INVALID_LEADER", Path: "leader_id"})
}

// floatFields returns the paths of every float and double field (singular,
// list element, map value) in m, with their descriptors.
func floatFields(m protoreflect.Message) map[string]protoreflect.FieldDescriptor {
	out := map[string]protoreflect.FieldDescriptor{}
	walk(m, "", func(x protoreflect.Message, path string) {
		fds := x.Descriptor().Fields()
		for i := 0; i < fds.Len(); i++ {
			fd := fds.Get(i)
			if fd.IsList() || fd.IsMap() || (fd.Kind() != protoreflect.FloatKind && fd.Kind() != protoreflect.DoubleKind) {
				continue
			}
			out[fieldPath(path, fd)] = fd
		}
	})
	return out
}

func setFloatAt(m protoreflect.Message, path string, x float64) {
	walk(m, "", func(msg protoreflect.Message, p string) {
		fds := msg.Descriptor().Fields()
		for i := 0; i < fds.Len(); i++ {
			fd := fds.Get(i)
			if !fd.IsList() && !fd.IsMap() && fieldPath(p, fd) == path {
				if fd.Kind() == protoreflect.FloatKind {
					msg.Set(fd, protoreflect.ValueOfFloat32(float32(x)))
				} else if fd.Kind() == protoreflect.DoubleKind {
					msg.Set(fd, protoreflect.ValueOfFloat64(x))
				}
			}
		}
	})
}

// rangeCode is the ICD §6.2 code of a float field, if it has one.
func rangeCode(fd protoreflect.FieldDescriptor) string {
	switch fd.FullName() {
	case "cap.common.v1.Position.latitude", "cap.common.v1.Position.longitude":
		return "INVALID_POSITION"
	case "cap.common.v1.Confidence.value", "cap.capability.v1.Capability.confidence",
		"cap.capability.v1.CapabilityQuery.min_confidence", "cap.composition.v1.CompositionResult.composition_confidence":
		return "INVALID_CONFIDENCE"
	}
	return ""
}

// TestValidateEveryFloatFieldEdgeValues sets every float and double field of every
// ICD example (at any depth) to non-finite values, NaNs with payloads, -0
// and subnormals. Non-finite: INVALID_NUMBER, plus the field's ICD §6.2 code
// (INVALID_POSITION, INVALID_CONFIDENCE). -0 and positive subnormals: inside
// every range (each contains 0).
func TestValidateEveryFloatFieldEdgeValues(t *testing.T) {
	nonFinite := []float64{math.NaN(), math.Inf(1), math.Inf(-1),
		math.Float64frombits(0x7ff0000000000001), math.Float64frombits(0xfff8000000000abc),
		float64(math.Float32frombits(0x7fc00001)), float64(math.Float32frombits(0xff800001))}
	inside := []float64{math.Copysign(0, -1), 0, float64(math.Float32frombits(1)), math.SmallestNonzeroFloat64}
	fields := 0
	for _, n := range icdTypes(t) {
		ex := examples.Message(n)
		for path, fd := range floatFields(ex.ProtoReflect()) {
			fields++
			for _, x := range nonFinite {
				m := proto.Clone(ex)
				setFloatAt(m.ProtoReflect(), path, x)
				got := map[string]bool{}
				for _, w := range wants(v.Validate(m, examples.NowOptions())) {
					require.Equal(t, path, w.Path, "%s: only %s may be reported", n, path)
					got[w.Code] = true
				}
				want := map[string]bool{"INVALID_NUMBER": true}
				if c := rangeCode(fd); c != "" {
					want[c] = true
				}
				assert.Equal(t, want, got, "%s %s = %v", n, path, x)
			}
			for _, x := range inside {
				m := proto.Clone(ex)
				setFloatAt(m.ProtoReflect(), path, x)
				r := v.Validate(m, examples.NowOptions())
				assert.True(t, r.Valid, "%s %s = %v: %v", n, path, x, r.Violations)
			}
		}
	}
	assert.Greater(t, fields, 50)
}

// TestValidateFloatMessagesRoundTrip: a float (float32) is printed as the shortest
// decimal that reads back as that float32, not as its float64 widening.
func TestValidateFloatMessagesRoundTrip(t *testing.T) {
	c := examples.Message("cap.capability.v1.Capability").(*capabilityv1.Capability)
	c.Confidence = 1.7
	r := v.Validate(c, examples.NowOptions())
	require.Len(t, r.Violations, 1)
	assert.Equal(t, "1.7 is outside [0, 1]", r.Violations[0].Message)

	c.Confidence = -math.Float32frombits(1)
	assert.Equal(t, "-1e-45 is outside [0, 1]", v.Validate(c, examples.NowOptions()).Violations[0].Message)

	p := &commonv1.Position{Latitude: 90.1, Longitude: 0.1}
	assert.Equal(t, "90.1 is outside [-90, 90]", v.Validate(p, examples.NowOptions()).Violations[0].Message)

	q := &beaconv1.BeaconQuery{MaxDistanceM: proto.Float32(-0.3)}
	assert.Equal(t, "-0.3 is below the minimum 0", v.Validate(q, examples.NowOptions()).Violations[0].Message)
}
