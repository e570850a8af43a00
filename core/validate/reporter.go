package validate

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
)

// segment is one step of a field path: a field name, optionally followed by
// a list index or a map key.
type segment struct {
	field string
	index int    // list index, or -1
	key   string // rendered map key ("\"k\"" or "5"), or ""
}

// Reporter collects the violations of one validation. Rules receive it with
// its position set to the message they check; the field passed to Add is
// relative to that message.
type Reporter struct {
	stack      []segment
	out        []*validationv1.Violation
	now        time.Time
	skew       time.Duration
	allowEnums bool
	roots      []string   // ValidateOptions.allowed_path_roots, in normal form
	stackBuf   [4]segment // the stack's first segments, without an allocation
	gen        *genState  // the generated validators' state, while one runs
}

// Add records a violation of code at field (relative to the message being
// checked; "" for the message itself). Build fields with Index and Key.
func (r *Reporter) Add(code Code, field string, format string, args ...any) {
	r.out = append(r.out, &validationv1.Violation{
		Code:    string(code),
		Path:    r.path(field),
		Message: fmt.Sprintf(format, args...),
	})
}

// Now returns the "now" of this validation (the option, or the clock).
func (r *Reporter) Now() time.Time { return r.now }

// FutureSkew returns how far in the future a timestamp may lie.
func (r *Reporter) FutureSkew() time.Duration { return r.skew }

// Index returns the path of element i of a repeated field: "members[2]".
func Index(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

// Key returns the path of a string-keyed map entry: `metadata["k"]`.
func Key(field, key string) string { return field + "[" + strconv.Quote(key) + "]" }

// Join appends rel to the path base with the right separator.
func Join(base, rel string) string {
	switch {
	case base == "":
		return rel
	case rel == "":
		return base
	case rel[0] == '[':
		return base + rel
	}
	return base + "." + rel
}

func (r *Reporter) push(s segment) {
	if r.stack == nil {
		r.stack = r.stackBuf[:0]
	}
	r.stack = append(r.stack, s)
}
func (r *Reporter) pop() { r.stack = r.stack[:len(r.stack)-1] }

// path renders the current position plus rel.
func (r *Reporter) path(rel string) string {
	var b strings.Builder
	for i, s := range r.stack {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.field)
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		} else if s.key != "" {
			b.WriteByte('[')
			b.WriteString(s.key)
			b.WriteByte(']')
		}
	}
	return Join(b.String(), rel)
}
