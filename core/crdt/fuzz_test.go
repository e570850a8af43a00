package crdt_test

import (
	"bytes"
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/crdt"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/compat"
)

// The document fuzz targets decode their inputs as the peat_doc_* calls do
// (binary, size limits, UTF-8 checks) and pick the document type by a byte,
// in the order of crdt.Kinds(): cell, node, zone. Seeds:
// testdata/fuzz/<target> (see TestFuzzSeedsAreCommitted); run with
// `make fuzz`.

// FuzzDocMerge joins two arbitrary documents or deltas. Nothing may panic or
// report an internal error; a successful join must be commutative (same
// bytes either way) and idempotent (joining the result with itself or with
// an input changes nothing), and its materialised message must encode.
func FuzzDocMerge(f *testing.F) {
	f.Fuzz(func(t *testing.T, kind byte, a, b []byte) {
		k := kindOf(kind)
		da, db := decodeDoc(t, k, a), decodeDoc(t, k, b)
		if da == nil || db == nil {
			return
		}
		ab, err := k.Join(da, db)
		if err != nil {
			checkStatus(t, err)
			if _, err2 := k.Join(db, da); err2 == nil {
				t.Fatalf("join(a, b) fails (%v) but join(b, a) succeeds", err)
			}
			return
		}
		out := encodeFuzz(t, ab)
		if ba := encodeFuzz(t, mustJoin(t, k, db, da)); !bytes.Equal(out, ba) {
			t.Fatalf("not commutative:\n%x\n%x", out, ba)
		}
		for name, other := range map[string]proto.Message{"itself": ab, "a": da, "b": db} {
			if again := encodeFuzz(t, mustJoin(t, k, ab, other)); !bytes.Equal(out, again) {
				t.Fatalf("joining the result with %s changes it:\n%x\n%x", name, out, again)
			}
		}
		m := k.Materialize(ab)
		for _, f := range []codec.Format{codec.Binary, codec.JSON} {
			if _, err := codec.Encode(m, f); err != nil {
				checkStatus(t, err)
			}
		}
	})
}

// FuzzDocApply applies an arbitrary operation to an arbitrary document.
// Nothing may panic or report an internal error; on success the delta must
// reproduce the operation (join(doc, delta) == next) and be absorbed by the
// result (join(next, delta) == next), and next must absorb the old document.
func FuzzDocApply(f *testing.F) {
	f.Fuzz(func(t *testing.T, kind byte, doc, op []byte) {
		k := kindOf(kind)
		d := decodeDoc(t, k, doc)
		o := &crdtv1.Operation{}
		if err := codec.DecodeInto(o, codec.Binary, op); err != nil {
			checkStatus(t, err)
			return
		}
		if d == nil {
			return
		}
		next, delta, err := k.Apply(d, o)
		if err != nil {
			checkStatus(t, err)
			return
		}
		want := encodeFuzz(t, next)
		if got := encodeFuzz(t, mustJoin(t, k, d, delta)); !bytes.Equal(want, got) {
			t.Fatalf("join(doc, delta) differs from the applied document:\n%x\n%x", want, got)
		}
		for name, other := range map[string]proto.Message{"delta": delta, "doc": d} {
			if got := encodeFuzz(t, mustJoin(t, k, next, other)); !bytes.Equal(want, got) {
				t.Fatalf("joining the result with the %s changes it:\n%x\n%x", name, want, got)
			}
		}
	})
}

func kindOf(b byte) *crdt.Kind {
	names := crdt.Kinds()
	k, err := crdt.Lookup(string(names[int(b)%len(names)]))
	if err != nil {
		panic(err)
	}
	return k
}

func decodeDoc(t *testing.T, k *crdt.Kind, in []byte) proto.Message {
	d := k.Empty()
	if err := codec.DecodeInto(d, codec.Binary, in); err != nil {
		checkStatus(t, err)
		return nil
	}
	return d
}

func mustJoin(t *testing.T, k *crdt.Kind, a, b proto.Message) proto.Message {
	t.Helper()
	out, err := k.Join(a, b)
	if err != nil {
		t.Fatalf("join: %v", err)
	}
	return out
}

func checkStatus(t *testing.T, err error) {
	t.Helper()
	if s := status.Of(err); s == status.Internal || s == status.OK {
		t.Fatalf("error with status %v: %v", s, err)
	}
}

func encodeFuzz(t testing.TB, m proto.Message) []byte {
	t.Helper()
	b, err := codec.Encode(m, codec.Binary)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// TestFuzzSeedsAreCommitted keeps the committed corpora equal to realistic
// seeds: per document type and operation, the document with its delta and
// with its successor, the same from a newer minor version's initial message,
// another entity's document and a truncated one (FuzzDocMerge); the document
// with the operation, with an operation for another document type and with
// a truncated operation (FuzzDocApply); documents whole and cut (FuzzDocCodec).
func TestFuzzSeedsAreCommitted(t *testing.T) {
	merges, applies, codecs := map[string][]any{}, map[string][]any{}, map[string][]any{}
	for _, s := range fuzzDocs(t) {
		codecs[s.name] = []any{s.kind, s.next}
		codecs[s.name+"-truncated"] = []any{s.kind, s.next[:len(s.next)-1]}
		merges[s.name+"-delta"] = []any{s.kind, s.doc, s.delta}
		merges[s.name+"-next"] = []any{s.kind, s.doc, s.next}
		merges[s.name+"-other-entity"] = []any{s.kind, s.doc, s.other}
		merges[s.name+"-truncated"] = []any{s.kind, s.next, s.next[:len(s.next)/2]}
		applies[s.name] = []any{s.kind, s.doc, s.op}
		applies[s.name+"-other-type"] = []any{s.kind + 1, s.doc, s.op}
		applies[s.name+"-truncated"] = []any{s.kind, s.doc, s.op[:len(s.op)-1]}
	}
	syncFuzzCorpus(t, "FuzzDocMerge", merges)
	syncFuzzCorpus(t, "FuzzDocApply", applies)
	syncFuzzCorpus(t, "FuzzDocCodec", codecs)
}

// fuzzSeed is a realistic document of one kind, an operation on it, and the
// resulting document and delta.
type fuzzSeed struct {
	name                        string
	kind                        byte
	doc, op, next, delta, other []byte
}

func fuzzDocs(t testing.TB) []fuzzSeed {
	at := func(s uint64) *commonv1.Timestamp { return &commonv1.Timestamp{Seconds: s} }
	op := func(r string, s uint64, o *crdtv1.Operation) *crdtv1.Operation {
		o.Replica, o.Timestamp = r, at(s)
		return o
	}
	inits := map[string]*crdtv1.DocInit{
		"peat.crdt.v1.CellDoc": {Replica: "a", Timestamp: at(10), Initial: &crdtv1.DocInit_CellState{CellState: &cellv1.CellState{
			Config: &cellv1.CellConfig{Id: "c", MaxSize: 4}, Members: []string{"n1", "n2"}, LeaderId: proto.String("n1")}}},
		"peat.crdt.v1.NodeDoc": {Replica: "a", Timestamp: at(10), Initial: &crdtv1.DocInit_Node{Node: &nodev1.Node{
			Config: &nodev1.NodeConfig{Id: "n", PlatformType: "uav"}, State: &nodev1.NodeState{FuelMinutes: 60, CellId: proto.String("c")}}}},
		"peat.crdt.v1.ZoneDoc": {Replica: "a", Timestamp: at(10), Initial: &crdtv1.DocInit_ZoneState{ZoneState: &zonev1.ZoneState{
			Config: &zonev1.ZoneConfig{Id: "z"}, Cells: []string{"c1", "c2"}, CoordinatorId: proto.String("n1")}}},
	}
	ops := map[string][]*crdtv1.Operation{
		"peat.crdt.v1.CellDoc": {
			{Mutation: &crdtv1.Operation_AddMember{AddMember: &crdtv1.AddMember{NodeId: "n3"}}},
			{Mutation: &crdtv1.Operation_RemoveMember{RemoveMember: &crdtv1.RemoveMember{NodeId: "n1"}}},
		},
		"peat.crdt.v1.NodeDoc": {
			{Mutation: &crdtv1.Operation_ConsumeFuel{ConsumeFuel: &crdtv1.ConsumeFuel{Minutes: 5}}},
			{Mutation: &crdtv1.Operation_UpdatePosition{UpdatePosition: &crdtv1.UpdatePosition{Position: &commonv1.Position{Latitude: 1}}}},
		},
		"peat.crdt.v1.ZoneDoc": {
			{Mutation: &crdtv1.Operation_RemoveCell{RemoveCell: &crdtv1.RemoveCell{CellId: "c1"}}},
			{Mutation: &crdtv1.Operation_SetCoordinator{SetCoordinator: &crdtv1.SetCoordinator{NodeId: "n2"}}},
		},
	}
	var out []fuzzSeed
	for i, name := range crdt.Kinds() {
		k, err := crdt.Lookup(string(name))
		if err != nil {
			t.Fatal(err)
		}
		other, err := k.New(&crdtv1.DocInit{Id: "another"})
		if err != nil {
			t.Fatal(err)
		}
		// The initial message as a newer minor version sends it.
		evolved := proto.Clone(inits[string(name)]).(*crdtv1.DocInit)
		m := evolved.ProtoReflect()
		compat.Evolve(m.Get(m.WhichOneof(m.Descriptor().Oneofs().ByName("initial"))).Message())
		for _, variant := range []struct {
			suffix string
			init   *crdtv1.DocInit
		}{{"", inits[string(name)]}, {"-evolved", evolved}} {
			doc, err := k.New(variant.init)
			if err != nil {
				t.Fatal(err)
			}
			for j, o := range ops[string(name)] {
				o = op("b", uint64(11+j), proto.Clone(o).(*crdtv1.Operation))
				next, delta, err := k.Apply(doc, o)
				if err != nil {
					t.Fatal(err)
				}
				mutation := o.ProtoReflect().WhichOneof(o.ProtoReflect().Descriptor().Oneofs().ByName("mutation")).Name()
				out = append(out, fuzzSeed{
					name: fmt.Sprintf("%s-%s%s", name.Name(), mutation, variant.suffix),
					kind: byte(i), doc: encodeFuzz(t, doc), op: encodeFuzz(t, o),
					next: encodeFuzz(t, next), delta: encodeFuzz(t, delta), other: encodeFuzz(t, other),
				})
			}
		}
	}
	return out
}
