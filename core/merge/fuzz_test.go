package merge_test

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/merge"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/compat"
)

// plainMerger is one mergeable ICD type: an empty message and its merge.
type plainMerger struct {
	empty func() proto.Message
	merge func(a, b proto.Message) (proto.Message, error)
}

func typed[M proto.Message](f func(a, b M) (M, error)) func(a, b proto.Message) (proto.Message, error) {
	return func(a, b proto.Message) (proto.Message, error) { return f(a.(M), b.(M)) }
}

var plainMergers = []plainMerger{
	{func() proto.Message { return &nodev1.NodeState{} }, typed(func(a, b *nodev1.NodeState) (*nodev1.NodeState, error) {
		return merge.NodeState(a, b), nil
	})},
	{func() proto.Message { return &nodev1.NodeConfig{} }, typed(merge.NodeConfig)},
	{func() proto.Message { return &nodev1.Node{} }, typed(merge.Node)},
	{func() proto.Message { return &cellv1.CellState{} }, typed(merge.CellState)},
	{func() proto.Message { return &cellv1.Cell{} }, typed(merge.Cell)},
	{func() proto.Message { return &zonev1.ZoneState{} }, typed(merge.ZoneState)},
	{func() proto.Message { return &zonev1.Zone{} }, typed(merge.Zone)},
}

// FuzzMerge merges two arbitrary byte strings as the mergeable type chosen
// by kind, decoding them as peat_merge does. Nothing may panic or report an
// internal error; a successful merge must be commutative (same bytes either
// way) and idempotent (merging the result with itself or with an input
// changes nothing). Seeds: testdata/fuzz/FuzzMerge (see fuzzSeeds); run
// with `make fuzz`.
func FuzzMerge(f *testing.F) {
	f.Fuzz(func(t *testing.T, kind byte, a, b []byte) {
		m := plainMergers[int(kind)%len(plainMergers)]
		decode := func(in []byte) proto.Message {
			msg := m.empty()
			if err := codec.DecodeInto(msg, codec.Binary, in); err != nil {
				checkStatus(t, err)
				return nil
			}
			return msg
		}
		ma, mb := decode(a), decode(b)
		if ma == nil || mb == nil {
			return
		}
		ab, err := m.merge(ma, mb)
		if err != nil {
			checkStatus(t, err)
			if _, err2 := m.merge(mb, ma); err2 == nil {
				t.Fatalf("merge(a, b) fails (%v) but merge(b, a) succeeds", err)
			}
			return
		}
		ba, err := m.merge(mb, ma)
		if err != nil {
			t.Fatalf("merge(b, a) fails (%v) but merge(a, b) succeeds", err)
		}
		out := encode(t, ab)
		if !bytes.Equal(out, encode(t, ba)) {
			t.Fatalf("not commutative:\n%x\n%x", out, encode(t, ba))
		}
		for name, other := range map[string]proto.Message{"itself": ab, "a": ma, "b": mb} {
			again, err := m.merge(ab, other)
			if err != nil {
				t.Fatalf("merging the result with %s: %v", name, err)
			}
			if !bytes.Equal(out, encode(t, again)) {
				t.Fatalf("merging the result with %s changes it:\n%x\n%x", name, out, encode(t, again))
			}
		}
	})
}

func checkStatus(t *testing.T, err error) {
	t.Helper()
	if s := status.Of(err); s == status.Internal || s == status.OK {
		t.Fatalf("error with status %v: %v", s, err)
	}
}

func encode(t testing.TB, m proto.Message) []byte {
	t.Helper()
	b, err := codec.Encode(m, codec.Binary)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// fuzzSeeds is the committed corpus of FuzzMerge: per type, a realistic
// pair, the same pair as a newer minor version sends it, the pair with the
// second entity's id changed, and a truncated second input.
func fuzzSeeds(t testing.TB) map[string][]any {
	seeds := map[string][]any{}
	for i, pair := range fuzzSeedMessages() {
		name := string(pair[0].ProtoReflect().Descriptor().Name())
		a, b := encode(t, pair[0]), encode(t, pair[1])
		seeds[name] = []any{byte(i), a, b}
		ea, eb := proto.Clone(pair[0]), proto.Clone(pair[1])
		compat.Evolve(ea.ProtoReflect())
		compat.Evolve(eb.ProtoReflect())
		seeds[name+"-evolved"] = []any{byte(i), encode(t, ea), encode(t, eb)}
		other := proto.Clone(pair[1])
		renameEntity(other.ProtoReflect())
		seeds[name+"-other-entity"] = []any{byte(i), a, encode(t, other)}
		seeds[name+"-truncated"] = []any{byte(i), a, b[:len(b)/2]}
	}
	return seeds
}

// renameEntity changes every string field named id (the entity ids).
func renameEntity(m protoreflect.Message) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.Name() == "id" && fd.Kind() == protoreflect.StringKind:
			m.Set(fd, protoreflect.ValueOfString(v.String()+"-other"))
		case fd.Message() != nil && !fd.IsList() && !fd.IsMap():
			renameEntity(v.Message())
		}
		return true
	})
}

func TestFuzzSeedsAreCommitted(t *testing.T) {
	syncFuzzCorpus(t, "FuzzMerge", fuzzSeeds(t))
}

// fuzzSeedMessages returns one realistic pair per mergeable type, in the
// order of plainMergers: overlapping sets, tied and differing timestamps,
// duplicate capability ids.
func fuzzSeedMessages() [][2]proto.Message {
	at := func(s uint64) *commonv1.Timestamp { return &commonv1.Timestamp{Seconds: s} }
	caps := func(ids ...string) []*capabilityv1.Capability {
		var out []*capabilityv1.Capability
		for i, id := range ids {
			out = append(out, &capabilityv1.Capability{Id: id, Name: id, Confidence: 0.5, RegisteredAt: at(uint64(i))})
		}
		return out
	}
	stA := &nodev1.NodeState{Position: &commonv1.Position{Latitude: 1}, FuelMinutes: 30, Timestamp: at(5), CellId: proto.String("c")}
	stB := &nodev1.NodeState{Position: &commonv1.Position{Latitude: 2}, FuelMinutes: 20, Timestamp: at(5)}
	cfgA := &nodev1.NodeConfig{Id: "n", PlatformType: "uav", Capabilities: caps("cam", "gps"), CreatedAt: at(1)}
	cfgB := &nodev1.NodeConfig{Id: "n", PlatformType: "ugv", Capabilities: caps("gps", "gps", "radio"), CreatedAt: at(2)}
	cellA := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c", MaxSize: 4}, LeaderId: proto.String("n1"), Members: []string{"n2", "n1"}, Timestamp: at(3), Capabilities: caps("cam")}
	cellB := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c", MaxSize: 5}, PlatoonId: proto.String("p"), Members: []string{"n3", "n1"}, Timestamp: at(3)}
	zoneA := &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z"}, CoordinatorId: proto.String("n1"), Cells: []string{"c2", "c1"}, Timestamp: at(1)}
	zoneB := &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "z"}, Cells: []string{"c1", "c3"}, AggregatedCapabilities: caps("gps"), Timestamp: at(2)}
	return [][2]proto.Message{
		{stA, stB},
		{cfgA, cfgB},
		{&nodev1.Node{Config: cfgA, State: stA}, &nodev1.Node{Config: cfgB}},
		{cellA, cellB},
		{&cellv1.Cell{Config: cellA.Config, State: cellA}, &cellv1.Cell{Config: cellB.Config, State: cellB}},
		{zoneA, zoneB},
		{&zonev1.Zone{Config: zoneA.Config, State: zoneA}, &zonev1.Zone{Config: zoneB.Config, State: zoneB}},
	}
}
