package merge_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/merge"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// ---- generators: small domains, so ties and id collisions are frequent ----

func genTime(t *rapid.T, label string) *commonv1.Timestamp {
	if rapid.IntRange(0, 5).Draw(t, label+".nil") == 0 {
		return nil
	}
	return &commonv1.Timestamp{
		Seconds: uint64(rapid.IntRange(0, 2).Draw(t, label+".s")),
		Nanos:   uint32(rapid.SampledFrom([]int{0, 500}).Draw(t, label+".ns")),
	}
}

func optString(t *rapid.T, label string, pool ...string) *string {
	if rapid.Bool().Draw(t, label+".set") {
		return proto.String(rapid.SampledFrom(pool).Draw(t, label))
	}
	return nil
}

// withUnknown sometimes adds a field of a "newer minor version" (number 99).
func withUnknown[M proto.Message](t *rapid.T, m M) M {
	if v := rapid.IntRange(0, 3).Draw(t, "unknown"); v > 0 {
		raw := protowire.AppendTag(nil, 99, protowire.BytesType)
		raw = protowire.AppendString(raw, string(rune('a'+v)))
		m.ProtoReflect().SetUnknown(raw)
	}
	return m
}

// Floating-point values that a lossy copy or a numeric comparison gets
// wrong: both zeros, NaNs with payloads (quiet, signalling, negative),
// subnormals and infinities, next to ordinary values. Merges must keep each
// bit for bit.
var (
	oddFloat64s = []uint64{
		0, 0x8000000000000000, // +0, -0
		0x3fe0000000000000, 0x3ff0000000000000, // 0.5, 1
		0x7ff8000000000000, 0x7ff8000000000001, 0xfff8000000000000, // quiet NaNs, one with a payload, one negative
		0x7ff0000000000001, 0x7ff4000000000000, // signalling NaNs
		0x0000000000000001, 0x8000000000000001, 0x000fffffffffffff, // subnormals
		0x7ff0000000000000, 0xfff0000000000000, // +Inf, -Inf
	}
	oddFloat32s = []uint32{
		0, 0x80000000, // +0, -0
		0x3f000000, 0x3f666666, // 0.5, 0.9
		0x7fc00000, 0x7fc00001, 0xffc00000, // quiet NaNs
		0x7f800001, 0x7fa00000, // signalling NaNs
		0x00000001, 0x80000001, 0x007fffff, // subnormals
		0x7f800000, // +Inf
	}
)

func genFloat64(t *rapid.T, label string) float64 {
	return math.Float64frombits(rapid.SampledFrom(oddFloat64s).Draw(t, label))
}

func genFloat32(t *rapid.T, label string) float32 {
	return math.Float32frombits(rapid.SampledFrom(oddFloat32s).Draw(t, label))
}

func genCapabilities(t *rapid.T) []*capabilityv1.Capability {
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) *capabilityv1.Capability {
		return withUnknown(t, &capabilityv1.Capability{
			Id:             rapid.SampledFrom([]string{"cam", "gps", "radio"}).Draw(t, "id"),
			Name:           rapid.SampledFrom([]string{"A", "B"}).Draw(t, "name"),
			CapabilityType: capabilityv1.CapabilityType(rapid.IntRange(1, 2).Draw(t, "type")),
			Confidence:     genFloat32(t, "conf"),
			RegisteredAt:   genTime(t, "reg"),
		})
	}), 0, 4).Draw(t, "caps")
}

func genStrings(t *rapid.T, label string) []string {
	return rapid.SliceOfN(rapid.SampledFrom([]string{"n1", "n2", "n3", "n4", "n5"}), 0, 5).Draw(t, label)
}

// entity draws one of two ids, mostly the first, so most pairs merge and
// some must be refused.
func entity(t *rapid.T) string {
	return rapid.SampledFrom([]string{"x", "x", "x", "x", "y"}).Draw(t, "entity")
}

func genNodeState(t *rapid.T) *nodev1.NodeState {
	s := &nodev1.NodeState{
		FuelMinutes: uint32(rapid.IntRange(0, 2).Draw(t, "fuel")),
		Health:      nodev1.HealthStatus(rapid.IntRange(0, 2).Draw(t, "health")),
		Phase:       nodev1.Phase(rapid.IntRange(0, 2).Draw(t, "phase")),
		CellId:      optString(t, "cell", "c1", "c2"),
		ZoneId:      optString(t, "zone", "z1"),
		Timestamp:   genTime(t, "ts"),
	}
	if rapid.Bool().Draw(t, "pos") {
		s.Position = &commonv1.Position{Latitude: genFloat64(t, "lat"), Longitude: genFloat64(t, "lon"), Altitude: genFloat64(t, "alt")}
	}
	return withUnknown(t, s)
}

func genNodeConfig(t *rapid.T) *nodev1.NodeConfig {
	return withUnknown(t, &nodev1.NodeConfig{
		Id:           entity(t),
		PlatformType: rapid.SampledFrom([]string{"uav", "ugv"}).Draw(t, "platform"),
		Capabilities: genCapabilities(t),
		CommRangeM:   genFloat32(t, "range"),
		MaxSpeedMps:  genFloat32(t, "speed"),
		CreatedAt:    genTime(t, "created"),
	})
}

func genNode(t *rapid.T) *nodev1.Node {
	n := &nodev1.Node{Config: genNodeConfig(t)}
	if rapid.IntRange(0, 3).Draw(t, "state") > 0 {
		n.State = genNodeState(t)
	}
	return withUnknown(t, n)
}

func genCellConfig(t *rapid.T, id string) *cellv1.CellConfig {
	return withUnknown(t, &cellv1.CellConfig{
		Id:        id,
		MaxSize:   uint32(rapid.IntRange(4, 8).Draw(t, "max")),
		MinSize:   2,
		CreatedAt: genTime(t, "created"),
	})
}

func genCellState(t *rapid.T, id string) *cellv1.CellState {
	return withUnknown(t, &cellv1.CellState{
		Config:       genCellConfig(t, id),
		LeaderId:     optString(t, "leader", "n1", "n2"),
		Members:      genStrings(t, "members"),
		Capabilities: genCapabilities(t),
		PlatoonId:    optString(t, "platoon", "p1", "p2"),
		Timestamp:    genTime(t, "ts"),
	})
}

func genCell(t *rapid.T) *cellv1.Cell {
	id := entity(t)
	c := &cellv1.Cell{Config: genCellConfig(t, id)}
	if rapid.IntRange(0, 3).Draw(t, "state") > 0 {
		c.State = genCellState(t, id)
	}
	return withUnknown(t, c)
}

func genZoneConfig(t *rapid.T, id string) *zonev1.ZoneConfig {
	return withUnknown(t, &zonev1.ZoneConfig{
		Id:        id,
		MaxCells:  uint32(rapid.IntRange(4, 8).Draw(t, "max")),
		MinCells:  2,
		CreatedAt: genTime(t, "created"),
	})
}

func genZoneState(t *rapid.T, id string) *zonev1.ZoneState {
	return withUnknown(t, &zonev1.ZoneState{
		Config:                 genZoneConfig(t, id),
		CoordinatorId:          optString(t, "coord", "n1", "n2"),
		Cells:                  genStrings(t, "cells"),
		AggregatedCapabilities: genCapabilities(t),
		Timestamp:              genTime(t, "ts"),
	})
}

func genZone(t *rapid.T) *zonev1.Zone {
	id := entity(t)
	z := &zonev1.Zone{Config: genZoneConfig(t, id)}
	if rapid.IntRange(0, 3).Draw(t, "state") > 0 {
		z.State = genZoneState(t, id)
	}
	return withUnknown(t, z)
}

// ---- the lattice laws -------------------------------------------------------

func enc(t *rapid.T, m proto.Message) []byte {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b
}

// laws checks commutativity, associativity and idempotence of f on three
// drawn values, byte for byte, and that inputs are never modified. Errors
// must be Mismatch and must not depend on the order. Through core.MergeBatch
// (the peat_merge_batch path: decode, merge, encode) it also checks that a
// batch gives the pairwise result in any order, and that repeating inputs
// changes nothing.
func laws[M proto.Message](t *testing.T, typeName string, gen func(*rapid.T) M, f func(a, b M) (M, error)) {
	rapid.Check(t, func(t *rapid.T) {
		a, b, c := gen(t), gen(t), gen(t)
		before := [][]byte{enc(t, a), enc(t, b), enc(t, c)}
		try := func(x, y M) ([]byte, M, bool) {
			m, err := f(x, y)
			if err != nil {
				if status.Of(err) != status.Mismatch {
					t.Fatalf("merge error is not MISMATCH: %v", err)
				}
				return nil, m, false
			}
			return enc(t, m), m, true
		}
		ab, mab, okAB := try(a, b)
		ba, _, okBA := try(b, a)
		if okAB != okBA || string(ab) != string(ba) {
			t.Fatalf("not commutative:\n a=%v\n b=%v\n ab=%x\n ba=%x", a, b, ab, ba)
		}
		if okAB {
			if again, _, _ := try(mab, mab); string(again) != string(ab) {
				t.Fatalf("not idempotent: %x vs %x", again, ab)
			}
			if abs, _, _ := try(mab, a); string(abs) != string(ab) {
				t.Fatalf("merging a part again changed the result:\n ab=%x\n ab+a=%x", ab, abs)
			}
			if abs, _, _ := try(mab, b); string(abs) != string(ab) {
				t.Fatalf("merging a part again changed the result:\n ab=%x\n ab+b=%x", ab, abs)
			}
			batch := func(ins ...[]byte) []byte {
				out, err := core.MergeBatch(typeName, codec.Binary, codec.Binary, ins)
				if err != nil {
					t.Fatalf("merge_batch: %v", err)
				}
				return out
			}
			ea, eb := before[0], before[1]
			for i, got := range [][]byte{batch(ea, eb), batch(eb, ea), batch(ea, eb, eb), batch(eb, ea, ea, eb), batch(ab, eb), batch(ab, ea, ab)} {
				if string(got) != string(ab) {
					t.Fatalf("merge_batch %d differs from merge:\n ab=%x\n batch=%x", i, ab, got)
				}
			}
		}
		_, mbc, okBC := try(b, c)
		var left, right []byte
		okL, okR := false, false
		if okAB {
			left, _, okL = try(mab, c)
		}
		if okBC {
			right, _, okR = try(a, mbc)
		}
		if okAB && okBC && (okL != okR || string(left) != string(right)) {
			t.Fatalf("not associative:\n (ab)c=%x\n a(bc)=%x", left, right)
		}
		after := [][]byte{enc(t, a), enc(t, b), enc(t, c)}
		for i := range before {
			if string(before[i]) != string(after[i]) {
				t.Fatalf("input %d was modified", i)
			}
		}
	})
}

func TestNodeStateLaws(t *testing.T) {
	laws(t, "cap.node.v1.NodeState", genNodeState, func(a, b *nodev1.NodeState) (*nodev1.NodeState, error) { return merge.NodeState(a, b), nil })
}
func TestNodeConfigLaws(t *testing.T) {
	laws(t, "cap.node.v1.NodeConfig", genNodeConfig, merge.NodeConfig)
}
func TestNodeLaws(t *testing.T) { laws(t, "cap.node.v1.Node", genNode, merge.Node) }
func TestCellStateLaws(t *testing.T) {
	laws(t, "cap.cell.v1.CellState", func(t *rapid.T) *cellv1.CellState { return genCellState(t, entity(t)) }, merge.CellState)
}
func TestCellLaws(t *testing.T) { laws(t, "cap.cell.v1.Cell", genCell, merge.Cell) }
func TestZoneStateLaws(t *testing.T) {
	laws(t, "cap.zone.v1.ZoneState", func(t *rapid.T) *zonev1.ZoneState { return genZoneState(t, entity(t)) }, merge.ZoneState)
}
func TestZoneLaws(t *testing.T) { laws(t, "cap.zone.v1.Zone", genZone, merge.Zone) }

// ---- specific semantics ------------------------------------------------------

func ts(s uint64, n uint32) *commonv1.Timestamp { return &commonv1.Timestamp{Seconds: s, Nanos: n} }

func TestNodeStateIsOneRegisterOrderedBySecondsThenNanos(t *testing.T) {
	late := &nodev1.NodeState{Health: nodev1.HealthStatus_HEALTH_STATUS_DEGRADED, Timestamp: ts(100, 900_000_000)}
	early := &nodev1.NodeState{Health: nodev1.HealthStatus_HEALTH_STATUS_NOMINAL, FuelMinutes: 50, Timestamp: ts(100, 100_000_000)}
	got := merge.NodeState(early, late)
	assert.True(t, proto.Equal(late, got), "the later nanos win the whole record: %v", got)
	assert.True(t, proto.Equal(late, merge.NodeState(late, early)))
}

func TestCellStateUnitesSortsAndChecksIds(t *testing.T) {
	a := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c"}, Members: []string{"b", "a"}, LeaderId: proto.String("a"), Timestamp: ts(5, 0)}
	b := &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c"}, Members: []string{"c", "a"}, LeaderId: proto.String("c"), Timestamp: ts(6, 0)}
	got, err := merge.CellState(a, b)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, got.Members)
	assert.Equal(t, "c", got.GetLeaderId())
	assert.Equal(t, uint64(6), got.GetTimestamp().GetSeconds())

	_, err = merge.CellState(a, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "other"}})
	require.Error(t, err)
	assert.Equal(t, status.Mismatch, status.Of(err))
	assert.Equal(t, "config.id", status.From(err).Path)
	_, err = merge.CellState(a, &cellv1.CellState{})
	assert.Equal(t, status.Mismatch, status.Of(err), "an absent config is the empty id, not a wildcard")
}

func TestCapabilityConflictsGoToLaterRegistrationThenContent(t *testing.T) {
	older := &capabilityv1.Capability{Id: "c", Confidence: 0.9, RegisteredAt: ts(1, 0)}
	newer := &capabilityv1.Capability{Id: "c", Confidence: 0.5, RegisteredAt: ts(2, 0)}
	got := merge.Capabilities([]*capabilityv1.Capability{older}, []*capabilityv1.Capability{newer})
	require.Len(t, got, 1)
	assert.Equal(t, float32(0.5), got[0].Confidence)

	x := &capabilityv1.Capability{Id: "c", Confidence: 0.9}
	y := &capabilityv1.Capability{Id: "c", Confidence: 0.5}
	xy := merge.Capabilities([]*capabilityv1.Capability{x}, []*capabilityv1.Capability{y})
	yx := merge.Capabilities([]*capabilityv1.Capability{y}, []*capabilityv1.Capability{x})
	assert.True(t, proto.Equal(xy[0], yx[0]), "equal registration times resolve by content, not by order")
}

func TestUnknownFieldsTravelWithTheWinner(t *testing.T) {
	raw := protowire.AppendTag(nil, 99, protowire.VarintType)
	raw = protowire.AppendVarint(raw, 7)
	newer := &nodev1.NodeState{FuelMinutes: 1, Timestamp: ts(2, 0)}
	newer.ProtoReflect().SetUnknown(raw)
	older := &nodev1.NodeState{FuelMinutes: 2, Timestamp: ts(1, 0)}
	assert.Equal(t, []byte(raw), []byte(merge.NodeState(older, newer).ProtoReflect().GetUnknown()))
	assert.Empty(t, merge.NodeState(older, &nodev1.NodeState{Timestamp: ts(0, 1)}).ProtoReflect().GetUnknown())

	// CellState: unknown fields belong to the leader/platoon register.
	a := &cellv1.CellState{Members: []string{"n1"}, Timestamp: ts(3, 0)}
	a.ProtoReflect().SetUnknown(raw)
	b := &cellv1.CellState{Members: []string{"n2"}, Timestamp: ts(2, 0)}
	got, err := merge.CellState(b, a)
	require.NoError(t, err)
	assert.Equal(t, []byte(raw), []byte(got.ProtoReflect().GetUnknown()))
	assert.Equal(t, []string{"n1", "n2"}, got.Members)
}

func TestCompositeWithoutStateKeepsTheOtherState(t *testing.T) {
	st := &nodev1.NodeState{FuelMinutes: 9}
	got, err := merge.Node(&nodev1.Node{Config: &nodev1.NodeConfig{Id: "n"}}, &nodev1.Node{Config: &nodev1.NodeConfig{Id: "n"}, State: st})
	require.NoError(t, err)
	assert.True(t, proto.Equal(st, got.State))
	got, err = merge.Node(&nodev1.Node{}, &nodev1.Node{})
	require.NoError(t, err)
	assert.Nil(t, got.State)
}

// withoutCapabilities copies NodeConfig's fields one by one (no reflection,
// so every float keeps its bits): a field added to NodeConfig must be added
// there too, or it would be dropped from merges.
func TestNodeConfigRegisterKnowsEveryField(t *testing.T) {
	fds := (&nodev1.NodeConfig{}).ProtoReflect().Descriptor().Fields()
	var names []string
	for i := 0; i < fds.Len(); i++ {
		names = append(names, string(fds.Get(i).Name()))
	}
	assert.Equal(t, merge.NodeConfigFields, names, "update withoutCapabilities in merge.go")
}

// The tie-break's shortcut: bitEqual says "equal" exactly when the canonical
// encodings are equal (-0.0 and +0.0, NaN payloads and unknown fields
// included), on independent draws and on decoded copies.
func TestBitEqualIsEqualEncodings(t *testing.T) {
	check := func(t *rapid.T, a, b proto.Message) {
		eq, known := merge.BitEqual(a, b)
		if !known {
			t.Fatalf("%T is not known", a)
		}
		if want := bytes.Equal(enc(t, a), enc(t, b)); eq != want {
			t.Fatalf("bitEqual = %v, equal encodings = %v\na = %v\nb = %v", eq, want, a, b)
		}
	}
	copyOf := func(t *rapid.T, m proto.Message) proto.Message {
		c := m.ProtoReflect().New().Interface()
		if err := proto.Unmarshal(enc(t, m), c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	rapid.Check(t, func(t *rapid.T) {
		gens := []func(*rapid.T) proto.Message{
			func(t *rapid.T) proto.Message { return genTime(t, "t") },
			func(t *rapid.T) proto.Message {
				if cs := genCapabilities(t); len(cs) > 0 {
					return cs[0]
				}
				return &capabilityv1.Capability{}
			},
			func(t *rapid.T) proto.Message { return genCellConfig(t, "x") },
			func(t *rapid.T) proto.Message { return genZoneConfig(t, "x") },
			func(t *rapid.T) proto.Message { return genCellState(t, "x") },
			func(t *rapid.T) proto.Message { return genZoneState(t, "x") },
		}
		gen := gens[rapid.IntRange(0, len(gens)-1).Draw(t, "type")]
		a, b := gen(t), gen(t)
		if !a.ProtoReflect().IsValid() || !b.ProtoReflect().IsValid() { // an unset timestamp: lww decides those first
			return
		}
		check(t, a, b)
		check(t, a, copyOf(t, a))
		check(t, a, a)
	})
}

// bitEqual reads each field of the types it knows: a field added to one of
// them must be added there too.
func TestBitEqualKnowsEveryField(t *testing.T) {
	for _, m := range []proto.Message{&commonv1.Timestamp{}, &capabilityv1.Capability{}, &cellv1.CellConfig{},
		&zonev1.ZoneConfig{}, &cellv1.CellState{}, &zonev1.ZoneState{}} {
		md := m.ProtoReflect().Descriptor()
		var names []string
		for i := 0; i < md.Fields().Len(); i++ {
			names = append(names, string(md.Fields().Get(i).Name()))
		}
		assert.Equal(t, merge.EqualFields[string(md.FullName())], names, "update core/merge/equal.go for %s", md.FullName())
	}
}
