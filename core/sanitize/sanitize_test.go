package sanitize_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"google.golang.org/protobuf/proto"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	rolev1 "github.com/peat-protocol/libpeat/core/pb/cap/role/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/sanitize"
	"github.com/peat-protocol/libpeat/core/validate"
	"github.com/peat-protocol/libpeat/core/validate/examples"
)

type change struct{ Path, Code string }

func changes(cs []*validationv1.SanitizeChange) []change {
	out := []change{}
	for _, c := range cs {
		out = append(out, change{c.Path, c.Code})
	}
	return out
}

func TestStripsControlCharactersByKind(t *testing.T) {
	in := &capabilityv1.Capability{Id: "cap\x00-1", Name: "EO\x1bcamera\u0085", MetadataJson: "{\n\t\"a\": 1\r\n}\x7f"}
	before := proto.Clone(in)
	out, cs := sanitize.Message(in)
	assert.True(t, proto.Equal(before, in), "input must not change")
	c := out.(*capabilityv1.Capability)
	assert.Equal(t, "cap-1", c.Id)
	assert.Equal(t, "EOcamera", c.Name)
	assert.Equal(t, "{\n\t\"a\": 1\r\n}", c.MetadataJson, "JSON keeps its line breaks")
	assert.Equal(t, []change{
		{"id", sanitize.ControlCharsRemoved},
		{"metadata_json", sanitize.ControlCharsRemoved},
		{"name", sanitize.ControlCharsRemoved},
	}, changes(cs))
}

func TestNormalisesMetadata(t *testing.T) {
	in := &commonv1.Metadata{Fields: map[string]string{
		" unit ": " 1-7\x07 ", // trimmed key collides with "unit" below, which was clean: dropped
		"unit":   "2-7",
		"\t":     "x",        // empty after trimming: dropped
		"b\x01c": "ok",       // control stripped from key
		"d":      "v\nw\x02", // value keeps LF, loses U+0002
	}}
	out, cs := sanitize.Message(in)
	assert.Equal(t, map[string]string{"unit": "2-7", "bc": "ok", "d": "v\nw"}, out.(*commonv1.Metadata).Fields)
	assert.Equal(t, []change{
		{`fields[" unit "]`, sanitize.ControlCharsRemoved},
		{`fields[" unit "]`, sanitize.MetadataEntryDropped},
		{`fields[" unit "]`, sanitize.WhitespaceTrimmed},
		{`fields[" unit "]`, sanitize.WhitespaceTrimmed},
		{`fields["\t"]`, sanitize.ControlCharsRemoved},
		{`fields["\t"]`, sanitize.MetadataEntryDropped},
		{`fields["b\x01c"]`, sanitize.ControlCharsRemoved},
		{`fields["d"]`, sanitize.ControlCharsRemoved},
	}, changes(cs))
}

func TestCollisionKeepsSmallestOriginalKey(t *testing.T) {
	out, cs := sanitize.Message(&commonv1.Metadata{Fields: map[string]string{" k": "1", "k ": "2"}})
	assert.Equal(t, map[string]string{"k": "1"}, out.(*commonv1.Metadata).Fields)
	assert.Contains(t, changes(cs), change{`fields["k "]`, sanitize.MetadataEntryDropped})
}

func TestNestedListsAndMessageMaps(t *testing.T) {
	in := examples.Message("cap.cell.v1.CellState").(*cellv1.CellState)
	in.Members[1] = "uav-2\r"
	rr := &rolev1.RoleAssignmentResponse{CellId: "c", ScoringDetails: map[string]*rolev1.RoleScoringFactors{
		"n\x01": {CalculationMethod: "w\x02"}}}
	out, cs := sanitize.Message(in)
	assert.Equal(t, "uav-2", out.(*cellv1.CellState).Members[1])
	assert.Equal(t, []change{{"members[1]", sanitize.ControlCharsRemoved}}, changes(cs))
	out, cs = sanitize.Message(rr)
	assert.Equal(t, "w", out.(*rolev1.RoleAssignmentResponse).ScoringDetails["n"].CalculationMethod)
	assert.Equal(t, []change{
		{`scoring_details["n\x01"]`, sanitize.ControlCharsRemoved},
		{`scoring_details["n\x01"].calculation_method`, sanitize.ControlCharsRemoved},
	}, changes(cs))
}

func TestCleanMessageIsUnchanged(t *testing.T) {
	for _, n := range examples.Types() {
		in := examples.Message(n)
		out, cs := sanitize.Message(in)
		assert.Empty(t, cs, n)
		assert.True(t, proto.Equal(in, out), n)
	}
}

// A sanitised message never fails validation for control characters.
func TestSanitisedPassesStringRule(t *testing.T) {
	in := examples.Message("cap.cell.v1.CellState").(*cellv1.CellState)
	in.Members = []string{"uav-1\x00", "uav-2", "ugv-1"}
	in.PlatoonId = proto.String("p\u009f")
	in.Capabilities[0].Name = "\x1b[31mred"
	v := validate.New(nil)
	assert.False(t, v.Validate(in, examples.NowOptions()).Valid)
	out, _ := sanitize.Message(in)
	r := v.Validate(out, examples.NowOptions())
	assert.True(t, r.Valid, "%v", r.Violations)
}

// TestKeepsFloatBits: sanitising a message with nothing to clean returns
// the same bytes, -0.0 included (peat_convert and peat_merge keep it too).
func TestKeepsFloatBits(t *testing.T) {
	in := &commonv1.Position{Latitude: 0.5, Altitude: math.Copysign(0, -1)}
	out, cs := sanitize.Message(in)
	assert.Empty(t, cs)
	want, err := proto.MarshalOptions{Deterministic: true}.Marshal(in)
	assert.NoError(t, err)
	got, err := proto.MarshalOptions{Deterministic: true}.Marshal(out)
	assert.NoError(t, err)
	assert.Equal(t, want, got)
	assert.True(t, math.Signbit(out.(*commonv1.Position).Altitude))
}
