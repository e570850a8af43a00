package crdt

import (
	"sort"

	"github.com/peat-protocol/libpeat/core/merge"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// joinCapabilities unites two capability G-Sets keyed by capability id,
// sorted by id; two entries of one id resolve by joinStamped.
func joinCapabilities(a, b []*crdtv1.CapabilityEntry) []*crdtv1.CapabilityEntry {
	if len(a)+len(b) == 0 {
		return nil
	}
	// With one side empty, a set already sorted and without duplicates is
	// its own result.
	if len(b) == 0 && canonicalCapabilities(a) {
		return a
	}
	if len(a) == 0 && canonicalCapabilities(b) {
		return b
	}
	all := make([]*crdtv1.CapabilityEntry, 0, len(a)+len(b))
	all = append(append(all, a...), b...)
	if !sort.SliceIsSorted(all, func(i, j int) bool { return capID(all[i]) < capID(all[j]) }) {
		sort.SliceStable(all, func(i, j int) bool { return capID(all[i]) < capID(all[j]) })
	}
	out := all[:0:0]
	for _, e := range all {
		if e == nil {
			continue
		}
		if n := len(out); n > 0 && capID(out[n-1]) == capID(e) {
			out[n-1] = joinStamped(out[n-1], e)
			continue
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// canonicalCapabilities reports whether set has no nil entry and strictly
// increasing ids: what joinCapabilities(set, nil) would return.
func canonicalCapabilities(set []*crdtv1.CapabilityEntry) bool {
	for i, e := range set {
		if e == nil || (i > 0 && capID(set[i-1]) >= capID(e)) {
			return false
		}
	}
	return true
}

func capID(e *crdtv1.CapabilityEntry) string { return e.GetCapability().GetId() }

// findCapability returns the entry for id in a sorted set, or nil.
func findCapability(set []*crdtv1.CapabilityEntry, id string) *crdtv1.CapabilityEntry {
	i := sort.Search(len(set), func(i int) bool { return capID(set[i]) >= id })
	if i < len(set) && capID(set[i]) == id {
		return set[i]
	}
	return nil
}

// addCapability returns the delta entry of a local add: the capability with
// a stamp above any copy of the same id this replica has seen.
func addCapability(set []*crdtv1.CapabilityEntry, c *capabilityv1.Capability, t *commonv1.Timestamp, replica string) *crdtv1.CapabilityEntry {
	cur := findCapability(set, c.GetId())
	return &crdtv1.CapabilityEntry{
		Stamp:      nextStamp(cur.GetStamp(), t, replica),
		Capability: merge.Clone(c),
	}
}

// materializeCapabilities lists the winning capabilities, sorted by id.
func materializeCapabilities(set []*crdtv1.CapabilityEntry) []*capabilityv1.Capability {
	if len(set) == 0 {
		return nil
	}
	out := make([]*capabilityv1.Capability, 0, len(set))
	for _, e := range set {
		c := e.GetCapability()
		if c == nil {
			c = &capabilityv1.Capability{}
		}
		out = append(out, c) // shared: documents are never changed in place
	}
	return out
}

// initialCapabilities turns the capabilities of an initial ICD message into
// entries written at one stamp (duplicates of an id keep the greater encoding).
func initialCapabilities(caps []*capabilityv1.Capability, s *crdtv1.Stamp) []*crdtv1.CapabilityEntry {
	entries := make([]*crdtv1.CapabilityEntry, len(caps))
	room := make([]crdtv1.CapabilityEntry, len(caps))
	for i, c := range caps {
		room[i].Stamp, room[i].Capability = s, c // shared with the init, which is never changed
		entries[i] = &room[i]
	}
	return joinCapabilities(entries, nil)
}
