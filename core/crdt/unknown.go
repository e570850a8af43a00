package crdt

import (
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"

	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// A document splits NodeState, and the top level of CellState and ZoneState,
// into per-field registers, so the unknown fields of those parts (ICD §8.3:
// fields of a newer minor version) have no field to travel with. They are
// kept as one more register each, holding the raw field bytes.

// unknownRegister returns the register of m's unknown fields written at
// stamp, or nil when m has none: an initial message without unknown fields
// writes nothing, so documents of plain v1 messages are what they always
// were and do not erase the fields another replica's initial message carried.
func unknownRegister(m protoreflect.ProtoMessage, stamp *crdtv1.Stamp) *crdtv1.UnknownFieldsRegister {
	if m == nil || !m.ProtoReflect().IsValid() {
		return nil
	}
	u := m.ProtoReflect().GetUnknown()
	if len(u) == 0 {
		return nil
	}
	return &crdtv1.UnknownFieldsRegister{Stamp: stamp, Value: append([]byte(nil), u...)}
}

// attachUnknown gives m the unknown fields held by r. A register comes from
// a peer, so only well-formed fields whose numbers m does not know are
// attached (a known number would silently overwrite a merged field); the
// rest, up to the first malformed field, is dropped.
func attachUnknown(m protoreflect.ProtoMessage, r *crdtv1.UnknownFieldsRegister) {
	raw := r.GetValue()
	if len(raw) == 0 {
		return
	}
	fields := m.ProtoReflect().Descriptor().Fields()
	var keep []byte
	for len(raw) > 0 {
		num, _, n := protowire.ConsumeField(raw)
		if n < 0 {
			break
		}
		if fields.ByNumber(num) == nil {
			keep = append(keep, raw[:n]...)
		}
		raw = raw[n:]
	}
	if len(keep) > 0 {
		m.ProtoReflect().SetUnknown(append(m.ProtoReflect().GetUnknown(), keep...))
	}
}
