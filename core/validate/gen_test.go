package validate_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	_ "github.com/peat-protocol/libpeat/core" // every registration, as in libpeat
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/validate"
	"github.com/peat-protocol/libpeat/core/validate/examples"
	"github.com/peat-protocol/libpeat/core/validate/internal/gen"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// The generated validators (zz_generated.go) against the reflective walker,
// their oracle: the same report, byte for byte, on every input.

var genValidator = validate.New(validate.SystemClock{})

// sameReport validates msg both ways and fails unless the reports are equal
// and encode to the same bytes.
func sameReport(t testing.TB, what string, msg proto.Message, opts *validationv1.ValidateOptions) {
	t.Helper()
	got := genValidator.Validate(msg, opts)
	want := genValidator.ValidateReflect(msg, opts)
	if !proto.Equal(got, want) {
		i := 0
		for i < len(got.Violations) && i < len(want.Violations) && proto.Equal(got.Violations[i], want.Violations[i]) {
			i++
		}
		at := func(vs []*validationv1.Violation) any {
			if i < len(vs) {
				return vs[i]
			}
			return "(none)"
		}
		t.Fatalf("%s (%s): generated report differs from the walker's (%d and %d violations); first difference at %d:\ngenerated: %v\nwalker:    %v",
			what, msg.ProtoReflect().Descriptor().FullName(), len(got.Violations), len(want.Violations), i, at(got.Violations), at(want.Violations))
	}
	det := proto.MarshalOptions{Deterministic: true}
	a, err := det.Marshal(got)
	require.NoError(t, err)
	b, err := det.Marshal(want)
	require.NoError(t, err)
	if !bytes.Equal(a, b) {
		t.Fatalf("%s: encoded reports differ", what)
	}
}

// genICDTypes are the message types with generated validators: every ICD type.
func genICDTypes() []string {
	var out []string
	for _, n := range registry.Names() {
		if registry.IsICD(protoreflect.FullName(n)) {
			out = append(out, n)
		}
	}
	return out
}

func TestGeneratedCoversEveryICDType(t *testing.T) {
	for _, n := range genICDTypes() {
		mt, err := registry.Lookup(n)
		require.NoError(t, err)
		require.True(t, validate.HasGenerated(mt.New().Interface()), "%s has no generated validator", n)
	}
	// Project-owned types go through the walker.
	mt, err := registry.Lookup("peat.directive.v1.DeploymentDirective")
	require.NoError(t, err)
	require.False(t, validate.HasGenerated(mt.New().Interface()))
}

// TestGeneratedIsFresh: zz_generated.go is what the generator writes from
// today's plans (regenerate with go generate ./core/validate/).
func TestGeneratedIsFresh(t *testing.T) {
	src, err := gen.Generate()
	require.NoError(t, err)
	have, err := os.ReadFile("zz_generated.go")
	require.NoError(t, err)
	if !bytes.Equal(src, have) {
		t.Fatal("core/validate/zz_generated.go is stale: run go generate ./core/validate/")
	}
}

// TestGeneratedMatchesWalkerOnVectors: every input of every vector whose
// type is registered, in its format, with its options and without.
func TestGeneratedMatchesWalkerOnVectors(t *testing.T) {
	ms, err := vectors.Load()
	require.NoError(t, err)
	n := 0
	for area, m := range ms {
		for _, c := range m.Cases {
			mt, err := registry.Lookup(c.Type)
			if err != nil {
				continue
			}
			f := codec.Binary
			if c.From != "" {
				if f, err = codec.ParseFormat(c.From); err != nil {
					continue
				}
			}
			opts := examples.NowOptions()
			if c.Options != "" {
				b, err := os.ReadFile(filepath.Join(vectors.Dir(area), c.Options))
				require.NoError(t, err)
				o := &validationv1.ValidateOptions{}
				if proto.Unmarshal(b, o) == nil && validate.CheckOptions(o) == nil && o.Now != nil {
					opts = o
				}
			}
			for _, in := range c.Inputs {
				b, err := os.ReadFile(filepath.Join(vectors.Dir(area), in))
				require.NoError(t, err)
				msg, _, err := validate.Decode(mt, f, b)
				if err != nil {
					continue
				}
				sameReport(t, area+"/"+c.Name, msg, opts)
				sameReport(t, area+"/"+c.Name+" (allow enums)", msg, allowEnums(opts))
				n++
			}
		}
	}
	require.Greater(t, n, 150, "too few vector inputs decoded")
}

func allowEnums(o *validationv1.ValidateOptions) *validationv1.ValidateOptions {
	o = proto.Clone(o).(*validationv1.ValidateOptions)
	o.AllowUnknownEnumValues = true
	return o
}

func TestGeneratedMatchesWalkerOnExamples(t *testing.T) {
	opts := examples.NowOptions()
	for _, n := range examples.Types() {
		sameReport(t, "example", examples.Message(n), opts)
	}
	for _, c := range examples.Cases() {
		sameReport(t, c.Name, c.Build(), opts)
	}
	for _, n := range genICDTypes() {
		mt, _ := registry.Lookup(n)
		sameReport(t, "empty", mt.New().Interface(), opts)
	}
}

// TestGeneratedMatchesWalkerOnMutations: seeded random mutations of every
// ICD type (dropped and emptied fields, non-finite, signed-zero and
// subnormal numbers, unknown enums, invalid UTF-8 and control characters,
// over-long strings, long lists with duplicate ids, map entries, nested
// messages), each validated directly and, when it encodes, through Decode.
func TestGeneratedMatchesWalkerOnMutations(t *testing.T) {
	rounds := 300
	if testing.Short() {
		rounds = 50
	}
	for ti, n := range genICDTypes() {
		mt, _ := registry.Lookup(n)
		rng := rand.New(rand.NewPCG(uint64(ti), 0x5eed))
		for i := 0; i < rounds; i++ {
			msg := startFrom(mt, n, rng)
			mutate(rng, msg.ProtoReflect(), 0)
			checkMutant(t, mt, msg, rng)
		}
	}
}

func startFrom(mt protoreflect.MessageType, n string, rng *rand.Rand) proto.Message {
	if ex := examples.Message(n); ex != nil && rng.IntN(4) != 0 {
		return proto.Clone(ex)
	}
	return mt.New().Interface()
}

func checkMutant(t testing.TB, mt protoreflect.MessageType, msg proto.Message, rng *rand.Rand) {
	t.Helper()
	opts := examples.NowOptions()
	if rng.IntN(4) == 0 {
		opts = allowEnums(opts)
	}
	sameReport(t, "mutant", msg, opts)
	if b, err := proto.Marshal(msg); err == nil {
		if dec, _, err := validate.Decode(mt, codec.Binary, b); err == nil {
			sameReport(t, "mutant, decoded", dec, opts)
		}
	}
}

var (
	floatPool = []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0,
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, math.SmallestNonzeroFloat32,
		1, 0.5, -1, 1.0000001, 90, 90.5, -180.5, 100, 1e300, -1e-300}
	intPool = []int64{0, 1, 2, -1, 7, 100, 65535, 65536, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64}
	strPool = []string{"", "a", "b", "x", "node-1", "node-1", "\xff", "ok\xfe\xffok", "a\x00b", "\t", "line\nbreak",
		"\u0085", "\u00e9t\u00e9", `{"a":1}`, `{"a":`, "null", "/opt/peat", "/opt/../x",
		"3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
		strings.Repeat("i", 129), strings.Repeat("n", 257), strings.Repeat("t", 4097), strings.Repeat("j", 16385)}
)

func randString(rng *rand.Rand) string { return strPool[rng.IntN(len(strPool))] }

func randScalar(rng *rand.Rand, fd protoreflect.FieldDescriptor) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(floatPool[rng.IntN(len(floatPool))]))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(floatPool[rng.IntN(len(floatPool))])
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(randString(rng))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte(randString(rng)))
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(rng.IntN(2) == 0)
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		if rng.IntN(3) == 0 {
			return protoreflect.ValueOfEnum(protoreflect.EnumNumber([]int32{-1, 99, 1 << 20}[rng.IntN(3)]))
		}
		return protoreflect.ValueOfEnum(vals.Get(rng.IntN(vals.Len())).Number())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(intPool[rng.IntN(len(intPool))]))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(intPool[rng.IntN(len(intPool))])
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(intPool[rng.IntN(len(intPool))]))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(intPool[rng.IntN(len(intPool))]))
	}
	panic("kind " + fd.Kind().String())
}

// mutate changes some fields of m at random, recursing into sub-messages.
func mutate(rng *rand.Rand, m protoreflect.Message, depth int) {
	fds := m.Descriptor().Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if rng.IntN(3) != 0 {
			if fd.Message() != nil && !fd.IsMap() && !fd.IsList() && m.Has(fd) && depth < 6 && rng.IntN(2) == 0 {
				mutate(rng, m.Mutable(fd).Message(), depth+1)
			}
			continue
		}
		switch {
		case rng.IntN(5) == 0:
			m.Clear(fd)
		case fd.IsList():
			l := m.Mutable(fd).List()
			n := []int{1, 2, 5, 17, 101}[rng.IntN(5)]
			if depth > 2 {
				n = min(n, 3)
			}
			for j := 0; j < n; j++ {
				if fd.Message() != nil {
					var e protoreflect.Value
					if l.Len() > 0 && rng.IntN(3) == 0 {
						e = protoreflect.ValueOfMessage(proto.Clone(l.Get(rng.IntN(l.Len())).Message().Interface()).ProtoReflect())
					} else {
						e = l.NewElement()
						mutate(rng, e.Message(), depth+1)
					}
					l.Append(e)
				} else {
					l.Append(randScalar(rng, fd))
				}
			}
		case fd.IsMap():
			mp := m.Mutable(fd).Map()
			for j := 0; j < 1+rng.IntN(3); j++ {
				k := protoreflect.ValueOfString(randString(rng)).MapKey()
				if fd.MapValue().Message() != nil {
					v := mp.NewValue()
					mutate(rng, v.Message(), depth+1)
					mp.Set(k, v)
				} else {
					mp.Set(k, randScalar(rng, fd.MapValue()))
				}
			}
		case fd.Message() != nil:
			if depth < 6 {
				mutate(rng, m.Mutable(fd).Message(), depth+1)
			}
		default:
			m.Set(fd, randScalar(rng, fd))
		}
	}
}

// FuzzGeneratedMatchesWalker: arbitrary binary input of any ICD type,
// decoded as libpeat decodes it and then mutated with a seed taken from the
// input, must get the walker's report from the generated validators.
func FuzzGeneratedMatchesWalker(f *testing.F) {
	names := genICDTypes()
	for i, n := range names {
		if ex := examples.Message(n); ex != nil {
			b, _ := proto.Marshal(ex)
			f.Add(uint16(i), b)
		}
	}
	if ms, err := vectors.Load(); err == nil {
		for area, m := range ms {
			for _, c := range m.Cases {
				for i, n := range names {
					if n == c.Type && (c.From == "" || c.From == "binary") {
						for _, in := range c.Inputs {
							if b, err := os.ReadFile(filepath.Join(vectors.Dir(area), in)); err == nil {
								f.Add(uint16(i), b)
							}
						}
					}
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, typ uint16, data []byte) {
		mt, err := registry.Lookup(names[int(typ)%len(names)])
		require.NoError(t, err)
		msg, _, err := validate.Decode(mt, codec.Binary, data)
		if err != nil {
			return
		}
		sameReport(t, "fuzz", msg, examples.NowOptions())
		var seed [8]byte
		copy(seed[:], data)
		rng := rand.New(rand.NewPCG(binary.LittleEndian.Uint64(seed[:]), uint64(len(data))))
		mutate(rng, msg.ProtoReflect(), 0)
		checkMutant(t, mt, msg, rng)
	})
}

// TestGeneratedFallsBackWhenPlansChange: a field policy registered after
// generation changes the fingerprint of its type, so that type and every
// type reaching it go back to the walker (with the new policy) until the
// plans match again.
func TestGeneratedFallsBackWhenPlansChange(t *testing.T) {
	const field = "cap.common.v1.Position.altitude"
	state := proto.Clone(examples.Message("cap.node.v1.NodeState")).(*nodev1.NodeState)
	state.Position = &commonv1.Position{Latitude: 1, Longitude: 2, Altitude: 5}
	capability := &capabilityv1.Capability{}
	require.True(t, validate.HasGenerated(state))
	require.True(t, genValidator.Validate(state, examples.NowOptions()).Valid)

	validate.RegisterField(field, validate.FieldPolicy{Range: &validate.Range{Min: 0, Max: 1, Code: validate.InvalidNumber}})
	require.False(t, validate.HasGenerated(state), "NodeState reaches Position")
	require.True(t, validate.HasGenerated(capability), "Capability does not")
	rep := genValidator.Validate(state, examples.NowOptions())
	require.Len(t, rep.Violations, 1)
	require.Equal(t, "position.altitude", rep.Violations[0].Path)
	sameReport(t, "new policy", state, examples.NowOptions())

	validate.RegisterField(field, validate.FieldPolicy{}) // the zero policy is the table's "no entry"
	require.True(t, validate.HasGenerated(state))
	require.True(t, genValidator.Validate(state, examples.NowOptions()).Valid)
}

// BenchmarkCheck: the validation step alone (no decoding, no encoding) of
// the benchmark messages, generated validators against the walker.
func BenchmarkCheck(b *testing.B) {
	nodeConfig := func(n int) proto.Message {
		m := proto.Clone(examples.Message("cap.node.v1.NodeConfig")).(*nodev1.NodeConfig)
		m.Capabilities = nil
		for i := 0; i < n; i++ {
			m.Capabilities = append(m.Capabilities, &capabilityv1.Capability{
				Id: "cap-" + strings.Repeat("0", 3-len(strconv.Itoa(i))) + strconv.Itoa(i), Name: "EO camera",
				CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR,
				Confidence:     0.9, MetadataJson: `{"p":"xxxxxxxx"}`, RegisteredAt: m.CreatedAt,
			})
		}
		return m
	}
	cell := proto.Clone(examples.Message("cap.cell.v1.CellState")).(*cellv1.CellState)
	cell.Members = nil
	for i := 0; i < 8; i++ {
		cell.Members = append(cell.Members, "node-"+strconv.Itoa(i))
	}
	cell.LeaderId = proto.String("node-0")
	opts := examples.NowOptions()
	for _, c := range []struct {
		name string
		msg  proto.Message
	}{{"NodeConfig1", nodeConfig(1)}, {"NodeConfig100", nodeConfig(100)}, {"CellState8", cell}} {
		require.True(b, genValidator.Validate(c.msg, opts).Valid, c.name)
		b.Run(c.name+"/generated", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				genValidator.Validate(c.msg, opts)
			}
		})
		b.Run(c.name+"/walker", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				genValidator.ValidateReflect(c.msg, opts)
			}
		})
	}
}
