package crdt

import (
	"math"
	"sort"

	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// joinCounters joins two PN-counters: the base register by stamp, and per
// replica the greater increment and decrement totals. Replicas with no
// movement are dropped, so the encoding is canonical.
func joinCounters(a, b *crdtv1.PNCounter) *crdtv1.PNCounter {
	if a == nil && b == nil {
		return nil
	}
	totals := map[string]*crdtv1.PNCounterEntry{}
	for _, src := range [][]*crdtv1.PNCounterEntry{a.GetEntries(), b.GetEntries()} {
		for _, e := range src {
			t, ok := totals[e.GetReplica()]
			if !ok {
				t = &crdtv1.PNCounterEntry{Replica: e.GetReplica()}
				totals[e.GetReplica()] = t
			}
			t.Increments = max(t.Increments, e.GetIncrements())
			t.Decrements = max(t.Decrements, e.GetDecrements())
		}
	}
	out := &crdtv1.PNCounter{Base: joinStamped(a.GetBase(), b.GetBase())}
	for _, t := range totals {
		if t.Increments != 0 || t.Decrements != 0 {
			out.Entries = append(out.Entries, t)
		}
	}
	sort.Slice(out.Entries, func(i, j int) bool { return out.Entries[i].Replica < out.Entries[j].Replica })
	if out.Base == nil && len(out.Entries) == 0 {
		return nil
	}
	return out
}

// counterValue is base + increments - decrements, clamped to [0, 2^32-1].
func counterValue(c *crdtv1.PNCounter) uint32 {
	var inc, dec uint64
	for _, e := range c.GetEntries() {
		inc = satAdd(inc, e.GetIncrements())
		dec = satAdd(dec, e.GetDecrements())
	}
	up := satAdd(uint64(c.GetBase().GetValue()), inc)
	if dec >= up {
		return 0
	}
	return uint32(min(up-dec, math.MaxUint32))
}

// counterDelta returns the delta of a local change by replica: its entry with
// the new totals. Consuming takes at most the current value and replenishing
// at most up to 2^32-1, so local sequences saturate like a uint32.
func counterDelta(c *crdtv1.PNCounter, replica string, up, down uint32) *crdtv1.PNCounter {
	cur := counterValue(c)
	down = min(down, cur)
	up = min(up, math.MaxUint32-cur)
	e := &crdtv1.PNCounterEntry{Replica: replica}
	for _, x := range c.GetEntries() {
		if x.GetReplica() == replica {
			e.Increments, e.Decrements = x.GetIncrements(), x.GetDecrements()
		}
	}
	e.Increments = satAdd(e.Increments, uint64(up))
	e.Decrements = satAdd(e.Decrements, uint64(down))
	return joinCounters(&crdtv1.PNCounter{Entries: []*crdtv1.PNCounterEntry{e}}, nil)
}

func satAdd(a, b uint64) uint64 {
	if a > math.MaxUint64-b {
		return math.MaxUint64
	}
	return a + b
}
