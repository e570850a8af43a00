package core_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/core/validate/examples"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

func valReport(t *testing.T, b []byte) *validationv1.ValidationReport {
	t.Helper()
	r := &validationv1.ValidationReport{}
	require.NoError(t, proto.Unmarshal(b, r))
	return r
}

func valPairs(r *validationv1.ValidationReport) []vectors.Violation {
	out := []vectors.Violation{}
	for _, v := range r.Violations {
		out = append(out, vectors.Violation{Code: v.Code, Path: v.Path})
	}
	return out
}

// valVectors builds tests/vectors/validate.
type valVectors struct {
	t *testing.T
	s *vectors.Set
}

// report adds a validate case whose expected violations are given by hand,
// checks core.Validate against them, and records the exact output bytes.
func (v valVectors) report(name, typ, from string, in []byte, opts *validationv1.ValidateOptions, want []vectors.Violation, note string) {
	t := v.t
	f, err := codec.ParseFormat(from)
	require.NoError(t, err)
	var ob []byte
	c := vectors.Case{Name: name, Op: "validate", Type: typ, From: from, Note: note,
		Inputs: []string{v.s.File("inputs/"+name+"."+ext(from), in)}}
	if opts != nil {
		ob = wire(t, opts)
		c.Options = v.s.File("options/"+name+".bin", ob)
	}
	out, err := core.Validate(typ, f, in, ob)
	require.NoError(t, err, name)
	r := valReport(t, out)
	if want == nil {
		want = []vectors.Violation{}
	}
	require.Equal(t, want, valPairs(r), name)
	require.Equal(t, len(want) == 0, r.Valid, name)
	require.Equal(t, typ, r.Type)
	require.True(t, r.Decoded)
	valid := r.Valid
	c.Expect = vectors.Expect{Status: "OK", Output: v.s.File("outputs/"+name+".bin", out), Valid: &valid, Violations: want}
	v.s.Add(c)
}

// fails adds a validate case that must return an error status and code.
func (v valVectors) fails(name, typ, from string, in, opts []byte, st status.Status, code, note string) {
	t := v.t
	f, err := codec.ParseFormat(from)
	require.NoError(t, err)
	_, err = core.Validate(typ, f, in, opts)
	require.Error(t, err, name)
	e := status.From(err)
	require.Equal(t, st, e.Status, name)
	require.Equal(t, code, e.Code, name)
	c := vectors.Case{Name: name, Op: "validate", Type: typ, From: from, Note: note,
		Inputs: []string{v.s.File("inputs/"+name+"."+ext(from), in)},
		Expect: vectors.Expect{Status: st.Name(), Code: code}}
	if opts != nil {
		c.Options = v.s.File("options/"+name+".bin", opts)
	}
	v.s.Add(c)
}

func ext(format string) string {
	if format == "binary" {
		return "bin"
	}
	return "json"
}

func wantOf(ws []examples.Want) []vectors.Violation {
	if ws == nil {
		return nil
	}
	out := make([]vectors.Violation, len(ws))
	for i, w := range ws {
		out[i] = vectors.Violation{Code: w.Code, Path: w.Path}
	}
	return out
}

func TestValidateVectors(t *testing.T) {
	v := valVectors{t: t, s: vectors.NewSet("validate")}
	now := examples.NowOptions()

	// Every ICD type: its valid example, in binary; a few also in JSON.
	for _, typ := range examples.Types() {
		v.report("valid/"+typ, typ, "binary", wire(t, examples.Message(typ)), now, nil, "valid example")
	}
	for _, typ := range []string{"cap.node.v1.NodeConfig", "cap.cell.v1.CellState", "cap.zone.v1.ZoneState"} {
		v.report("valid-json/"+typ, typ, "json", []byte(examples.JSON(typ)), now, nil, "valid example, proto3 JSON")
	}
	v.report("valid/no-options", "cap.node.v1.NodeState", "binary", wire(t, examples.Message("cap.node.v1.NodeState")), nil, nil,
		"no options: now is the wall clock, the example's timestamp is in the past")

	// The hand-written cases: boundaries and >= 2 invalid cases per code.
	for _, c := range examples.Cases() {
		opts := c.Options
		if opts == nil {
			opts = now
		}
		v.report("case/"+c.Name, c.Type, "binary", wire(t, c.Build()), opts, wantOf(c.Want), c.Note)
	}

	// JSON input: NaN and an unknown enum number as JSON allows them.
	v.report("json/nan-and-unknown-enum", "cap.node.v1.NodeState", "json",
		[]byte(`{"position":{"latitude":"NaN","longitude":10},"health":7,"phase":"PHASE_DISCOVERY","timestamp":{"seconds":"1762387000"}}`),
		now, []vectors.Violation{{Code: "INVALID_ENUM", Path: "health"}, {Code: "INVALID_NUMBER", Path: "position.latitude"},
			{Code: "INVALID_POSITION", Path: "position.latitude"}}, "")

	// Binary input with invalid UTF-8: decodable, reported at its path.
	nc := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	nc.Capabilities[1].Name = "MARK"
	v.report("utf8/nested-string", "cap.node.v1.NodeConfig", "binary", valCorrupt(t, nc, "MARK", "MA\xffK"), now,
		[]vectors.Violation{{Code: "INVALID_STRING", Path: "capabilities[1].name"}},
		"invalid UTF-8 is validated as U+FFFD and reported; proto3 decoders reject it")
	md := &commonv1.Metadata{Fields: map[string]string{"k": "VALM", "j": "x"}}
	v.report("utf8/metadata-value", "cap.common.v1.Metadata", "binary", valCorrupt(t, md, "VALM", "\xc3\x28LM"), now,
		[]vectors.Violation{{Code: "INVALID_STRING", Path: `fields["k"]`}}, "")

	// Bad input.
	good := wire(t, examples.Message("cap.node.v1.NodeConfig"))
	v.fails("bad/truncated", "cap.node.v1.NodeConfig", "binary", good[:len(good)-7], nil, status.Decode, "DECODE_ERROR", "")
	v.fails("bad/garbage", "cap.node.v1.NodeConfig", "binary", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, nil, status.Decode, "DECODE_ERROR", "")
	v.fails("bad/json-syntax", "cap.node.v1.NodeConfig", "json", []byte(`{"id":`), nil, status.Decode, "DECODE_ERROR", "")
	v.fails("bad/json-not-utf8", "cap.node.v1.NodeConfig", "json", []byte("{\"id\":\"\xff\"}"), nil, status.Decode, "INVALID_UTF8", "")
	v.fails("bad/unknown-type", "cap.node.v1.Nope", "binary", good, nil, status.UnknownType, "UNKNOWN_TYPE", "")
	v.fails("bad/oversize", "cap.node.v1.NodeConfig", "binary", oversizeNodeConfig(t), nil, status.TooLarge, "MESSAGE_TOO_LARGE",
		"a 51 201-byte NodeConfig: over the 50 KiB limit, refused before decoding")
	v.fails("bad/oversize-json", "cap.beacon.v1.Beacon", "json", []byte(`{"nodeId":"`+strings.Repeat("a", 41*1024)+`"}`), nil,
		status.TooLarge, "MESSAGE_TOO_LARGE", "JSON text over 4 x the 10 KiB Beacon limit")
	v.fails("bad/options", "cap.node.v1.NodeConfig", "binary", good, []byte{0xff}, status.InvalidArgument, "INVALID_ARGUMENT",
		"options that are not a ValidateOptions")
	v.fails("bad/options-nanos", "cap.node.v1.NodeConfig", "binary", good,
		wire(t, &validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: 1, Nanos: 1e9}}), status.InvalidArgument, "INVALID_ARGUMENT", "")
	v.report("bad/empty-input", "cap.cell.v1.CellState", "binary", nil, now,
		[]vectors.Violation{{Code: "REQUIRED_FIELD", Path: "timestamp"}},
		"empty binary input is the empty message: it decodes, and fails the required-field rules (config is optional)")
	v.report("bad/wrong-type", "cap.node.v1.NodeConfig", "binary", wire(t, &commonv1.Timestamp{Seconds: 5}), now,
		[]vectors.Violation{{Code: "REQUIRED_FIELD", Path: "id"}, {Code: "REQUIRED_FIELD", Path: "platform_type"}},
		"a Timestamp's bytes read as a NodeConfig: field 1 has the wrong wire type and is kept as an unknown field")

	valDirectiveVectors(v)
	valBatchVectors(v, good)
	valSanitizeVectors(v)
	v.s.Sync(t)

	// The Go executor of the vectors (what the bindings mirror) agrees.
	for _, c := range v.s.Manifest.Cases {
		st, out, _ := vectors.Exec("validate", c)
		assert.Equal(t, c.Expect.Status, st.Name(), c.Name)
		if c.Expect.Output != "" {
			assert.True(t, bytes.Equal(v.s.Files[c.Expect.Output], out), c.Name)
		}
	}
}

func valCorrupt(t *testing.T, m proto.Message, marker, bad string) []byte {
	t.Helper()
	require.Len(t, bad, len(marker))
	b := wire(t, m)
	require.True(t, bytes.Contains(b, []byte(marker)))
	return bytes.ReplaceAll(b, []byte(marker), []byte(bad))
}

func oversizeNodeConfig(t *testing.T) []byte {
	m := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	m.PlatformType = strings.Repeat("p", 50*1024+1)
	b := wire(t, m)
	require.Greater(t, len(b), 50*1024)
	return b
}

// valDirectiveVectors: the directive rules run through the same validator;
// INVALID_HASH is theirs (docs/DIRECTIVES.md § Validation rules).
func valDirectiveVectors(v valVectors) {
	const hash = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	artifact := func(blob, sha string) string {
		s := `{"blobHash":"` + blob + `","sizeBytes":"1000","artifactType":{"onnxModel":{}}`
		if sha != "" {
			s += `,"sha256":"` + sha + `"`
		}
		return s + `}`
	}
	directive := func(a string) []byte {
		return []byte(`{"directiveId":"d-1","issuedAt":{"seconds":"1762387000"},"issuerNodeId":"c2","scope":{"broadcast":{}},"artifact":` + a + `}`)
	}
	now := examples.NowOptions()
	const dir, art = "peat.directive.v1.DeploymentDirective", "peat.directive.v1.ArtifactSpec"
	v.report("directive/valid", dir, "json", directive(artifact(hash, hash[7:])), now, nil, "a directive with a well-formed blob_hash and sha256")
	v.report("directive/blob-hash-placeholder", dir, "json", directive(artifact("sha256:abc123", "")), now,
		[]vectors.Violation{{Code: "INVALID_HASH", Path: "artifact.blob_hash"}}, "the seed's placeholder hash: too short")
	v.report("directive/blob-hash-upper-case", art, "json", []byte(artifact(strings.ToUpper(hash), "")), now,
		[]vectors.Violation{{Code: "INVALID_HASH", Path: "blob_hash"}}, "hex digits must be lower case (and the algorithm name)")
	v.report("directive/blob-hash-unknown-algorithm", art, "json", []byte(artifact("md5:"+hash[7:], "")), now,
		[]vectors.Violation{{Code: "INVALID_HASH", Path: "blob_hash"}}, "only sha256 and blake3")
	v.report("directive/sha256-not-hex", dir, "json", directive(artifact(hash, strings.Repeat("g", 64))), now,
		[]vectors.Violation{{Code: "INVALID_HASH", Path: "artifact.sha256"}}, "")

	// Path rules (docs/VALIDATION.md § Paths): target_path is the one path field.
	pkgArt := func(p string) string {
		q, _ := json.Marshal(p)
		return `{"blobHash":"` + hash + `","sizeBytes":"1000","artifactType":{"configPackage":{"targetPath":` + string(q) + `}}}`
	}
	const tp = "artifact.artifact_type.config_package.target_path"
	roots := examples.NowOptions()
	roots.AllowedPathRoots = []string{"/opt/peat", "/etc/peat"}
	v.report("directive/path-valid", dir, "json", directive(pkgArt("/opt/peat/conf.d")), now, nil, "an absolute path in normal form")
	v.report("directive/path-valid-under-root", dir, "json", directive(pkgArt("/etc/peat")), roots, nil, "a root itself is allowed")
	for _, c := range []struct{ name, path, note string }{
		{"path-traversal", "../../../etc/cron.d", "the issue's example: relative and a traversal"},
		{"path-traversal-absolute", "/srv/app/../../etc/cron.d", "a .. that normalisation would resolve is still refused"},
		{"path-dot-tricks", "a/./../../b", ""},
		{"path-double-slash", "/opt//peat", "an empty segment"},
		{"path-trailing-slash", "/opt/peat/", "an empty last segment"},
		{"path-backslash", "/opt/peat\\..\\..\\etc", "a backslash is a separator for some extractors"},
		{"path-relative", "etc/peat", "target_path is absolute"},
	} {
		v.report("directive/"+c.name, dir, "json", directive(pkgArt(c.path)), now,
			[]vectors.Violation{{Code: "INVALID_PATH", Path: tp}}, c.note)
	}
	v.report("directive/path-nul", art, "json", []byte(pkgArt("/opt/peat\x00.conf")), now,
		[]vectors.Violation{{Code: "INVALID_PATH", Path: "artifact_type.config_package.target_path"},
			{Code: "INVALID_STRING", Path: "artifact_type.config_package.target_path"}}, "a NUL truncates the path in C")
	v.report("directive/path-outside-root", dir, "json", directive(pkgArt("/etc/cron.d/job")), roots,
		[]vectors.Violation{{Code: "PATH_NOT_ALLOWED", Path: tp}}, "allowed_path_roots /opt/peat, /etc/peat")
	v.report("directive/path-root-prefix-not-segment", dir, "json", directive(pkgArt("/opt/peatx/conf")), roots,
		[]vectors.Violation{{Code: "PATH_NOT_ALLOWED", Path: tp}}, "/opt/peatx is not below /opt/peat")
	v.report("directive/path-traversal-with-roots", dir, "json", directive(pkgArt("/opt/peat/../../etc")), roots,
		[]vectors.Violation{{Code: "INVALID_PATH", Path: tp}}, "a malformed path is INVALID_PATH, never also PATH_NOT_ALLOWED")
	bad := examples.NowOptions()
	bad.AllowedPathRoots = []string{"/opt/../etc"}
	v.fails("bad/options-path-root", dir, "json", directive(pkgArt("/opt/x")), wire(v.t, bad), status.InvalidArgument, "INVALID_PATH",
		"a malformed allowed_path_roots entry is refused")
}

func valBatchVectors(v valVectors, good []byte) {
	t := v.t
	now := wire(t, examples.NowOptions())
	bad := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	bad.Capabilities[0].Confidence = 3
	inputs := [][]byte{good, wire(t, bad), {0xff, 0xff}, oversizeNodeConfig(t), nil}
	out, err := core.ValidateBatch("cap.node.v1.NodeConfig", codec.Binary, inputs, now)
	require.NoError(t, err)
	br := &validationv1.BatchValidationReport{}
	require.NoError(t, proto.Unmarshal(out, br))
	require.Len(t, br.Reports, 5)
	assert.Equal(t, uint32(1), br.ValidCount)
	assert.Equal(t, uint32(4), br.InvalidCount)
	assert.Equal(t, uint32(2), br.UndecodableCount)
	assert.True(t, br.Reports[0].Valid)
	assert.Equal(t, []vectors.Violation{{Code: "INVALID_CONFIDENCE", Path: "capabilities[0].confidence"}}, valPairs(br.Reports[1]))
	assert.Equal(t, []vectors.Violation{{Code: "DECODE_ERROR", Path: ""}}, valPairs(br.Reports[2]))
	assert.False(t, br.Reports[2].Decoded)
	assert.Equal(t, []vectors.Violation{{Code: "MESSAGE_TOO_LARGE", Path: ""}}, valPairs(br.Reports[3]))
	assert.False(t, br.Reports[3].Decoded)
	assert.Equal(t, []vectors.Violation{{Code: "REQUIRED_FIELD", Path: "id"}, {Code: "REQUIRED_FIELD", Path: "platform_type"}}, valPairs(br.Reports[4]))
	assert.True(t, br.Reports[4].Decoded)
	var files []string
	for i, in := range inputs {
		files = append(files, v.s.File("batch/mixed-"+string(rune('a'+i))+".bin", in))
	}
	v.s.Add(vectors.Case{Name: "batch/mixed", Op: "validate_batch", Type: "cap.node.v1.NodeConfig", From: "binary",
		Inputs: files, Options: v.s.File("options/batch.bin", now),
		Expect: vectors.Expect{Status: "OK", Output: v.s.File("outputs/batch-mixed.bin", out)},
		Note:   "valid, invalid, garbage (DECODE_ERROR), oversize (MESSAGE_TOO_LARGE), empty: one report each, in order"})

	// Small NodeStates in JSON, one with a JSON syntax error.
	var js [][]byte
	for i := 0; i < 3; i++ {
		js = append(js, []byte(examples.JSON("cap.node.v1.NodeState")))
	}
	js = append(js, []byte(`{"health":`))
	out, err = core.ValidateBatch("cap.node.v1.NodeState", codec.JSON, js, now)
	require.NoError(t, err)
	br.Reset()
	require.NoError(t, proto.Unmarshal(out, br))
	assert.Equal(t, uint32(3), br.ValidCount)
	assert.Equal(t, uint32(1), br.UndecodableCount)
	files = nil
	for i, in := range js {
		files = append(files, v.s.File("batch/json-"+string(rune('a'+i))+".json", in))
	}
	v.s.Add(vectors.Case{Name: "batch/json", Op: "validate_batch", Type: "cap.node.v1.NodeState", From: "json",
		Inputs: files, Options: v.s.File("options/batch.bin", now),
		Expect: vectors.Expect{Status: "OK", Output: v.s.File("outputs/batch-json.bin", out)}})

	out, err = core.ValidateBatch("cap.node.v1.NodeState", codec.Binary, nil, nil)
	require.NoError(t, err)
	br.Reset()
	require.NoError(t, proto.Unmarshal(out, br))
	assert.Empty(t, br.Reports)
	v.s.Add(vectors.Case{Name: "batch/empty", Op: "validate_batch", Type: "cap.node.v1.NodeState", From: "binary",
		Inputs: []string{}, Expect: vectors.Expect{Status: "OK", Output: v.s.File("outputs/batch-empty.bin", out)},
		Note: "count 0: an empty report"})

	_, err = core.ValidateBatch("cap.node.v1.Nope", codec.Binary, [][]byte{good}, nil)
	assert.Equal(t, status.UnknownType, status.Of(err))
	v.s.Add(vectors.Case{Name: "batch/unknown-type", Op: "validate_batch", Type: "cap.node.v1.Nope", From: "binary",
		Inputs: []string{v.s.File("batch/mixed-a.bin", good)}, Expect: vectors.Expect{Status: "UNKNOWN_TYPE", Code: "UNKNOWN_TYPE"}})
}

func valSanitizeVectors(v valVectors) {
	t := v.t
	type change struct{ Path, Code string }
	add := func(name, typ, from, to string, in []byte, want []change, check func(proto.Message)) {
		f, _ := codec.ParseFormat(from)
		tf, _ := codec.ParseFormat(to)
		out, err := core.Sanitize(typ, f, tf, in)
		require.NoError(t, err, name)
		res := &validationv1.SanitizeResult{}
		require.NoError(t, proto.Unmarshal(out, res))
		got := []change{}
		for _, c := range res.Changes {
			got = append(got, change{c.Path, c.Code})
		}
		assert.Equal(t, want, got, name)
		msg, err := codec.Decode(typ, tf, res.Message)
		require.NoError(t, err, name)
		check(msg)
		v.s.Add(vectors.Case{Name: name, Op: "sanitize", Type: typ, From: from, To: to,
			Inputs: []string{v.s.File("inputs/"+name+"."+ext(from), in)},
			Expect: vectors.Expect{Status: "OK", Output: v.s.File("outputs/"+name+".bin", out)}})
	}
	c := examples.Message("cap.capability.v1.Capability").(*capabilityv1.Capability)
	c.Name = "EO\x1b[1mcamera\x00"
	add("sanitize/control-chars", "cap.capability.v1.Capability", "binary", "json", wire(t, c),
		[]change{{"name", "CONTROL_CHARS_REMOVED"}}, func(m proto.Message) {
			assert.Equal(t, "EO[1mcamera", m.(*capabilityv1.Capability).Name)
		})
	add("sanitize/metadata", "cap.common.v1.Metadata", "json", "binary",
		[]byte(`{"fields":{" callsign ":" alpha ","":"x","unit":"1-7\u0007"}}`),
		[]change{{`fields[" callsign "]`, "WHITESPACE_TRIMMED"}, {`fields[" callsign "]`, "WHITESPACE_TRIMMED"},
			{`fields[""]`, "METADATA_ENTRY_DROPPED"}, {`fields["unit"]`, "CONTROL_CHARS_REMOVED"}},
		func(m proto.Message) {
			assert.Equal(t, map[string]string{"callsign": "alpha", "unit": "1-7"}, m.(*commonv1.Metadata).Fields)
		})
	nc := examples.Message("cap.node.v1.NodeConfig").(*nodev1.NodeConfig)
	nc.Capabilities[1].Name = "MARK"
	add("sanitize/invalid-utf8", "cap.node.v1.NodeConfig", "binary", "binary", valCorrupt(t, nc, "MARK", "M\xffRK"),
		[]change{{"capabilities[1].name", "INVALID_UTF8_REPLACED"}}, func(m proto.Message) {
			assert.Equal(t, "M\uFFFDRK", m.(*nodev1.NodeConfig).Capabilities[1].Name)
		})
	const pkgType = "peat.directive.v1.ArtifactType"
	add("sanitize/path-normalized", pkgType, "json", "json", []byte(`{"configPackage":{"targetPath":"/opt//peat/./conf.d/"}}`),
		[]change{{"config_package.target_path", "PATH_NORMALIZED"}}, func(m proto.Message) {
			assert.Equal(t, "/opt/peat/conf.d", m.(*directivev1.ArtifactType).GetConfigPackage().GetTargetPath())
		})
	add("sanitize/path-traversal-kept", pkgType, "json", "json", []byte(`{"configPackage":{"targetPath":"/opt/peat/../../etc\u0007"}}`),
		[]change{{"config_package.target_path", "CONTROL_CHARS_REMOVED"}}, func(m proto.Message) {
			assert.Equal(t, "/opt/peat/../../etc", m.(*directivev1.ArtifactType).GetConfigPackage().GetTargetPath(),
				"a traversal is not rewritten into another location: validation refuses it")
		})
	clean := examples.Message("cap.cell.v1.CellState")
	add("sanitize/unchanged", "cap.cell.v1.CellState", "binary", "binary", wire(t, clean), []change{},
		func(m proto.Message) { assert.True(t, proto.Equal(clean, m)) })

	_, err := core.Sanitize("cap.node.v1.NodeConfig", codec.Binary, codec.JSON, []byte{0xff})
	assert.Equal(t, status.Decode, status.Of(err))
	v.s.Add(vectors.Case{Name: "sanitize/garbage", Op: "sanitize", Type: "cap.node.v1.NodeConfig", From: "binary", To: "json",
		Inputs: []string{v.s.File("inputs/sanitize-garbage.bin", []byte{0xff})}, Expect: vectors.Expect{Status: "DECODE_ERROR", Code: "DECODE_ERROR"}})
}
