package core_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/internal/compat"
	newerpb "github.com/peat-protocol/libpeat/internal/compat/pb/newer"
	olderpb "github.com/peat-protocol/libpeat/internal/compat/pb/older"
)

// ICD §8.3 forward compatibility: a v1.1 message passes through this v1
// library -- decode, validate, merge, encode -- without losing what v1 does
// not know.

const nodeType = "cap.node.v1.Node"

func validateReport(t *testing.T, typ string, in []byte, opts *validationv1.ValidateOptions) *validationv1.ValidationReport {
	t.Helper()
	if opts == nil {
		opts = &validationv1.ValidateOptions{}
	}
	// A fixed "now" after every timestamp in the fixtures.
	opts.Now = &commonv1.Timestamp{Seconds: 1_700_001_000}
	out, err := core.Validate(typ, codec.Binary, in, wire(t, opts))
	require.NoError(t, err)
	var r validationv1.ValidationReport
	require.NoError(t, proto.Unmarshal(out, &r))
	return &r
}

func codes(r *validationv1.ValidationReport) map[string]string {
	out := map[string]string{}
	for _, v := range r.Violations {
		out[v.Path] = v.Code
	}
	return out
}

func TestNewerMinorMessageRoundTripsThroughEveryFormatThatCanCarryIt(t *testing.T) {
	v11 := newerNode()
	bin := wire(t, v11)

	out := convert(t, nodeType, codec.Binary, codec.Binary, bin)
	var back newerpb.Node
	require.NoError(t, proto.Unmarshal(out, &back))
	assert.True(t, proto.Equal(v11, &back), "binary keeps v1.1 fields")
	assert.Equal(t, "RAVEN-1", back.GetConfig().GetCallsign())
	assert.Equal(t, float32(0), back.GetState().GetBatteryPct())
	assert.True(t, back.GetState().BatteryPct != nil, "explicit presence of a new optional field is kept")

	// JSON dialects map known fields only: v1.1 fields cannot be written.
	for _, f := range []codec.Format{codec.JSON, codec.RustJSON} {
		text := convert(t, nodeType, codec.Binary, f, bin)
		again := convert(t, nodeType, f, codec.Binary, text)
		var lossy newerpb.Node
		require.NoError(t, proto.Unmarshal(again, &lossy))
		assert.Empty(t, lossy.GetConfig().GetCallsign(), f)
		assert.Equal(t, newerpb.HealthStatus_HEALTH_STATUS_MAINTENANCE, lossy.GetState().GetHealth(),
			"%v keeps the unknown enum number", f)
	}
}

func TestNewerMinorMessageValidates(t *testing.T) {
	bin := wire(t, newerNode())

	// Default (ICD §9.1): an enum value this version does not define is
	// rejected, wherever it is; unknown fields are not an error.
	r := validateReport(t, nodeType, bin, nil)
	assert.Equal(t, map[string]string{"state.health": "INVALID_ENUM"}, codes(r))

	// Opting in accepts values added by a newer minor version.
	r = validateReport(t, nodeType, bin, &validationv1.ValidateOptions{AllowUnknownEnumValues: true})
	assert.True(t, r.Valid, "%v", r.Violations)

	// Unknown fields alone (a v1.1 message using no new enum value) pass by default.
	v11 := newerNode()
	v11.State.Health = newerpb.HealthStatus_HEALTH_STATUS_NOMINAL
	r = validateReport(t, nodeType, wire(t, v11), nil)
	assert.True(t, r.Valid, "%v", r.Violations)
}

func TestNewerMinorMessageMergesWithoutLosingUnknownFields(t *testing.T) {
	a := newerNode()
	b := newerNode()
	b.State.Timestamp = &commonv1.Timestamp{Seconds: 1_700_000_200}
	b.State.BatteryPct = proto.Float32(61.5)
	b.State.Sensors = append(b.State.Sensors, &newerpb.SensorStatus{Id: "ir", Ok: false})
	ab := mergeNode(t, a, b)
	ba := mergeNode(t, b, a)
	assert.Equal(t, ab, ba, "commutative with unknown fields")

	var got newerpb.Node
	require.NoError(t, proto.Unmarshal(ab, &got))
	// The later state wins as a whole, with its v1.1 fields.
	assert.Equal(t, float32(61.5), got.GetState().GetBatteryPct())
	assert.Len(t, got.GetState().GetSensors(), 2)
	assert.Equal(t, newerpb.HealthStatus_HEALTH_STATUS_MAINTENANCE, got.GetState().GetHealth())
	// The config's v1.1 fields ride along with the config register.
	assert.Equal(t, "RAVEN-1", got.GetConfig().GetCallsign())
	assert.Equal(t, []string{"night", "eo"}, got.GetConfig().GetTags())

	// Idempotent: a v1.1 message merged with itself is unchanged.
	self := mergeNode(t, a, a)
	var same newerpb.Node
	require.NoError(t, proto.Unmarshal(self, &same))
	assert.True(t, proto.Equal(a, &same))
}

func mergeNode(t *testing.T, a, b *newerpb.Node) []byte {
	t.Helper()
	out, err := core.Merge(nodeType, codec.Binary, codec.Binary, wire(t, a), wire(t, b))
	require.NoError(t, err)
	return out
}

func TestEvolvedCellStateMergeKeepsUnknownFields(t *testing.T) {
	cell := compat.Populated(&cellv1.CellState{})
	compat.Evolve(cell.ProtoReflect())
	bin := wire(t, cell)
	out, err := core.Merge("cap.cell.v1.CellState", codec.Binary, codec.Binary, bin, bin)
	require.NoError(t, err)
	var merged cellv1.CellState
	require.NoError(t, proto.Unmarshal(out, &merged))
	u := compat.UnknownFields()
	assert.Equal(t, u, []byte(merged.ProtoReflect().GetUnknown()), "top level")
	assert.Equal(t, u, []byte(merged.GetConfig().ProtoReflect().GetUnknown()), "config")
	require.NotEmpty(t, merged.GetCapabilities())
	assert.Equal(t, u, []byte(merged.GetCapabilities()[0].ProtoReflect().GetUnknown()), "capabilities[0]")
}

// In document form every part of a v1.1 message keeps its v1.1 fields: those
// the document stores whole (configurations, capabilities) with their values,
// and those of the parts it splits into per-field registers (NodeState, the
// Node around it, the top level of CellState and ZoneState) in a register of
// their own, through doc_new -> doc_apply on two replicas -> doc_merge ->
// doc_materialize, all in binary.
func TestNewerMinorMessageSurvivesADocument(t *testing.T) {
	u := compat.UnknownFields()

	v11 := newerNode()
	var known nodev1.Node
	require.NoError(t, proto.Unmarshal(wire(t, v11), &known))
	known.ProtoReflect().SetUnknown(u) // a field a newer Node would add
	out := throughDocument(t, nodeDoc, &crdtv1.DocInit{Replica: "r1", Initial: &crdtv1.DocInit_Node{Node: &known}},
		docOp("r1", 1_700_000_200, consume(10)), docOp("r2", 1_700_000_300, updatePosition(38.1, -122)))
	var got newerpb.Node
	require.NoError(t, proto.Unmarshal(out, &got))
	assert.Equal(t, "RAVEN-1", got.GetConfig().GetCallsign())
	assert.Equal(t, []string{"night", "eo"}, got.GetConfig().GetTags())
	assert.Equal(t, 2.5, got.GetConfig().GetEnduranceH())
	assert.Equal(t, newerpb.HealthStatus_HEALTH_STATUS_MAINTENANCE, got.GetState().GetHealth(), "unknown enum number kept")
	require.NotNil(t, got.GetState().BatteryPct, "NodeState-level v1.1 field")
	assert.Equal(t, float32(0), got.GetState().GetBatteryPct())
	require.Len(t, got.GetState().GetSensors(), 1)
	assert.Equal(t, "eo", got.GetState().GetSensors()[0].GetId())
	assert.Equal(t, []byte(u), []byte(got.ProtoReflect().GetUnknown()), "Node-level unknown fields")
	// The operations took effect beside the kept fields.
	assert.Equal(t, uint32(80), got.GetState().GetFuelMinutes())
	assert.Equal(t, 38.1, got.GetState().GetPosition().GetLatitude())

	cell := compat.Populated(&cellv1.CellState{})
	compat.Evolve(cell.ProtoReflect())
	out = throughDocument(t, cellDoc, &crdtv1.DocInit{Replica: "r1", Initial: &crdtv1.DocInit_CellState{CellState: cell}},
		docOp("r1", 101, addMember("n-new")), docOp("r2", 102, setPlatoon("p-7")))
	var gotCell cellv1.CellState
	require.NoError(t, proto.Unmarshal(out, &gotCell))
	assert.Equal(t, u, []byte(gotCell.ProtoReflect().GetUnknown()), "top level")
	assert.Equal(t, u, []byte(gotCell.GetConfig().ProtoReflect().GetUnknown()), "config")
	require.NotEmpty(t, gotCell.GetCapabilities())
	assert.Equal(t, u, []byte(gotCell.GetCapabilities()[0].ProtoReflect().GetUnknown()), "capabilities[0]")
	assert.Contains(t, gotCell.GetMembers(), "n-new")
	assert.Equal(t, "p-7", gotCell.GetPlatoonId())

	zone := compat.Populated(&zonev1.ZoneState{})
	compat.Evolve(zone.ProtoReflect())
	out = throughDocument(t, zoneDoc, &crdtv1.DocInit{Replica: "r1", Initial: &crdtv1.DocInit_ZoneState{ZoneState: zone}},
		docOp("r1", 101, addCell("c-new")), docOp("r2", 102, setCoordinator("n-7")))
	var gotZone zonev1.ZoneState
	require.NoError(t, proto.Unmarshal(out, &gotZone))
	assert.Equal(t, u, []byte(gotZone.ProtoReflect().GetUnknown()), "top level")
	assert.Equal(t, u, []byte(gotZone.GetConfig().ProtoReflect().GetUnknown()), "config")
	require.NotEmpty(t, gotZone.GetAggregatedCapabilities())
	assert.Equal(t, u, []byte(gotZone.GetAggregatedCapabilities()[0].ProtoReflect().GetUnknown()), "aggregated_capabilities[0]")
	assert.Contains(t, gotZone.GetCells(), "c-new")
	assert.Equal(t, "n-7", gotZone.GetCoordinatorId())
}

// throughDocument creates a document from init, lets two replicas each apply
// one operation, merges their documents (checking both orders give the same
// bytes, and that a replica that only received the other's delta agrees) and
// returns the materialised message in binary.
func throughDocument(t *testing.T, typ string, init *crdtv1.DocInit, opA, opB *crdtv1.Operation) []byte {
	t.Helper()
	doc := docNew(t, typ, init)
	a, deltaA := docApply(t, typ, doc, opA)
	b, _ := docApply(t, typ, doc, opB)
	ab := docMerge(t, typ, a, b)
	require.Equal(t, ab, docMerge(t, typ, b, a), "merge is commutative")
	require.Equal(t, ab, docMerge(t, typ, b, deltaA), "a delta carries the operation")
	out, err := core.DocMaterialize(typ, codec.Binary, ab)
	require.NoError(t, err)
	return out
}

// ICD §8.3 backward direction: what this version writes is readable by an
// older parser, which sees defaults for nothing it knows and keeps the rest.
func TestOlderParserReadsThisVersion(t *testing.T) {
	cur := compat.Populated(&nodev1.Node{})
	bin := wire(t, cur)

	var old olderpb.Node
	require.NoError(t, proto.Unmarshal(bin, &old))
	assert.Equal(t, cur.Config.Id, old.Config.Id)
	assert.Equal(t, cur.Config.CommRangeM, old.Config.CommRangeM)
	assert.Equal(t, int32(cur.State.Health), int32(old.State.Health))
	assert.Equal(t, cur.State.GetCellId(), old.State.GetCellId())
	assert.NotEmpty(t, old.Config.ProtoReflect().GetUnknown(), "max_speed_mps and operator_binding kept as unknown")
	assert.NotEmpty(t, old.State.ProtoReflect().GetUnknown(), "zone_id kept as unknown")

	// The older peer re-encodes it (its unknown fields after its known ones):
	// this version reads back exactly what it wrote, in canonical bytes.
	reenc, err := proto.Marshal(&old)
	require.NoError(t, err)
	assert.NotEqual(t, bin, reenc)
	assert.Equal(t, bin, convert(t, nodeType, codec.Binary, codec.Binary, reenc))
}

func TestThisVersionReadsOlderMessagesWithDefaults(t *testing.T) {
	old := &olderpb.Node{
		Config: &olderpb.NodeConfig{Id: "1b4e28ba-2fa1-4d3b-883f-0016d3cca427", PlatformType: "UGV", CommRangeM: 500,
			CreatedAt: &commonv1.Timestamp{Seconds: 1_700_000_000}},
		State: &olderpb.NodeState{Position: &commonv1.Position{Latitude: 1, Longitude: 2}, FuelMinutes: 30,
			Health: olderpb.HealthStatus_HEALTH_STATUS_NOMINAL, Phase: nodev1.Phase_PHASE_DISCOVERY,
			Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_000}},
	}
	bin := wire(t, old)
	msg, err := codec.Decode(nodeType, codec.Binary, bin)
	require.NoError(t, err)
	n := msg.(*nodev1.Node)
	assert.Equal(t, float32(0), n.Config.MaxSpeedMps)
	assert.Nil(t, n.Config.OperatorBinding)
	assert.Nil(t, n.State.ZoneId)
	assert.Empty(t, n.ProtoReflect().GetUnknown())
	assert.True(t, validateReport(t, nodeType, bin, nil).Valid)

	// In the reference's JSON the fields it lacked are written as defaults.
	rj := convert(t, nodeType, codec.Binary, codec.RustJSON, bin)
	for _, want := range []string{`"max_speed_mps":0.0`, `"operator_binding":null`, `"zone_id":null`} {
		assert.True(t, bytes.Contains(rj, []byte(want)), "%s in %s", want, rj)
	}
}
