package oracle

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// fixture is one hand-written message of tests/vectors/protoc.
type fixture struct {
	name    string // file name without extension: <message>[.<variant>]
	file    string // "# proto-file:" header: the .proto declaring the message
	message string // "# proto-message:" header: its full name
	txt     []byte // the hand-written text format (.txtpb)
	bin     []byte // protoc --encode of txt (.bin)
	json    []byte // hand-written proto3 JSON (.json), nil when there is none
}

var headerRE = regexp.MustCompile(`(?m)^# *(proto-file|proto-message): *(\S+) *$`)

func loadFixtures(t *testing.T) []fixture {
	t.Helper()
	dir := vectors.Dir("protoc")
	txts, err := filepath.Glob(filepath.Join(dir, "*.txtpb"))
	require.NoError(t, err)
	require.NotEmpty(t, txts, "no .txtpb under %s", dir)
	sort.Strings(txts)
	var out []fixture
	for _, p := range txts {
		f := fixture{name: strings.TrimSuffix(filepath.Base(p), ".txtpb")}
		f.txt, err = os.ReadFile(p)
		require.NoError(t, err)
		for _, m := range headerRE.FindAllSubmatch(f.txt, -1) {
			switch string(m[1]) {
			case "proto-file":
				f.file = string(m[2])
			case "proto-message":
				f.message = string(m[2])
			}
		}
		require.NotEmpty(t, f.file, "%s: no '# proto-file:' header", p)
		require.NotEmpty(t, f.message, "%s: no '# proto-message:' header", p)
		require.True(t, f.name == f.message || strings.HasPrefix(f.name, f.message+"."),
			"%s: the file name must start with the message name %s", p, f.message)
		f.bin, err = os.ReadFile(filepath.Join(dir, f.name+".bin"))
		require.NoError(t, err, "%s has no .bin: run tools/oracle-fixtures.sh", p)
		f.json, err = os.ReadFile(filepath.Join(dir, f.name+".json"))
		if os.IsNotExist(err) {
			f.json, err = nil, nil
		}
		require.NoError(t, err)
		out = append(out, f)
	}
	return out
}

// parseText reads text format with protobuf-go's parser (not libpeat's codec).
func parseText(t *testing.T, f fixture, txt []byte) proto.Message {
	t.Helper()
	mt, err := registry.Lookup(f.message)
	require.NoError(t, err)
	m := mt.New().Interface()
	require.NoError(t, prototext.Unmarshal(txt, m), "%s: text format", f.name)
	return m
}

// sameMessage requires a and b to be equal field for field, including the
// sign of zero floats (proto.Equal compares floats with ==, and -0.0 == 0.0).
func sameMessage(t *testing.T, want, got proto.Message, what string) {
	t.Helper()
	require.True(t, proto.Equal(want, got), "%s:\nwant %v\ngot  %v", what, want, got)
	w, err := proto.MarshalOptions{Deterministic: true}.Marshal(want)
	require.NoError(t, err)
	g, err := proto.MarshalOptions{Deterministic: true}.Marshal(got)
	require.NoError(t, err)
	require.Equal(t, w, g, "%s: equal messages with different encodings (a zero's sign?)", what)
}

// pinnedProtoc returns the pinned protoc when tools/protoc.sh has installed it
// into build/tools (make test's proto-check does), or "".
func pinnedProtoc(t *testing.T, top string) string {
	t.Helper()
	script, err := os.ReadFile(filepath.Join(top, "tools", "protoc.sh"))
	require.NoError(t, err)
	m := regexp.MustCompile(`PROTOC_VERSION="\$\{PROTOC_VERSION:-([0-9.]+)\}"`).FindSubmatch(script)
	require.NotNil(t, m, "tools/protoc.sh no longer pins PROTOC_VERSION as expected")
	p := filepath.Join(top, "build", "tools", "protoc-"+string(m[1]))
	if st, err := os.Stat(p); err != nil || st.Mode()&0o111 == 0 {
		return ""
	}
	return p
}

func runProtoc(t *testing.T, protoc, top string, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(protoc, append([]string{"-I", filepath.Join(top, "proto")}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "protoc %v: %s", args, stderr.String())
	return out
}

// TestProtocOracle checks libpeat against an encoder it does not contain.
// For every tests/vectors/protoc/<name>.txtpb (hand-written text format) and
// <name>.bin (that text encoded by the official protoc, C++):
//   - libpeat's codec decodes the .bin to the message the text describes;
//   - libpeat re-encodes it to the identical bytes (binary->binary too);
//   - libpeat's proto3 JSON of it is exactly the hand-written <name>.json,
//     and that JSON converts back to the .bin;
//   - with the pinned protoc in build/tools: protoc --encode of the text is
//     still the committed .bin, and protoc --decode of libpeat's re-encoding
//     is the same message again.
//
// It also writes tests/vectors/protoc/manifest.json, so that every binding
// replays these conversions through the C ABI.
func TestProtocOracle(t *testing.T) {
	fixtures := loadFixtures(t)
	top := filepath.Join(vectors.Dir(""), "..", "..")
	protoc := pinnedProtoc(t, top)
	if protoc == "" {
		t.Log("the pinned protoc is not in build/tools (tools/protoc.sh installs it; make test does): " +
			"checking libpeat against the committed protoc output only")
	}
	s := vectors.NewSet("protoc")
	packages := map[string]bool{}
	features := map[string]bool{}
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			mt, err := registry.Lookup(f.message)
			require.NoError(t, err)
			require.Equal(t, f.file, mt.Descriptor().ParentFile().Path(), "proto-file header")
			packages[string(mt.Descriptor().ParentFile().Package())] = true
			want := parseText(t, f, f.txt)
			findFeatures(want.ProtoReflect(), 0, features)

			got, err := codec.Decode(f.message, codec.Binary, f.bin)
			require.NoError(t, err, "libpeat decodes protoc's bytes")
			sameMessage(t, want, got, "libpeat's decoding of the .bin vs the .txtpb")

			re, err := codec.Encode(got, codec.Binary)
			require.NoError(t, err)
			require.Equal(t, f.bin, re, "libpeat re-encodes protoc's bytes identically")
			re2, err := core.Convert(f.message, codec.Binary, codec.Binary, f.bin)
			require.NoError(t, err)
			require.Equal(t, f.bin, re2)

			b := s.File(f.name+".bin", f.bin)
			s.File(f.name+".txtpb", f.txt)
			s.Add(vectors.Case{Name: f.name + "/binary-to-binary", Op: "convert", Type: f.message,
				From: "binary", To: "binary", Inputs: []string{b}, Expect: vectors.Expect{Status: "OK", Output: b},
				Note: "bytes made by protoc --encode from the hand-written .txtpb re-encode identically"})

			if f.json != nil {
				js, err := codec.Encode(got, codec.JSON)
				require.NoError(t, err)
				require.Equal(t, string(f.json), string(js), "libpeat's proto3 JSON vs the hand-written .json")
				back, err := core.Convert(f.message, codec.JSON, codec.Binary, f.json)
				require.NoError(t, err)
				require.Equal(t, f.bin, back, "the hand-written JSON converts to protoc's bytes")
				j := s.File(f.name+".json", f.json)
				s.Add(vectors.Case{Name: f.name + "/binary-to-json", Op: "convert", Type: f.message,
					From: "binary", To: "json", Inputs: []string{b}, Expect: vectors.Expect{Status: "OK", Output: j},
					Note: "protoc's bytes to the hand-written proto3 JSON"})
				s.Add(vectors.Case{Name: f.name + "/json-to-binary", Op: "convert", Type: f.message,
					From: "json", To: "binary", Inputs: []string{j}, Expect: vectors.Expect{Status: "OK", Output: b},
					Note: "the hand-written proto3 JSON to protoc's bytes"})
			}

			if protoc != "" {
				enc := runProtoc(t, protoc, top, f.txt, "--encode="+f.message, "--deterministic_output", f.file)
				require.Equal(t, f.bin, enc, "the committed .bin is stale: run tools/oracle-fixtures.sh")
				dec := runProtoc(t, protoc, top, re, "--decode="+f.message, f.file)
				sameMessage(t, want, parseText(t, f, dec), "protoc --decode of libpeat's encoding vs the .txtpb")
			}
		})
	}

	// At least one message of each ICD package.
	var icd []string
	for _, n := range registry.Names() {
		if registry.IsICD(protoreflect.FullName(n)) {
			mt, err := registry.Lookup(n)
			require.NoError(t, err)
			icd = append(icd, string(mt.Descriptor().ParentFile().Package()))
		}
	}
	for _, p := range icd {
		assert.True(t, packages[p], "no protoc fixture for a message of package %s", p)
	}
	// The features the fixtures exist for.
	for _, want := range []string{"map<string, string>", "map<string, message>", "map<string, enum>",
		"repeated message", "repeated enum", "repeated string", "enum number without a name",
		"proto3 optional set to its zero value", "float -0.0", "double -0.0", "non-ASCII string",
		"uint64 above 2^53", "3 levels of nesting", "empty nested message"} {
		assert.True(t, features[want], "no protoc fixture has: %s", want)
	}
	if !t.Failed() {
		s.Sync(t)
	}
}

// findFeatures records which encoding features m exercises.
func findFeatures(m protoreflect.Message, depth int, seen map[string]bool) {
	if depth >= 3 {
		seen["3 levels of nesting"] = true
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
			seen[fmt.Sprintf("map<string, %s>", kindName(fd.MapValue()))] = true
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				scalarFeatures(fd.MapValue(), mv, depth, seen)
				return true
			})
		case fd.IsList():
			seen["repeated "+kindName(fd)] = true
			for i := 0; i < v.List().Len(); i++ {
				scalarFeatures(fd, v.List().Get(i), depth, seen)
			}
		default:
			if fd.HasOptionalKeyword() && isZero(fd, v) {
				seen["proto3 optional set to its zero value"] = true
			}
			scalarFeatures(fd, v, depth, seen)
		}
		return true
	})
}

func scalarFeatures(fd protoreflect.FieldDescriptor, v protoreflect.Value, depth int, seen map[string]bool) {
	switch fd.Kind() {
	case protoreflect.MessageKind:
		if proto.Size(v.Message().Interface()) == 0 {
			seen["empty nested message"] = true
		}
		findFeatures(v.Message(), depth+1, seen)
	case protoreflect.EnumKind:
		if fd.Enum().Values().ByNumber(v.Enum()) == nil {
			seen["enum number without a name"] = true
		}
	case protoreflect.FloatKind:
		if v.Float() == 0 && math.Signbit(v.Float()) {
			seen["float -0.0"] = true
		}
	case protoreflect.DoubleKind:
		if v.Float() == 0 && math.Signbit(v.Float()) {
			seen["double -0.0"] = true
		}
	case protoreflect.StringKind:
		for _, r := range v.String() {
			if r >= utf8.RuneSelf {
				seen["non-ASCII string"] = true
				break
			}
		}
	case protoreflect.Uint64Kind:
		if v.Uint() > 1<<53 {
			seen["uint64 above 2^53"] = true
		}
	}
}

func kindName(fd protoreflect.FieldDescriptor) string {
	switch fd.Kind() {
	case protoreflect.MessageKind:
		return "message"
	case protoreflect.EnumKind:
		return "enum"
	}
	return fd.Kind().String()
}

func isZero(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
	if fd.Kind() == protoreflect.MessageKind {
		return proto.Size(v.Message().Interface()) == 0
	}
	return v.Equal(fd.Default())
}
