package validate

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Decode decodes data as a message of type mt, enforcing the type's size
// limit first (MESSAGE_TOO_LARGE). Binary input whose only defect is invalid
// UTF-8 in string fields is decoded from a repaired copy (U+FFFD) and each
// such string is returned as an INVALID_STRING violation, so its report is
// complete; data itself is never modified. Any other failure returns the
// codec's error (status Decode, TooLarge, ...).
func Decode(mt protoreflect.MessageType, f codec.Format, data []byte) (proto.Message, []*validationv1.Violation, error) {
	msg := mt.New().Interface()
	err := codec.DecodeInto(msg, f, data)
	if err == nil {
		return msg, nil, nil
	}
	if f.Base() != codec.Binary || status.From(err).Code != "INVALID_UTF8" {
		return nil, nil, err
	}
	fixed, paths, rerr := RepairUTF8(mt.Descriptor(), data)
	if rerr != nil || len(paths) == 0 {
		return nil, nil, err
	}
	msg = mt.New().Interface()
	if uerr := (proto.UnmarshalOptions{RecursionLimit: codec.RecursionLimit}).Unmarshal(fixed, msg); uerr != nil {
		return nil, nil, err
	}
	vs := make([]*validationv1.Violation, len(paths))
	for i, p := range paths {
		vs[i] = &validationv1.Violation{Code: string(InvalidString), Path: p,
			Message: "invalid UTF-8 (validated as if each invalid sequence were U+FFFD)"}
	}
	return msg, vs, nil
}

// ValidateBytes decodes and validates one message. A decoding failure is
// returned as an error; everything else is in the report.
func (v *Validator) ValidateBytes(mt protoreflect.MessageType, f codec.Format, data []byte, opts *validationv1.ValidateOptions) (*validationv1.ValidationReport, error) {
	msg, repaired, err := Decode(mt, f, data)
	if err != nil {
		return nil, err
	}
	r := v.NewReporter(opts)
	r.out = append(r.out, repaired...)
	r.Check(msg)
	return r.Report(mt.Descriptor().FullName()), nil
}

// Undecodable is the batch report of an input that could not be decoded: one
// violation carrying the error's code (DECODE_ERROR, INVALID_UTF8,
// MESSAGE_TOO_LARGE, ...) and decoded = false.
func Undecodable(typeName protoreflect.FullName, err error) *validationv1.ValidationReport {
	e := status.From(err)
	return &validationv1.ValidationReport{
		Type:       string(typeName),
		Violations: []*validationv1.Violation{{Code: e.Code, Path: e.Path, Message: e.Message}},
	}
}
