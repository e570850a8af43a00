package codec

import (
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
)

// compareEncode checks fastEncode against the runtime's deterministic
// encoding; it returns whether the fast path took m.
func compareEncode(t testing.TB, m proto.Message) bool {
	want, werr := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	got, ok := fastEncode(m)
	if !ok {
		return false
	}
	if werr != nil {
		t.Fatalf("%T: fast encoder wrote what the runtime refuses (%v): %v", m, werr, m)
	}
	if string(got) != string(want) {
		t.Fatalf("%T: encodings differ for %v:\n fast    %x\n runtime %x", m, m, got, want)
	}
	return true
}

var nastyFloats = []float32{0, float32(math.Copysign(0, -1)), 1, -1.5, math.Float32frombits(1), math.Float32frombits(0x7fc00001),
	math.Float32frombits(0xffc00000), float32(math.Inf(1)), float32(math.Inf(-1)), math.MaxFloat32}
var nastyStrings = []string{"", "a", "ünï", "\x00", strings.Repeat("x", 200), "\xff", "a\xc3"}

func randomTimestamp(r *rand.Rand) *commonv1.Timestamp {
	if r.Intn(4) == 0 {
		return nil
	}
	vals := []uint64{0, 1, 127, 128, 1 << 35, math.MaxUint64}
	return &commonv1.Timestamp{Seconds: vals[r.Intn(len(vals))], Nanos: uint32(vals[r.Intn(len(vals))])}
}

func randomCapability(r *rand.Rand) *capabilityv1.Capability {
	if r.Intn(30) == 0 {
		return nil
	}
	s := func() string { return nastyStrings[r.Intn(len(nastyStrings))] }
	enums := []int32{0, 1, 4, 127, 128, -1, math.MinInt32}
	return &capabilityv1.Capability{Id: s(), Name: s(), CapabilityType: capabilityv1.CapabilityType(enums[r.Intn(len(enums))]),
		Confidence: nastyFloats[r.Intn(len(nastyFloats))], MetadataJson: s(), RegisteredAt: randomTimestamp(r)}
}

func randomFastMessage(r *rand.Rand) proto.Message {
	s := func() string { return nastyStrings[r.Intn(len(nastyStrings))] }
	var caps []*capabilityv1.Capability
	for i := r.Intn(4); i > 0; i-- {
		caps = append(caps, randomCapability(r))
	}
	var m proto.Message
	if r.Intn(2) == 0 {
		st := &cellv1.CellState{Capabilities: caps, Timestamp: randomTimestamp(r)}
		if r.Intn(3) > 0 {
			st.Config = &cellv1.CellConfig{Id: s(), MaxSize: uint32(r.Intn(300)), MinSize: uint32(r.Intn(3)), CreatedAt: randomTimestamp(r)}
		}
		if r.Intn(2) == 0 {
			st.LeaderId = proto.String(s())
		}
		if r.Intn(2) == 0 {
			st.PlatoonId = proto.String(s())
		}
		for i := r.Intn(4); i > 0; i-- {
			st.Members = append(st.Members, s())
		}
		m = st
	} else {
		nc := &nodev1.NodeConfig{Id: s(), PlatformType: s(), Capabilities: caps, CommRangeM: nastyFloats[r.Intn(len(nastyFloats))],
			MaxSpeedMps: nastyFloats[r.Intn(len(nastyFloats))], CreatedAt: randomTimestamp(r)}
		if r.Intn(2) == 0 {
			p := &nodev1.HumanMachinePair{BindingType: nodev1.BindingType(r.Intn(3) - 1), BoundAt: randomTimestamp(r)}
			for i := r.Intn(3); i > 0; i-- {
				var o *nodev1.Operator
				if r.Intn(20) > 0 {
					o = &nodev1.Operator{Id: s(), Name: s(), Rank: nodev1.OperatorRank(r.Intn(20) - 2), AuthorityLevel: nodev1.AuthorityLevel(r.Intn(5)), Mos: s(), MetadataJson: s()}
				}
				p.Operators = append(p.Operators, o)
			}
			for i := r.Intn(3); i > 0; i-- {
				p.PlatformIds = append(p.PlatformIds, s())
			}
			nc.OperatorBinding = p
		}
		m = nc
	}
	if r.Intn(10) == 0 {
		m.ProtoReflect().SetUnknown(protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 1))
	}
	return m
}

// TestFastEncodeMatchesTheRuntime: random messages with the nasty values
// (-0.0, NaN payloads, subnormals, negative enums, invalid UTF-8, nil list
// items, unknown fields) and every vector file decoded as each fast type
// encode to exactly the runtime's bytes, or are left to it.
func TestFastEncodeMatchesTheRuntime(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	taken := 0
	for i := 0; i < 20000; i++ {
		if compareEncode(t, randomFastMessage(r)) {
			taken++
		}
	}
	_ = filepath.Walk(filepath.Join("..", "..", "tests", "vectors"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".bin") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		for _, typ := range []proto.Message{&cellv1.CellState{}, &nodev1.NodeConfig{}} {
			m := typ.ProtoReflect().New().Interface()
			if proto.Unmarshal(b, m) == nil && compareEncode(t, m) {
				taken++
			}
		}
		return nil
	})
	if taken < 2000 {
		t.Fatalf("the fast encoder took only %d messages", taken)
	}
}

// TestFastEncodeIsUsed: plain messages take the fast path.
func TestFastEncodeIsUsed(t *testing.T) {
	for i, b := range sampleMessages()[:6] {
		m := fastTypes[map[int]int{0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}[i]].ProtoReflect().New().Interface()
		if err := proto.Unmarshal(b, m); err != nil {
			t.Fatal(err)
		}
		if !compareEncode(t, m) {
			t.Errorf("sample %d: fast encoder refused %v", i, m)
		}
	}
}
