package validate

import (
	"google.golang.org/protobuf/proto"

	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
)

// ValidateReflect validates msg with the reflective walker only (the oracle
// of the generated validators).
func (v *Validator) ValidateReflect(msg proto.Message, opts *validationv1.ValidateOptions) *validationv1.ValidationReport {
	r := v.NewReporter(opts)
	r.checkReflect(msg)
	return r.Report(msg.ProtoReflect().Descriptor().FullName())
}

// HasGenerated reports whether Validate checks msg with a generated validator.
func HasGenerated(msg proto.Message) bool {
	return genCheck(&Reporter{}, currentGen(), msg)
}
