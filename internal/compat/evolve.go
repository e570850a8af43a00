package compat

import (
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// UnknownEnum is the enum number Evolve writes: no ICD enum defines it.
const UnknownEnum = 99

// UnknownFields returns the fields Evolve appends to every message: one of
// each wire type, numbered 100-104 (unused by any ICD message), including a
// nested message, as fields added by a newer minor version look on the wire.
func UnknownFields() []byte {
	var nested []byte
	nested = protowire.AppendTag(nested, 1, protowire.VarintType)
	nested = protowire.AppendVarint(nested, 7)
	nested = protowire.AppendTag(nested, 2, protowire.BytesType)
	nested = protowire.AppendString(nested, "nested v1.1")

	var b []byte
	b = protowire.AppendTag(b, 100, protowire.VarintType)
	b = protowire.AppendVarint(b, 1<<40)
	b = protowire.AppendTag(b, 101, protowire.Fixed32Type)
	b = protowire.AppendFixed32(b, 0x3f800000)
	b = protowire.AppendTag(b, 102, protowire.BytesType)
	b = protowire.AppendString(b, "added in v1.1")
	b = protowire.AppendTag(b, 103, protowire.BytesType)
	b = protowire.AppendBytes(b, nested)
	b = protowire.AppendTag(b, 104, protowire.Fixed64Type)
	b = protowire.AppendFixed64(b, 0x400921fb54442d18)
	return b
}

// Evolve changes m in place into what a peer on a newer minor version of
// the schema sends: every message, recursively, carries UnknownFields, and
// every enum value is UnknownEnum (a value added by the newer version);
// repeated enums and enum-valued maps get one extra UnknownEnum entry.
func Evolve(m protoreflect.Message) {
	extra := UnknownFields()
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		m.SetUnknown(append(m.GetUnknown(), extra...))
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsMap():
				mp := v.Map()
				if fd.MapValue().Message() != nil {
					mp.Range(func(_ protoreflect.MapKey, v protoreflect.Value) bool {
						walk(v.Message())
						return true
					})
				} else if fd.MapValue().Enum() != nil && fd.MapKey().Kind() == protoreflect.StringKind {
					mp.Set(protoreflect.ValueOfString("newer-peer").MapKey(), protoreflect.ValueOfEnum(UnknownEnum))
				}
			case fd.IsList():
				list := v.List()
				if fd.Message() != nil {
					for i := 0; i < list.Len(); i++ {
						walk(list.Get(i).Message())
					}
				} else if fd.Enum() != nil {
					list.Append(protoreflect.ValueOfEnum(UnknownEnum))
				}
			case fd.Message() != nil:
				walk(v.Message())
			case fd.Enum() != nil:
				m.Set(fd, protoreflect.ValueOfEnum(UnknownEnum))
			}
			return true
		})
	}
	walk(m)
}
