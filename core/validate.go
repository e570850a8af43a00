package core

import (
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/sanitize"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/core/validate"
)

// validator uses the wall clock unless the options carry "now".
var validator = validate.New(validate.SystemClock{})

// Validate returns a serialized peat.validation.v1.ValidationReport. Any
// decodable input gives a report (valid or not); undecodable input, an
// unknown type, a bad format or bad options return the error.
func Validate(typeName string, format codec.Format, in []byte, options []byte) ([]byte, error) {
	mt, opts, err := validateArgs(typeName, format, options)
	if err != nil {
		return nil, err
	}
	rep, err := validator.ValidateBytes(mt, format, in, opts)
	if err != nil {
		return nil, err
	}
	return codec.Encode(rep, codec.Binary)
}

// ValidateBatch returns a serialized peat.validation.v1.BatchValidationReport
// with one report per message, in order. An undecodable message gets a
// report with decoded = false whose single violation carries the error code.
func ValidateBatch(typeName string, format codec.Format, msgs [][]byte, options []byte) ([]byte, error) {
	mt, opts, err := validateArgs(typeName, format, options)
	if err != nil {
		return nil, err
	}
	full := mt.Descriptor().FullName()
	out := &validationv1.BatchValidationReport{Reports: make([]*validationv1.ValidationReport, len(msgs))}
	for i, in := range msgs {
		rep, err := validator.ValidateBytes(mt, format, in, opts)
		if err != nil {
			rep = validate.Undecodable(full, err)
			rep.Violations[0].Message = strings.ToValidUTF8(rep.Violations[0].Message, "?")
			out.UndecodableCount++
		}
		if rep.Valid {
			out.ValidCount++
		} else {
			out.InvalidCount++
		}
		out.Reports[i] = rep
	}
	return codec.Encode(out, codec.Binary)
}

// Sanitize returns a serialized peat.validation.v1.SanitizeResult: a copy of
// the message with control characters stripped and metadata normalised (ICD
// §9.2), in format to, and the list of changes. Binary input with invalid
// UTF-8 is repaired (U+FFFD) and the repair listed as a change.
func Sanitize(typeName string, from, to codec.Format, in []byte) ([]byte, error) {
	if err := codec.Check(to); err != nil {
		return nil, err
	}
	mt, err := registry.Lookup(typeName)
	if err != nil {
		return nil, err
	}
	msg, repaired, err := validate.Decode(mt, from, in)
	if err != nil {
		return nil, err
	}
	clean, changes := sanitize.Message(msg)
	for _, v := range repaired {
		changes = append(changes, &validationv1.SanitizeChange{Path: v.Path, Code: sanitize.InvalidUTF8Replaced,
			Message: "invalid UTF-8 sequences replaced by U+FFFD"})
	}
	b, err := codec.Encode(clean, to)
	if err != nil {
		return nil, err
	}
	return codec.Encode(&validationv1.SanitizeResult{Message: b, Changes: sanitize.Sort(changes)}, codec.Binary)
}

func validateArgs(typeName string, format codec.Format, options []byte) (protoreflect.MessageType, *validationv1.ValidateOptions, error) {
	if err := codec.Check(format); err != nil {
		return nil, nil, err
	}
	mt, err := registry.Lookup(typeName)
	if err != nil {
		return nil, nil, err
	}
	opts := &validationv1.ValidateOptions{}
	if err := proto.Unmarshal(options, opts); err != nil {
		return nil, nil, status.Errorf(status.InvalidArgument, "options are not a peat.validation.v1.ValidateOptions: %v", err)
	}
	if err := validate.CheckOptions(opts); err != nil {
		return nil, nil, err
	}
	return mt, opts, nil
}
