// Package genplan is the bridge between the validator's plans (package
// validate) and the generator of its typed validators (core/validate/gen).
// The plan of a message type, as the reflective walker uses it, is described
// here as plain data; the generator emits code from it, and at run time the
// validator compares each generated function's fingerprint with that of the
// live plan, so a generated function is used only while it does exactly
// what the walker would do.
package genplan

import (
	"fmt"
	"hash/fnv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// Range is validate.Range as data.
type Range struct {
	Min, Max float64
	Code     string
}

// Field is one field of a plan (validate.fieldPlan and its FieldPolicy).
type Field struct {
	FD   protoreflect.FieldDescriptor
	Name string
	// From the FieldPolicy.
	PolicyRequired   bool
	Optional         bool
	PolicyKind       uint8
	AllowUnspecified bool
	AllowFuture      bool
	Range            *Range
	PolicyMaxItems   int
	UniqueBy         string
	// Derived by planFor.
	Kind      uint8 // validate.StringKind of values
	KeyKind   uint8 // validate.StringKind of map keys
	MaxItems  int
	Timestamp bool
	SizeLimit int
	Required  bool
	NonEmpty  bool
}

// Plan returns the live plan of a message type; package validate sets it.
var Plan func(md protoreflect.MessageDescriptor) []Field

// Fingerprint identifies everything in a plan that generated code depends
// on (the descriptor's fields and every policy-derived value).
func Fingerprint(md protoreflect.MessageDescriptor, fs []Field) string {
	var b strings.Builder
	b.WriteString(string(md.FullName()))
	for _, f := range fs {
		fd := f.FD
		fmt.Fprintf(&b, "|%s %d %v %v %v %v %v %s", fd.FullName(), fd.Number(), fd.Kind(), fd.Cardinality(), fd.HasPresence(), fd.IsList(), fd.IsMap(), f.Name)
		fmt.Fprintf(&b, " %v %v %d %v %v", f.PolicyRequired, f.Optional, f.PolicyKind, f.AllowUnspecified, f.AllowFuture)
		if f.Range != nil {
			fmt.Fprintf(&b, " R[%v %v %s]", f.Range.Min, f.Range.Max, f.Range.Code)
		}
		fmt.Fprintf(&b, " %d %q %d %d %d %v %d %v %v", f.PolicyMaxItems, f.UniqueBy, f.Kind, f.KeyKind, f.MaxItems, f.Timestamp, f.SizeLimit, f.Required, f.NonEmpty)
	}
	h := fnv.New64a()
	h.Write([]byte(b.String()))
	return fmt.Sprintf("%016x", h.Sum64())
}

// Unspecified reports whether the zero value of an enum is its
// *_UNSPECIFIED value; package validate sets it.
var Unspecified func(ed protoreflect.EnumDescriptor) bool
