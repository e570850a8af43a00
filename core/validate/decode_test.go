package validate_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/codec"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	rolev1 "github.com/peat-protocol/libpeat/core/pb/cap/role/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/core/validate"
	"github.com/peat-protocol/libpeat/core/validate/examples"
)

// corrupt encodes m and replaces every marker (which must occur) by bad bytes
// of the same length, so every length prefix stays right.
func corrupt(t *testing.T, m proto.Message, marker, bad string) []byte {
	t.Helper()
	require.Len(t, bad, len(marker))
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	require.NoError(t, err)
	require.True(t, bytes.Contains(b, []byte(marker)))
	return bytes.ReplaceAll(b, []byte(marker), []byte(bad))
}

func TestInvalidUTF8IsReportedAtItsPath(t *testing.T) {
	nc := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	nc.Capabilities[1].Name = "MARK"
	md := &commonv1.Metadata{Fields: map[string]string{"KEYM": "v", "k": "VALM"}}
	rr := examples.Message("cap.role.v1.RoleAssignmentResponse").(*rolev1.RoleAssignmentResponse)
	rr.ScoringDetails["uav-1"].CalculationMethod = "CALC"
	cases := []struct {
		typ   string
		data  []byte
		paths []string
	}{
		{"cap.node.v1.NodeConfig", corrupt(t, nc, "MARK", "M\xffRK"), []string{"capabilities[1].name"}},
		{"cap.common.v1.Metadata", corrupt(t, md, "KEYM", "K\xfe\xffM"), []string{"fields[\"K\uFFFDM\"]"}},
		{"cap.common.v1.Metadata", corrupt(t, md, "VALM", "VA\xc3M"), []string{`fields["k"]`}},
		{"cap.role.v1.RoleAssignmentResponse", corrupt(t, rr, "CALC", "\xe2\x82CA"), []string{`scoring_details["uav-1"].calculation_method`}},
	}
	for _, c := range cases {
		mt, err := registry.Lookup(c.typ)
		require.NoError(t, err)
		// The plain codec refuses the input...
		_, err = codec.Decode(c.typ, codec.Binary, c.data)
		require.Equal(t, "INVALID_UTF8", status.From(err).Code)
		// ...the validator reports where the bad string is.
		rep, err := v.ValidateBytes(mt, codec.Binary, c.data, examples.NowOptions())
		require.NoError(t, err, c.typ)
		var got []string
		for _, x := range rep.Violations {
			assert.Equal(t, "INVALID_STRING", x.Code)
			got = append(got, x.Path)
		}
		assert.Equal(t, c.paths, got, c.typ)
		assert.False(t, rep.Valid)
	}
}

func TestInvalidUTF8PlusOtherViolations(t *testing.T) {
	nc := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	nc.Capabilities[0].Name = "MARK"
	nc.Capabilities[0].Confidence = 7
	nc.PlatformType = ""
	mt, _ := registry.Lookup("cap.node.v1.NodeConfig")
	rep, err := v.ValidateBytes(mt, codec.Binary, corrupt(t, nc, "MARK", "\xffARK"), examples.NowOptions())
	require.NoError(t, err)
	assert.Equal(t, []examples.Want{
		{Code: "INVALID_CONFIDENCE", Path: "capabilities[0].confidence"},
		{Code: "INVALID_STRING", Path: "capabilities[0].name"},
		{Code: "REQUIRED_FIELD", Path: "platform_type"},
	}, wants(rep))
}

func TestUndecodableInputIsAnError(t *testing.T) {
	mt, _ := registry.Lookup("cap.node.v1.NodeConfig")
	good, _ := proto.Marshal(examples.Message("cap.node.v1.NodeConfig"))
	nc := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	nc.Id = "MARK"
	badUTF8AndTruncated := corrupt(t, nc, "MARK", "\xff\xff\xff\xff")
	badUTF8AndTruncated = badUTF8AndTruncated[:len(badUTF8AndTruncated)-3]
	cases := []struct {
		name   string
		format codec.Format
		data   []byte
		code   string
	}{
		{"truncated", codec.Binary, good[:len(good)-5], "DECODE_ERROR"},
		{"garbage", codec.Binary, []byte{0xff, 0xff, 0xff, 0xff, 0xff}, "DECODE_ERROR"},
		{"bad utf8 and truncated", codec.Binary, badUTF8AndTruncated, "INVALID_UTF8"},
		{"oversize", codec.Binary, make([]byte, 50*1024+1), "MESSAGE_TOO_LARGE"},
		{"json not utf8", codec.JSON, []byte("{\"id\":\"\xff\"}"), "INVALID_UTF8"},
		{"json syntax", codec.JSON, []byte(`{"id":`), "DECODE_ERROR"},
		{"bad format", codec.Format(9), good, "INVALID_ARGUMENT"},
	}
	for _, c := range cases {
		_, err := v.ValidateBytes(mt, c.format, c.data, nil)
		require.Error(t, err, c.name)
		assert.Equal(t, c.code, status.From(err).Code, c.name)
	}
	// Empty binary input is a valid encoding of the empty message: it decodes.
	rep, err := v.ValidateBytes(mt, codec.Binary, nil, examples.NowOptions())
	require.NoError(t, err)
	assert.Equal(t, []examples.Want{{Code: "REQUIRED_FIELD", Path: "id"}, {Code: "REQUIRED_FIELD", Path: "platform_type"}}, wants(rep))
}

func TestRepairUTF8RejectsMalformedWire(t *testing.T) {
	md := (&nodev1.NodeConfig{}).ProtoReflect().Descriptor()
	_, _, err := validate.RepairUTF8(md, []byte{0x0a, 0x05, 'a'})
	assert.Error(t, err)
	out, paths, err := validate.RepairUTF8(md, []byte{0x0a, 0x01, 'a', 0xf8, 0x01, 0x07})
	require.NoError(t, err)
	assert.Empty(t, paths)
	assert.Equal(t, []byte{0x0a, 0x01, 'a', 0xf8, 0x01, 0x07}, out, "unknown fields are copied")
}

func TestUndecodableReport(t *testing.T) {
	r := validate.Undecodable("cap.node.v1.NodeConfig", status.Errorf(status.Decode, "bad").AtPath("x"))
	assert.False(t, r.Valid)
	assert.False(t, r.Decoded)
	assert.Equal(t, []examples.Want{{Code: "DECODE_ERROR", Path: "x"}}, wants(r))
}
