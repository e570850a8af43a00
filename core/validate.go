package core

import (
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/status"
)

// Validate returns a serialized peat.validation.v1.ValidationReport.
func Validate(typeName string, format codec.Format, in []byte, options []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "validation is not implemented yet")
}

// ValidateBatch returns a serialized peat.validation.v1.BatchValidationReport.
func ValidateBatch(typeName string, format codec.Format, msgs [][]byte, options []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "validation is not implemented yet")
}

// Sanitize returns a serialized peat.validation.v1.SanitizeResult.
func Sanitize(typeName string, from, to codec.Format, in []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "sanitize is not implemented yet")
}
