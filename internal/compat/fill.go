// Package compat builds the messages that libpeat's interoperability tests
// and cross-language vectors are made of: fully populated messages of any
// type (Populate), the same messages as a newer minor version of the schema
// would send them (Evolve), and, in pb/, a test-only newer and older copy of
// part of the ICD schema compiled to Go. Everything is deterministic.
package compat

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Populate sets every field of m, recursively, to a non-default value:
// optional fields set, repeated fields with three items (two for messages),
// maps with three keys, enums at a non-zero defined value, uint64 above
// 2^53, uint32 above 2^31, floats that need careful formatting, strings with
// characters JSON must escape. The same type always gets the same values.
func Populate(m protoreflect.Message) {
	f := filler{}
	f.message(m, 0)
}

// Populated returns a new populated message of the same type as m.
func Populated[T proto.Message](m T) T {
	out := m.ProtoReflect().New().Interface().(T)
	Populate(out.ProtoReflect())
	return out
}

// maxDepth stops recursion for recursive types (the ICD has none).
const maxDepth = 8

type filler struct{ n int }

// next returns a per-value counter so that sibling values differ.
func (f *filler) next() int {
	f.n++
	return f.n
}

func (f *filler) message(m protoreflect.Message, depth int) {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			// Set one member per oneof: the first one.
			if od.Fields().Get(0) != fd {
				continue
			}
		}
		if fd.Message() != nil && depth >= maxDepth {
			continue
		}
		switch {
		case fd.IsMap():
			mp := m.Mutable(fd).Map()
			for _, k := range []string{"kilo", "alpha", "mike"} {
				key := f.mapKey(fd.MapKey(), k)
				if fd.MapValue().Message() != nil {
					v := mp.NewValue()
					f.message(v.Message(), depth+1)
					mp.Set(key, v)
				} else {
					mp.Set(key, f.scalar(fd.MapValue()))
				}
			}
		case fd.IsList():
			list := m.Mutable(fd).List()
			items := 3
			if fd.Message() != nil {
				items = 2
			}
			for j := 0; j < items; j++ {
				if fd.Message() != nil {
					v := list.NewElement()
					f.message(v.Message(), depth+1)
					list.Append(v)
				} else {
					list.Append(f.scalar(fd))
				}
			}
		case fd.Message() != nil:
			f.message(m.Mutable(fd).Message(), depth+1)
		default:
			m.Set(fd, f.scalar(fd))
		}
	}
}

func (f *filler) mapKey(fd protoreflect.FieldDescriptor, word string) protoreflect.MapKey {
	n := f.next()
	switch fd.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(fmt.Sprintf("%s-%d", word, n)).MapKey()
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(n%2 == 0).MapKey()
	}
	return f.scalar(fd).MapKey()
}

// Values cycled through by kind. Floats include ones whose shortest text
// differs between formatters (0.1 at f32 width, 1e-7, integral values).
var (
	float32s = []float32{0.1, 22.5, 1500, 0.75, 1e-7, -2, 0.333333343, 3.4e38}
	float64s = []float64{37.7749, -122.4194, 10, 1e-7, 1.5e300, -0.25, 0.1, 123456789.125}
	texts    = []string{"", " \u00e9t\u00e9", ` "quoted" \ back`, " \u2713\ttab", " <&> /", " \u2028line"}
)

func (f *filler) scalar(fd protoreflect.FieldDescriptor) protoreflect.Value {
	n := f.next()
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true)
	case protoreflect.EnumKind:
		values := fd.Enum().Values()
		if values.Len() < 2 {
			return protoreflect.ValueOfEnum(values.Get(0).Number())
		}
		return protoreflect.ValueOfEnum(values.Get(1 + n%(values.Len()-1)).Number())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(-1000 - n))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(-(1 << 60) - int64(n))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(3_000_000_000 + uint32(n))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		if n%3 == 0 {
			return protoreflect.ValueOfUint64(1<<64 - 1)
		}
		return protoreflect.ValueOfUint64(1<<53 + 1 + uint64(n))
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32s[n%len(float32s)])
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(float64s[n%len(float64s)])
	case protoreflect.StringKind:
		if fd.Name() == "metadata_json" || fd.Name() == "extra_json" {
			return protoreflect.ValueOfString(fmt.Sprintf(`{"n":%d,"s":"v\u00e9"}`, n))
		}
		return protoreflect.ValueOfString(fmt.Sprintf("%s-%d%s", fd.Name(), n, texts[n%len(texts)]))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte{0, 1, byte(n), 255})
	}
	panic(fmt.Sprintf("compat: unsupported kind %v", fd.Kind()))
}
