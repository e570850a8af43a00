package core

import (
	"strings"
	"sync"
	"sync/atomic"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/sanitize"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/core/validate"
)

// MaxOptions bounds a serialized peat.validation.v1.ValidateOptions, checked
// before decoding. The message holds a timestamp, a number and a flag (under
// 40 bytes); 4 KiB leaves room for fields a later minor version may add.
const MaxOptions = 4 << 10

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
	if len(rep.Violations) == 0 && rep.Valid && rep.Decoded {
		return validReport(rep)
	}
	return codec.Encode(rep, codec.Binary)
}

// validReports holds, per type, the encoding of its report without
// violations (the same bytes every time).
var validReports sync.Map // string -> []byte

func validReport(rep *validationv1.ValidationReport) ([]byte, error) {
	if b, ok := validReports.Load(rep.Type); ok {
		return append([]byte(nil), b.([]byte)...), nil
	}
	b, err := codec.Encode(rep, codec.Binary)
	if err != nil {
		return nil, err
	}
	validReports.Store(rep.Type, append([]byte(nil), b...))
	return b, nil
}

// ValidateBatch returns a serialized peat.validation.v1.BatchValidationReport
// with one report per message, in order. An undecodable message gets a
// report with decoded = false whose single violation carries the error code.
// The batch is refused before any work over MaxBatch messages or
// MaxBatchInput bytes, and as soon as the reports pass MaxBatchOutput: they
// are serialized one by one, so no more than that is ever held.
func ValidateBatch(typeName string, format codec.Format, msgs [][]byte, options []byte) ([]byte, error) {
	if err := checkBatch(msgs); err != nil {
		return nil, err
	}
	mt, opts, err := validateArgs(typeName, format, options)
	if err != nil {
		return nil, err
	}
	full := mt.Descriptor().FullName()
	// The deterministic encoding of BatchValidationReport, written
	// incrementally: field 1 (each report), then the counts (2, 3, 4).
	var out []byte
	var valid, invalid, undecodable uint64
	marshal := proto.MarshalOptions{Deterministic: true, UseCachedSize: true}
	for _, in := range msgs {
		rep, err := validator.ValidateBytes(mt, format, in, opts)
		if err != nil {
			rep = validate.Undecodable(full, err)
			rep.Violations[0].Message = strings.ToValidUTF8(rep.Violations[0].Message, "?")
			undecodable++
		}
		if rep.Valid {
			valid++
		} else {
			invalid++
		}
		size := marshal.Size(rep)
		if len(out)+1+protowire.SizeVarint(uint64(size))+size > batchOutputLimit-3*(1+protowire.SizeVarint(MaxBatch)) {
			return nil, outputTooLarge("batch report")
		}
		out = protowire.AppendTag(out, 1, protowire.BytesType)
		out = protowire.AppendVarint(out, uint64(size))
		if out, err = marshal.MarshalAppend(out, rep); err != nil {
			return nil, status.Errorf(status.Encode, "cannot encode a validation report: %v", err)
		}
	}
	for i, n := range []uint64{valid, invalid, undecodable} {
		if n != 0 {
			out = protowire.AppendTag(out, protowire.Number(2+i), protowire.VarintType)
			out = protowire.AppendVarint(out, n)
		}
	}
	if out == nil {
		out = []byte{}
	}
	return out, nil
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
	if len(options) > MaxOptions {
		return nil, nil, status.Errorf(status.TooLarge, "options are %d bytes, over the %d-byte limit of peat.validation.v1.ValidateOptions", len(options), MaxOptions).WithCode("OPTIONS_TOO_LARGE")
	}
	if e := lastOptions.Load(); e != nil && e.raw == string(options) {
		return mt, e.opts, nil // the same bytes as the previous call: already checked
	}
	opts := &validationv1.ValidateOptions{}
	if err := proto.Unmarshal(options, opts); err != nil {
		return nil, nil, status.Errorf(status.InvalidArgument, "options are not a peat.validation.v1.ValidateOptions: %v", err)
	}
	if err := validate.CheckOptions(opts); err != nil {
		return nil, nil, err
	}
	lastOptions.Store(&optionsEntry{raw: string(options), opts: opts})
	return mt, opts, nil
}

// lastOptions remembers the most recent valid options and their bytes:
// callers usually pass the same options call after call, and the validator
// only reads them, so one decoded copy can serve every call that passes
// those bytes (from any thread).
var lastOptions atomic.Pointer[optionsEntry]

type optionsEntry struct {
	raw  string
	opts *validationv1.ValidateOptions
}
