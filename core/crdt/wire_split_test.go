package crdt

import (
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

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
