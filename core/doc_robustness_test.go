package core_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Corrupted documents, deltas and operations (bit flips, truncation, random
// bytes) must give a result or a status error, never a panic or INTERNAL.
func TestDocCallsSurviveCorruptInput(t *testing.T) {
	start := docNew(t, cellDoc, cellInit("a", 5, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "c", MaxSize: 3}, Members: []string{"n1", "n2"}, LeaderId: stringPtr("n1")}))
	doc, delta := docApply(t, cellDoc, start, docOp("b", 6, addMember("n3")))
	validOp := wire(t, docOp("c", 7, removeMember("n1")))
	init := wire(t, &crdtv1.DocInit{Id: "x"})
	plain := wire(t, &cellv1.CellState{Members: []string{"n1"}})
	corrupt := func(t *rapid.T, b []byte, label string) []byte {
		b = append([]byte(nil), b...)
		switch rapid.IntRange(0, 3).Draw(t, label+".how") {
		case 0:
			if len(b) > 0 {
				i := rapid.IntRange(0, len(b)-1).Draw(t, label+".at")
				b[i] ^= byte(rapid.IntRange(1, 255).Draw(t, label+".bits"))
			}
		case 1:
			b = b[:rapid.IntRange(0, len(b)).Draw(t, label+".len")]
		case 2:
			b = rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(t, label+".random")
		}
		return b
	}
	check := func(t *rapid.T, err error) {
		if err != nil && status.Of(err) == status.Internal {
			t.Fatalf("internal error: %v", err)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		for _, typ := range []string{cellDoc, zoneDoc, nodeDoc} {
			a, b := corrupt(t, doc, "doc"), corrupt(t, delta, "delta")
			_, err := core.DocMerge(typ, a, b)
			check(t, err)
			_, err = core.DocApply(typ, a, corrupt(t, validOp, "op"))
			check(t, err)
			_, err = core.DocMaterialize(typ, codec.JSON, a)
			check(t, err)
			_, err = core.DocNew(typ, corrupt(t, init, "init"))
			check(t, err)
		}
		m := corrupt(t, plain, "plain")
		_, err := core.Merge("cap.cell.v1.CellState", codec.Binary, codec.JSON, m, m)
		check(t, err)
	})
}

func stringPtr(s string) *string { return &s }
