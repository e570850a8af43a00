package codec

import (
	"bytes"
	"hash/fnv"
	"testing"

	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

// FuzzConvert feeds arbitrary bytes to Convert for any registered type and
// any pair of formats. Convert must never panic or report an internal error,
// and whatever it produces must be a fixed point: converting the output to
// its own format again gives the same bytes. The committed seed corpus
// (testdata/fuzz/FuzzConvert) holds a populated message of every ICD type in
// each format and the vectors' bad inputs; run with `make fuzz`.
func FuzzConvert(f *testing.F) {
	names := registry.Names()
	f.Add("cap.common.v1.Timestamp", uint8(Binary), uint8(RustJSON), []byte{0x08, 0x01, 0x10, 0x02})
	f.Fuzz(func(t *testing.T, typ string, from, to uint8, data []byte) {
		if _, err := registry.Lookup(typ); err != nil {
			// Spend the fuzzer's effort on real types: hash to one.
			h := fnv.New32a()
			h.Write([]byte(typ))
			typ = names[int(h.Sum32()%uint32(len(names)))]
		}
		ff, tf := Format(from%3+1), Format(to%3+1)
		out, err := Convert(typ, ff, tf, data)
		if err != nil {
			if s := status.Of(err); s == status.Internal || s == status.OK {
				t.Fatalf("%s %v->%v: error with status %v: %v", typ, ff, tf, s, err)
			}
			return
		}
		again, err := Convert(typ, tf, tf, out)
		if err != nil {
			t.Fatalf("%s: output of %v->%v does not read back as %v: %v\n%q", typ, ff, tf, tf, err, out)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("%s: %v output is not a fixed point:\n%q\n%q", typ, tf, out, again)
		}
	})
}
