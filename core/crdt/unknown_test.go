package crdt_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	"github.com/peat-protocol/libpeat/core/crdt"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// newerField is field num as a newer minor version would add it: a string.
func newerField(num protowire.Number, v string) []byte {
	b := protowire.AppendTag(nil, num, protowire.BytesType)
	return protowire.AppendString(b, v)
}

func withUnknown[M proto.Message](m M, u []byte) M {
	m.ProtoReflect().SetUnknown(u)
	return m
}

func mustMarshal(t testing.TB, m proto.Message) []byte {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	require.NoError(t, err)
	return b
}

func TestUnknownFieldsAreARegister(t *testing.T) {
	at := func(s uint64) *commonv1.Timestamp { return &commonv1.Timestamp{Seconds: s} }
	newer := newerField(100, "v1.1")
	mk := func(replica string, s uint64, st *nodev1.NodeState) *crdtv1.NodeDoc {
		d, err := crdt.NewNode(&crdtv1.DocInit{Replica: replica, Timestamp: at(s), Id: "n",
			Initial: &crdtv1.DocInit_NodeState{NodeState: st}})
		require.NoError(t, err)
		return d
	}
	v11 := mk("a", 10, withUnknown(&nodev1.NodeState{FuelMinutes: 5}, newer))
	// A later initial message without unknown fields writes no register, so
	// it does not erase them; its known fields win as usual.
	later, err := crdt.JoinNode(v11, mk("b", 20, &nodev1.NodeState{FuelMinutes: 7}))
	require.NoError(t, err)
	st := crdt.MaterializeNode(later).GetState()
	assert.Equal(t, uint32(7), st.GetFuelMinutes())
	assert.Equal(t, newer, []byte(st.ProtoReflect().GetUnknown()))
	// A later message with other unknown fields replaces them, in any order.
	other := newerField(101, "v1.2")
	x, err := crdt.JoinNode(v11, mk("b", 20, withUnknown(&nodev1.NodeState{}, other)))
	require.NoError(t, err)
	y, err := crdt.JoinNode(mk("b", 20, withUnknown(&nodev1.NodeState{}, other)), v11)
	require.NoError(t, err)
	assert.Equal(t, mustMarshal(t, x), mustMarshal(t, y))
	assert.Equal(t, other, []byte(crdt.MaterializeNode(x).GetState().ProtoReflect().GetUnknown()))
}

func TestMaterializeAttachesOnlyUnknownWellFormedFields(t *testing.T) {
	newer := newerField(100, "v1.1")
	known := newerField(1, "would overwrite config") // CellState.config
	for _, tc := range []struct {
		name  string
		value []byte
		want  []byte
	}{
		{"kept", newer, newer},
		{"known number dropped", append(append([]byte(nil), known...), newer...), newer},
		{"malformed tail dropped", append(append([]byte(nil), newer...), 0x0a, 0xff), newer},
		{"garbage", []byte{0xff, 0xff, 0xff}, nil},
		{"field number zero", []byte{0x02, 0x00}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := &crdtv1.CellDoc{Id: "c", StateUnknownFields: &crdtv1.UnknownFieldsRegister{
				Stamp: &crdtv1.Stamp{Seconds: 1, Replica: "r"}, Value: tc.value},
				Config: &crdtv1.CellConfigRegister{Stamp: &crdtv1.Stamp{Seconds: 1, Replica: "r"}, Value: &cellv1.CellConfig{MaxSize: 4}}}
			s := crdt.MaterializeCell(doc)
			assert.Equal(t, tc.want, []byte(s.ProtoReflect().GetUnknown()))
			assert.Equal(t, "c", s.GetConfig().GetId())
			assert.Equal(t, uint32(4), s.GetConfig().GetMaxSize())
			// The output re-reads as a CellState with the same fields.
			var back cellv1.CellState
			require.NoError(t, proto.Unmarshal(mustMarshal(t, s), &back))
			assert.True(t, proto.Equal(s, &back))
		})
	}
}

// Documents created by different replicas from v1.1 messages at different
// (and tying) times converge: the unknown-fields register joins like any
// other, commutatively, associatively and idempotently.
func TestUnknownFieldsRegisterJoinLaws(t *testing.T) {
	pool := [][]byte{nil, newerField(100, "a"), newerField(100, "b"), append(newerField(100, "a"), newerField(101, "c")...)}
	rapid.Check(t, func(t *rapid.T) {
		// One member list per replica id: a replica id that created documents
		// from two different member lists would reuse dots (DOT_REUSED).
		members := map[string][]string{
			"r1": rapid.SliceOfN(rapid.SampledFrom(memberPool), 0, 3).Draw(t, "r1-members"),
			"r2": rapid.SliceOfN(rapid.SampledFrom(memberPool), 0, 3).Draw(t, "r2-members"),
		}
		draw := func(label string) *crdtv1.CellDoc {
			replica := rapid.SampledFrom([]string{"r1", "r2"}).Draw(t, label+"-replica")
			st := &cellv1.CellState{
				Config:   &cellv1.CellConfig{Id: "c"},
				Members:  members[replica],
				LeaderId: proto.String(rapid.SampledFrom(memberPool).Draw(t, label+"-leader")),
			}
			st.ProtoReflect().SetUnknown(rapid.SampledFrom(pool).Draw(t, label+"-unknown"))
			d, err := crdt.NewCell(&crdtv1.DocInit{
				Replica:   replica,
				Timestamp: &commonv1.Timestamp{Seconds: rapid.Uint64Range(1, 3).Draw(t, label+"-time")},
				Initial:   &crdtv1.DocInit_CellState{CellState: st},
			})
			if err != nil {
				t.Fatalf("new: %v", err)
			}
			return d
		}
		a, b, c := draw("a"), draw("b"), draw("c")
		j := func(x, y *crdtv1.CellDoc) *crdtv1.CellDoc {
			out, err := crdt.JoinCell(x, y)
			if err != nil {
				t.Fatalf("join: %v", err)
			}
			return out
		}
		e := func(d *crdtv1.CellDoc) []byte { return enc(t, d) }
		if !bytes.Equal(e(j(a, b)), e(j(b, a))) {
			t.Fatalf("not commutative")
		}
		if !bytes.Equal(e(j(j(a, b), c)), e(j(a, j(b, c)))) {
			t.Fatalf("not associative")
		}
		ab := j(a, b)
		if !bytes.Equal(e(j(ab, ab)), e(ab)) || !bytes.Equal(e(j(ab, a)), e(ab)) {
			t.Fatalf("not idempotent")
		}
		// The materialised fields are those of some input's initial message.
		got := crdt.MaterializeCell(j(ab, c)).ProtoReflect().GetUnknown()
		found := false
		for _, d := range []*crdtv1.CellDoc{a, b, c} {
			found = found || bytes.Equal(got, d.GetStateUnknownFields().GetValue())
		}
		if !found {
			t.Fatalf("materialised unknown fields %x come from no input", got)
		}
	})
}
