package rustjson

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	rolev1 "github.com/peat-protocol/libpeat/core/pb/cap/role/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/compat"
)

func marshal(t *testing.T, m proto.Message) string {
	t.Helper()
	b, err := Marshal(m)
	require.NoError(t, err)
	return string(b)
}

// The shapes below are written out by hand from the reference's documented
// behaviour (peat-semantics §5.2), not produced by this code.
func TestMarshalMatchesReferenceShapes(t *testing.T) {
	c := &capabilityv1.Capability{Id: "cam-1", Name: "EO camera", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR,
		Confidence: 0.9, RegisteredAt: &commonv1.Timestamp{Seconds: 1_700_000_000, Nanos: 5}}
	assert.Equal(t, `{"id":"cam-1","name":"EO camera","capability_type":1,"confidence":0.9,"metadata_json":"",`+
		`"registered_at":{"seconds":1700000000,"nanos":5}}`, marshal(t, c))

	// Defaults are written, unset messages and optionals are null.
	assert.Equal(t, `{"id":"","platform_type":"","capabilities":[],"comm_range_m":0.0,"max_speed_mps":0.0,`+
		`"operator_binding":null,"created_at":null}`, marshal(t, &nodev1.NodeConfig{}))
	assert.Equal(t, `{"position":{"latitude":37.7749,"longitude":-122.4194,"altitude":10.0},"fuel_minutes":120,`+
		`"health":1,"phase":1,"cell_id":null,"zone_id":"","timestamp":null}`,
		marshal(t, &nodev1.NodeState{Position: &commonv1.Position{Latitude: 37.7749, Longitude: -122.4194, Altitude: 10},
			FuelMinutes: 120, Health: nodev1.HealthStatus_HEALTH_STATUS_NOMINAL, Phase: nodev1.Phase_PHASE_DISCOVERY,
			ZoneId: proto.String("")}))

	// u64::MAX is a bare number.
	assert.Equal(t, `{"seconds":18446744073709551615,"nanos":999999999}`,
		marshal(t, &commonv1.Timestamp{Seconds: math.MaxUint64, Nanos: 999_999_999}))

	// map<string, enum> values are integers; keys sorted for determinism.
	r := &rolev1.RoleAssignmentRequest{CellId: "c", PreferredRoles: map[string]rolev1.CellRole{"n2": 2, "n1": 1, "n10": 999}}
	assert.Equal(t, `{"cell_id":"c","node_ids":[],"preferred_roles":{"n1":1,"n10":999,"n2":2},"requested_at":null}`, marshal(t, r))
}

func TestFloatText(t *testing.T) {
	cases := []struct {
		f    float64
		bits int
		want string
	}{
		{float64(float32(0.1)), 32, "0.1"}, {0.1, 64, "0.1"}, {-2, 64, "-2.0"}, {0, 64, "0.0"},
		{math.Copysign(0, -1), 64, "-0.0"}, {1e-7, 64, "1e-7"}, {float64(float32(1e-7)), 32, "1e-7"},
		{1e-5, 64, "0.00001"}, {1e-6, 64, "1e-6"}, {float64(float32(1e-6)), 32, "0.000001"},
		{1e15, 64, "1000000000000000.0"}, {1e16, 64, "1e16"}, {1.5e300, 64, "1.5e300"},
		{1e12, 32, "1000000000000.0"}, {1e13, 32, "1e13"}, {float64(float32(3.4e38)), 32, "3.4e38"},
		{123456789.125, 64, "123456789.125"}, {5e-324, 64, "5e-324"},
		{math.MaxFloat64, 64, "1.7976931348623157e308"}, {22.5, 32, "22.5"}, {1500, 32, "1500.0"},
		{0.0001234, 64, "0.0001234"}, {1.234e-5, 64, "0.00001234"}, {12.34e20, 64, "1.234e21"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, string(AppendFloat(nil, c.f, c.bits)), "%v (f%d)", c.f, c.bits)
	}
}

func TestFloatTextRoundTripsExactly(t *testing.T) {
	// Every finite bit pattern sampled must read back identically.
	x := uint64(0x9E3779B97F4A7C15)
	for i := 0; i < 200000; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		f := math.Float64frombits(x)
		if !math.IsNaN(f) && !math.IsInf(f, 0) {
			got, err := strconv.ParseFloat(string(AppendFloat(nil, f, 64)), 64)
			require.NoError(t, err)
			require.Equal(t, math.Float64bits(f), math.Float64bits(got))
		}
		f32 := math.Float32frombits(uint32(x >> 32))
		if !math.IsNaN(float64(f32)) && !math.IsInf(float64(f32), 0) {
			got, err := strconv.ParseFloat(string(AppendFloat(nil, float64(f32), 32)), 64)
			require.NoError(t, err)
			require.Equal(t, math.Float32bits(f32), math.Float32bits(float32(got)))
		}
	}
}

func TestNonFiniteFloatsAreRefused(t *testing.T) {
	for _, f := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		_, err := Marshal(&nodev1.NodeConfig{Capabilities: []*capabilityv1.Capability{{}, {Confidence: f}}})
		e := status.From(err)
		require.NotNil(t, e)
		assert.Equal(t, status.Encode, e.Status)
		assert.Equal(t, "NON_FINITE_FLOAT", e.Code)
		assert.Equal(t, "capabilities[1].confidence", e.Path)
	}
}

func TestInvalidUTF8IsRefusedOnWrite(t *testing.T) {
	_, err := Marshal(&nodev1.NodeConfig{Id: "a\xffb"})
	assert.Equal(t, "INVALID_UTF8", status.From(err).Code)
}

func TestStringEscapingLikeSerdeJSON(t *testing.T) {
	got := marshal(t, &commonv1.Uuid{Value: "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f é ✓ \u2028 <&>"})
	assert.Equal(t, `{"value":"q\"b\\s/\b\f\n\r\t\u0001\u001f`+"\x7f é ✓ \u2028 <&>"+`"}`, got)
	var back commonv1.Uuid
	require.NoError(t, Unmarshal([]byte(got), &back))
	assert.Equal(t, "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f é ✓ \u2028 <&>", back.Value)
}

func TestEveryICDTypeRoundTrips(t *testing.T) {
	n := 0
	for _, name := range registry.Names() {
		if !registry.IsICD(protoreflect.FullName(name)) {
			continue
		}
		n++
		mt, err := registry.Lookup(name)
		require.NoError(t, err)
		for _, msg := range []proto.Message{mt.New().Interface(), populated(mt)} {
			b, err := Marshal(msg)
			require.NoError(t, err, name)
			back := mt.New().Interface()
			require.NoError(t, Unmarshal(b, back), "%s: %s", name, b)
			assert.True(t, proto.Equal(msg, back), "%s: %s", name, b)
			again, err := Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(again))
		}
	}
	assert.Equal(t, 42, n)
}

func populated(mt protoreflect.MessageType) proto.Message {
	m := mt.New()
	compat.Populate(m)
	return m.Interface()
}

func TestUnmarshalAcceptsWhatTheReferenceAccepts(t *testing.T) {
	var c capabilityv1.Capability
	// Unknown keys (any JSON) ignored, null for a message, integer for a float,
	// whitespace anywhere, escapes in keys.
	in := ` { "id" : "x", "n\u0061me":"n", "capability_type": 999, "confidence": 1,
	  "future": {"a":[1,2.5e3,{"b":null}],"c":"\u00e9"}, "metadata_json":"", "registered_at": null } `
	require.NoError(t, Unmarshal([]byte(in), &c))
	assert.Equal(t, "x", c.Id)
	assert.Equal(t, "n", c.Name)
	assert.Equal(t, capabilityv1.CapabilityType(999), c.CapabilityType, "unknown enum numbers are kept")
	assert.Equal(t, float32(1), c.Confidence)
	assert.Nil(t, c.RegisteredAt)

	// Optional and message keys may be missing; null leaves them unset.
	var s nodev1.NodeState
	require.NoError(t, Unmarshal([]byte(`{"fuel_minutes":1,"health":0,"phase":0,"zone_id":null}`), &s))
	assert.Nil(t, s.ZoneId)
	assert.Nil(t, s.Position)

	// u64::MAX exactly.
	var ts commonv1.Timestamp
	require.NoError(t, Unmarshal([]byte(`{"seconds":18446744073709551615,"nanos":0}`), &ts))
	assert.Equal(t, uint64(math.MaxUint64), ts.Seconds)
}

func TestUnmarshalIsStrictWhereTheReferenceIsStrict(t *testing.T) {
	cases := []struct {
		name, typ, in, code, path string
	}{
		{"empty object", "cap.common.v1.Timestamp", `{}`, "MISSING_FIELD", "seconds"},
		{"missing nanos", "cap.common.v1.Timestamp", `{"seconds":1}`, "MISSING_FIELD", "nanos"},
		{"nested missing", "cap.capability.v1.Capability",
			`{"id":"","name":"","capability_type":0,"confidence":0.0,"metadata_json":"","registered_at":{"seconds":1}}`,
			"MISSING_FIELD", "registered_at.nanos"},
		{"in list", "cap.capability.v1.CapabilityResponse", `{"capabilities":[{"id":"a"}],"total_count":1}`,
			"MISSING_FIELD", "capabilities[0].name"},
		{"camelCase key is unknown", "cap.cell.v1.CellConfig", `{"id":"c","maxSize":1,"min_size":1,"created_at":null}`,
			"MISSING_FIELD", "max_size"},
		{"missing repeated", "cap.capability.v1.CapabilityResponse", `{"total_count":1}`, "MISSING_FIELD", "capabilities"},
		{"missing map", "cap.common.v1.Metadata", `{}`, "MISSING_FIELD", "fields"},
		{"enum name", "cap.capability.v1.Capability",
			`{"id":"","name":"","capability_type":"CAPABILITY_TYPE_SENSOR","confidence":0.0,"metadata_json":""}`,
			"INVALID_TYPE", "capability_type"},
		{"u64 negative", "cap.common.v1.Timestamp", `{"seconds":-1,"nanos":0}`, "OUT_OF_RANGE", "seconds"},
		{"u64 too big", "cap.common.v1.Timestamp", `{"seconds":18446744073709551616,"nanos":0}`, "OUT_OF_RANGE", "seconds"},
		{"u64 as float", "cap.common.v1.Timestamp", `{"seconds":1.0,"nanos":0}`, "INVALID_TYPE", "seconds"},
		{"u64 exponent", "cap.common.v1.Timestamp", `{"seconds":1e3,"nanos":0}`, "INVALID_TYPE", "seconds"},
		{"u64 as string", "cap.common.v1.Timestamp", `{"seconds":"1","nanos":0}`, "INVALID_TYPE", "seconds"},
		{"u32 overflow", "cap.common.v1.Timestamp", `{"seconds":1,"nanos":4294967296}`, "OUT_OF_RANGE", "nanos"},
		{"enum overflow", "cap.node.v1.Operator",
			`{"id":"","name":"","rank":2147483648,"authority_level":0,"mos":"","metadata_json":""}`, "OUT_OF_RANGE", "rank"},
		{"timestamp as RFC 3339", "cap.node.v1.NodeConfig",
			`{"id":"","platform_type":"","capabilities":[],"comm_range_m":0,"max_speed_mps":0,"created_at":"2024-01-01T00:00:00Z"}`,
			"INVALID_TYPE", "created_at"},
		{"null float", "cap.common.v1.Confidence", `{"value":null}`, "INVALID_TYPE", "value"},
		{"NaN literal", "cap.common.v1.Confidence", `{"value":NaN}`, "INVALID_TYPE", "value"},
		{"f32 overflow", "cap.common.v1.Confidence", `{"value":1e39}`, "OUT_OF_RANGE", "value"},
		{"f64 overflow", "cap.common.v1.Position", `{"latitude":1e309,"longitude":0,"altitude":0}`, "OUT_OF_RANGE", "latitude"},
		{"null string", "cap.common.v1.Uuid", `{"value":null}`, "INVALID_TYPE", "value"},
		{"null list", "cap.capability.v1.CapabilityResponse", `{"capabilities":null,"total_count":1}`, "INVALID_TYPE", "capabilities"},
		{"null list item", "cap.capability.v1.CapabilityResponse", `{"capabilities":[null],"total_count":1}`, "INVALID_TYPE", "capabilities[0]"},
		{"null map value", "cap.common.v1.Metadata", `{"fields":{"k":null}}`, "INVALID_TYPE", `fields["k"]`},
		{"duplicate key", "cap.common.v1.Uuid", `{"value":"a","value":"b"}`, "DUPLICATE_FIELD", ""},
		{"bool as int", "cap.zone.v1.ZoneStats",
			`{"zone_id":"","cell_count":0,"total_nodes":0,"unique_capability_count":0,"is_valid":1,"is_full":false}`,
			"INVALID_TYPE", "is_valid"},
		{"top-level array", "cap.common.v1.Uuid", `[]`, "INVALID_TYPE", ""},
		{"empty input", "cap.common.v1.Uuid", ``, "DECODE_ERROR", ""},
		{"only whitespace", "cap.common.v1.Uuid", " \n", "DECODE_ERROR", ""},
		{"truncated value", "cap.common.v1.Uuid", `{"value":`, "DECODE_ERROR", "value"},
		{"trailing data", "cap.common.v1.Uuid", `{"value":"a"} x`, "DECODE_ERROR", ""},
		{"trailing comma", "cap.common.v1.Uuid", `{"value":"a",}`, "DECODE_ERROR", ""},
		{"unterminated", "cap.common.v1.Uuid", `{"value":"a`, "DECODE_ERROR", "value"},
		{"raw control char", "cap.common.v1.Uuid", "{\"value\":\"a\x01\"}", "DECODE_ERROR", "value"},
		{"lone surrogate", "cap.common.v1.Uuid", `{"value":"\ud800"}`, "DECODE_ERROR", "value"},
		{"bad escape", "cap.common.v1.Uuid", `{"value":"\x41"}`, "DECODE_ERROR", "value"},
		{"invalid utf8", "cap.common.v1.Uuid", "{\"value\":\"\xff\"}", "INVALID_UTF8", "value"},
		{"leading zero", "cap.common.v1.Timestamp", `{"seconds":01,"nanos":0}`, "DECODE_ERROR", ""},
		{"plus sign", "cap.common.v1.Timestamp", `{"seconds":+1,"nanos":0}`, "INVALID_TYPE", "seconds"},
		{"comment", "cap.common.v1.Uuid", `{"value":"a"/* c */}`, "DECODE_ERROR", ""},
		{"too deep", "cap.common.v1.Uuid", `{"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `,"value":""}`,
			"NESTING_TOO_DEEP", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mt, err := registry.Lookup(c.typ)
			require.NoError(t, err)
			err = Unmarshal([]byte(c.in), mt.New().Interface())
			e := status.From(err)
			require.NotNil(t, e, "accepted %s", c.in)
			assert.Equal(t, status.Decode, e.Status)
			assert.Equal(t, c.code, e.Code, e.Message)
			assert.Equal(t, c.path, e.Path, e.Message)
		})
	}
}

func TestMissingFieldMessageNamesKeyAndType(t *testing.T) {
	err := Unmarshal([]byte(`{"seconds":1}`), &commonv1.Timestamp{})
	assert.EqualError(t, err, "MISSING_FIELD: rust-json: missing field `nanos` in cap.common.v1.Timestamp (at nanos)")
}

// kinds is a message with the field kinds the ICD does not use (bytes, signed
// and fixed integers, int/bool map keys, a oneof), built at test time.
func kinds(t *testing.T) protoreflect.MessageDescriptor {
	t.Helper()
	opt := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL
	rep := descriptorpb.FieldDescriptorProto_LABEL_REPEATED
	field := func(name string, num int32, typ descriptorpb.FieldDescriptorProto_Type, label descriptorpb.FieldDescriptorProto_Label) *descriptorpb.FieldDescriptorProto {
		return &descriptorpb.FieldDescriptorProto{Name: proto.String(name), Number: proto.Int32(num), Type: typ.Enum(), Label: label.Enum(),
			JsonName: proto.String(name)}
	}
	msgField := func(name string, num int32, typeName string, label descriptorpb.FieldDescriptorProto_Label) *descriptorpb.FieldDescriptorProto {
		f := field(name, num, descriptorpb.FieldDescriptorProto_TYPE_MESSAGE, label)
		f.TypeName = proto.String(typeName)
		return f
	}
	inOneof := func(f *descriptorpb.FieldDescriptorProto, i int32) *descriptorpb.FieldDescriptorProto {
		f.OneofIndex = proto.Int32(i)
		return f
	}
	entry := func(name string, k, v descriptorpb.FieldDescriptorProto_Type) *descriptorpb.DescriptorProto {
		return &descriptorpb.DescriptorProto{Name: proto.String(name), Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
			Field: []*descriptorpb.FieldDescriptorProto{field("key", 1, k, opt), field("value", 2, v, opt)}}
	}
	T := descriptorpb.FieldDescriptorProto_TYPE_BYTES
	fd := &descriptorpb.FileDescriptorProto{
		Name: proto.String("rustjson_test/kinds.proto"), Package: proto.String("rustjsontest"), Syntax: proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			{Name: proto.String("Sub"), Field: []*descriptorpb.FieldDescriptorProto{field("value", 1, descriptorpb.FieldDescriptorProto_TYPE_UINT64, opt)}},
			{
				Name: proto.String("Kinds"),
				Field: []*descriptorpb.FieldDescriptorProto{
					// Declared first, written last.
					inOneof(field("node_id", 1, descriptorpb.FieldDescriptorProto_TYPE_STRING, opt), 0),
					inOneof(msgField("sub", 5, ".rustjsontest.Sub", opt), 0),
					inOneof(field("data_base64", 9, descriptorpb.FieldDescriptorProto_TYPE_BOOL, opt), 0),
					field("blob", 2, T, opt),
					field("i32", 3, descriptorpb.FieldDescriptorProto_TYPE_SINT32, opt),
					field("i64", 4, descriptorpb.FieldDescriptorProto_TYPE_SFIXED64, opt),
					msgField("by_num", 6, ".rustjsontest.Kinds.ByNumEntry", rep),
					msgField("flags", 7, ".rustjsontest.Kinds.FlagsEntry", rep),
					field("blobs", 8, T, rep),
					field("f32", 10, descriptorpb.FieldDescriptorProto_TYPE_FIXED32, opt),
				},
				NestedType: []*descriptorpb.DescriptorProto{
					entry("ByNumEntry", descriptorpb.FieldDescriptorProto_TYPE_INT32, descriptorpb.FieldDescriptorProto_TYPE_STRING),
					entry("FlagsEntry", descriptorpb.FieldDescriptorProto_TYPE_BOOL, descriptorpb.FieldDescriptorProto_TYPE_INT64),
				},
				OneofDecl: []*descriptorpb.OneofDescriptorProto{{Name: proto.String("target")}},
			},
		},
	}
	file, err := protodesc.NewFile(fd, nil)
	require.NoError(t, err)
	return file.Messages().ByName("Kinds")
}

func TestOtherFieldKinds(t *testing.T) {
	md := kinds(t)
	m := dynamicpb.NewMessage(md)
	in := `{"blob":[0,1,255],"i32":-5,"i64":-9223372036854775808,"by_num":{"-2":"b","10":"c","3":"a"},` +
		`"flags":{"true":1,"false":-1},"blobs":[[],[7]],"f32":4294967295,"target":{"Sub":{"value":9}}}`
	require.NoError(t, Unmarshal([]byte(in), m))
	out := marshal(t, m)
	// Oneof last, keyed by the PascalCase variant; int keys sorted numerically.
	assert.Equal(t, `{"blob":[0,1,255],"i32":-5,"i64":-9223372036854775808,"by_num":{"-2":"b","3":"a","10":"c"},`+
		`"flags":{"false":-1,"true":1},"blobs":[[],[7]],"f32":4294967295,"target":{"Sub":{"value":9}}}`, out)

	require.NoError(t, Unmarshal([]byte(strings.Replace(in, `{"Sub":{"value":9}}`, `{"DataBase64":true}`, 1)), m))
	assert.Contains(t, marshal(t, m), `"target":{"DataBase64":true}`)
	require.NoError(t, Unmarshal([]byte(strings.Replace(in, `,"target":{"Sub":{"value":9}}`, ``, 1)), m), "oneof may be missing")
	assert.Contains(t, marshal(t, m), `"target":null`)

	bad := map[string]string{
		`{"NodeId":"a","Sub":{"value":1}}`: "INVALID_TYPE",
		`{"node_id":"a"}`:                  "UNKNOWN_VARIANT",
		`{}`:                               "INVALID_TYPE",
		`"NodeId"`:                         "INVALID_TYPE",
	}
	for oneof, code := range bad {
		err := Unmarshal([]byte(strings.Replace(in, `{"Sub":{"value":9}}`, oneof, 1)), m)
		assert.Equal(t, code, status.From(err).Code, oneof)
	}
	for _, blob := range []string{`[256]`, `[-1]`, `"AAE="`, `[1.0]`} {
		err := Unmarshal([]byte(strings.Replace(in, `[0,1,255]`, blob, 1)), m)
		assert.Error(t, err, blob)
	}
	for _, key := range []string{`"x"`, `"+1"`, `"1.0"`, `"2147483648"`} {
		err := Unmarshal([]byte(strings.Replace(in, `"-2"`, key, 1)), m)
		assert.Equal(t, "INVALID_TYPE", status.From(err).Code, key)
	}
}

func BenchmarkMarshalNodeConfig(b *testing.B) {
	m := compat.Populated(&nodev1.NodeConfig{})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalNodeConfig(b *testing.B) {
	data, err := Marshal(compat.Populated(&nodev1.NodeConfig{}))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := Unmarshal(data, &nodev1.NodeConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}
