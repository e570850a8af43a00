// Package codec decodes and encodes any registered message in binary protobuf,
// canonical proto3 JSON and the Rust reference's JSON ("rust-json"), applying
// the type's size limit before anything is parsed.
package codec

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/rustjson"
	"github.com/peat-protocol/libpeat/core/status"
)

// Format selects an encoding. Values match PEAT_FORMAT_* in peat.h.
type Format int32

const (
	Binary   Format = 1
	JSON     Format = 2
	RustJSON Format = 3
)

// Strict is a flag on an input format: JSON input (proto3 JSON or
// rust-json) with a key that names no field is refused with code
// UNKNOWN_FIELD and the key's path, instead of the key being ignored. It
// changes nothing for binary input (unknown fields there are kept, ICD §8.3)
// or for output. Without it JSON is read leniently, so that JSON written by a
// newer minor version stays readable (docs/COMPATIBILITY.md). Written
// JSON|Strict or RustJSON|Strict; the C ABI passes it as
// PEAT_FORMAT_FLAG_STRICT (ABI 1.1).
const Strict Format = 1 << 8

// RecursionLimit bounds nesting depth while decoding (protobuf-go's default is 10000).
const RecursionLimit = 64

// Base is f without its flags (Strict).
func (f Format) Base() Format { return f &^ Strict }

// IsStrict reports whether f carries the Strict flag.
func (f Format) IsStrict() bool { return f&Strict != 0 }

// String returns the CLI spelling of f.
func (f Format) String() string {
	if f.IsStrict() && f.Base().IsText() {
		return f.Base().String() + " (strict)"
	}
	switch f.Base() {
	case Binary:
		return "binary"
	case JSON:
		return "json"
	case RustJSON:
		return "rust-json"
	}
	return "unknown"
}

// ParseFormat reads a CLI spelling: binary, json, rust-json.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "binary", "bin", "pb":
		return Binary, nil
	case "json":
		return JSON, nil
	case "rust-json", "rustjson":
		return RustJSON, nil
	}
	return 0, status.Errorf(status.InvalidArgument, "unknown format %q (want binary, json or rust-json)", s)
}

// Check returns an InvalidArgument error for a format number that is not
// defined, allowing the Strict flag.
func Check(f Format) error {
	if b := f.Base(); b < Binary || b > RustJSON {
		return status.Errorf(status.InvalidArgument, "unknown format %d (want 1 binary, 2 json, 3 rust-json)", int32(f))
	}
	return nil
}

// IsText reports whether f is a JSON format.
func (f Format) IsText() bool { b := f.Base(); return b == JSON || b == RustJSON }

// TextCodec is a per-type override of the rust-json dialect (directive types
// have their own shape in the reference).
type TextCodec struct {
	Marshal   func(proto.Message) ([]byte, error)
	Unmarshal func([]byte, proto.Message) error
	// UnmarshalStrict refuses unknown keys (Strict); nil means Unmarshal
	// cannot be made strict, and strict input of the type is refused.
	UnmarshalStrict func([]byte, proto.Message) error
}

var (
	overridesMu sync.RWMutex
	overrides   = map[protoreflect.FullName]TextCodec{}
)

// RegisterRustJSON installs a rust-json codec for one message type.
func RegisterRustJSON(name protoreflect.FullName, c TextCodec) {
	overridesMu.Lock()
	defer overridesMu.Unlock()
	overrides[name] = c
}

func rustCodec(name protoreflect.FullName) TextCodec {
	overridesMu.RLock()
	defer overridesMu.RUnlock()
	if c, ok := overrides[name]; ok {
		return c
	}
	return TextCodec{Marshal: rustjson.Marshal, Unmarshal: rustjson.Unmarshal,
		UnmarshalStrict: rustjson.UnmarshalOptions{Strict: true}.Unmarshal}
}

// Decode decodes data of the named type.
func Decode(typeName string, f Format, data []byte) (proto.Message, error) {
	mt, err := registry.Lookup(typeName)
	if err != nil {
		return nil, err
	}
	msg := mt.New().Interface()
	if err := DecodeInto(msg, f, data); err != nil {
		return nil, err
	}
	return msg, nil
}

// DecodeInto decodes data into msg (which must be empty), enforcing the size
// limit of msg's type: on the raw input first, then, for JSON, on the
// decoded message's binary size.
func DecodeInto(msg proto.Message, f Format, data []byte) error {
	if err := Check(f); err != nil {
		return err
	}
	full := msg.ProtoReflect().Descriptor().FullName()
	if err := registry.CheckSize(full, len(data), f.IsText()); err != nil {
		return err
	}
	switch f.Base() {
	case Binary:
		if fastDecode(msg, data) { // the runtime's result, for plain input of hot types
			return nil
		}
		err := proto.UnmarshalOptions{RecursionLimit: RecursionLimit}.Unmarshal(data, msg)
		if err != nil {
			return decodeError(full, err)
		}
		// A decoded message never re-encodes larger than its binary input,
		// so the check above already holds it to the limit.
		return nil
	case JSON:
		if !utf8.Valid(data) {
			return status.Errorf(status.Decode, "%s JSON input is not valid UTF-8", full).WithCode("INVALID_UTF8")
		}
		// Unknown keys are ignored so that JSON written by a newer minor
		// version is readable (ICD §8.3), unless the caller asked for Strict.
		err := protojson.UnmarshalOptions{DiscardUnknown: !f.IsStrict(), RecursionLimit: RecursionLimit}.Unmarshal(data, msg)
		if err != nil {
			if f.IsStrict() {
				if uerr := unknownJSONKey(msg.ProtoReflect().Descriptor(), data); uerr != nil {
					return uerr
				}
			}
			return decodeError(full, err)
		}
	case RustJSON:
		if !utf8.Valid(data) {
			return status.Errorf(status.Decode, "%s JSON input is not valid UTF-8", full).WithCode("INVALID_UTF8")
		}
		c := rustCodec(full)
		unmarshal := c.Unmarshal
		if f.IsStrict() {
			if unmarshal = c.UnmarshalStrict; unmarshal == nil {
				return status.Errorf(status.Unsupported, "%s has no strict rust-json reader", full)
			}
		}
		if err := unmarshal(data, msg); err != nil {
			e := status.From(err)
			if e.Status == status.Internal {
				return decodeError(full, err)
			}
			return e
		}
	}
	return registry.CheckSize(full, proto.Size(msg), false)
}

func decodeError(full protoreflect.FullName, err error) error {
	msg := err.Error()
	// protobuf-go prefixes its messages with "proto:" and sometimes pads with
	// a non-breaking space; keep the text plain.
	msg = strings.ReplaceAll(msg, "\u00a0", " ")
	e := status.Errorf(status.Decode, "cannot decode %s: %s", full, msg)
	if strings.Contains(msg, "invalid UTF-8") {
		return e.WithCode("INVALID_UTF8")
	}
	return e
}

// Encode writes msg in format f. Binary output is deterministic (fields in
// number order, map keys sorted, unknown fields kept); proto3 JSON is
// compacted so that its bytes are stable across builds.
func Encode(msg proto.Message, f Format) ([]byte, error) {
	if err := Check(f); err != nil {
		return nil, err
	}
	switch f.Base() {
	case Binary:
		if b, ok := fastEncode(msg); ok { // the runtime's bytes, for hot types
			return b, nil
		}
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(msg)
		if err != nil {
			return nil, status.Errorf(status.Encode, "cannot encode %s: %v", msg.ProtoReflect().Descriptor().FullName(), err)
		}
		return b, nil
	case JSON:
		b, err := protojson.MarshalOptions{}.Marshal(msg)
		if err != nil {
			return nil, status.Errorf(status.Encode, "cannot encode %s as JSON: %v", msg.ProtoReflect().Descriptor().FullName(), err)
		}
		// protojson randomises insignificant whitespace per build; compact it.
		var out bytes.Buffer
		if err := json.Compact(&out, b); err != nil {
			return nil, status.Errorf(status.Internal, "compacting JSON: %v", err)
		}
		return out.Bytes(), nil
	default:
		b, err := rustCodec(msg.ProtoReflect().Descriptor().FullName()).Marshal(msg)
		if err != nil {
			e := status.From(err)
			if e.Status == status.Internal {
				return nil, status.Errorf(status.Encode, "cannot encode as rust-json: %v", err)
			}
			return nil, e
		}
		return b, nil
	}
}

// Convert decodes data of typeName in format from and re-encodes it in format to.
func Convert(typeName string, from, to Format, data []byte) ([]byte, error) {
	if err := Check(to); err != nil {
		return nil, err
	}
	msg, err := Decode(typeName, from, data)
	if err != nil {
		return nil, err
	}
	return Encode(msg, to)
}
