// Package rustjson reads and writes the Rust reference implementation's JSON
// dialect for protobuf messages: serde_json applied to prost-generated
// structs ("serde on prost"). It works on any message through protoreflect.
//
// The dialect (see docs/COMPATIBILITY.md):
//   - keys are the proto field names (snake_case), written in declaration
//     order, with oneofs after all other fields as {"PascalCaseVariant": v};
//   - every field is written: scalar defaults as 0, "", false, [], {};
//     unset message and proto3-optional fields as null;
//   - enums and 64-bit integers are bare JSON numbers; bytes are arrays of
//     integers; maps are objects (written with sorted keys here);
//   - floats use the shortest text that round-trips at the field's width,
//     with ".0" on integral values (serde_json/ryu style);
//   - on read, every key of a singular scalar, enum, string, bytes, repeated
//     or map field is required; unknown keys are ignored; null is accepted
//     only for message, optional and oneof fields.
//
// Deliberate differences from the reference: NaN and ±Inf are refused on
// write (the reference writes null, which it cannot read back), a float that
// overflows its field's width is refused on read, and unknown protobuf
// fields (from newer peers) cannot be represented and are dropped, as prost
// drops them.
package rustjson

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// MaxDepth bounds the nesting of JSON values read or messages written. It
// matches the binary decoder's recursion limit in package codec.
const MaxDepth = 64

// Marshal writes msg in the reference's JSON dialect. It fails with status
// Encode for a NaN or infinite float (code NON_FINITE_FLOAT) or a string
// that is not valid UTF-8 (code INVALID_UTF8).
func Marshal(msg proto.Message) ([]byte, error) {
	e := encoder{buf: make([]byte, 0, 256)}
	if err := e.message(msg.ProtoReflect()); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// Unmarshal reads the reference's JSON dialect into msg, which is reset
// first. Every failure is a *status.Error with status Decode; its code says
// what was wrong (MISSING_FIELD, DUPLICATE_FIELD, INVALID_TYPE,
// OUT_OF_RANGE, UNKNOWN_VARIANT, UNKNOWN_FIELD (strict only), INVALID_UTF8, NESTING_TOO_DEEP or
// DECODE_ERROR for malformed JSON) and its path where.
func Unmarshal(data []byte, msg proto.Message) error {
	return UnmarshalOptions{}.Unmarshal(data, msg)
}

// UnmarshalOptions configures Unmarshal, as protojson.UnmarshalOptions does.
type UnmarshalOptions struct {
	// Strict refuses a key that names no field of its message (code
	// UNKNOWN_FIELD, with the key's path) instead of ignoring it. The
	// reference ignores unknown keys, and so does the default, so that JSON
	// written by a newer version stays readable; strict reading catches
	// typos in hand-written input.
	Strict bool
}

// Unmarshal reads data into msg as the package-level Unmarshal does, with o.
func (o UnmarshalOptions) Unmarshal(data []byte, msg proto.Message) error {
	proto.Reset(msg)
	d := decoder{data: data, strict: o.Strict}
	d.ws()
	if err := d.message(msg.ProtoReflect()); err != nil {
		return err
	}
	d.ws()
	if d.pos != len(d.data) {
		return d.syntax("trailing characters after the message")
	}
	return nil
}

// required reports whether the reference refuses a JSON object without
// this field's key: everything except message, proto3-optional and oneof
// fields (the ones prost maps to Rust Option).
func required(fd protoreflect.FieldDescriptor) bool {
	return fd.IsList() || fd.IsMap() || !fd.HasPresence()
}

// inOneof reports whether fd is a member of a real (non-synthetic) oneof,
// which the reference writes under the oneof's own key.
func inOneof(fd protoreflect.FieldDescriptor) bool {
	od := fd.ContainingOneof()
	return od != nil && !od.IsSynthetic()
}

// variantName is prost's Rust name of a oneof member: the snake_case field
// name in UpperCamelCase, e.g. data_base64 -> DataBase64, node_id -> NodeId.
func variantName(fd protoreflect.FieldDescriptor) string {
	name := string(fd.Name())
	out := make([]byte, 0, len(name))
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '_' {
			upper = true
			continue
		}
		if upper && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		upper = false
		out = append(out, c)
	}
	return string(out)
}
