package crdt

import (
	"math/rand"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// fillAll sets every field of m: strings "x", numbers 1, messages present
// (a set gets one element, so that the fast encoder is used), lists one item.
func fillAll(m protoreflect.Message) {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		switch {
		case fd.IsList() && fd.Message() != nil:
			m.Mutable(fd).List().AppendMutable()
		case fd.IsList() || fd.IsMap():
		case fd.Message() != nil && fd.Message().FullName() == orSetName:
			m.Set(fd, protoreflect.ValueOfMessage((&crdtv1.ORSet{Elements: []*crdtv1.Element{{Id: "e", Tags: []*crdtv1.Tag{{Replica: "r", Counter: 1}}}}}).ProtoReflect()))
		case fd.Message() != nil:
			m.Mutable(fd)
		case fd.Kind() == protoreflect.StringKind:
			m.Set(fd, protoreflect.ValueOfString("x"))
		}
	}
}

// TestSplitAtSetKeepsEveryField: the typed split of each document with a set
// leaves no field of the schema out (a field added to the proto and not to
// splitAtSet fails here), and the fast encoding equals the runtime's.
func TestSplitAtSetKeepsEveryField(t *testing.T) {
	for _, doc := range []proto.Message{&crdtv1.CellDoc{}, &crdtv1.ZoneDoc{}} {
		m := doc.ProtoReflect()
		fillAll(m)
		fields := m.Descriptor().Fields()
		for i := 0; i < fields.Len(); i++ {
			if fd := fields.Get(i); !m.Has(fd) {
				t.Fatalf("%s: fillAll left %s unset", m.Descriptor().FullName(), fd.Name())
			}
		}
		sp, ok := splitAtSet(doc)
		if !ok || sp.set == nil {
			t.Fatalf("%s: not split", m.Descriptor().FullName())
		}
		for i := 0; i < fields.Len(); i++ {
			fd := fields.Get(i)
			in := 0
			for _, part := range []proto.Message{sp.head, sp.tail} {
				if part.ProtoReflect().Has(fd) {
					in++
				}
			}
			if fd.Number() == sp.num {
				in++
			}
			if in != 1 {
				t.Errorf("%s.%s is in %d parts of the split, want 1", m.Descriptor().FullName(), fd.Name(), in)
			}
		}
		got, ok := encodeFast(m)
		if !ok {
			t.Fatalf("%s: fast encoding refused", m.Descriptor().FullName())
		}
		want, err := proto.MarshalOptions{Deterministic: true}.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: fast encoding differs from the runtime's", m.Descriptor().FullName())
		}
	}
}

// TestPlainCellEncodingIsTheRuntimes: encodePlainCell writes exactly the
// runtime's deterministic bytes for every CellDoc it takes (random shapes
// with empty and present registers and stamps, optional values set to "",
// invalid UTF-8, unknown fields, sets), and takes the plain shapes.
func TestPlainCellEncodingIsTheRuntimes(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	strs := []string{"", "a", "ü", "\xff", "r1"}
	pick := func() string { return strs[r.Intn(len(strs))] }
	unknown := protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 1)
	text := func() *crdtv1.TextRegister {
		if r.Intn(3) == 0 {
			return nil
		}
		reg := &crdtv1.TextRegister{}
		if r.Intn(4) > 0 {
			reg.Stamp = &crdtv1.Stamp{Seconds: uint64(r.Intn(3)) << uint(r.Intn(40)), Nanos: uint32(r.Intn(2)), Counter: uint64(r.Intn(3)), Replica: pick()}
			if r.Intn(30) == 0 {
				reg.Stamp.ProtoReflect().SetUnknown(unknown)
			}
		}
		if r.Intn(2) == 0 {
			v := pick()
			reg.Value = &v
		}
		return reg
	}
	taken := 0
	for i := 0; i < 20000; i++ {
		d := &crdtv1.CellDoc{Id: pick(), Leader: text(), Platoon: text()}
		if r.Intn(2) == 0 {
			d.UpdatedAt = &commonv1.Timestamp{Seconds: uint64(r.Intn(5)), Nanos: uint32(r.Intn(2))}
		}
		if r.Intn(2) == 0 {
			d.Members = &crdtv1.ORSet{Elements: []*crdtv1.Element{{Id: pick(), Tags: []*crdtv1.Tag{{Replica: pick(), Counter: uint64(r.Intn(3))}}}},
				Context: []*crdtv1.Dot{{Replica: pick(), Counter: uint64(r.Intn(3))}}}
		}
		switch r.Intn(20) {
		case 0:
			d.Config = &crdtv1.CellConfigRegister{}
		case 1:
			d.Capabilities = []*crdtv1.CapabilityEntry{{}}
		case 2:
			d.ProtoReflect().SetUnknown(unknown)
		}
		want, werr := proto.MarshalOptions{Deterministic: true}.Marshal(d)
		got, ok := encodePlainCell(d)
		if !ok {
			continue
		}
		taken++
		if werr != nil || string(got) != string(want) {
			t.Fatalf("encodings differ (%v) for %v:\n fast    %x\n runtime %x", werr, d, got, want)
		}
	}
	if taken < 3000 {
		t.Fatalf("the plain encoder took only %d documents", taken)
	}
}
