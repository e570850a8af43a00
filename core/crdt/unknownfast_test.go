package crdt

import (
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// TestUnknownFieldsFastPath: hasUnknown's direct read agrees with
// protoreflect's GetUnknown on messages with and without unknown fields,
// set by decoding and by SetUnknown.
func TestUnknownFieldsFastPath(t *testing.T) {
	extra := protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 7)
	for _, m := range []proto.Message{&crdtv1.Element{Id: "e"}, &crdtv1.Tag{Replica: "r", Counter: 1}, &crdtv1.Dot{Replica: "r"}, &crdtv1.ORSet{}, &crdtv1.CellDoc{}} {
		if hasUnknown(m) || len(m.ProtoReflect().GetUnknown()) != 0 {
			t.Fatalf("%T: unknown fields on a fresh message", m)
		}
		b, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		d := m.ProtoReflect().New().Interface()
		if err := proto.Unmarshal(append(b, extra...), d); err != nil {
			t.Fatal(err)
		}
		if !hasUnknown(d) || len(d.ProtoReflect().GetUnknown()) == 0 {
			t.Fatalf("%T: decoded unknown field not seen", m)
		}
		m.ProtoReflect().SetUnknown(extra)
		if !hasUnknown(m) {
			t.Fatalf("%T: SetUnknown not seen", m)
		}
		m.ProtoReflect().SetUnknown(nil)
		if hasUnknown(m) {
			t.Fatalf("%T: cleared unknown fields still seen", m)
		}
	}
}
