package core_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	rolev1 "github.com/peat-protocol/libpeat/core/pb/cap/role/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/compat"
	newerpb "github.com/peat-protocol/libpeat/internal/compat/pb/newer"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// icdTypes returns the 42 ICD message types, sorted.
func icdTypes(t *testing.T) []protoreflect.MessageType {
	var out []protoreflect.MessageType
	for _, n := range registry.Names() {
		if registry.IsICD(protoreflect.FullName(n)) {
			mt, err := registry.Lookup(n)
			require.NoError(t, err)
			out = append(out, mt)
		}
	}
	require.Len(t, out, 42)
	return out
}

// convert runs core.Convert and requires success.
func convert(t *testing.T, typ string, from, to codec.Format, in []byte) []byte {
	t.Helper()
	out, err := core.Convert(typ, from, to, in)
	require.NoError(t, err, "%s %v->%v", typ, from, to)
	return out
}

func okCase(s *vectors.Set, name, typ, from, to, in, out, note string) {
	s.Add(vectors.Case{Name: name, Op: "convert", Type: typ, From: from, To: to, Inputs: []string{in},
		Expect: vectors.Expect{Status: "OK", Output: out}, Note: note})
}

func TestConvertVectors(t *testing.T) {
	s := vectors.NewSet("convert")
	populatedCases(t, s)
	evolutionCases(t, s)
	referenceCases(t, s)
	badInputCases(t, s)
	s.Sync(t)
}

// populatedCases: every ICD type, every field set, in all three formats.
func populatedCases(t *testing.T, s *vectors.Set) {
	for _, mt := range icdTypes(t) {
		name := string(mt.Descriptor().FullName())
		msg := mt.New()
		compat.Populate(msg)
		bin := wire(t, msg.Interface())

		js := convert(t, name, codec.Binary, codec.JSON, bin)
		back := mt.New().Interface()
		require.NoError(t, protojson.Unmarshal(js, back), name)
		require.True(t, proto.Equal(msg.Interface(), back), "%s: proto3 JSON must hold the whole message", name)

		rj := convert(t, name, codec.Binary, codec.RustJSON, bin)
		checkRustJSON(t, msg, rj)

		require.Equal(t, bin, convert(t, name, codec.JSON, codec.Binary, js), name)
		require.Equal(t, bin, convert(t, name, codec.RustJSON, codec.Binary, rj), name)

		b := s.File("populated/"+name+".bin", bin)
		j := s.File("populated/"+name+".json", js)
		r := s.File("populated/"+name+".rust.json", rj)
		note := "every field set"
		okCase(s, name+"/binary-to-json", name, "binary", "json", b, j, note)
		okCase(s, name+"/json-to-binary", name, "json", "binary", j, b, note)
		okCase(s, name+"/binary-to-rust-json", name, "binary", "rust-json", b, r, note)
		okCase(s, name+"/rust-json-to-binary", name, "rust-json", "binary", r, b, note)
	}
}

// evolutionCases: messages as a newer minor version sends them.
func evolutionCases(t *testing.T, s *vectors.Set) {
	withText := map[string]bool{"cap.node.v1.Node": true, "cap.cell.v1.CellState": true,
		"cap.role.v1.RoleAssignmentRequest": true, "cap.capability.v1.Capability": true}
	for _, mt := range icdTypes(t) {
		name := string(mt.Descriptor().FullName())
		msg := mt.New()
		compat.Populate(msg)
		compat.Evolve(msg)
		bin := wire(t, msg.Interface())
		require.True(t, bytes.HasSuffix(bin, compat.UnknownFields()), "%s: unknown fields follow the known ones", name)

		out := convert(t, name, codec.Binary, codec.Binary, bin)
		require.Equal(t, bin, out, "%s: unknown fields and enum values survive binary->binary", name)
		b := s.File("evolved/"+name+".bin", bin)
		okCase(s, name+"/evolved-binary-to-binary", name, "binary", "binary", b, b,
			"newer minor version: unknown fields (100-104, nested too) and enum value 99 kept byte for byte")

		if withText[name] {
			// Text forms keep unknown enum numbers but cannot carry unknown fields.
			known := proto.Clone(msg.Interface())
			dropUnknown(known.ProtoReflect())
			js := convert(t, name, codec.Binary, codec.JSON, bin)
			back := mt.New().Interface()
			require.NoError(t, protojson.Unmarshal(js, back))
			require.True(t, proto.Equal(known, back), name)
			rj := convert(t, name, codec.Binary, codec.RustJSON, bin)
			checkRustJSON(t, known.ProtoReflect(), rj)
			require.Contains(t, string(rj), ":99")
			okCase(s, name+"/evolved-binary-to-json", name, "binary", "json", b,
				s.File("evolved/"+name+".json", js), "unknown enum 99 as a number; unknown fields dropped")
			okCase(s, name+"/evolved-binary-to-rust-json", name, "binary", "rust-json", b,
				s.File("evolved/"+name+".rust.json", rj), "unknown enum 99 kept; unknown fields dropped")
		}
	}

	// A real v1.1 schema (tests/compat/proto/compat/newer) encoding a Node.
	v11 := newerNode()
	bin := wire(t, v11)
	require.Equal(t, bin, convert(t, "cap.node.v1.Node", codec.Binary, codec.Binary, bin))
	b := s.File("evolved/v1.1-node.bin", bin)
	okCase(s, "cap.node.v1.Node/v1.1-binary-to-binary", "cap.node.v1.Node", "binary", "binary", b, b,
		"written by a v1.1 schema (new fields callsign, tags, endurance_h, battery_pct, sensors; health MAINTENANCE=5): kept byte for byte")
	rj := convert(t, "cap.node.v1.Node", codec.Binary, codec.RustJSON, bin)
	assert.Contains(t, string(rj), `"health":5`)
	assert.NotContains(t, string(rj), "callsign")
	okCase(s, "cap.node.v1.Node/v1.1-binary-to-rust-json", "cap.node.v1.Node", "binary", "rust-json", b,
		s.File("evolved/v1.1-node.rust.json", rj), "v1 view of a v1.1 message: new fields dropped, new enum value kept as 5")
}

func newerNode() *newerpb.Node {
	return &newerpb.Node{
		Config: &newerpb.NodeConfig{
			Id: "uav-7", PlatformType: "quadrotor", CommRangeM: 1500, MaxSpeedMps: 22.5,
			Capabilities: []*capabilityv1.Capability{{Id: "cam-1", Name: "EO", CapabilityType: 1, Confidence: 0.9,
				RegisteredAt: &commonv1.Timestamp{Seconds: 1_700_000_000}}},
			CreatedAt: &commonv1.Timestamp{Seconds: 1_700_000_000},
			Callsign:  "RAVEN-1", Tags: []string{"night", "eo"}, EnduranceH: proto.Float64(2.5),
		},
		State: &newerpb.NodeState{
			Position:    &commonv1.Position{Latitude: 37.7749, Longitude: -122.4194, Altitude: 10},
			FuelMinutes: 90, Health: newerpb.HealthStatus_HEALTH_STATUS_MAINTENANCE, Phase: nodev1.Phase_PHASE_CELL,
			CellId: proto.String("cell-1"), Timestamp: &commonv1.Timestamp{Seconds: 1_700_000_100},
			BatteryPct: proto.Float32(0), Sensors: []*newerpb.SensorStatus{{Id: "eo", Ok: true}},
		},
	}
}

func dropUnknown(m protoreflect.Message) {
	m.SetUnknown(nil)
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap() && fd.MapValue().Message() != nil:
			v.Map().Range(func(_ protoreflect.MapKey, v protoreflect.Value) bool { dropUnknown(v.Message()); return true })
		case fd.IsList() && fd.Message() != nil:
			for i := 0; i < v.List().Len(); i++ {
				dropUnknown(v.List().Get(i).Message())
			}
		case !fd.IsMap() && !fd.IsList() && fd.Message() != nil:
			dropUnknown(v.Message())
		}
		return true
	})
}

// referenceCases are written out by hand from the reference's documented
// output (peat-semantics §5.2: serde_json on prost structs), with the binary
// built field by field, so they do not depend on libpeat's encoders.
func referenceCases(t *testing.T, s *vectors.Set) {
	cases := []struct {
		name string
		msg  proto.Message
		text string
	}{
		{"capability", &capabilityv1.Capability{Id: "cam-1", Name: "EO camera", CapabilityType: 1, Confidence: 0.9,
			RegisteredAt: &commonv1.Timestamp{Seconds: 1_700_000_000, Nanos: 0}},
			`{"id":"cam-1","name":"EO camera","capability_type":1,"confidence":0.9,"metadata_json":"",` +
				`"registered_at":{"seconds":1700000000,"nanos":0}}`},
		// NodeState::new((37.7749, -122.4194, 10.0)) of the reference, timestamp stripped.
		{"node-state-new", &nodev1.NodeState{Position: &commonv1.Position{Latitude: 37.7749, Longitude: -122.4194, Altitude: 10},
			FuelMinutes: 120, Health: 1, Phase: 1},
			`{"position":{"latitude":37.7749,"longitude":-122.4194,"altitude":10.0},"fuel_minutes":120,"health":1,` +
				`"phase":1,"cell_id":null,"zone_id":null,"timestamp":null}`},
		// NodeConfig::new defaults: comm_range_m 1000.0, max_speed_mps 10.0, no binding.
		{"node-config-new", &nodev1.NodeConfig{Id: "6f1c2a4e-9b3d-4c8e-a1f2-3b4c5d6e7f80", PlatformType: "UAV", CommRangeM: 1000, MaxSpeedMps: 10},
			`{"id":"6f1c2a4e-9b3d-4c8e-a1f2-3b4c5d6e7f80","platform_type":"UAV","capabilities":[],"comm_range_m":1000.0,` +
				`"max_speed_mps":10.0,"operator_binding":null,"created_at":null}`},
		{"timestamp-u64-max", &commonv1.Timestamp{Seconds: math.MaxUint64, Nanos: 999_999_999},
			`{"seconds":18446744073709551615,"nanos":999999999}`},
		{"role-request-enum-map", &rolev1.RoleAssignmentRequest{CellId: "c1", NodeIds: []string{"n1", "n2"},
			PreferredRoles: map[string]rolev1.CellRole{"n1": 2, "n2": 999}},
			`{"cell_id":"c1","node_ids":["n1","n2"],"preferred_roles":{"n1":2,"n2":999},"requested_at":null}`},
		{"float-text", &capabilityv1.ResourceStatus{ComputeUtilization: 0.1, MemoryUtilization: -2, PowerLevel: 1e-7,
			StorageUtilization: 1e13, BandwidthUtilization: 0.000001},
			`{"compute_utilization":0.1,"memory_utilization":-2.0,"power_level":1e-7,"storage_utilization":1e13,` +
				`"bandwidth_utilization":0.000001,"extra_json":""}`},
		{"escapes", &commonv1.Uuid{Value: "a\"b\\c\n\u0001 é ✓ </>"}, `{"value":"a\"b\\c\n\u0001 é ✓ </>"}`},
	}
	for _, c := range cases {
		typ := string(c.msg.ProtoReflect().Descriptor().FullName())
		bin := wire(t, c.msg)
		require.Equal(t, c.text, string(convert(t, typ, codec.Binary, codec.RustJSON, bin)), c.name)
		require.Equal(t, bin, convert(t, typ, codec.RustJSON, codec.Binary, []byte(c.text)), c.name)
		b := s.File("reference/"+c.name+".bin", bin)
		r := s.File("reference/"+c.name+".rust.json", []byte(c.text))
		okCase(s, "reference/"+c.name+"/rust-json-to-binary", typ, "rust-json", "binary", r, b,
			"the reference's documented JSON converts to its binary encoding")
		okCase(s, "reference/"+c.name+"/binary-to-rust-json", typ, "binary", "rust-json", b, r,
			"and back, byte for byte")
	}
	// Reference JSON with keys in another order, whitespace and unknown keys
	// (a newer reference version) still converts.
	loose := "{ \"nanos\": 5,\n  \"added_later\": {\"x\": [1, null]},\n  \"seconds\": 1700000000 }"
	want := wire(t, &commonv1.Timestamp{Seconds: 1_700_000_000, Nanos: 5})
	require.Equal(t, want, convert(t, "cap.common.v1.Timestamp", codec.RustJSON, codec.Binary, []byte(loose)))
	okCase(s, "reference/timestamp-loose/rust-json-to-binary", "cap.common.v1.Timestamp", "rust-json", "binary",
		s.File("reference/timestamp-loose.rust.json", []byte(loose)), s.File("reference/timestamp-loose.bin", want),
		"any key order, whitespace, unknown keys ignored")
}

func badCase(t *testing.T, s *vectors.Set, name, typ, from, to string, in []byte, want status.Status, code, note string) {
	t.Helper()
	_, err := core.Convert(typ, mustFormat(t, from), mustFormat(t, to), in)
	e := status.From(err)
	require.NotNil(t, e, "%s must fail", name)
	require.Equal(t, want, e.Status, "%s: %v", name, err)
	if code == "" {
		code = want.Name()
	}
	require.Equal(t, code, e.Code, "%s: %v", name, err)
	s.Add(vectors.Case{Name: "bad/" + name, Op: "convert", Type: typ, From: from, To: to,
		Inputs: []string{s.File("bad/"+name+".in", in)}, Expect: vectors.Expect{Status: want.Name(), Code: code}, Note: note})
}

func mustFormat(t *testing.T, s string) codec.Format {
	f, err := codec.ParseFormat(s)
	require.NoError(t, err)
	return f
}

func badInputCases(t *testing.T, s *vectors.Set) {
	cfg := compat.Populated(&nodev1.NodeConfig{})
	bin := wire(t, cfg)
	require.Error(t, proto.Unmarshal(bin[:len(bin)-3], &nodev1.NodeConfig{}))
	rj := convert(t, "cap.node.v1.NodeConfig", codec.Binary, codec.RustJSON, bin)
	nc := "cap.node.v1.NodeConfig"

	badCase(t, s, "truncated-binary", nc, "binary", "json", bin[:len(bin)-3], status.Decode, "", "last field cut short")
	badCase(t, s, "garbage-binary", nc, "binary", "json", []byte{0xff, 0xff, 0xff, 0xff, 0xff}, status.Decode, "", "")
	badCase(t, s, "unknown-type", "cap.node.v1.NodeConfigX", "binary", "json", bin, status.UnknownType, "", "")
	badCase(t, s, "empty-type-name", "", "binary", "json", bin, status.UnknownType, "", "")
	badCase(t, s, "map-entry-type", "cap.role.v1.RoleAssignmentRequest.PreferredRolesEntry", "binary", "json", nil,
		status.UnknownType, "", "map entries are not message types of their own")
	badCase(t, s, "empty-json", nc, "json", "binary", nil, status.Decode, "", "empty input is not a JSON document")
	badCase(t, s, "empty-rust-json", nc, "rust-json", "binary", nil, status.Decode, "", "")
	badCase(t, s, "rust-json-empty-object", nc, "rust-json", "binary", []byte(`{}`), status.Decode, "MISSING_FIELD",
		"the reference requires every non-optional key")
	missing := bytes.Replace(rj, []byte(`"platform_type":`), []byte(`"platformType":`), 1)
	require.NotEqual(t, rj, missing)
	badCase(t, s, "rust-json-camel-case-key", nc, "rust-json", "binary", missing, status.Decode, "MISSING_FIELD",
		"camelCase keys are unknown, so platform_type is missing")
	badCase(t, s, "rust-json-enum-name", "cap.capability.v1.Capability", "rust-json", "binary",
		[]byte(`{"id":"a","name":"b","capability_type":"CAPABILITY_TYPE_SENSOR","confidence":0.5,"metadata_json":""}`),
		status.Decode, "INVALID_TYPE", "enums are numbers")
	badCase(t, s, "rust-json-negative-u64", "cap.common.v1.Timestamp", "rust-json", "binary",
		[]byte(`{"seconds":-1,"nanos":0}`), status.Decode, "OUT_OF_RANGE", "")
	badCase(t, s, "rust-json-u64-as-string", "cap.common.v1.Timestamp", "rust-json", "binary",
		[]byte(`{"seconds":"1","nanos":0}`), status.Decode, "INVALID_TYPE", "64-bit integers are bare numbers")
	badCase(t, s, "rust-json-null-float", "cap.common.v1.Confidence", "rust-json", "binary",
		[]byte(`{"value":null}`), status.Decode, "INVALID_TYPE", "null (the reference's NaN) cannot be read back")
	badCase(t, s, "rust-json-duplicate-key", "cap.common.v1.Uuid", "rust-json", "binary",
		[]byte(`{"value":"a","value":"b"}`), status.Decode, "DUPLICATE_FIELD", "")
	badCase(t, s, "json-invalid-utf8", "cap.common.v1.Uuid", "json", "binary", []byte("{\"value\":\"\xff\"}"),
		status.Decode, "INVALID_UTF8", "")
	badCase(t, s, "rust-json-invalid-utf8", "cap.common.v1.Uuid", "rust-json", "binary", []byte("{\"value\":\"\xff\"}"),
		status.Decode, "INVALID_UTF8", "")
	badCase(t, s, "binary-invalid-utf8", "cap.common.v1.Uuid", "binary", "json", []byte{0x0a, 0x01, 0xff},
		status.Decode, "INVALID_UTF8", "")
	badCase(t, s, "oversize-binary", "cap.beacon.v1.Beacon", "binary", "json", make([]byte, 10*1024+1),
		status.TooLarge, "", "ICD §3.3: Beacon is limited to 10 KiB, refused before decoding")
	big := append([]byte(`{"node_id":"`), bytes.Repeat([]byte("a"), 4*10*1024)...)
	badCase(t, s, "oversize-rust-json", "cap.beacon.v1.Beacon", "rust-json", "binary", append(big, `"}`...),
		status.TooLarge, "", "JSON text may be 4x the binary limit")
	nan := wire(t, &nodev1.NodeConfig{Id: "n", CommRangeM: float32(math.NaN())})
	badCase(t, s, "nan-to-rust-json", nc, "binary", "rust-json", nan, status.Encode, "NON_FINITE_FLOAT",
		"the reference would write null and could not read it back")
	// proto3 JSON can carry NaN.
	js := convert(t, nc, codec.Binary, codec.JSON, nan)
	assert.Contains(t, string(js), `"commRangeM":"NaN"`)
	okCase(s, "nan-to-json", nc, "binary", "json", s.File("bad/nan.bin", nan), s.File("bad/nan.json", js),
		"proto3 JSON writes NaN as the string \"NaN\"")
	// An empty binary message is the default message: valid, not an error.
	out := convert(t, nc, codec.Binary, codec.RustJSON, nil)
	require.Equal(t, `{"id":"","platform_type":"","capabilities":[],"comm_range_m":0.0,"max_speed_mps":0.0,"operator_binding":null,"created_at":null}`, string(out))
	okCase(s, "empty-binary-to-rust-json", nc, "binary", "rust-json", s.File("bad/empty.bin", nil),
		s.File("bad/empty.rust.json", out), "zero bytes are the all-defaults message")
}

// checkRustJSON verifies rust-json output against the message with a plain
// JSON parser: key order, nulls, numbers, texts -- independently of the codec.
func checkRustJSON(t *testing.T, m protoreflect.Message, data []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v := readOrdered(t, dec)
	checkMessage(t, m, v, string(m.Descriptor().FullName()))
}

type object struct {
	keys []string
	vals map[string]any
}

func readOrdered(t *testing.T, dec *json.Decoder) any {
	tok, err := dec.Token()
	require.NoError(t, err)
	switch tok {
	case json.Delim('{'):
		o := object{vals: map[string]any{}}
		for dec.More() {
			k, err := dec.Token()
			require.NoError(t, err)
			o.keys = append(o.keys, k.(string))
			o.vals[k.(string)] = readOrdered(t, dec)
		}
		_, err := dec.Token()
		require.NoError(t, err)
		return o
	case json.Delim('['):
		var a []any
		for dec.More() {
			a = append(a, readOrdered(t, dec))
		}
		_, err := dec.Token()
		require.NoError(t, err)
		return a
	}
	return tok
}

func checkMessage(t *testing.T, m protoreflect.Message, v any, path string) {
	o, ok := v.(object)
	require.True(t, ok, "%s: want an object, got %v", path, v)
	var want []string
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		want = append(want, string(fields.Get(i).Name()))
	}
	require.Equal(t, want, o.keys, "%s: every field, in declaration order", path)
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		p := path + "." + string(fd.Name())
		got := o.vals[string(fd.Name())]
		switch {
		case fd.IsMap():
			obj := got.(object)
			require.Equal(t, m.Get(fd).Map().Len(), len(obj.keys), p)
			m.Get(fd).Map().Range(func(k protoreflect.MapKey, val protoreflect.Value) bool {
				checkValue(t, fd.MapValue(), val, obj.vals[k.String()], p+"["+k.String()+"]")
				return true
			})
		case fd.IsList():
			arr, _ := got.([]any)
			require.Equal(t, m.Get(fd).List().Len(), len(arr), p)
			for j := range arr {
				checkValue(t, fd, m.Get(fd).List().Get(j), arr[j], fmt.Sprintf("%s[%d]", p, j))
			}
		case fd.HasPresence() && !m.Has(fd):
			require.Nil(t, got, "%s: unset is null", p)
		default:
			checkValue(t, fd, m.Get(fd), got, p)
		}
	}
}

func checkValue(t *testing.T, fd protoreflect.FieldDescriptor, want protoreflect.Value, got any, p string) {
	switch fd.Kind() {
	case protoreflect.MessageKind:
		checkMessage(t, want.Message(), got, p)
	case protoreflect.StringKind:
		require.Equal(t, want.String(), got, p)
	case protoreflect.BoolKind:
		require.Equal(t, want.Bool(), got, p)
	case protoreflect.EnumKind:
		require.Equal(t, json.Number(strconv.Itoa(int(want.Enum()))), got, "%s: enums are numbers", p)
	case protoreflect.Uint32Kind, protoreflect.Uint64Kind, protoreflect.Fixed32Kind, protoreflect.Fixed64Kind:
		require.Equal(t, json.Number(strconv.FormatUint(want.Uint(), 10)), got, "%s: exact bare integer", p)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		n, ok := got.(json.Number)
		require.True(t, ok, "%s: floats are numbers", p)
		require.Regexp(t, `[.e]`, string(n), "%s: serde_json always writes a '.' or an exponent", p)
		f, err := strconv.ParseFloat(string(n), 64)
		require.NoError(t, err)
		if fd.Kind() == protoreflect.FloatKind {
			require.Equal(t, float32(want.Float()), float32(f), p)
		} else {
			require.Equal(t, want.Float(), f, p)
		}
	default:
		t.Fatalf("%s: kind %v not in the ICD", p, fd.Kind())
	}
}

// The unknown-field bytes used by the evolution vectors are well formed.
func TestUnknownFieldFixture(t *testing.T) {
	b := compat.UnknownFields()
	var nums []protowire.Number
	for len(b) > 0 {
		n, typ, l := protowire.ConsumeTag(b)
		require.Greater(t, l, 0)
		b = b[l:]
		l = protowire.ConsumeFieldValue(n, typ, b)
		require.Greater(t, l, 0)
		b = b[l:]
		nums = append(nums, n)
	}
	assert.Equal(t, []protowire.Number{100, 101, 102, 103, 104}, nums)
}
