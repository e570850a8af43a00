package validate_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/mock/gomock"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	apiv1 "github.com/peat-protocol/libpeat/core/pb/peat/api/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/validate"
	"github.com/peat-protocol/libpeat/core/validate/examples"
)

var v = validate.New(validate.SystemClock{})

func wants(r *validationv1.ValidationReport) []examples.Want {
	out := []examples.Want{}
	for _, x := range r.Violations {
		out = append(out, examples.Want{Code: x.Code, Path: x.Path})
	}
	return out
}

func TestEveryICDTypeHasAValidExample(t *testing.T) {
	var icd []string
	for _, n := range registry.Names() {
		if registry.IsICD(protoreflect.FullName(n)) {
			icd = append(icd, n)
		}
	}
	require.Len(t, icd, 42)
	assert.Equal(t, icd, examples.Types())
	for _, n := range icd {
		r := v.Validate(examples.Message(n), examples.NowOptions())
		assert.True(t, r.Valid, "%s: %v", n, r.Violations)
		assert.Equal(t, n, r.Type)
		assert.True(t, r.Decoded)
	}
}

func TestValidateCases(t *testing.T) {
	covered := map[string]int{}
	for _, c := range examples.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			opts := c.Options
			if opts == nil {
				opts = examples.NowOptions()
			}
			r := v.Validate(c.Build(), opts)
			want := c.Want
			if want == nil {
				want = []examples.Want{}
			}
			assert.Equal(t, want, wants(r))
			assert.Equal(t, len(c.Want) == 0, r.Valid)
		})
		for _, w := range c.Want {
			covered[w.Code]++
		}
	}
	for _, code := range validate.Codes() {
		assert.GreaterOrEqual(t, covered[string(code)], 2, "code %s needs two invalid cases", code)
	}
}

func TestAllDefaultMessagesNeverPanicAndAreDeterministic(t *testing.T) {
	for _, n := range registry.Names() {
		mt, err := registry.Lookup(n)
		require.NoError(t, err)
		m := mt.New().Interface()
		a := v.Validate(m, examples.NowOptions())
		b := v.Validate(m, examples.NowOptions())
		assert.True(t, proto.Equal(a, b), n)
		assert.Equal(t, len(a.Violations) == 0, a.Valid)
	}
}

func TestViolationsSortedByPathThenCode(t *testing.T) {
	m := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	m.Id = ""
	m.Capabilities[1].Confidence = float32(math.NaN())
	m.Capabilities[1].Id = m.Capabilities[0].Id
	m.Capabilities[0].Name = "\x00"
	m.CommRangeM = -1
	r := v.Validate(m, examples.NowOptions())
	assert.Equal(t, []examples.Want{
		{Code: "INVALID_STRING", Path: "capabilities[0].name"},
		{Code: "INVALID_CONFIDENCE", Path: "capabilities[1].confidence"},
		{Code: "INVALID_NUMBER", Path: "capabilities[1].confidence"},
		{Code: "DUPLICATE_ID", Path: "capabilities[1].id"},
		{Code: "INVALID_NUMBER", Path: "comm_range_m"},
		{Code: "REQUIRED_FIELD", Path: "id"},
	}, wants(r))
}

func TestValidationDoesNotModifyInput(t *testing.T) {
	m := examples.Message("cap.cell.v1.CellState").(*cellv1.CellState)
	m.Members = append(m.Members, "", "uav-1", "x\x01")
	before := proto.Clone(m)
	v.Validate(m, examples.NowOptions())
	assert.True(t, proto.Equal(before, m))
}

func TestClockSuppliesNowUnlessOptionsDo(t *testing.T) {
	ctrl := gomock.NewController(t)
	clock := NewMockClock(ctrl)
	vc := validate.New(clock)
	m := examples.Message("cap.node.v1.NodeState").(*nodev1.NodeState)
	m.Timestamp = &commonv1.Timestamp{Seconds: examples.Now + 1000}

	clock.EXPECT().Now().Return(time.Unix(examples.Now, 0))
	r := vc.Validate(m, nil)
	assert.Equal(t, []examples.Want{{Code: "INVALID_TIMESTAMP", Path: "timestamp.seconds"}}, wants(r))

	clock.EXPECT().Now().Return(time.Unix(examples.Now+900, 0))
	assert.True(t, vc.Validate(m, &validationv1.ValidateOptions{}).Valid)

	// options.now wins: the clock is not asked (gomock fails on an unexpected call).
	r = vc.Validate(m, &validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: examples.Now + 2000}})
	assert.True(t, r.Valid)
}

func TestFutureSkewOption(t *testing.T) {
	m := examples.Message("cap.node.v1.NodeState").(*nodev1.NodeState)
	m.Timestamp = &commonv1.Timestamp{Seconds: examples.Now + 10}
	zero := uint64(0)
	opts := &validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: examples.Now}, MaxFutureSkewSeconds: &zero}
	assert.Equal(t, []examples.Want{{Code: "INVALID_TIMESTAMP", Path: "timestamp.seconds"}}, wants(v.Validate(m, opts)))
	m.Timestamp.Seconds = examples.Now
	assert.True(t, v.Validate(m, opts).Valid)
}

func TestCheckOptions(t *testing.T) {
	assert.NoError(t, validate.CheckOptions(nil))
	assert.NoError(t, validate.CheckOptions(examples.NowOptions()))
	assert.Error(t, validate.CheckOptions(&validationv1.ValidateOptions{Now: &commonv1.Timestamp{Nanos: 1e9}}))
	assert.Error(t, validate.CheckOptions(&validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: math.MaxUint64}}))
	huge := uint64(math.MaxUint64)
	assert.Error(t, validate.CheckOptions(&validationv1.ValidateOptions{MaxFutureSkewSeconds: &huge}))
}

func TestTopLevelTimestamp(t *testing.T) {
	r := v.Validate(&commonv1.Timestamp{Seconds: examples.Now + 301, Nanos: 1e9}, examples.NowOptions())
	assert.Equal(t, []examples.Want{{Code: "INVALID_TIMESTAMP", Path: "nanos"}, {Code: "INVALID_TIMESTAMP", Path: "seconds"}}, wants(r))
}

func TestRegisterRulesAppliesToProjectOwnedTypes(t *testing.T) {
	// peat.api.v1.Error stands in for a project-owned message here.
	validate.RegisterRules("peat.api.v1.Error", func(msg proto.Message, r *validate.Reporter) {
		if e := msg.(*apiv1.Error); e.Status < 0 {
			r.Add(validate.InvalidNumber, "status", "negative status %d", e.Status)
		}
	})
	r := v.Validate(&apiv1.Error{Status: -1, Code: "x\x02"}, examples.NowOptions())
	assert.Equal(t, []examples.Want{{Code: "INVALID_STRING", Path: "code"}, {Code: "INVALID_NUMBER", Path: "status"}}, wants(r))
	assert.True(t, v.Validate(&apiv1.Error{Status: 3}, examples.NowOptions()).Valid)
}

func TestRegisterFieldPolicy(t *testing.T) {
	validate.RegisterField("peat.validation.v1.ValidateOptions.now", validate.FieldPolicy{AllowFuture: true})
	o := &validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: examples.Now + 1e6}}
	assert.True(t, v.Validate(o, examples.NowOptions()).Valid)
	validate.RegisterField("peat.validation.v1.ValidateOptions.now", validate.FieldPolicy{Required: true})
	assert.Equal(t, []examples.Want{{Code: "REQUIRED_FIELD", Path: "now"}}, wants(v.Validate(&validationv1.ValidateOptions{}, examples.NowOptions())))
	validate.RegisterField("peat.validation.v1.ValidateOptions.now", validate.FieldPolicy{})
}

func TestPathHelpers(t *testing.T) {
	assert.Equal(t, "members[2]", validate.Index("members", 2))
	assert.Equal(t, `metadata["a\"b"]`, validate.Key("metadata", `a"b`))
	assert.Equal(t, "a.b", validate.Join("a", "b"))
	assert.Equal(t, "a[1]", validate.Join("a", "[1]"))
	assert.Equal(t, "b", validate.Join("", "b"))
	assert.Equal(t, "a", validate.Join("a", ""))
}

func TestStringKinds(t *testing.T) {
	assert.True(t, validate.KindID.Disallowed('\n'))
	assert.False(t, validate.KindText.Disallowed('\n'))
	assert.True(t, validate.KindText.Disallowed(0x85))
	assert.True(t, validate.KindText.Disallowed(0x7f))
	assert.False(t, validate.KindID.Disallowed('é'))
	for _, k := range []validate.StringKind{validate.KindID, validate.KindName, validate.KindText, validate.KindJSON,
		validate.KindMetadataKey, validate.KindMetadataValue} {
		assert.Positive(t, k.MaxLen())
		assert.NotEqual(t, "auto", k.String())
	}
	fd := (&nodev1.NodeConfig{}).ProtoReflect().Descriptor().Fields().ByName("platform_type")
	kind, _ := validate.KindsOf(fd)
	assert.Equal(t, validate.KindName, kind)
	fd = (&commonv1.Metadata{}).ProtoReflect().Descriptor().Fields().ByName("fields")
	kind, key := validate.KindsOf(fd)
	assert.Equal(t, validate.KindMetadataValue, kind)
	assert.Equal(t, validate.KindMetadataKey, key)
}

// DUPLICATE_ID names each repeated id's first occurrence, the same way for
// short lists (compared pairwise) and long ones (a map): checked against a
// naive oracle on lists of 0–40 ids drawn from a few values, "" included.
func TestDuplicateIDsShortAndLongLists(t *testing.T) {
	pool := []string{"", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"}
	for n := 0; n <= 40; n++ {
		for round := 0; round < 5; round++ {
			ids := make([]string, n)
			for i := range ids {
				ids[i] = pool[(i*7+round*13+i*i*round)%(len(pool)-round*4)]
			}
			var want []*validationv1.Violation
			for i, id := range ids {
				if id == "" {
					continue
				}
				for j := 0; j < i; j++ {
					if ids[j] == id {
						want = append(want, &validationv1.Violation{Code: "DUPLICATE_ID", Path: validate.Index("members", i),
							Message: "id \"" + id + "\" already appears at " + validate.Index("members", j)})
						break
					}
				}
			}
			r := v.Validate(&cellv1.CellState{Members: ids, Timestamp: &commonv1.Timestamp{Seconds: 1}}, examples.NowOptions())
			var got []*validationv1.Violation
			for _, x := range r.Violations {
				if x.Code == "DUPLICATE_ID" {
					got = append(got, x)
				}
			}
			want = validate.Sort(want)
			require.Equal(t, len(want), len(got), "n=%d round=%d ids=%q", n, round, ids)
			for i := range want {
				assert.True(t, proto.Equal(want[i], got[i]), "n=%d: want %v, got %v", n, want[i], got[i])
			}
		}
	}
}
