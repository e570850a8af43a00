package core_test

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	"github.com/peat-protocol/libpeat/core/validate/examples"
)

// The Go-direct baselines of the validation benchmarks: byte-level calls of
// the functions the C ABI wraps (decode + validate + encode the report).

func benchNodeConfig(n int, metadata int) []byte {
	m := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	m.Capabilities = nil
	for i := 0; i < n; i++ {
		m.Capabilities = append(m.Capabilities, &capabilityv1.Capability{
			Id: fmt.Sprintf("cap-%03d", i), Name: "EO camera", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR,
			Confidence: 0.9, MetadataJson: `{"p":"` + strings.Repeat("x", metadata) + `"}`,
			RegisteredAt: m.CreatedAt,
		})
	}
	b, _ := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	return b
}

func benchValidate(b *testing.B, typ string, in []byte) {
	opts, _ := proto.Marshal(examples.NowOptions())
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := core.Validate(typ, codec.Binary, in, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateNodeConfig1(b *testing.B) {
	benchValidate(b, "cap.node.v1.NodeConfig", benchNodeConfig(1, 8))
}

func BenchmarkValidateNodeConfig100(b *testing.B) {
	benchValidate(b, "cap.node.v1.NodeConfig", benchNodeConfig(100, 8))
}

// BenchmarkValidateNodeConfig50KB: 100 capabilities with metadata, just under the 50 KiB limit.
func BenchmarkValidateNodeConfig50KB(b *testing.B) {
	in := benchNodeConfig(100, 450)
	if len(in) > 50*1024 || len(in) < 45*1024 {
		b.Fatalf("input is %d bytes", len(in))
	}
	benchValidate(b, "cap.node.v1.NodeConfig", in)
}

func BenchmarkValidateCellState8(b *testing.B) {
	m := examples.Message("cap.cell.v1.CellState").(*cellv1.CellState)
	m.Members = nil
	for i := 0; i < 8; i++ {
		m.Members = append(m.Members, fmt.Sprintf("node-%d", i))
	}
	m.LeaderId = proto.String("node-0")
	in, _ := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	benchValidate(b, "cap.cell.v1.CellState", in)
}

func BenchmarkValidateBatch1000NodeState(b *testing.B) {
	one, _ := proto.Marshal(examples.Message("cap.node.v1.NodeState"))
	msgs := make([][]byte, 1000)
	for i := range msgs {
		msgs[i] = one
	}
	opts, _ := proto.Marshal(examples.NowOptions())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := core.ValidateBatch("cap.node.v1.NodeState", codec.Binary, msgs, opts); err != nil {
			b.Fatal(err)
		}
	}
}
