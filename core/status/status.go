// Package status defines the error type shared by every core package and the
// numeric status codes that cross the C ABI (PEAT_* in include/peat.h).
//
// Numeric statuses are a small, stable set of error classes: a value is never
// renumbered or reused. The string Code inside an Error may be finer grained
// (for example a Decode status with code "INVALID_UTF8").
package status

import (
	"errors"
	"fmt"

	apiv1 "github.com/peat-protocol/libpeat/core/pb/peat/api/v1"
)

// Status is the numeric class of a result. Values match PEAT_* in peat.h.
type Status int32

const (
	OK                Status = 0
	InvalidArgument   Status = 1  // NULL pointer, unknown format, bad option
	UnknownType       Status = 2  // type name not registered, or wrong for the call
	Decode            Status = 3  // input bytes or JSON cannot be decoded
	Encode            Status = 4  // a value cannot be written in the requested format
	TooLarge          Status = 5  // input above its size limit (refused before decoding)
	Decompress        Status = 6  // bad compressed frame or decompressed size over the limit
	Mismatch          Status = 7  // merge of different entities or incompatible inputs
	IllegalTransition Status = 8  // deployment status machine refused a move
	Unsupported       Status = 9  // the operation is not defined for this type/format
	Invalid           Status = 10 // input fails validation where a valid message is required
	NotVerified       Status = 11 // a signature or an artifact did not verify (and the call needs it to)
	Internal          Status = 100
)

var names = map[Status]string{
	OK:                "OK",
	InvalidArgument:   "INVALID_ARGUMENT",
	UnknownType:       "UNKNOWN_TYPE",
	Decode:            "DECODE_ERROR",
	Encode:            "ENCODE_ERROR",
	TooLarge:          "MESSAGE_TOO_LARGE",
	Decompress:        "DECOMPRESS_ERROR",
	Mismatch:          "MISMATCH",
	IllegalTransition: "ILLEGAL_TRANSITION",
	Unsupported:       "UNSUPPORTED",
	Invalid:           "INVALID_MESSAGE",
	NotVerified:       "NOT_VERIFIED",
	Internal:          "INTERNAL",
}

// Name returns the stable upper-case name of s ("UNKNOWN_STATUS" if s is not defined).
func (s Status) Name() string {
	if n, ok := names[s]; ok {
		return n
	}
	return "UNKNOWN_STATUS"
}

// All returns every defined status, for tests that keep bindings in sync.
func All() []Status {
	return []Status{OK, InvalidArgument, UnknownType, Decode, Encode, TooLarge, Decompress,
		Mismatch, IllegalTransition, Unsupported, Invalid, NotVerified, Internal}
}

// Error is the error type returned by core functions.
type Error struct {
	Status  Status
	Code    string // stable code; defaults to Status.Name()
	Message string // human-readable, not stable
	Path    string // offending field path, when known
}

func (e *Error) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("%s: %s (at %s)", e.Code, e.Message, e.Path)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf builds an Error whose code is the status name.
func Errorf(s Status, format string, args ...any) *Error {
	return &Error{Status: s, Code: s.Name(), Message: fmt.Sprintf(format, args...)}
}

// WithCode returns a copy of e with a finer-grained code.
func (e *Error) WithCode(code string) *Error {
	c := *e
	c.Code = code
	return &c
}

// AtPath returns a copy of e with the field path set.
func (e *Error) AtPath(path string) *Error {
	c := *e
	c.Path = path
	return &c
}

// From converts any error into an *Error. Errors that are not *Error become Internal.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Status: Internal, Code: Internal.Name(), Message: err.Error()}
}

// Of returns the status of err (OK for nil).
func Of(err error) Status {
	if err == nil {
		return OK
	}
	return From(err).Status
}

// Proto converts err to the peat.api.v1.Error message written across the ABI.
func Proto(err error) *apiv1.Error {
	e := From(err)
	return &apiv1.Error{Status: int32(e.Status), Code: e.Code, Message: e.Message, FieldPath: e.Path}
}
