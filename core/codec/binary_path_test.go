package codec

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	rolev1 "github.com/peat-protocol/libpeat/core/pb/cap/role/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// TestBinaryPathIsProtobufGo pins what the binary codec does on the inputs
// where vtprotobuf's generated code behaves differently (docs/PERFORMANCE.md,
// "vtprotobuf"; the differential test is vtproto_test.go, -tags
// peat_vtproto). Each expectation is protobuf-go's behaviour, written out
// as bytes, so a switch of Encode/Decode to generated code fails here even
// when it is built with the generated methods present.
func TestBinaryPathIsProtobufGo(t *testing.T) {
	t.Run("-0.0 in a proto3 float is written", func(t *testing.T) {
		out, err := Encode(&nodev1.NodeConfig{CommRangeM: float32(math.Copysign(0, -1))}, Binary)
		require.NoError(t, err)
		assert.Equal(t, []byte{0x25, 0x00, 0x00, 0x00, 0x80}, out)
	})
	t.Run("map entries sorted by key", func(t *testing.T) {
		m := &rolev1.RoleAssignmentRequest{PreferredRoles: map[string]rolev1.CellRole{"n3": 1, "n1": 1, "n2": 1}}
		out, err := Encode(m, Binary)
		require.NoError(t, err)
		entry := func(k byte) []byte { return []byte{0x1a, 0x06, 0x0a, 0x02, 'n', k, 0x10, 0x01} }
		assert.Equal(t, append(append(entry('1'), entry('2')...), entry('3')...), out)
	})
	t.Run("invalid UTF-8 is not written", func(t *testing.T) {
		_, err := Encode(&commonv1.Uuid{Value: "\xff"}, Binary)
		assert.Equal(t, status.Encode, status.Of(err))
	})
	convert := func(typ string, in []byte) ([]byte, error) {
		m, err := Decode(typ, Binary, in)
		if err != nil {
			return nil, err
		}
		return Encode(m, Binary)
	}
	kept := []struct {
		name, typ string
		in, out   []byte
	}{
		{"a known field with another wire type is kept as unknown", "cap.node.v1.NodeConfig",
			[]byte{0x08, 0x01}, []byte{0x08, 0x01}},
		{"an unknown field's overlong tag is rewritten minimally", "cap.node.v1.NodeConfig",
			[]byte{0xc0, 0xbe, 0x00, 0x00}, []byte{0xc0, 0x3e, 0x00}},
		{"a map entry's key of another wire type is skipped", "cap.capability.v1.CapabilityQuery",
			[]byte{0x1a, 0x05, 0x08, 0x05, 0x12, 0x01, 'b', 0x0a, 0x03, 'a', 'b', 'c'},
			[]byte{0x0a, 0x03, 'a', 'b', 'c', 0x1a, 0x05, 0x0a, 0x00, 0x12, 0x01, 'b'}},
	}
	for _, c := range kept {
		t.Run(c.name, func(t *testing.T) {
			out, err := convert(c.typ, c.in)
			require.NoError(t, err)
			assert.Equal(t, c.out, out)
		})
	}
	refused := []struct {
		name, typ string
		in        []byte
	}{
		{"invalid UTF-8 in a string", "cap.common.v1.Uuid", []byte{0x0a, 0x01, 0xff}},
		{"a 10-byte varint over 64 bits", "cap.common.v1.Timestamp", []byte{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}},
		{"field number 2^29", "cap.node.v1.NodeConfig", []byte{0x80, 0x80, 0x80, 0x80, 0x10, 0x00}},
		{"a group closed by another field's end marker", "cap.node.v1.NodeConfig", []byte{0xc3, 0x3e, 0xcc, 0x3e}},
		{"a packed varint running past its field", "cap.beacon.v1.BeaconQuery", []byte{0x12, 0x01, 0x80, 0x01}},
		{"a map entry's value running past the entry", "cap.capability.v1.CapabilityQuery", []byte{0x1a, 0x03, 0x0a, 0x05, 'a', 0x0a, 0x03, 'a', 'b', 'c'}},
	}
	for _, c := range refused {
		t.Run(c.name+" is refused", func(t *testing.T) {
			_, err := Decode(c.typ, Binary, c.in)
			assert.Equal(t, status.Decode, status.Of(err), "%v", err)
		})
	}
}
