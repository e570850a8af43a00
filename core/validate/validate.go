// Package validate checks decoded Peat messages against the rules of ICD
// §3.3, §6 and §9 and returns every violation with a stable code and a field
// path (docs/VALIDATION.md). Generic rules walk the descriptor of any message
// (numbers, enums, strings, timestamps, item counts, embedded sizes);
// type-specific rules are registered per message type with RegisterRules,
// and field policies with RegisterField. Validation never modifies its input.
package validate

import (
	"math"
	"sort"
	"strconv"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// DefaultFutureSkew is how far in the future a timestamp may lie by default.
const DefaultFutureSkew = 300 * time.Second

// MaxPathRoots bounds ValidateOptions.allowed_path_roots.
const MaxPathRoots = 64

// maxDepth stops the walk of pathologically deep messages built in Go
// (decoded input is already limited to codec.RecursionLimit).
const maxDepth = 100

// Validator validates messages. The zero value is not usable; use New.
type Validator struct {
	clock Clock
}

// New returns a validator that asks clock for "now" when the options do not
// give it. A nil clock selects the wall clock.
func New(clock Clock) *Validator {
	if clock == nil {
		clock = SystemClock{}
	}
	return &Validator{clock: clock}
}

// CheckOptions returns an InvalidArgument error if opts cannot be used.
func CheckOptions(opts *validationv1.ValidateOptions) error {
	if opts == nil {
		return nil
	}
	if now := opts.Now; now != nil {
		if now.Nanos > 999_999_999 {
			return status.Errorf(status.InvalidArgument, "options.now.nanos %d is out of [0, 999999999]", now.Nanos).AtPath("now.nanos")
		}
		if now.Seconds > math.MaxInt64/2 {
			return status.Errorf(status.InvalidArgument, "options.now.seconds %d is out of range", now.Seconds).AtPath("now.seconds")
		}
	}
	if len(opts.AllowedPathRoots) > MaxPathRoots {
		return status.Errorf(status.InvalidArgument, "options.allowed_path_roots has %d roots, over the limit of %d",
			len(opts.AllowedPathRoots), MaxPathRoots).AtPath("allowed_path_roots")
	}
	for i, root := range opts.AllowedPathRoots {
		if why := PathProblem(root); why != "" {
			return status.Errorf(status.InvalidArgument, "options.allowed_path_roots[%d] %q is not an absolute path in normal form: %s",
				i, clipPath(root), why).AtPath(Index("allowed_path_roots", i)).WithCode(string(InvalidPath))
		}
	}
	if opts.MaxFutureSkewSeconds != nil && *opts.MaxFutureSkewSeconds > math.MaxInt64/uint64(time.Second) {
		return status.Errorf(status.InvalidArgument, "options.max_future_skew_seconds %d is out of range",
			*opts.MaxFutureSkewSeconds).AtPath("max_future_skew_seconds")
	}
	return nil
}

// NewReporter starts a report for one validation with the given options
// (which must have passed CheckOptions; nil selects the defaults).
func (v *Validator) NewReporter(opts *validationv1.ValidateOptions) *Reporter {
	r := &Reporter{skew: DefaultFutureSkew}
	if opts != nil {
		if opts.Now != nil {
			r.now = time.Unix(int64(opts.Now.Seconds), int64(opts.Now.Nanos)).UTC()
		}
		if opts.MaxFutureSkewSeconds != nil {
			r.skew = time.Duration(*opts.MaxFutureSkewSeconds) * time.Second
		}
		r.allowEnums = opts.AllowUnknownEnumValues
		r.roots = opts.AllowedPathRoots
	}
	if opts == nil || opts.Now == nil {
		r.now = v.clock.Now()
	}
	return r
}

// Validate checks msg and returns the report (never nil). opts must have
// passed CheckOptions; nil selects the defaults.
func (v *Validator) Validate(msg proto.Message, opts *validationv1.ValidateOptions) *validationv1.ValidationReport {
	r := v.NewReporter(opts)
	r.Check(msg)
	return r.Report(msg.ProtoReflect().Descriptor().FullName())
}

// Check runs every rule on msg, adding to the report.
// A message type with a generated validator (zz_generated.go) is checked by
// it; any other by the reflective walker, which is the oracle the generated
// code is tested against.
func (r *Reporter) Check(msg proto.Message) {
	if genCheck(r, currentGen(), msg) {
		return
	}
	r.checkReflect(msg)
}

// checkReflect runs every rule on msg through the reflective walker.
func (r *Reporter) checkReflect(msg proto.Message) {
	m := msg.ProtoReflect()
	if m.Descriptor().FullName() == timestampName {
		r.timestamp(m, false)
	}
	r.message(m, 0)
}

// Report returns the sorted report of everything added so far.
func (r *Reporter) Report(typeName protoreflect.FullName) *validationv1.ValidationReport {
	return &validationv1.ValidationReport{
		Valid:      len(r.out) == 0,
		Type:       string(typeName),
		Violations: Sort(r.out),
		Decoded:    true,
	}
}

// Sort orders violations by path, then code, then message (byte-wise) and
// drops exact duplicates.
func Sort(vs []*validationv1.Violation) []*validationv1.Violation {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
	out := vs[:0]
	for i, x := range vs {
		if i > 0 && proto.Equal(x, vs[i-1]) {
			continue
		}
		out = append(out, x)
	}
	return out
}

func (r *Reporter) message(m protoreflect.Message, depth int) {
	if depth > maxDepth {
		return
	}
	p := planFor(m.Descriptor())
	for i := range p.fields {
		f := &p.fields[i]
		fd := f.fd
		switch {
		case fd.IsList():
			r.list(f, m.Get(fd).List(), depth)
		case fd.IsMap():
			r.mapField(f, m.Get(fd).Map(), depth)
		case fd.Message() != nil:
			if !m.Has(fd) {
				if f.required {
					r.Add(RequiredField, f.name, "%s is required", f.name)
				}
				continue
			}
			r.push(segment{field: f.name, index: -1})
			r.sub(f, m.Get(fd).Message(), depth)
			r.pop()
		default:
			if fd.HasPresence() && !m.Has(fd) {
				if f.required {
					r.Add(RequiredField, f.name, "%s is required", f.name)
				}
				continue
			}
			v := m.Get(fd)
			if f.nonEmpty && v.String() == "" {
				r.Add(RequiredField, f.name, "%s must not be empty", f.name)
				continue
			}
			r.scalar(f, fd, v, f.name)
		}
	}
	for _, rule := range p.rules {
		rule(m.Interface(), r)
	}
}

// sub checks an embedded message; the caller has pushed its segment.
func (r *Reporter) sub(f *fieldPlan, m protoreflect.Message, depth int) {
	if f.sizeLimit > 0 {
		if n := proto.Size(m.Interface()); n > f.sizeLimit {
			r.Add(MessageTooLarge, "", "embedded %s is %d bytes, over the %d-byte limit",
				m.Descriptor().FullName(), n, f.sizeLimit)
		}
	}
	if f.timestamp {
		r.timestamp(m, f.policy.AllowFuture)
	}
	r.message(m, depth+1)
}

func (r *Reporter) list(f *fieldPlan, l protoreflect.List, depth int) {
	n := l.Len()
	if n == 0 {
		if f.required {
			r.Add(RequiredField, f.name, "%s must not be empty", f.name)
		}
		return
	}
	if n > f.maxItems {
		r.Add(TooManyItems, f.name, "%d items, over the limit of %d", n, f.maxItems)
	}
	fd := f.fd
	if fd.Message() != nil {
		for i := 0; i < n; i++ {
			r.push(segment{field: f.name, index: i})
			r.sub(f, l.Get(i).Message(), depth)
			r.pop()
		}
	}
	// A list of string ids keeps its values for unique: each Get of a
	// string element through protoreflect allocates.
	var small [smallUnique]string
	var strs []string
	if f.policy.UniqueBy == "." && fd.Kind() == protoreflect.StringKind {
		if n <= smallUnique {
			strs = small[:0]
		} else {
			strs = make([]string, 0, n)
		}
	}
	if fd.Message() == nil {
		for i := 0; i < n; i++ {
			v := l.Get(i)
			if strs != nil {
				strs = append(strs, v.String())
			}
			if fd.Kind() == protoreflect.StringKind && v.String() == "" && f.kind == KindID {
				r.Add(RequiredField, Index(f.name, i), "%s must not hold an empty id", f.name)
				continue
			}
			r.scalarAt(f, fd, v, segment{field: f.name, index: i})
		}
	}
	if f.policy.UniqueBy != "" {
		r.unique(f, l, strs)
	}
}

// scalarAt checks one element whose path is only rendered on a violation.
func (r *Reporter) scalarAt(f *fieldPlan, fd protoreflect.FieldDescriptor, v protoreflect.Value, s segment) {
	r.push(s)
	r.scalar(f, fd, v, "")
	r.pop()
}

// smallUnique is the list length up to which unique compares ids pairwise
// (no map, nothing allocated); longer lists use a map.
const smallUnique = 16

// Lists up to maxPooledUnique items reuse the maps of seenPool (cleared
// after use), so the long lists of the ICD (100 capabilities) allocate none.
const maxPooledUnique = 1024

var seenPool = sync.Pool{New: func() any { return make(map[string]int) }}

// unique reports DUPLICATE_ID for every element whose id appeared earlier in
// the list, naming the first occurrence. Paths are rendered only for a
// violation. strs, when not nil, holds the elements of a string list.
func (r *Reporter) unique(f *fieldPlan, l protoreflect.List, strs []string) {
	var key protoreflect.FieldDescriptor
	keyName := ""
	if f.policy.UniqueBy != "." {
		key = f.fd.Message().Fields().ByName(protoreflect.Name(f.policy.UniqueBy))
		if key == nil {
			return
		}
		keyName = string(key.Name())
	}
	idAt := func(i int) string {
		if strs != nil {
			return strs[i]
		}
		if key == nil {
			return l.Get(i).String()
		}
		return l.Get(i).Message().Get(key).String()
	}
	r.uniqueIDs(f.name, keyName, l.Len(), idAt)
}

// uniqueIDs reports DUPLICATE_ID for every element i of the list field name
// (n elements, ids given by idAt) whose id appeared earlier, at
// name[i].key (name[i] when key is ""). Empty ids are skipped.
func (r *Reporter) uniqueIDs(name, key string, n int, idAt func(int) string) {
	dup := func(i, j int, id string) {
		at := Index(name, i)
		if key != "" {
			at += "." + key
		}
		r.Add(DuplicateID, at, "id %q already appears at %s", clip(id), Index(name, j))
	}
	if n <= smallUnique {
		var ids [smallUnique]string
		for i := 0; i < n; i++ {
			id := idAt(i)
			ids[i] = id
			if id == "" {
				continue
			}
			for j := 0; j < i; j++ {
				if ids[j] == id {
					dup(i, j, id)
					break
				}
			}
		}
		return
	}
	var seen map[string]int
	if n <= maxPooledUnique {
		seen = seenPool.Get().(map[string]int)
		defer func() {
			clear(seen)
			seenPool.Put(seen)
		}()
	} else {
		seen = make(map[string]int, n)
	}
	for i := 0; i < n; i++ {
		id := idAt(i)
		if id == "" {
			continue
		}
		if j, ok := seen[id]; ok {
			dup(i, j, id)
			continue
		}
		seen[id] = i
	}
}

func (r *Reporter) mapField(f *fieldPlan, mp protoreflect.Map, depth int) {
	n := mp.Len()
	if n == 0 {
		if f.required {
			r.Add(RequiredField, f.name, "%s must not be empty", f.name)
		}
		return
	}
	if n > f.maxItems {
		r.Add(TooManyItems, f.name, "%d entries, over the limit of %d", n, f.maxItems)
	}
	kfd, vfd := f.fd.MapKey(), f.fd.MapValue()
	mp.Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
		s := segment{field: f.name, index: -1}
		if kfd.Kind() == protoreflect.StringKind {
			ks := k.String()
			s.key = quote(ks)
			r.push(s)
			if ks == "" {
				r.Add(RequiredField, "", "%s has an empty key", f.name)
			} else {
				checkString(r, "", f.keyKind, ks)
			}
		} else {
			s.key = k.Value().String()
			r.push(s)
		}
		if vfd.Message() != nil {
			r.sub(f, v.Message(), depth)
		} else {
			r.scalar(f, vfd, v, "")
		}
		r.pop()
		return true
	})
}

// scalar checks one non-message value at rel (relative to the current position).
func (r *Reporter) scalar(f *fieldPlan, fd protoreflect.FieldDescriptor, v protoreflect.Value, rel string) {
	switch fd.Kind() {
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		r.checkFloat(v.Float(), fd.Kind(), f.policy.Range, rel)
	case protoreflect.EnumKind:
		n := v.Enum()
		ed := fd.Enum()
		if ed.Values().ByNumber(n) == nil {
			r.badEnum(int32(n), string(ed.FullName()), rel)
			return
		}
		if n == 0 && !f.policy.AllowUnspecified && unspecified(ed) {
			r.unspecifiedEnum(string(ed.Name()), rel)
		}
	case protoreflect.StringKind:
		checkString(r, rel, f.kind, v.String())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		if rg := f.policy.Range; rg != nil && !(float64(v.Int()) >= rg.Min && float64(v.Int()) <= rg.Max) {
			r.outOfRange(rg, strconv.FormatInt(v.Int(), 10), rel)
		}
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		if rg := f.policy.Range; rg != nil && !(float64(v.Uint()) >= rg.Min && float64(v.Uint()) <= rg.Max) {
			r.outOfRange(rg, strconv.FormatUint(v.Uint(), 10), rel)
		}
	}
}

// checkFloat checks a float or double field's value x (k says which) against
// finiteness and rg (nil for none).
func (r *Reporter) checkFloat(x float64, k protoreflect.Kind, rg *Range, rel string) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		shown := formatFloat(x, k)
		r.Add(InvalidNumber, rel, "%s is not a finite number", shown)
		// A non-finite value is outside every range, and a field with a
		// code of its own (ICD §6.2: INVALID_POSITION, INVALID_CONFIDENCE)
		// reports it too.
		if rg != nil && rg.Code != InvalidNumber {
			r.Add(rg.Code, rel, "%s is not a finite number in [%s, %s]", shown, formatBound(rg.Min), formatBound(rg.Max))
		}
		return
	}
	if rg != nil && !(x >= rg.Min && x <= rg.Max) {
		r.outOfRange(rg, formatFloat(x, k), rel)
	}
}

// badEnum reports an enum number n that is not a value of the enum full
// (unless unknown values are allowed).
func (r *Reporter) badEnum(n int32, full string, rel string) {
	if !r.allowEnums {
		r.Add(InvalidEnum, rel, "%d is not a value of %s", n, full)
	}
}

// unspecifiedEnum reports the *_UNSPECIFIED value of the enum name where a
// value is required.
func (r *Reporter) unspecifiedEnum(name string, rel string) {
	r.Add(InvalidEnum, rel, "%s is UNSPECIFIED; a value is required", name)
}

// outOfRange reports a finite value (shown as in messages) outside rg. The
// callers compare with >= and <=, so -0 is inside wherever 0 is.
func (r *Reporter) outOfRange(rg *Range, shown, rel string) {
	switch {
	case math.IsInf(rg.Max, 1):
		r.Add(rg.Code, rel, "%s is below the minimum %s", shown, formatBound(rg.Min))
	case math.IsInf(rg.Min, -1):
		r.Add(rg.Code, rel, "%s is above the maximum %s", shown, formatBound(rg.Max))
	default:
		r.Add(rg.Code, rel, "%s is outside [%s, %s]", shown, formatBound(rg.Min), formatBound(rg.Max))
	}
}

// formatFloat renders a field's value as the shortest decimal that reads
// back as the same value of the field's type: a float (float32) 1.7 is
// "1.7", not the "1.7000000476837158" of its float64 widening.
func formatFloat(x float64, k protoreflect.Kind) string {
	if k == protoreflect.FloatKind {
		return strconv.FormatFloat(x, 'g', -1, 32)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func formatBound(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// timestamp applies the cap.common.v1.Timestamp rules to the message at the
// current position.
func (r *Reporter) timestamp(m protoreflect.Message, allowFuture bool) {
	ts, ok := m.Interface().(*commonv1.Timestamp)
	if !ok {
		return
	}
	r.timestampOf(ts, allowFuture)
}

// timestampOf applies the Timestamp rules to ts at the current position.
func (r *Reporter) timestampOf(ts *commonv1.Timestamp, allowFuture bool) {
	if ts.Nanos > 999_999_999 {
		r.Add(InvalidTime, "nanos", "nanos %d is outside [0, 999999999]", ts.Nanos)
	}
	if allowFuture {
		return
	}
	limit := r.now.Add(r.skew)
	ls, ln := uint64(max(limit.Unix(), 0)), uint32(limit.Nanosecond())
	if ts.Seconds > ls || (ts.Seconds == ls && min(ts.Nanos, 999_999_999) > ln) {
		r.Add(InvalidTime, "seconds", "%d s is more than %v after now (%s)", ts.Seconds, r.skew, r.now.UTC().Format(time.RFC3339))
	}
}

// quote renders a string map key for a path.
func quote(s string) string { return strconv.Quote(s) }

// clip keeps messages short when ids are huge.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
