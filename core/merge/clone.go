package merge

import (
	"math"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Floating-point values are kept bit for bit, end to end: a merge compares
// canonical encodings, and the bytes it compares must be the bytes it
// returns. The binary codec already round-trips every float and double
// exactly (-0.0 included, NaN payloads included, signalling NaNs unquieted),
// and Go copies float values without touching their bits. The one lossy step
// is proto.Clone: for a proto3 float or double field without presence it
// copies the value only when it is != 0, so -0.0 (equal to 0) became +0.0
// while the tie-break had compared -0.0's encoding. Clone repairs that.

// Clone returns a deep copy of m that encodes to the same bytes as m.
// An unset (nil) message is returned as is.
func Clone[M proto.Message](m M) M {
	if !valid(m) {
		return m
	}
	c := proto.Clone(m).(M)
	// A lost -0.0 shortens the encoding by its field, and proto.Clone
	// changes nothing else: equal sizes (two allocation-free passes) mean
	// there is nothing to restore.
	if holdsImplicitFloat(m.ProtoReflect().Descriptor()) && proto.Size(c) != proto.Size(m) {
		restoreNegativeZeros(m.ProtoReflect(), c.ProtoReflect())
	}
	return c
}

// restoreNegativeZeros copies the -0.0 values of src's implicit-presence
// float and double fields, at any depth, into dst (a proto.Clone of src).
// Messages that cannot hold such a field are not walked.
func restoreNegativeZeros(src, dst protoreflect.Message) {
	if !holdsImplicitFloat(src.Descriptor()) {
		return
	}
	src.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
			if md := fd.MapValue().Message(); md != nil && holdsImplicitFloat(md) {
				dm := dst.Get(fd).Map()
				v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
					restoreNegativeZeros(mv.Message(), dm.Get(k).Message())
					return true
				})
			}
		case fd.IsList():
			if md := fd.Message(); md != nil && holdsImplicitFloat(md) {
				sl, dl := v.List(), dst.Get(fd).List()
				for i := 0; i < sl.Len() && i < dl.Len(); i++ {
					restoreNegativeZeros(sl.Get(i).Message(), dl.Get(i).Message())
				}
			}
		case fd.Message() != nil:
			if holdsImplicitFloat(fd.Message()) {
				restoreNegativeZeros(v.Message(), dst.Get(fd).Message())
			}
		case isImplicitFloat(fd):
			if f := v.Float(); f == 0 && math.Signbit(f) {
				dst.Set(fd, v)
			}
		}
		return true
	})
}

// isImplicitFloat: a singular float or double without presence (not
// optional, not in a oneof), the only kind proto.Clone copies lossily.
func isImplicitFloat(fd protoreflect.FieldDescriptor) bool {
	k := fd.Kind()
	return (k == protoreflect.FloatKind || k == protoreflect.DoubleKind) && !fd.IsList() && !fd.IsMap() && !fd.HasPresence()
}

var implicitFloats sync.Map // protoreflect.FullName -> bool

// holdsImplicitFloat reports whether a message of md can hold, at any depth,
// an implicit-presence float or double field.
func holdsImplicitFloat(md protoreflect.MessageDescriptor) bool {
	if v, ok := implicitFloats.Load(md.FullName()); ok {
		return v.(bool)
	}
	found := false
	seen := map[protoreflect.FullName]bool{}
	var walk func(protoreflect.MessageDescriptor)
	walk = func(md protoreflect.MessageDescriptor) {
		if found || seen[md.FullName()] {
			return
		}
		seen[md.FullName()] = true
		fields := md.Fields()
		for i := 0; i < fields.Len() && !found; i++ {
			fd := fields.Get(i)
			switch {
			case isImplicitFloat(fd):
				found = true
			case fd.IsMap():
				if m := fd.MapValue().Message(); m != nil {
					walk(m)
				}
			case fd.Message() != nil:
				walk(fd.Message())
			}
		}
	}
	walk(md)
	implicitFloats.Store(md.FullName(), found)
	return found
}
