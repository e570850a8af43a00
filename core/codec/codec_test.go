package codec

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	rolev1 "github.com/peat-protocol/libpeat/core/pb/cap/role/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

func sampleNodeConfig() *nodev1.NodeConfig {
	return &nodev1.NodeConfig{
		Id: "uav-7", PlatformType: "quadrotor", CommRangeM: 1500, MaxSpeedMps: 22.5,
		Capabilities: []*capabilityv1.Capability{{
			Id: "cam-1", Name: "EO camera", CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR,
			Confidence: 0.9, RegisteredAt: &commonv1.Timestamp{Seconds: 1_700_000_000, Nanos: 5},
		}},
		CreatedAt: &commonv1.Timestamp{Seconds: 1_700_000_000},
	}
}

func TestRoundTripAllFormats(t *testing.T) {
	msg := sampleNodeConfig()
	bin, err := Encode(msg, Binary)
	require.NoError(t, err)
	js, err := Convert("cap.node.v1.NodeConfig", Binary, JSON, bin)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"platformType":"quadrotor"`)
	assert.NotContains(t, string(js), "\": ", "JSON output is compact")
	assert.NotContains(t, string(js), "\n")
	back, err := Convert("cap.node.v1.NodeConfig", JSON, Binary, js)
	require.NoError(t, err)
	assert.Equal(t, bin, back)
}

func TestDeterministicMapOrder(t *testing.T) {
	m := &rolev1.RoleAssignmentRequest{CellId: "c", PreferredRoles: map[string]rolev1.CellRole{}}
	for _, k := range []string{"n9", "n1", "n5", "n3", "n7", "n2"} {
		m.PreferredRoles[k] = rolev1.CellRole_CELL_ROLE_SENSOR
	}
	first, err := Encode(m, Binary)
	require.NoError(t, err)
	for i := 0; i < 50; i++ {
		again, err := Encode(proto.Clone(m), Binary)
		require.NoError(t, err)
		require.Equal(t, first, again)
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name string
		typ  string
		f    Format
		in   []byte
		want status.Status
	}{
		{"unknown type", "cap.node.v1.Nope", Binary, nil, status.UnknownType},
		{"bad format", "cap.node.v1.NodeConfig", Format(9), nil, status.InvalidArgument},
		{"truncated", "cap.node.v1.NodeConfig", Binary, []byte{0x0a, 0x05, 'a'}, status.Decode},
		{"garbage", "cap.node.v1.NodeConfig", Binary, []byte{0xff, 0xff, 0xff, 0xff, 0xff}, status.Decode},
		{"bad json", "cap.node.v1.NodeConfig", JSON, []byte(`{"id":`), status.Decode},
		{"json wrong type", "cap.node.v1.NodeConfig", JSON, []byte(`{"id":5}`), status.Decode},
		{"json not utf8", "cap.node.v1.NodeConfig", JSON, []byte("{\"id\":\"\xff\"}"), status.Decode},
		{"binary not utf8", "cap.node.v1.NodeConfig", Binary, []byte{0x0a, 0x01, 0xff}, status.Decode},
		{"oversize beacon", "cap.beacon.v1.Beacon", Binary, make([]byte, 10*1024+1), status.TooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.typ, c.f, c.in)
			require.Error(t, err)
			assert.Equal(t, c.want, status.Of(err), err.Error())
		})
	}
	_, err := Decode("cap.node.v1.NodeConfig", Binary, []byte{0x0a, 0x01, 0xff})
	assert.Equal(t, "INVALID_UTF8", status.From(err).Code)
}

func TestDeepNestingIsRefused(t *testing.T) {
	// No ICD message is recursive, but unknown groups can nest without end.
	// 5,000 nested unknown groups must not exhaust the stack; protobuf-go
	// skips them iteratively, so they are kept as unknown bytes.
	var b []byte
	for i := 0; i < 5000; i++ {
		b = append(b, 0x7b) // field 15, start group
	}
	for i := 0; i < 5000; i++ {
		b = append(b, 0x7c) // field 15, end group
	}
	m, err := Decode("cap.node.v1.Node", Binary, b)
	require.NoError(t, err)
	out, err := Encode(m, Binary)
	require.NoError(t, err)
	assert.Equal(t, b, out)
}

func TestJSONLimitIsCheckedOnDecodedSizeToo(t *testing.T) {
	// 11 KiB of name in JSON is under 4x the beacon limit but the decoded
	// message is over 10 KiB: refused.
	js := `{"nodeId":"` + strings.Repeat("a", 11*1024) + `"}`
	_, err := Decode("cap.beacon.v1.Beacon", JSON, []byte(js))
	assert.Equal(t, status.TooLarge, status.Of(err))
}

func TestNaNSurvivesBinaryAndJSON(t *testing.T) {
	m := &commonv1.Position{Latitude: math.NaN(), Longitude: math.Inf(1)}
	js, err := Encode(m, JSON)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"NaN"`)
	back, err := Decode("cap.common.v1.Position", JSON, js)
	require.NoError(t, err)
	assert.True(t, math.IsNaN(back.(*commonv1.Position).Latitude))
}

// Any message built from random field values survives binary -> JSON -> binary.
func TestPropertyJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &nodev1.NodeState{
			Position:    &commonv1.Position{Latitude: rapid.Float64Range(-90, 90).Draw(t, "lat"), Longitude: rapid.Float64Range(-180, 180).Draw(t, "lon")},
			FuelMinutes: rapid.Uint32().Draw(t, "fuel"),
			Health:      nodev1.HealthStatus(rapid.Int32Range(0, 4).Draw(t, "health")),
			Timestamp:   &commonv1.Timestamp{Seconds: rapid.Uint64().Draw(t, "s"), Nanos: rapid.Uint32Range(0, 999999999).Draw(t, "n")},
		}
		if rapid.Bool().Draw(t, "cell") {
			c := rapid.StringMatching(`[a-z0-9-]{0,12}`).Draw(t, "cellid")
			m.CellId = &c
		}
		bin, err := Encode(m, Binary)
		if err != nil {
			t.Fatal(err)
		}
		js, err := Convert("cap.node.v1.NodeState", Binary, JSON, bin)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Convert("cap.node.v1.NodeState", JSON, Binary, js)
		if err != nil {
			t.Fatal(err)
		}
		if string(back) != string(bin) {
			t.Fatalf("round trip changed bytes: %x != %x (json %s)", back, bin, js)
		}
	})
}
