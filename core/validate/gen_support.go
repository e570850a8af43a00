package validate

import (
	"sync/atomic"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/validate/internal/genplan"
)

// Generated validators (zz_generated.go, written by `go generate` with
// ./gen from the same plans the reflective walker uses). Each does for its
// message type exactly what (*Reporter).message does, reading the Go
// struct's fields directly. A generated function is used only while the
// live plans of its type and of every type it reaches have the fingerprint
// it was generated from (a RegisterField after generation makes those
// types fall back to the walker); the type's rules are always the live ones.

//go:generate go run ./gen -o zz_generated.go

// genType describes one generated validator.
type genType struct {
	desc        protoreflect.MessageDescriptor
	fingerprint string
	deps        []int // the generated types it reaches, itself included
}

// genState is what the generated validators read at run time: which of them
// may be used, and each type's registered rules.
type genState struct {
	ok    []bool
	rules [][]Rule
}

var (
	genCur   atomic.Pointer[genState]
	genEpoch atomic.Uint64
)

func init() { genplan.Plan = describePlan }

// resetGen drops the generated validators' state; mu is held.
func resetGen() {
	genEpoch.Add(1)
	genCur.Store(nil)
}

// currentGen returns the state for the current plans, building it on first use.
func currentGen() *genState {
	if s := genCur.Load(); s != nil {
		return s
	}
	epoch := genEpoch.Load()
	fp := make([]bool, len(genTypes))
	s := &genState{ok: make([]bool, len(genTypes)), rules: make([][]Rule, len(genTypes))}
	for i, t := range genTypes {
		fp[i] = genplan.Fingerprint(t.desc, describePlan(t.desc)) == t.fingerprint
		s.rules[i] = planFor(t.desc).rules
	}
	for i, t := range genTypes {
		s.ok[i] = true
		for _, d := range t.deps {
			s.ok[i] = s.ok[i] && fp[d]
		}
	}
	mu.Lock()
	if genEpoch.Load() == epoch {
		genCur.Store(s)
	}
	mu.Unlock()
	return s
}

// describePlan returns the live plan of md as data for the generator.
func describePlan(md protoreflect.MessageDescriptor) []genplan.Field {
	p := planFor(md)
	out := make([]genplan.Field, len(p.fields))
	for i := range p.fields {
		f := &p.fields[i]
		g := genplan.Field{
			FD: f.fd, Name: f.name,
			PolicyRequired: f.policy.Required, Optional: f.policy.Optional, PolicyKind: uint8(f.policy.Kind),
			AllowUnspecified: f.policy.AllowUnspecified, AllowFuture: f.policy.AllowFuture,
			PolicyMaxItems: f.policy.MaxItems, UniqueBy: f.policy.UniqueBy,
			Kind: uint8(f.kind), KeyKind: uint8(f.keyKind), MaxItems: f.maxItems,
			Timestamp: f.timestamp, SizeLimit: f.sizeLimit, Required: f.required, NonEmpty: f.nonEmpty,
		}
		if rg := f.policy.Range; rg != nil {
			g.Range = &genplan.Range{Min: rg.Min, Max: rg.Max, Code: string(rg.Code)}
		}
		out[i] = g
	}
	return out
}

// The generator asks the validator which enums have an *_UNSPECIFIED zero.
func init() { genplan.Unspecified = unspecified }
