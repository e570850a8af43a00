package crdt

import (
	"sort"

	"github.com/peat-protocol/libpeat/core/merge"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// The OR-Set is ORSWOT-style: elements with live tags (dots) plus a causal
// context of every dot seen. Joining keeps a tag when both sides have it, or
// when the other side has never seen it; a removal therefore drops exactly
// the adds its replica had observed, and a concurrent add wins. The context
// is a version vector plus a small "cloud" of dots from out-of-order deltas,
// so removed elements leave no tombstones.

type dot struct {
	replica string
	counter uint64
}

// causal is an in-memory causal context: the version vector as a slice
// sorted by replica (documents name a handful of replicas, so binary search
// beats a map and iterating it needs no sort), and the cloud as a map made
// only when a dot arrives out of order.
type causal struct {
	vv    []dot // sorted by replica, one entry per replica, counter > 0
	cloud map[dot]struct{}
	room  []dot // if big enough, where union writes the next vector
}

func newCausal() *causal { return &causal{} }

// find returns the index of replica in vv, or where it would be inserted.
func (c *causal) find(replica string) (int, bool) {
	lo, hi := 0, len(c.vv)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c.vv[m].replica < replica {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(c.vv) && c.vv[lo].replica == replica
}

// at is the vector's counter of replica (0 if absent).
func (c *causal) at(replica string) uint64 {
	if i, ok := c.find(replica); ok {
		return c.vv[i].counter
	}
	return 0
}

// raise sets the vector's counter of replica to n if that is higher.
func (c *causal) raise(replica string, n uint64) {
	i, ok := c.find(replica)
	switch {
	case ok:
		if n > c.vv[i].counter {
			c.vv[i].counter = n
		}
	case n > 0:
		c.vv = append(c.vv, dot{})
		copy(c.vv[i+1:], c.vv[i:])
		c.vv[i] = dot{replica, n}
	}
}

// seen reports whether the dot is in the context. Counter 0 is not a dot: it
// counts as seen everywhere, so such tags are always dropped.
func (c *causal) seen(replica string, n uint64) bool {
	if n <= c.at(replica) {
		return true
	}
	_, ok := c.cloud[dot{replica, n}]
	return ok
}

func (c *causal) add(replica string, n uint64) {
	if n > c.at(replica) {
		if c.cloud == nil {
			c.cloud = map[dot]struct{}{}
		}
		c.cloud[dot{replica, n}] = struct{}{}
	}
}

// union adds every dot of o.
func (c *causal) union(o *causal) {
	if n := len(c.vv) + len(o.vv); cap(c.room) >= n && !aliases(c.room, c.vv) {
		c.vv, c.room = mergeVectorsInto(c.room[:0], c.vv, o.vv), nil
	} else {
		c.vv = mergeVectors(c.vv, o.vv)
	}
	for d := range o.cloud {
		c.add(d.replica, d.counter)
	}
}

// mergeVectors is the pointwise maximum of two sorted vectors, in linear
// time; it returns a itself when b adds nothing.
func mergeVectors(a, b []dot) []dot {
	if len(b) == 0 {
		return a
	}
	covered := true
	for i, j := 0, 0; j < len(b); {
		switch {
		case i < len(a) && a[i].replica < b[j].replica:
			i++
		case i < len(a) && a[i].replica == b[j].replica && a[i].counter >= b[j].counter:
			i, j = i+1, j+1
		default:
			covered = false
			j = len(b)
		}
	}
	if covered {
		return a
	}
	return mergeVectorsInto(make([]dot, 0, len(a)+len(b)), a, b)
}

// aliases reports whether two slices share their first element's memory.
func aliases(a, b []dot) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:1][0] == &b[:1][0]
}

// mergeVectorsInto appends the pointwise maximum of a and b to out.
func mergeVectorsInto(out, a, b []dot) []dot {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i].replica < b[j].replica):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].replica < a[i].replica:
			out = append(out, b[j])
			j++
		default:
			out = append(out, dot{a[i].replica, max(a[i].counter, b[j].counter)})
			i, j = i+1, j+1
		}
	}
	return out
}

// compact folds cloud dots that extend the version vector into it and drops
// those it already covers.
func (c *causal) compact() {
	if len(c.cloud) == 0 {
		return
	}
	ds := make([]dot, 0, len(c.cloud))
	for d := range c.cloud {
		ds = append(ds, d)
	}
	sortDots(ds)
	// Per replica (ds is sorted), the dots extending the vector in sequence;
	// the new counters are merged into the vector once, in linear time.
	var raised []dot
	for i := 0; i < len(ds); {
		r, n := ds[i].replica, c.at(ds[i].replica)
		from := n
		for ; i < len(ds) && ds[i].replica == r; i++ {
			switch d := ds[i]; {
			case d.counter <= n:
				delete(c.cloud, d)
			case d.counter == n+1:
				n = d.counter
				delete(c.cloud, d)
			}
		}
		if n > from {
			raised = append(raised, dot{r, n})
		}
	}
	c.vv = mergeVectors(c.vv, raised)
}

// highest is the greatest counter of replica in the context.
func (c *causal) highest(replica string) uint64 {
	n := c.at(replica)
	for d := range c.cloud {
		if d.replica == replica && d.counter > n {
			n = d.counter
		}
	}
	return n
}

func sortDots(ds []dot) {
	sort.Slice(ds, func(i, j int) bool {
		if ds[i].replica != ds[j].replica {
			return ds[i].replica < ds[j].replica
		}
		return ds[i].counter < ds[j].counter
	})
}

// contextOf reads the causal context of a set: its vector, its cloud and the
// tags of its (normalised) elements.
func contextOf(s *crdtv1.ORSet, elems []*crdtv1.Element) *causal {
	c := newCausal()
	readContext(c, s, elems, nil)
	return c
}

// readContext is contextOf into c, with buf as room for the vector (so a
// caller can keep small vectors on its stack).
func readContext(c *causal, s *crdtv1.ORSet, elems []*crdtv1.Element, buf []dot) {
	c.vv = vectorOf(buf, s.GetContext())
	for _, d := range s.GetCloud() {
		c.add(d.GetReplica(), d.GetCounter())
	}
	for _, e := range elems {
		for _, t := range e.Tags {
			c.add(t.GetReplica(), t.GetCounter())
		}
	}
	c.compact()
}

// vectorOf reads a context vector: the greatest counter per replica, sorted
// by replica, counters of 0 left out (O(n log n) whatever the input order).
func vectorOf(buf []dot, ctx []*crdtv1.Dot) []dot {
	if len(ctx) == 0 {
		return nil
	}
	vv := buf[:0]
	if cap(vv) < len(ctx) {
		vv = make([]dot, 0, len(ctx))
	}
	sorted := true
	for _, d := range ctx {
		if d.GetCounter() == 0 {
			continue
		}
		if n := len(vv); n > 0 && vv[n-1].replica >= d.GetReplica() {
			sorted = false
		}
		vv = append(vv, dot{d.GetReplica(), d.GetCounter()})
	}
	if sorted {
		return vv
	}
	sortDots(vv)
	out := vv[:0]
	for _, d := range vv {
		if n := len(out); n > 0 && out[n-1].replica == d.replica {
			out[n-1].counter = d.counter // sorted: the later one is greater
			continue
		}
		out = append(out, d)
	}
	return out
}

func tagLess(a, b *crdtv1.Tag) bool {
	if a.GetReplica() != b.GetReplica() {
		return a.GetReplica() < b.GetReplica()
	}
	return a.GetCounter() < b.GetCounter()
}

func sameDot(a, b *crdtv1.Tag) bool {
	return a.GetReplica() == b.GetReplica() && a.GetCounter() == b.GetCounter()
}

// earlierTag keeps the earlier join time when one dot arrives with two times
// (only possible in hand-made input), so the choice does not depend on order.
func earlierTag(a, b *crdtv1.Tag) *crdtv1.Tag {
	if merge.CompareTimes(b.GetSeconds(), b.GetNanos(), a.GetSeconds(), a.GetNanos()) < 0 {
		return b
	}
	return a
}

// normalElements returns the elements sorted by id with duplicates merged,
// each with sorted, duplicate-free tags and no counter-0 tags. Unknown fields
// inside elements and tags are dropped: joins reuse elements and tags from
// either side, so anything but their known content would make the result
// depend on the order. Input that is already canonical is returned as is,
// without copying.
func normalElements(in []*crdtv1.Element) []*crdtv1.Element {
	if elementsNormal(in) {
		return in
	}
	all := make([]*crdtv1.Element, 0, len(in))
	for _, e := range in {
		if e != nil {
			all = append(all, e)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].GetId() < all[j].GetId() })
	out := make([]*crdtv1.Element, 0, len(all))
	for i := 0; i < len(all); {
		j := i
		var tags []*crdtv1.Tag
		for ; j < len(all) && all[j].GetId() == all[i].GetId(); j++ {
			tags = append(tags, all[j].Tags...)
		}
		out = append(out, &crdtv1.Element{Id: all[i].GetId(), Tags: normalizeTags(tags)})
		i = j
	}
	return out
}

// elementsNormal reports whether in is what normalElements would return.
func elementsNormal(in []*crdtv1.Element) bool {
	for i, e := range in {
		if e == nil || (i > 0 && in[i-1].GetId() >= e.GetId()) || hasUnknown(e) || !normalTags(e.Tags) {
			return false
		}
	}
	return true
}

func normalTags(ts []*crdtv1.Tag) bool {
	for i, t := range ts {
		if t == nil || t.GetCounter() == 0 || hasUnknown(t) || (i > 0 && !tagLess(ts[i-1], t)) {
			return false
		}
	}
	return true
}

func normalizeTags(in []*crdtv1.Tag) []*crdtv1.Tag {
	ts := make([]*crdtv1.Tag, 0, len(in))
	for _, t := range in {
		if t != nil && t.GetCounter() != 0 {
			if hasUnknown(t) {
				t = &crdtv1.Tag{Replica: t.GetReplica(), Counter: t.GetCounter(), Seconds: t.GetSeconds(), Nanos: t.GetNanos()}
			}
			ts = append(ts, t)
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return tagLess(ts[i], ts[j]) })
	out := ts[:0]
	for _, t := range ts {
		if n := len(out); n > 0 && sameDot(out[n-1], t) {
			out[n-1] = earlierTag(out[n-1], t)
			continue
		}
		out = append(out, t)
	}
	return out
}

// survivors keeps the tags the other side has not seen (sharing the input
// slice when all survive); the dots it drops are appended to *dropped.
func survivors(ts []*crdtv1.Tag, other *causal, dropped *[]dot) []*crdtv1.Tag {
	for i, t := range ts {
		if other.seen(t.GetReplica(), t.GetCounter()) {
			*dropped = append(*dropped, dot{t.GetReplica(), t.GetCounter()})
			out := append([]*crdtv1.Tag(nil), ts[:i]...)
			for _, u := range ts[i+1:] {
				if !other.seen(u.GetReplica(), u.GetCounter()) {
					out = append(out, u)
				} else {
					*dropped = append(*dropped, dot{u.GetReplica(), u.GetCounter()})
				}
			}
			return out
		}
	}
	return ts
}

// joinTags is (a ∩ b) ∪ (a \ cb) ∪ (b \ ca) over sorted tag lists; the dots
// it drops are appended to *dropped.
func joinTags(a, b []*crdtv1.Tag, ca, cb *causal, dropped *[]dot) []*crdtv1.Tag {
	out := make([]*crdtv1.Tag, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && tagLess(a[i], b[j])):
			if !cb.seen(a[i].GetReplica(), a[i].GetCounter()) {
				out = append(out, a[i])
			} else {
				*dropped = append(*dropped, dot{a[i].GetReplica(), a[i].GetCounter()})
			}
			i++
		case i == len(a) || tagLess(b[j], a[i]):
			if !ca.seen(b[j].GetReplica(), b[j].GetCounter()) {
				out = append(out, b[j])
			} else {
				*dropped = append(*dropped, dot{b[j].GetReplica(), b[j].GetCounter()})
			}
			j++
		default:
			out = append(out, earlierTag(a[i], b[j]))
			i++
			j++
		}
	}
	return out
}

// joinSets is the ORSWOT join. The result may share elements with the
// inputs. field names the set in errors: a dot that names two different
// elements is refused (see reusedDot).
func joinSets(a, b *crdtv1.ORSet, field string) (*crdtv1.ORSet, error) {
	if a == nil && b == nil {
		return nil, nil
	}
	// Joining with nothing: a canonical set is its own result (the join
	// below would rebuild an equal one).
	if b == nil && canonicalSet(a) {
		return a, nil
	}
	if a == nil && canonicalSet(b) {
		return b, nil
	}
	ea, eb := normalElements(a.GetElements()), normalElements(b.GetElements())
	// One allocation holds both vectors and their union.
	la, lb := len(a.GetContext()), len(b.GetContext())
	buf := make([]dot, 2*(la+lb))
	var ca, cb causal
	readContext(&ca, a, ea, buf[:0:la])
	readContext(&cb, b, eb, buf[la:la:la+lb])
	ca.room = buf[la+lb : la+lb : 2*(la+lb)]
	out := make([]*crdtv1.Element, 0, len(ea)+len(eb))
	keep := func(id string, tags []*crdtv1.Tag, same *crdtv1.Element) {
		if len(tags) == 0 {
			return
		}
		if same != nil && len(tags) == len(same.Tags) {
			out = append(out, same)
			return
		}
		out = append(out, &crdtv1.Element{Id: id, Tags: tags})
	}
	var dropped []dot
	i, j := 0, 0
	for i < len(ea) || j < len(eb) {
		switch {
		case j == len(eb) || (i < len(ea) && ea[i].GetId() < eb[j].GetId()):
			keep(ea[i].GetId(), survivors(ea[i].Tags, &cb, &dropped), ea[i])
			i++
		case i == len(ea) || eb[j].GetId() < ea[i].GetId():
			keep(eb[j].GetId(), survivors(eb[j].Tags, &ca, &dropped), eb[j])
			j++
		default:
			tags := joinTags(ea[i].Tags, eb[j].Tags, &ca, &cb, &dropped)
			if sameTags(tags, ea[i].Tags) {
				keep(ea[i].GetId(), tags, ea[i])
			} else {
				keep(ea[i].GetId(), tags, nil)
			}
			i++
			j++
		}
	}
	if err := reusedDot(dropped, field, ea, eb); err != nil {
		return nil, err
	}
	ca.union(&cb)
	ca.compact()
	return encodeSet(out, &ca), nil
}

// canonicalSet reports, without allocating, whether s is exactly what
// joinSets(s, nil) would build from it: normal elements, a context vector
// sorted by replica with positive counters, no cloud, every element with
// at least one tag and every tag covered by the vector, and no unknown
// fields anywhere encodeSet would drop. The common case: every set a join produced with an empty cloud.
func canonicalSet(s *crdtv1.ORSet) bool {
	if s == nil || len(s.Cloud) > 0 || hasUnknown(s) || (len(s.Elements) == 0 && len(s.Context) == 0) {
		return false
	}
	for i, d := range s.Context {
		if d == nil || d.GetCounter() == 0 || hasUnknown(d) || (i > 0 && s.Context[i-1].GetReplica() >= d.GetReplica()) {
			return false
		}
	}
	if !elementsNormal(s.Elements) {
		return false
	}
	for _, e := range s.Elements {
		if len(e.Tags) == 0 { // the join drops an element without live tags
			return false
		}
		for _, t := range e.Tags {
			if t.GetCounter() > vectorAt(s.Context, t.GetReplica()) {
				return false
			}
		}
	}
	return true
}

// vectorAt is the counter of replica in a sorted context vector (0 if absent).
func vectorAt(ctx []*crdtv1.Dot, replica string) uint64 {
	i := sort.Search(len(ctx), func(i int) bool { return ctx[i].GetReplica() >= replica })
	if i < len(ctx) && ctx[i].GetReplica() == replica {
		return ctx[i].GetCounter()
	}
	return 0
}

// reusedDot refuses a join in which a dot (replica, counter) names two
// different elements. Dots are unique as long as every replica id acts only
// from its latest document; a replica that restarts from an older copy, or
// two documents created from different initial messages under one replica
// id, issue a counter again for another element. The join cannot tell which
// add is real -- each side has seen the other's dot and so drops it as
// removed, losing both elements silently -- so it fails instead.
//
// Such a dot is always dropped by the join (both sides have seen it), so only
// the dropped dots need checking: nothing is done unless the join removes
// something, and then one pass over the tags with a lookup in the (small)
// set of dropped dots.
func reusedDot(dropped []dot, field string, sides ...[]*crdtv1.Element) error {
	if len(dropped) == 0 {
		return nil
	}
	// The least and greatest element id each dropped dot names.
	type span struct {
		lo, hi string
		set    bool
	}
	names := make(map[dot]*span, len(dropped))
	for _, d := range dropped {
		names[d] = &span{}
	}
	for _, elems := range sides {
		for _, e := range elems {
			for _, t := range e.Tags {
				sp, ok := names[dot{t.GetReplica(), t.GetCounter()}]
				switch {
				case !ok:
				case !sp.set:
					sp.lo, sp.hi, sp.set = e.GetId(), e.GetId(), true
				default:
					sp.lo, sp.hi = min(sp.lo, e.GetId()), max(sp.hi, e.GetId())
				}
			}
		}
	}
	var clash []dot
	for d, sp := range names {
		if sp.lo != sp.hi {
			clash = append(clash, d)
		}
	}
	if len(clash) == 0 {
		return nil
	}
	// The same error whatever the order of the inputs.
	sortDots(clash)
	d, sp := clash[0], names[clash[0]]
	return status.Errorf(status.Mismatch, "replica %q used counter %d for two different elements, %q and %q: "+
		"a replica id must never act from an older copy of a document; continue under a fresh replica id",
		clip(d.replica), d.counter, clip(sp.lo), clip(sp.hi)).WithCode("DOT_REUSED").AtPath(field)
}

func sameTags(a, b []*crdtv1.Tag) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// encodeSet writes a set canonically: the context vector sorted by replica,
// and as cloud only the seen dots that neither the vector nor an element tag
// already implies. An empty set is nil.
func encodeSet(elems []*crdtv1.Element, c *causal) *crdtv1.ORSet {
	s := &crdtv1.ORSet{}
	if len(elems) > 0 {
		s.Elements = elems
	}
	if len(c.vv) > 0 {
		dots := make([]crdtv1.Dot, len(c.vv))
		s.Context = make([]*crdtv1.Dot, len(c.vv))
		for i, d := range c.vv {
			dots[i].Replica, dots[i].Counter = d.replica, d.counter
			s.Context[i] = &dots[i]
		}
	}
	if len(c.cloud) > 0 {
		implied := map[dot]struct{}{}
		for _, e := range elems {
			for _, t := range e.Tags {
				if t.GetCounter() > c.at(t.GetReplica()) {
					implied[dot{t.GetReplica(), t.GetCounter()}] = struct{}{}
				}
			}
		}
		var ds []dot
		for d := range c.cloud {
			if _, ok := implied[d]; !ok {
				ds = append(ds, d)
			}
		}
		sortDots(ds)
		for _, d := range ds {
			s.Cloud = append(s.Cloud, &crdtv1.Dot{Replica: d.replica, Counter: d.counter})
		}
	}
	if len(s.Elements) == 0 && len(s.Context) == 0 && len(s.Cloud) == 0 {
		return nil
	}
	return s
}

// findElement returns the element with id in a normalised set, or nil.
func findElement(elems []*crdtv1.Element, id string) *crdtv1.Element {
	i := sort.Search(len(elems), func(i int) bool { return elems[i].GetId() >= id })
	if i < len(elems) && elems[i].GetId() == id {
		return elems[i]
	}
	return nil
}

// addDelta is the delta of a local add of id by replica at time t: one new
// tag, whose context also holds the element's tags seen so far (superseded).
// The join time carries over from the earliest tag seen, so re-adding an
// existing element does not make it younger.
func addDelta(s *crdtv1.ORSet, id, replica string, t *commonv1.Timestamp) *crdtv1.ORSet {
	elems := normalElements(s.GetElements())
	ctx := contextOf(s, elems)
	tag := &crdtv1.Tag{Replica: replica, Counter: ctx.highest(replica) + 1, Seconds: t.GetSeconds(), Nanos: t.GetNanos()}
	dc := newCausal()
	if e := findElement(elems, id); e != nil {
		for _, old := range e.Tags {
			dc.add(old.GetReplica(), old.GetCounter())
			if merge.CompareTimes(old.GetSeconds(), old.GetNanos(), tag.Seconds, tag.Nanos) < 0 {
				tag.Seconds, tag.Nanos = old.GetSeconds(), old.GetNanos()
			}
		}
	}
	dc.add(replica, tag.Counter)
	dc.compact()
	return encodeSet([]*crdtv1.Element{{Id: id, Tags: []*crdtv1.Tag{tag}}}, dc)
}

// removeDelta is the delta of a local remove: the element's seen tags as
// context only. Nil when the element is absent.
func removeDelta(s *crdtv1.ORSet, id string) *crdtv1.ORSet {
	e := findElement(normalElements(s.GetElements()), id)
	if e == nil {
		return nil
	}
	dc := newCausal()
	for _, t := range e.Tags {
		dc.add(t.GetReplica(), t.GetCounter())
	}
	dc.compact()
	return encodeSet(nil, dc)
}

// initialSet builds the set of an initial ICD message: each distinct id gets
// tag (replica, i) in sorted order, all with join time t.
func initialSet(ids []string, replica string, t *commonv1.Timestamp) *crdtv1.ORSet {
	ids = merge.Strings(ids, nil)
	c := newCausal()
	// Four allocations, whatever the number of members.
	elems := make([]*crdtv1.Element, len(ids))
	es := make([]crdtv1.Element, len(ids))
	tags := make([]*crdtv1.Tag, len(ids))
	ts := make([]crdtv1.Tag, len(ids))
	for i, id := range ids {
		ts[i].Replica, ts[i].Counter, ts[i].Seconds, ts[i].Nanos = replica, uint64(i+1), t.GetSeconds(), t.GetNanos()
		tags[i] = &ts[i]
		es[i].Id, es[i].Tags = id, tags[i:i+1:i+1]
		elems[i] = &es[i]
	}
	if len(ids) > 0 {
		c.raise(replica, uint64(len(ids)))
	}
	return encodeSet(elems, c)
}

// visible lists the elements of a normalised set.
func visible(s *crdtv1.ORSet) []*crdtv1.Element { return normalElements(s.GetElements()) }

// joinTime is the earliest time among an element's live tags.
func joinTime(e *crdtv1.Element) (uint64, uint32) {
	var s uint64
	var n uint32
	for i, t := range e.Tags {
		if i == 0 || merge.CompareTimes(t.GetSeconds(), t.GetNanos(), s, n) < 0 {
			s, n = t.GetSeconds(), t.GetNanos()
		}
	}
	return s, n
}
