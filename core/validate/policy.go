package validate

import (
	"math"
	"strings"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/registry"
)

// Rule checks one message type beyond the generic rules. msg is the concrete
// generated message (type-assert it); report through r with paths relative
// to msg. A rule must not modify msg.
type Rule func(msg proto.Message, r *Reporter)

// Range bounds a numeric field (inclusive). Use ±Inf for an open end.
type Range struct {
	Min, Max float64
	Code     Code // reported when a finite value is outside [Min, Max]
}

// FieldPolicy is what the validator knows about one field beyond its type.
// The zero value means "generic rules only".
type FieldPolicy struct {
	// Required: a string must not be empty, a sub-message must be present, a
	// repeated field or map must not be empty (REQUIRED_FIELD). The ICD
	// table never sets it on a field with the proto3 optional label: an
	// absent optional field is never REQUIRED_FIELD.
	Required bool
	// Optional exempts a field named id, name or platform_type from the
	// ICD §6.1.1 non-empty rule that otherwise applies to every message.
	Optional bool
	// Kind overrides the string kind derived from the field name.
	Kind StringKind
	// AllowUnspecified accepts the enum's *_UNSPECIFIED (0) value.
	AllowUnspecified bool
	// AllowFuture exempts a cap.common.v1.Timestamp field from the
	// future-skew rule (deadlines, expiry times).
	AllowFuture bool
	// Range bounds a numeric field (each element of a repeated one).
	Range *Range
	// MaxItems overrides DefaultMaxItems for a repeated field or map.
	MaxItems int
	// UniqueBy makes the ids of a repeated field unique (DUPLICATE_ID):
	// "." for a list of strings, or the name of the string field that
	// identifies each element of a list of messages ("id", "node_id").
	UniqueBy string
}

// DefaultMaxItems bounds every repeated field and map without its own limit.
const DefaultMaxItems = 10000

var (
	mu       sync.RWMutex
	rules    = map[protoreflect.FullName][]Rule{}
	policies = map[protoreflect.FullName]FieldPolicy{}
	plans    = map[protoreflect.FullName]*plan{}
)

// RegisterRules adds a rule for a message type (full name, e.g.
// "peat.directive.v1.Directive"). It runs wherever a message of that type
// appears: at the top level or nested. The generic rules (numbers, enums,
// strings, timestamps, sizes) apply to every type whether or not it has
// rules. Call it from an init function; several rules per type may be added.
func RegisterRules(name protoreflect.FullName, rule Rule) {
	mu.Lock()
	defer mu.Unlock()
	rules[name] = append(rules[name], rule)
	clear(plans)
	resetGen()
}

// RegisterField sets the policy of one field (full name, e.g.
// "cap.cell.v1.CellConfig.id"). A later call replaces an earlier one.
func RegisterField(name protoreflect.FullName, p FieldPolicy) {
	mu.Lock()
	defer mu.Unlock()
	policies[name] = p
	clear(plans)
	resetGen()
}

// plan is the precomputed checking recipe of one message type.
type plan struct {
	fields []fieldPlan
	rules  []Rule
}

type fieldPlan struct {
	fd        protoreflect.FieldDescriptor
	name      string
	policy    FieldPolicy
	kind      StringKind // string values (singular, elements, map values)
	keyKind   StringKind // string map keys
	maxItems  int
	timestamp bool // the field's message type is cap.common.v1.Timestamp
	sizeLimit int  // ICD size limit of the embedded message type, or 0
	// required: absent (or, for a string without presence, empty) is
	// REQUIRED_FIELD. nonEmpty: a string that is present must not be "".
	required bool
	nonEmpty bool
}

const timestampName = "cap.common.v1.Timestamp"

func planFor(md protoreflect.MessageDescriptor) *plan {
	full := md.FullName()
	mu.RLock()
	p := plans[full]
	mu.RUnlock()
	if p != nil {
		return p
	}
	mu.Lock()
	defer mu.Unlock()
	if p := plans[full]; p != nil {
		return p
	}
	p = &plan{rules: rules[full]}
	fds := md.Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		pol := policies[fd.FullName()]
		f := fieldPlan{fd: fd, name: string(fd.Name()), policy: pol, maxItems: pol.MaxItems}
		if f.maxItems == 0 {
			f.maxItems = DefaultMaxItems
		}
		f.kind = pol.Kind
		switch {
		case isStringMap(fd):
			f.keyKind, f.kind = KindMetadataKey, KindMetadataValue
			if pol.Kind != KindAuto {
				f.kind = pol.Kind
			}
		case fd.IsMap():
			f.keyKind = KindID
		}
		if f.kind == KindAuto {
			f.kind = kindOf(fd)
		}
		if m := messageOf(fd); m != nil {
			f.timestamp = m.FullName() == timestampName
			if registry.IsICD(m.FullName()) && registry.Limit(m.FullName()) < registry.DefaultICDLimit {
				f.sizeLimit = registry.Limit(m.FullName())
			}
		}
		f.required = pol.Required
		if !fd.IsList() && !fd.IsMap() && fd.Kind() == protoreflect.StringKind {
			identifying := false
			if !pol.Optional {
				switch fd.Name() {
				case "id", "name", "platform_type": // ICD §6.1.1
					identifying = true
				}
			}
			// ICD §6.1.1 asks for a non-empty value, not for presence: a
			// field with explicit presence (proto3 optional, a oneof
			// member) may be absent, but when present it must not be "".
			if identifying && !fd.HasPresence() {
				f.required = true
			}
			f.nonEmpty = f.required || (fd.HasPresence() && (identifying || f.kind == KindID))
		}
		p.fields = append(p.fields, f)
	}
	plans[full] = p
	return p
}

// messageOf returns the message type of a message field or of a map's values.
func messageOf(fd protoreflect.FieldDescriptor) protoreflect.MessageDescriptor {
	if fd.IsMap() {
		return fd.MapValue().Message()
	}
	return fd.Message()
}

var (
	inf     = math.Inf(1)
	unit    = func(c Code) *Range { return &Range{Min: 0, Max: 1, Code: c} }
	atLeast = func(min float64, c Code) *Range { return &Range{Min: min, Max: inf, Code: c} }
)

// unspecified reports whether the zero value of an enum is its *_UNSPECIFIED value.
func unspecified(ed protoreflect.EnumDescriptor) bool {
	v := ed.Values().ByNumber(0)
	return v != nil && strings.HasSuffix(string(v.Name()), "_UNSPECIFIED")
}

// KindsOf returns the string kinds the validator applies to fd: to its values
// (singular, list elements, map values) and to its keys when fd is a map.
func KindsOf(fd protoreflect.FieldDescriptor) (value, key StringKind) {
	p := planFor(fd.ContainingMessage())
	f := p.fields[fd.Index()]
	return f.kind, f.keyKind
}
