package directive

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// The one-pass reader against the reader it replaced (oracle_test.go): on
// every input, for every type and in both modes, the two accept alike and
// read the same message, or refuse alike with the same status, code, path and
// message.

func diffTypes() []proto.Message {
	return []proto.Message{&pb.DeploymentDirective{}, &pb.DeploymentStatus{}, &pb.StatusBoard{}, &pb.DeploymentScope{},
		&pb.CapabilityFilter{}, &pb.ArtifactSpec{}, &pb.ArtifactType{}, &pb.PortMapping{}, &pb.DeploymentOptions{}}
}

// sameAsOracle returns a description of the first difference, or "".
func sameAsOracle(doc []byte) string {
	for _, typ := range diffTypes() {
		for _, strict := range []bool{false, true} {
			got := typ.ProtoReflect().New().Interface()
			want := typ.ProtoReflect().New().Interface()
			gerr := unmarshalRustJSON(doc, got, strict)
			werr := oldUnmarshalRustJSON(doc, want, strict)
			name := string(typ.ProtoReflect().Descriptor().Name())
			if (gerr == nil) != (werr == nil) {
				return name + ": new " + errString(gerr) + ", old " + errString(werr)
			}
			if gerr == nil {
				if !proto.Equal(got, want) {
					return name + ": read differently"
				}
				continue
			}
			same := func(werr error) bool {
				g, w := status.From(gerr), status.From(werr)
				return g.Status == w.Status && g.Code == w.Code && g.Path == w.Path && g.Message == w.Message
			}
			ok := same(werr)
			// The old reader walked a map's entries in Go's random order, so
			// with several bad entries it named any one of them.
			for i := 0; !ok && i < 50 && strings.Contains(status.From(werr).Path, `["`); i++ {
				ok = same(oldUnmarshalRustJSON(doc, want, strict))
			}
			if !ok {
				return name + ": new " + errString(gerr) + ", old " + errString(werr)
			}
		}
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return "accepts"
	}
	e := status.From(err)
	return "refuses " + e.Status.Name() + "/" + e.Code + " at " + e.Path + ": " + e.Message
}

// diffSeeds are the directive vectors' JSON texts and the reference's own.
func diffSeeds(t testing.TB) []string {
	seeds := []string{referenceDirective, referenceStatus, `{"statuses":[` + referenceStatus + `]}`}
	err := filepath.WalkDir("../../tests/vectors/directive", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		seeds = append(seeds, string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seeds) < 30 {
		t.Fatalf("only %d seeds: the vectors were not found", len(seeds))
	}
	return seeds
}

func TestOnePassReaderMatchesOracleOnVectors(t *testing.T) {
	for _, s := range diffSeeds(t) {
		if d := sameAsOracle([]byte(s)); d != "" {
			t.Errorf("%s\n%s", d, s)
		}
	}
}

func TestOnePassReaderMatchesOracleOnEdgeCases(t *testing.T) {
	deep := func(n int, open, close string) string { return strings.Repeat(open, n) + strings.Repeat(close, n) }
	for _, s := range []string{
		``, ` `, `{`, `}`, `{}`, ` {} `, `{} {}`, `{},`, `[]`, `null`, `"x"`, `1`, `{"a":}`, `{"a" 1}`, `{"a":1,}`, `{,}`,
		`{"a":1 "b":2}`, `{"a":[1,]}`, `{"a":[,1]}`, `{"a":01}`, `{"a":-}`, `{"a":1.}`, `{"a":.5}`, `{"a":1e}`, `{"a":1e+}`,
		`{"a":-0}`, `{"a":1E5}`, `{"a":tru}`, `{"a":nul}`, `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u12G4"}`, "{\"a\":\"\x01\"}",
		"{\"a\":\"\xff\"}", "{\"\xff\":1}", `{"a":"\ud800"}`, `{"a":"\ud800\u0041"}`, `{"a":"\ud83d\ude00"}`, `{"a":"\udc00\ud800"}`,
		`{"a":"\/\b\f\n\r\t\"\\"}`, "{\"a\":\"caf\xc3\xa9\"}", "{\"a\":\"\xc3\"}", "{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":1}\x00", "\t\n\r {\"a\":1}\t\n\r ", "\v{}", "{\"a\":1}\xef\xbb\xbf", "\xef\xbb\xbf{}",
		`{"a":` + deep(9999, "[", "]") + `}`, `{"a":` + deep(10000, "[", "]") + `}`, deep(10000, `{"a":`, "}"),
		`{"a":` + deep(9999, `{"a":`, "}") + `}`, `{"a":` + deep(10001, "[", "]") + `}`,
	} {
		if d := sameAsOracle([]byte(s)); d != "" {
			t.Errorf("%s\n%.200q", d, s)
		}
	}
}

// tokens are spliced into the seeds by the generated tests.
var diffTokens = []string{`"`, `\`, `{`, `}`, `[`, `]`, `,`, `:`, ` `, "\n", `null`, `true`, `false`, `0`, `1`, `-1`, `1.5`, `1e3`,
	`65536`, `256`, `4294967296`, `18446744073709551615`, `18446744073709551616`, `"x"`, `"\u00e9"`, `"\ud800"`, `"\ud83d\ude00"`,
	"\"\xff\"", "\x01", `"\n"`, `"type"`, `"k":"v",`, `"runtime":"docker",`, `"directive_id":"d",`, `"extra":1,`, `"custom":{"a":1,"b":2},`,
	`"env":{"a":"1","a":"2"},`, `{"type":"nodes","node_ids":["a",1]}`, `{"type":"capability","custom":{"k":null}}`, `[{}]`, `{"a":{}}`,
	`"statuses":[{},1],`, `"ports":[{"container_port":1,"host_port":2}],`, `"priority":"high",`, `"state":"failed",`}

func mutate(t *rapid.T, doc string) string {
	n := rapid.IntRange(1, 4).Draw(t, "edits")
	for i := 0; i < n; i++ {
		at := rapid.IntRange(0, len(doc)).Draw(t, "at")
		switch rapid.IntRange(0, 4).Draw(t, "op") {
		case 0: // delete
			to := rapid.IntRange(at, min(len(doc), at+8)).Draw(t, "to")
			doc = doc[:at] + doc[to:]
		case 1: // insert a token
			doc = doc[:at] + rapid.SampledFrom(diffTokens).Draw(t, "token") + doc[at:]
		case 2: // truncate
			doc = doc[:at]
		case 3: // repeat a piece (duplicate keys, values)
			to := rapid.IntRange(at, min(len(doc), at+40)).Draw(t, "to")
			doc = doc[:to] + doc[at:to] + doc[to:]
		case 4: // replace a byte
			if at < len(doc) {
				doc = doc[:at] + string([]byte{rapid.Byte().Draw(t, "byte")}) + doc[at+1:]
			}
		}
	}
	return doc
}

func TestOnePassReaderMatchesOracleOnMutatedVectors(t *testing.T) {
	seeds := diffSeeds(t)
	rapid.Check(t, func(t *rapid.T) {
		doc := mutate(t, rapid.SampledFrom(seeds).Draw(t, "seed"))
		if d := sameAsOracle([]byte(doc)); d != "" {
			t.Fatalf("%s\n%q", d, doc)
		}
	})
}

// FuzzOnePassReaderMatchesOracle: `go test -fuzz FuzzOnePassReaderMatchesOracle` explores.
func FuzzOnePassReaderMatchesOracle(f *testing.F) {
	for _, s := range diffSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if d := sameAsOracle([]byte(doc)); d != "" {
			t.Fatalf("%s\n%q", d, doc)
		}
	})
}
