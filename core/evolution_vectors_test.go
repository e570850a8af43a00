package core_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/internal/compat"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// withUnknown adds the fields a newer minor version would send (numbers
// 100-104) to m and every message inside it; enum values stay known, so the
// message is otherwise valid.
func withUnknown(m protoreflect.Message) {
	m.SetUnknown(append(m.GetUnknown(), compat.UnknownFields()...))
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			for i := 0; i < v.List().Len(); i++ {
				withUnknown(v.List().Get(i).Message())
			}
		case fd.Message() != nil && !fd.IsMap():
			withUnknown(v.Message())
		}
		return true
	})
}

// TestEvolutionVectors writes tests/vectors/evolution: messages from a newer
// minor version (unknown fields at every level) go through validate, merge
// and the document form in every binding, and must keep what they carry
// (ICD §8.3). The Go assertions below check the survival independently.
func TestEvolutionVectors(t *testing.T) {
	s := vectors.NewSet("evolution")
	extra := compat.UnknownFields()
	hasExtra := func(b []byte) bool { return bytes.Contains(b, extra) }
	now := &validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: 1_700_001_000}}
	opts := s.File("inputs/options.bin", wire(t, now))

	leader := "n2"
	cell := func(members []string, sec uint64) *cellv1.CellState {
		c := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-7", MaxSize: 8, MinSize: 2},
			Members: members, LeaderId: &leader, Timestamp: &commonv1.Timestamp{Seconds: sec},
			Capabilities: []*capabilityv1.Capability{{Id: "cam-" + members[0], Name: "camera",
				CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.8}}}
		withUnknown(c.ProtoReflect())
		return c
	}
	state := func(lat float64, sec uint64) *nodev1.NodeState {
		n := &nodev1.NodeState{Position: &commonv1.Position{Latitude: lat, Longitude: 8.5}, FuelMinutes: 90,
			Health: nodev1.HealthStatus_HEALTH_STATUS_NOMINAL, Phase: nodev1.Phase_PHASE_CELL,
			Timestamp: &commonv1.Timestamp{Seconds: sec}}
		withUnknown(n.ProtoReflect())
		return n
	}
	pairs := []struct {
		name, typ string
		a, b      proto.Message
	}{
		{"cellstate", "cap.cell.v1.CellState", cell([]string{"n1", "n2"}, 1_700_000_100), cell([]string{"n2", "n3"}, 1_700_000_200)},
		{"nodestate", "cap.node.v1.NodeState", state(47.1, 1_700_000_100), state(47.2, 1_700_000_200)},
	}
	for _, p := range pairs {
		a, b := wire(t, p.a), wire(t, p.b)
		require.True(t, hasExtra(a))
		fa, fb := s.File("inputs/"+p.name+"_a.bin", a), s.File("inputs/"+p.name+"_b.bin", b)

		// Validation ignores unknown fields: the message is valid.
		rep, err := core.Validate(p.typ, codec.Binary, a, wire(t, now))
		require.NoError(t, err)
		valid := true
		s.Add(vectors.Case{Name: p.name + "/validate", Op: "validate", Type: p.typ, From: "binary", Inputs: []string{fa},
			Options: opts, Expect: vectors.Expect{Status: "OK", Output: s.File("outputs/"+p.name+"_validate.bin", rep), Valid: &valid},
			Note: "a v1.1 message with unknown fields at every level is valid"})

		// Merge keeps the unknown fields, and is order-independent.
		ab, err := core.Merge(p.typ, codec.Binary, codec.Binary, a, b)
		require.NoError(t, err)
		ba, err := core.Merge(p.typ, codec.Binary, codec.Binary, b, a)
		require.NoError(t, err)
		require.Equal(t, ab, ba)
		assert.True(t, hasExtra(ab), "merge kept the newer peer's fields")
		out := s.File("outputs/"+p.name+"_merged.bin", ab)
		s.Add(vectors.Case{Name: p.name + "/merge-ab", Op: "merge", Type: p.typ, From: "binary", To: "binary",
			Inputs: []string{fa, fb}, Expect: vectors.Expect{Status: "OK", Output: out}, Note: "unknown fields survive merge"})
		s.Add(vectors.Case{Name: p.name + "/merge-ba", Op: "merge", Type: p.typ, From: "binary", To: "binary",
			Inputs: []string{fb, fa}, Expect: vectors.Expect{Status: "OK", Output: out}})
	}

	// The document form: doc_new from a v1.1 CellState, then materialise.
	init := &crdtv1.DocInit{Replica: "r1", Id: "cell-7", Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_100},
		Initial: &crdtv1.DocInit_CellState{CellState: pairs[0].a.(*cellv1.CellState)}}
	initBin := wire(t, init)
	doc, err := core.DocNew("peat.crdt.v1.CellDoc", initBin)
	require.NoError(t, err)
	docFile := s.File("outputs/celldoc.bin", doc)
	s.Add(vectors.Case{Name: "celldoc/new", Op: "doc_new", Type: "peat.crdt.v1.CellDoc",
		Inputs: []string{s.File("inputs/celldoc_init.bin", initBin)}, Expect: vectors.Expect{Status: "OK", Output: docFile}})
	mat, err := core.DocMaterialize("peat.crdt.v1.CellDoc", codec.Binary, doc)
	require.NoError(t, err)
	var got cellv1.CellState
	require.NoError(t, proto.Unmarshal(mat, &got))
	assert.True(t, hasExtra(got.ProtoReflect().GetUnknown()), "the document kept the state's unknown fields")
	s.Add(vectors.Case{Name: "celldoc/materialize", Op: "doc_materialize", Type: "peat.crdt.v1.CellDoc", To: "binary",
		Inputs: []string{docFile}, Expect: vectors.Expect{Status: "OK", Output: s.File("outputs/celldoc_state.bin", mat)},
		Note: "unknown fields survive doc_new -> materialize"})
	s.Sync(t)
}
