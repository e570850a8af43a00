package validate

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// validJSON must accept and refuse exactly what encoding/json.Valid does.

var jsonCases = []string{
	"", " ", "\t\n\r ", "0", "-0", "-", "01", "1.", "1.5", ".5", "+1", "1e", "1e5", "1E+5", "1e-5", "1e+",
	"-01", "-1.0e10", "12345678901234567890", "0.0.0", "1 2", " 1 ", "1x",
	"true", "false", "null", "tru", "truee", "nul", "True", "NULL",
	`""`, `"`, `"a`, `"\"`, `"\\"`, `"\/"`, `"\b\f\n\r\t"`, `"\x"`, `"\u"`, `"\u12"`, `"\u123"`, `"\u1234"`,
	`"\uABCDx"`, `"\uabcg"`, "\"\x01\"", "\"\x1f\"", "\"\x7f\"", "\"\xff\xfe\"", "\"é\"", "\"\t\"",
	"[]", "[", "]", "[1,]", "[,1]", "[1 2]", "[1,2]", " [ 1 , [ ] , { } ] ", "[[[]]]", "[]]", "[[]",
	"{}", "{", "}", `{"a":1}`, `{"a" : 1 , "b":[true]}`, `{"a":1,}`, `{,}`, `{"a"}`, `{"a":}`, `{1:2}`,
	`{"a":1 "b":2}`, `{"a":{"b":{}}}`, `{"a":[}`, `{"a":1]`, `[1}`, `{} {}`, `[] x`, "{}\x00",
	`{"p":"xxxxxxxx"}`, "\ufeff{}", "\u00a0{}", "[1,\n2]",
}

func TestValidJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonCases {
		if got, want := validJSON(s), json.Valid([]byte(s)); got != want {
			t.Errorf("validJSON(%q) = %v, encoding/json.Valid says %v", s, got, want)
		}
	}
}

// Strings of JSON's tokens and a few bytes around them, mutated at random:
// most are invalid, many valid, and each is compared.
func TestValidJSONRandom(t *testing.T) {
	pieces := []string{"{", "}", "[", "]", ",", ":", `"`, `"k"`, `"\u00e9"`, `\`, "u", "0", "1", "9", "-", "+", ".",
		"e", "E", "true", "false", "null", "t", " ", "\t", "\n", "\r", "\x00", "\x1f", "\xff", "é", "a", "/"}
	rng := rand.New(rand.NewPCG(16, 2))
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	valid := 0
	for i := 0; i < n; i++ {
		var b strings.Builder
		for k := rng.IntN(12) + 1; k > 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		want := json.Valid([]byte(s))
		if got := validJSON(s); got != want {
			t.Fatalf("validJSON(%q) = %v, encoding/json.Valid says %v", s, got, want)
		}
		if want {
			valid++
		}
	}
	if valid < n/100 {
		t.Fatalf("only %d of %d generated inputs were valid JSON: the test exercises too little", valid, n)
	}
}

// Both refuse nesting deeper than 10,000 and accept 10,000.
func TestValidJSONDepth(t *testing.T) {
	for _, d := range []int{9999, 10000, 10001, 20000} {
		for _, pair := range [][2]string{{"[", "]"}, {`{"a":`, "}"}} {
			s := strings.Repeat(pair[0], d) + "1" + strings.Repeat(pair[1], d)
			if got, want := validJSON(s), json.Valid([]byte(s)); got != want {
				t.Errorf("depth %d %s: validJSON = %v, encoding/json.Valid says %v", d, pair[0], got, want)
			}
			s = strings.Repeat(pair[0], d) // unclosed
			if validJSON(s) || json.Valid([]byte(s)) {
				t.Errorf("depth %d %s: unclosed input accepted", d, pair[0])
			}
		}
		s := strings.Repeat("[", d) + strings.Repeat("]", d)
		if got, want := validJSON(s), json.Valid([]byte(s)); got != want {
			t.Errorf("depth %d of empty arrays: validJSON = %v, encoding/json.Valid says %v", d, got, want)
		}
	}
}

func TestValidJSONAllocatesNothing(t *testing.T) {
	s := `{"p":"xxxxxxxx","q":[1,2.5e3,true,null,{"r":"\u00e9"}]}`
	if n := testing.AllocsPerRun(100, func() { validJSON(s) }); n != 0 {
		t.Fatalf("validJSON allocates %v times per call", n)
	}
}

// FuzzValidJSON compares validJSON with encoding/json.Valid on arbitrary
// input (go test -fuzz FuzzValidJSON ./core/validate).
func FuzzValidJSON(f *testing.F) {
	for _, s := range jsonCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validJSON(s), json.Valid([]byte(s)); got != want {
			t.Fatalf("validJSON(%q) = %v, encoding/json.Valid says %v", s, got, want)
		}
	})
}

// The metadata_json of the benchmarks' capabilities, checked both ways.
func BenchmarkValidJSON(b *testing.B) {
	s := `{"p":"xxxxxxxx"}`
	b.Run("validJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			validJSON(s)
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Valid([]byte(s))
		}
	})
}
