package crdt

import (
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// anySet draws OR-sets canonical or not: unsorted and duplicate context
// dots, zero counters, clouds, elements out of order, duplicate ids and
// tags, tags above the vector, unknown fields.
func anySet(t *rapid.T) *crdtv1.ORSet {
	replica := rapid.SampledFrom([]string{"", "a", "b", "c", "d"})
	counter := rapid.Uint64Range(0, 6)
	s := &crdtv1.ORSet{}
	for i, n := 0, rapid.IntRange(0, 5).Draw(t, "ctx"); i < n; i++ {
		s.Context = append(s.Context, &crdtv1.Dot{Replica: replica.Draw(t, "r"), Counter: counter.Draw(t, "n")})
	}
	for i, n := 0, rapid.IntRange(0, 2).Draw(t, "cloud"); i < n; i++ {
		s.Cloud = append(s.Cloud, &crdtv1.Dot{Replica: replica.Draw(t, "r"), Counter: counter.Draw(t, "n")})
	}
	for i, n := 0, rapid.IntRange(0, 5).Draw(t, "elems"); i < n; i++ {
		e := &crdtv1.Element{Id: rapid.SampledFrom([]string{"m1", "m2", "m3", "m4"}).Draw(t, "id")}
		for j, k := 0, rapid.IntRange(0, 3).Draw(t, "tags"); j < k; j++ {
			e.Tags = append(e.Tags, &crdtv1.Tag{Replica: replica.Draw(t, "r"), Counter: counter.Draw(t, "n"), Seconds: rapid.Uint64Range(0, 2).Draw(t, "s")})
		}
		s.Elements = append(s.Elements, e)
	}
	if rapid.IntRange(0, 9).Draw(t, "unknown") == 0 {
		s.ProtoReflect().SetUnknown(protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 1))
	}
	if rapid.Bool().Draw(t, "canonicalise") {
		if c, err := joinSets(s, &crdtv1.ORSet{}, "members"); err == nil && c != nil {
			s = c
		}
	}
	return s
}

// TestJoinWithNothingTakesTheFastPathOnlyWhenExact: joinSets(s, nil, "members") (which
// returns a canonical s as it is) equals the full join with an empty set,
// for canonical and non-canonical sets alike.
func TestJoinWithNothingTakesTheFastPathOnlyWhenExact(t *testing.T) {
	fast := 0
	rapid.Check(t, func(t *rapid.T) {
		s := anySet(t)
		want, werr := joinSets(s, &crdtv1.ORSet{}, "members")
		got, gerr := joinSets(s, nil, "members")
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("errors differ: %v / %v", werr, gerr)
		}
		if !proto.Equal(want, got) {
			t.Fatalf("join with nothing differs:\n full %v\n fast %v", want, got)
		}
		got2, _ := joinSets(nil, s, "members")
		if !proto.Equal(want, got2) {
			t.Fatalf("join of nothing with s differs:\n full %v\n fast %v", want, got2)
		}
		if canonicalSet(s) {
			fast++
		}
	})
	if fast == 0 {
		t.Fatal("no drawn set took the fast path")
	}
}

// TestVectorsMatchAMap: the sorted-slice version vector behaves as the
// map it replaced (pointwise maximum, zero counters absent).
func TestVectorsMatchAMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, model := newCausal(), map[string]uint64{}
		for i, n := 0, rapid.IntRange(0, 30).Draw(t, "ops"); i < n; i++ {
			r := rapid.SampledFrom([]string{"", "a", "b", "c", "d", "e"}).Draw(t, "r")
			k := rapid.Uint64Range(0, 5).Draw(t, "k")
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0:
				c.raise(r, k)
				if k > model[r] {
					model[r] = k
				}
			case 1:
				o := newCausal()
				o.vv = vectorOf(nil, []*crdtv1.Dot{{Replica: r, Counter: k}, {Replica: "b", Counter: k + 1}, {Replica: r, Counter: k / 2}})
				c.union(o)
				for _, d := range []struct {
					r string
					k uint64
				}{{r, k}, {"b", k + 1}} {
					if d.k > model[d.r] {
						model[d.r] = d.k
					}
				}
			default:
				c.add(r, k)
				c.compact()
			}
			for i := 1; i < len(c.vv); i++ {
				if c.vv[i-1].replica >= c.vv[i].replica {
					t.Fatalf("vector not sorted: %v", c.vv)
				}
			}
		}
		// compact may have raised entries by folding cloud dots: the model
		// is a lower bound, and every model entry is present.
		for r, k := range model {
			if k > 0 && c.at(r) < k {
				t.Fatalf("replica %q: %d, want at least %d", r, c.at(r), k)
			}
		}
		for _, d := range c.vv {
			if d.counter == 0 {
				t.Fatalf("zero counter kept: %v", c.vv)
			}
		}
	})
}
