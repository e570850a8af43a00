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
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

var fastTypes = []proto.Message{&cellv1.CellState{}, &nodev1.NodeConfig{}, &capabilityv1.Capability{}, &cellv1.CellConfig{}, &commonv1.Timestamp{}, &crdtv1.DocInit{}, &crdtv1.Operation{}}

// compareFast decodes b as each fast type both ways. When the fast decoder
// accepts, the runtime must accept too, with an equal message whose
// deterministic encoding is byte-identical. It returns
// how many types the fast path took.
func compareFast(t testing.TB, b []byte) int {
	taken := 0
	for _, proto0 := range fastTypes {
		fast := proto0.ProtoReflect().New().Interface()
		ok := fastDecode(fast, b)
		slow := proto0.ProtoReflect().New().Interface()
		err := proto.UnmarshalOptions{RecursionLimit: RecursionLimit}.Unmarshal(b, slow)
		if !ok {
			if !proto.Equal(fast, proto0.ProtoReflect().New().Interface()) {
				t.Fatalf("%T: refused input left the message changed", proto0)
			}
			continue
		}
		taken++
		if err != nil {
			t.Fatalf("%T: fast decoder accepted %x, the runtime refused it: %v", proto0, b, err)
		}
		if !proto.Equal(fast, slow) {
			t.Fatalf("%T: decoders differ on %x:\n fast %v\n slow %v", proto0, b, fast, slow)
		}
		fb, err1 := proto.MarshalOptions{Deterministic: true}.Marshal(fast)
		sb, err2 := proto.MarshalOptions{Deterministic: true}.Marshal(slow)
		if err1 != nil || err2 != nil || string(fb) != string(sb) {
			t.Fatalf("%T: re-encodings differ on %x: %v %v", proto0, b, err1, err2)
		}
		if len(slow.ProtoReflect().GetUnknown()) > 0 {
			t.Fatalf("%T: fast path took input with unknown fields", proto0)
		}
		if eb, ok := fastEncode(fast); ok && string(eb) != string(sb) {
			t.Fatalf("%T: the fast encoder's bytes differ from the runtime's on %x", proto0, b)
		}
	}
	return taken
}

func sampleMessages() [][]byte {
	neg0 := float32(math.Copysign(0, -1))
	ts := &commonv1.Timestamp{Seconds: 1_700_000_000, Nanos: 5}
	caps := []*capabilityv1.Capability{
		{Id: "cap-1", Name: "EO camera", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.9, MetadataJson: `{"a":1}`, RegisteredAt: ts},
		{Id: "cap-2", Confidence: neg0},
		{Id: "ünï", CapabilityType: capabilityv1.CapabilityType(-3), Confidence: math.Float32frombits(0x7fc00001)},
		{},
	}
	msgs := []proto.Message{
		&cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-1", MaxSize: 8, MinSize: 2, CreatedAt: ts}, LeaderId: proto.String(""),
			Members: []string{"n1", "", "n1"}, Capabilities: caps, PlatoonId: proto.String("p"), Timestamp: ts},
		&cellv1.CellState{},
		&cellv1.CellState{Config: &cellv1.CellConfig{}},
		&nodev1.NodeConfig{Id: "uav-1", PlatformType: "quad", Capabilities: caps, CommRangeM: neg0, MaxSpeedMps: math.Float32frombits(1), CreatedAt: &commonv1.Timestamp{}},
		&nodev1.NodeConfig{Id: "uav-2", OperatorBinding: &nodev1.HumanMachinePair{}},
		&nodev1.NodeConfig{Id: "uav-3", OperatorBinding: &nodev1.HumanMachinePair{
			Operators:   []*nodev1.Operator{{Id: "op-1", Name: "J", Rank: 5, AuthorityLevel: 2, Mos: "15W", MetadataJson: "{}"}, {}},
			PlatformIds: []string{"uav-3", ""}, BindingType: 1, BoundAt: ts}},
		caps[0], caps[2], ts, &commonv1.Timestamp{Seconds: math.MaxUint64, Nanos: math.MaxUint32},
		&crdtv1.DocInit{Replica: "r", Id: "cell-1", Timestamp: ts, Initial: &crdtv1.DocInit_CellState{CellState: &cellv1.CellState{Members: []string{"a"}}}},
		&crdtv1.DocInit{Initial: &crdtv1.DocInit_NodeConfig{NodeConfig: &nodev1.NodeConfig{Id: "n"}}},
		&crdtv1.DocInit{Initial: &crdtv1.DocInit_NodeState{NodeState: &nodev1.NodeState{}}},
		&crdtv1.Operation{Replica: "r", Timestamp: ts, Mutation: &crdtv1.Operation_SetLeader{SetLeader: &crdtv1.SetLeader{NodeId: "n1"}}},
		&crdtv1.Operation{Mutation: &crdtv1.Operation_AddMember{AddMember: &crdtv1.AddMember{}}},
		&crdtv1.Operation{Mutation: &crdtv1.Operation_RemoveMember{RemoveMember: &crdtv1.RemoveMember{NodeId: "ü"}}},
		&crdtv1.Operation{Mutation: &crdtv1.Operation_ClearLeader{ClearLeader: &crdtv1.ClearLeader{}}},
	}
	var out [][]byte
	for _, m := range msgs {
		b, _ := proto.MarshalOptions{Deterministic: true}.Marshal(m)
		out = append(out, b)
	}
	// Hand-made shapes the runtime reads its own way: a field twice, a
	// wrong wire type, an unknown field, invalid UTF-8, a non-minimal
	// varint, explicit defaults, fields out of order.
	tag := func(b []byte, n protowire.Number, typ protowire.Type) []byte { return protowire.AppendTag(b, n, typ) }
	var b []byte
	b = protowire.AppendString(tag(nil, 1, protowire.BytesType), "a")
	out = append(out, append(append([]byte{}, b...), b...))                                  // id twice
	out = append(out, protowire.AppendVarint(tag(nil, 1, protowire.VarintType), 7))          // wrong type
	out = append(out, protowire.AppendVarint(tag(nil, 99, protowire.VarintType), 7))         // unknown
	out = append(out, protowire.AppendBytes(tag(nil, 1, protowire.BytesType), []byte{0xff})) // bad UTF-8
	out = append(out, append(tag(nil, 1, protowire.VarintType), 0x81, 0x80, 0x80, 0x00))     // long varint
	out = append(out, protowire.AppendVarint(tag(nil, 2, protowire.VarintType), 0))          // explicit 0
	out = append(out, protowire.AppendString(tag(protowire.AppendVarint(tag(nil, 2, protowire.VarintType), 3), 1, protowire.BytesType), "x"))
	out = append(out, append(tag(nil, 6, protowire.BytesType), 0)) // empty sub-message
	out = append(out, tag(nil, 1, protowire.StartGroupType))       // group
	return out
}

// TestFastDecodeMatchesTheRuntime: on samples, every vector file and their
// truncations and random byte changes, a fast decode is the runtime's.
func TestFastDecodeMatchesTheRuntime(t *testing.T) {
	inputs := sampleMessages()
	root := filepath.Join("..", "..", "tests", "vectors")
	_ = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".bin") {
			if b, err := os.ReadFile(p); err == nil {
				inputs = append(inputs, b)
			}
		}
		return nil
	})
	if len(inputs) < 100 {
		t.Fatalf("only %d inputs (vector files not found?)", len(inputs))
	}
	rng := rand.New(rand.NewSource(1))
	taken := 0
	for _, b := range inputs {
		taken += compareFast(t, b)
		for k := 0; k < 20 && len(b) > 0; k++ {
			c := append([]byte(nil), b...)
			switch k % 3 {
			case 0:
				c = c[:rng.Intn(len(c))]
			case 1:
				c[rng.Intn(len(c))] ^= byte(1 << rng.Intn(8))
			default:
				c[rng.Intn(len(c))] = byte(rng.Intn(256))
			}
			taken += compareFast(t, c)
		}
	}
	if taken < 500 {
		t.Fatalf("the fast path took only %d inputs", taken)
	}
}

// TestFastDecodeIsUsed: the common messages do take the fast path (a decoder
// that always refused would pass the comparison above).
func TestFastDecodeIsUsed(t *testing.T) {
	for _, i := range []int{10, 11} {
		if !fastDecode(&crdtv1.DocInit{}, sampleMessages()[i]) {
			t.Errorf("DocInit sample %d: fast path refused", i)
		}
	}
	for _, i := range []int{13, 14, 15} {
		if !fastDecode(&crdtv1.Operation{}, sampleMessages()[i]) {
			t.Errorf("Operation sample %d: fast path refused", i)
		}
	}
	for i, b := range sampleMessages()[:6] {
		m := fastTypes[map[int]int{0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}[i]].ProtoReflect().New().Interface()
		if !fastDecode(m, b) {
			t.Errorf("sample %d: fast path refused", i)
		}
	}
}

func FuzzFastDecode(f *testing.F) {
	for _, b := range sampleMessages() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { compareFast(t, b) })
}
