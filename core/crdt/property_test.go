package crdt_test

import (
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"testing"

	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	"github.com/peat-protocol/libpeat/core/crdt"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// The property tests run random histories: a few replicas of one document
// apply random operations (with clocks that tie and run backwards), and ship
// deltas with loss, duplication and reordering, plus occasional full-state
// syncs. A model of each operation's causal past checks the semantics.

const fuelBase = 1_000_000

var (
	memberPool = []string{"n1", "n2", "n3", "n4", "n5", "n6"}
	capPool    = []string{"cam", "gps", "radio"}
)

// Floating-point values that a lossy copy or a numeric comparison gets
// wrong: both zeros, NaNs with payloads (quiet, signalling, negative),
// subnormals and infinities, next to ordinary values. Documents must keep
// each bit for bit, from operation or initial message to materialised state.
var (
	oddFloat64s = []uint64{
		0, 0x8000000000000000, 0x3fe0000000000000, 0x3ff0000000000000,
		0x7ff8000000000000, 0x7ff8000000000001, 0xfff8000000000000, 0x7ff0000000000001, 0x7ff4000000000000,
		0x0000000000000001, 0x8000000000000001, 0x000fffffffffffff, 0x7ff0000000000000, 0xfff0000000000000,
	}
	oddFloat32s = []uint32{
		0, 0x80000000, 0x3f000000, 0x3f666666, 0x7fc00000, 0x7fc00001, 0xffc00000,
		0x7f800001, 0x7fa00000, 0x00000001, 0x80000001, 0x007fffff, 0x7f800000,
	}
)

func drawFloat64(t *rapid.T, label string) float64 {
	return math.Float64frombits(rapid.SampledFrom(oddFloat64s).Draw(t, label))
}

func drawFloat32(t *rapid.T, label string) float32 {
	return math.Float32frombits(rapid.SampledFrom(oddFloat32s).Draw(t, label))
}

func drawPosition(t *rapid.T) *commonv1.Position {
	return &commonv1.Position{Latitude: drawFloat64(t, "lat"), Longitude: drawFloat64(t, "lon"), Altitude: drawFloat64(t, "alt")}
}

// positionValue names a position by its exact encoding (NaN != NaN, so
// values cannot be compared as numbers); no position is "".
func positionValue(t *rapid.T, p *commonv1.Position) string {
	if p == nil {
		return ""
	}
	return hex.EncodeToString(enc(t, p))
}

func enc(t *rapid.T, m proto.Message) []byte {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b
}

func join(t *rapid.T, k *crdt.Kind, a, b proto.Message) proto.Message {
	out, err := k.Join(a, b)
	if err != nil {
		t.Fatalf("join: %v", err)
	}
	return out
}

// event is one applied operation, as the model sees it.
type event struct {
	kind     string // "add", "remove" (set element), "write:<register>", "fuel"
	elem     string // set element or capability id
	value    string // register value written
	amount   int64  // fuel change
	observed map[int]bool
}

type replica struct {
	name string
	doc  proto.Message
	seen map[int]bool // events whose effect this replica has received
}

type sent struct {
	event int
	delta proto.Message
}

type history struct {
	kind     *crdt.Kind
	initial  proto.Message
	replicas []*replica
	events   []event
	deltas   []sent
}

// opGen draws an operation for a replica; model says how the op is recorded.
type opGen func(t *rapid.T, h *history, r *replica) (*crdtv1.Operation, event)

func newHistory(t *rapid.T, k *crdt.Kind, init *crdtv1.DocInit) *history {
	h := &history{kind: k}
	n := rapid.IntRange(2, 4).Draw(t, "replicas")
	start, err := k.New(init)
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	h.initial = start
	for i := 0; i < n; i++ {
		h.replicas = append(h.replicas, &replica{name: fmt.Sprintf("r%d", i), doc: start, seen: map[int]bool{}})
	}
	return h
}

func (h *history) observe(r *replica, kind, elem string) map[int]bool {
	obs := map[int]bool{}
	for id := range r.seen {
		e := h.events[id]
		if e.elem == elem && (e.kind == kind || (kind == "set" && (e.kind == "add" || e.kind == "remove"))) {
			obs[id] = true
		}
	}
	return obs
}

// run plays a random history and checks, on the way, that every delta
// reproduces its operation: Join(before, delta) == after.
func (h *history) run(t *rapid.T, gen opGen) {
	steps := rapid.IntRange(1, 40).Draw(t, "steps")
	for s := 0; s < steps; s++ {
		switch rapid.IntRange(0, 5).Draw(t, "action") {
		case 0, 1, 2: // local operation
			r := h.replicas[rapid.IntRange(0, len(h.replicas)-1).Draw(t, "at")]
			op, ev := gen(t, h, r)
			next, delta, err := h.kind.Apply(r.doc, op)
			if err != nil {
				if s := status.Of(err); s != status.Invalid {
					t.Fatalf("apply %v: %v", op, err)
				}
				continue
			}
			if got := join(t, h.kind, r.doc, delta); string(enc(t, got)) != string(enc(t, next)) {
				t.Fatalf("Join(doc, delta) differs from the applied document for %v", op)
			}
			id := len(h.events)
			h.events = append(h.events, ev)
			r.seen[id] = true
			r.doc = next
			h.deltas = append(h.deltas, sent{id, delta})
		case 3, 4: // a delta arrives somewhere (any order, maybe again)
			if len(h.deltas) == 0 {
				continue
			}
			d := h.deltas[rapid.IntRange(0, len(h.deltas)-1).Draw(t, "delta")]
			r := h.replicas[rapid.IntRange(0, len(h.replicas)-1).Draw(t, "to")]
			r.doc = join(t, h.kind, r.doc, d.delta)
			r.seen[d.event] = true
		case 5: // full-state sync one way
			from := h.replicas[rapid.IntRange(0, len(h.replicas)-1).Draw(t, "from")]
			to := h.replicas[rapid.IntRange(0, len(h.replicas)-1).Draw(t, "to")]
			to.doc = join(t, h.kind, to.doc, from.doc)
			for id := range from.seen {
				to.seen[id] = true
			}
		}
	}
}

// checkLaws: commutativity, associativity and idempotence on reachable states.
func (h *history) checkLaws(t *rapid.T) {
	pick := func(label string) proto.Message {
		return h.replicas[rapid.IntRange(0, len(h.replicas)-1).Draw(t, label)].doc
	}
	a, b, c := pick("a"), pick("b"), pick("c")
	if len(h.deltas) > 0 && rapid.Bool().Draw(t, "delta as c") {
		c = h.deltas[rapid.IntRange(0, len(h.deltas)-1).Draw(t, "c delta")].delta
	}
	k := h.kind
	ab, ba := enc(t, join(t, k, a, b)), enc(t, join(t, k, b, a))
	if string(ab) != string(ba) {
		t.Fatalf("join is not commutative")
	}
	left := enc(t, join(t, k, join(t, k, a, b), c))
	right := enc(t, join(t, k, a, join(t, k, b, c)))
	if string(left) != string(right) {
		t.Fatalf("join is not associative")
	}
	if string(enc(t, join(t, k, a, a))) != string(enc(t, a)) {
		t.Fatalf("join is not idempotent")
	}
}

// converge syncs every replica with every other (after losses) and checks
// that all hold identical documents, equal to the join of all deltas.
func (h *history) converge(t *rapid.T) proto.Message {
	k := h.kind
	order := rapid.Permutation(h.replicas).Draw(t, "sync order")
	acc := order[0].doc
	for _, r := range order[1:] {
		acc = join(t, k, acc, r.doc)
	}
	for _, r := range h.replicas {
		r.doc = join(t, k, r.doc, acc)
	}
	want := enc(t, h.replicas[0].doc)
	for _, r := range h.replicas[1:] {
		if string(enc(t, r.doc)) != string(want) {
			t.Fatalf("replicas differ after full sync")
		}
	}
	// The deltas (in any order, with duplicates) rebuild the same document.
	fromDeltas := h.initial
	ds := rapid.Permutation(h.deltas).Draw(t, "delta order")
	for i, d := range ds {
		fromDeltas = join(t, k, fromDeltas, d.delta)
		if i%3 == 0 {
			fromDeltas = join(t, k, fromDeltas, d.delta)
		}
	}
	if string(enc(t, fromDeltas)) != string(want) {
		t.Fatalf("the join of all deltas differs from the synced document")
	}
	mat := enc(t, k.Materialize(h.replicas[0].doc))
	for _, r := range h.replicas[1:] {
		if string(enc(t, k.Materialize(r.doc))) != string(mat) {
			t.Fatalf("materialised states differ")
		}
	}
	return h.replicas[0].doc
}

// liveAdds returns the elements with an add not observed by a later event
// of the same element: ORSWOT membership (add wins over concurrent remove).
func (h *history) liveAdds() []string {
	killed := map[int]bool{}
	for _, e := range h.events {
		if e.kind == "add" || e.kind == "remove" {
			for id := range e.observed {
				killed[id] = true
			}
		}
	}
	set := map[string]bool{}
	for id, e := range h.events {
		if e.kind == "add" && !killed[id] {
			set[e.elem] = true
		}
	}
	return sortedKeys(set)
}

// maximalWrites returns the values of the writes to a register that no other
// write observed: the final value must be one of them.
func (h *history) maximalWrites(reg string) map[string]bool {
	killed := map[int]bool{}
	for _, e := range h.events {
		if e.kind == "write:"+reg {
			for id := range e.observed {
				killed[id] = true
			}
		}
	}
	out := map[string]bool{}
	for id, e := range h.events {
		if e.kind == "write:"+reg && !killed[id] {
			out[e.value] = true
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func drawTime(t *rapid.T) *commonv1.Timestamp {
	if rapid.IntRange(0, 6).Draw(t, "no clock") == 0 {
		return nil
	}
	return &commonv1.Timestamp{Seconds: uint64(rapid.IntRange(0, 4).Draw(t, "sec")), Nanos: uint32(rapid.SampledFrom([]int{0, 1}).Draw(t, "ns"))}
}

func op(r *replica, t *rapid.T) *crdtv1.Operation {
	return &crdtv1.Operation{Replica: r.name, Timestamp: drawTime(t)}
}

func addCap(t *rapid.T, o *crdtv1.Operation, h *history, r *replica) event {
	id := rapid.SampledFrom(capPool).Draw(t, "cap")
	c := &capabilityv1.Capability{Id: id, Name: rapid.SampledFrom([]string{"A", "B"}).Draw(t, "cap name"), Confidence: drawFloat32(t, "cap confidence")}
	o.Mutation = &crdtv1.Operation_AddCapability{AddCapability: &crdtv1.AddCapability{Capability: c}}
	return event{kind: "capability", elem: id, value: hex.EncodeToString(enc(t, c))}
}

// setOps draws operations on an OR-Set (members or cells) and its register.
func setOps(add, remove, lead func(*crdtv1.Operation, string), clear func(*crdtv1.Operation), leaderNeedsMember bool) opGen {
	return func(t *rapid.T, h *history, r *replica) (*crdtv1.Operation, event) {
		o := op(r, t)
		x := rapid.SampledFrom(memberPool).Draw(t, "elem")
		switch rapid.IntRange(0, 5).Draw(t, "op") {
		case 0, 1:
			add(o, x)
			return o, event{kind: "add", elem: x, observed: h.observe(r, "set", x)}
		case 2:
			remove(o, x)
			return o, event{kind: "remove", elem: x, observed: h.observe(r, "set", x)}
		case 3:
			lead(o, x)
			if leaderNeedsMember {
				// The cell leader is checked against membership, not modelled.
				return o, event{kind: "write:leader"}
			}
			return o, event{kind: "write:lead", value: x, observed: h.observe(r, "write:lead", "")}
		case 4:
			clear(o)
			if leaderNeedsMember {
				return o, event{kind: "write:leader"}
			}
			return o, event{kind: "write:lead", value: "", observed: h.observe(r, "write:lead", "")}
		default:
			return o, addCap(t, o, h, r)
		}
	}
}

var cellOps = setOps(
	func(o *crdtv1.Operation, x string) {
		o.Mutation = &crdtv1.Operation_AddMember{AddMember: &crdtv1.AddMember{NodeId: x}}
	},
	func(o *crdtv1.Operation, x string) {
		o.Mutation = &crdtv1.Operation_RemoveMember{RemoveMember: &crdtv1.RemoveMember{NodeId: x}}
	},
	func(o *crdtv1.Operation, x string) {
		o.Mutation = &crdtv1.Operation_SetLeader{SetLeader: &crdtv1.SetLeader{NodeId: x}}
	},
	func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_ClearLeader{ClearLeader: &crdtv1.ClearLeader{}}
	}, true)

var zoneOps = setOps(
	func(o *crdtv1.Operation, x string) {
		o.Mutation = &crdtv1.Operation_AddCell{AddCell: &crdtv1.AddCell{CellId: x}}
	},
	func(o *crdtv1.Operation, x string) {
		o.Mutation = &crdtv1.Operation_RemoveCell{RemoveCell: &crdtv1.RemoveCell{CellId: x}}
	},
	func(o *crdtv1.Operation, x string) {
		o.Mutation = &crdtv1.Operation_SetCoordinator{SetCoordinator: &crdtv1.SetCoordinator{NodeId: x}}
	},
	func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_ClearCoordinator{ClearCoordinator: &crdtv1.ClearCoordinator{}}
	}, false)

func nodeOps(t *rapid.T, h *history, r *replica) (*crdtv1.Operation, event) {
	o := op(r, t)
	switch rapid.IntRange(0, 6).Draw(t, "op") {
	case 0:
		hs := nodev1.HealthStatus(rapid.IntRange(1, 4).Draw(t, "health"))
		o.Mutation = &crdtv1.Operation_UpdateHealth{UpdateHealth: &crdtv1.UpdateHealth{Health: hs}}
		return o, event{kind: "write:health", value: hs.String(), observed: h.observe(r, "write:health", "")}
	case 1:
		m := rapid.IntRange(0, 100).Draw(t, "minutes")
		o.Mutation = &crdtv1.Operation_ConsumeFuel{ConsumeFuel: &crdtv1.ConsumeFuel{Minutes: uint32(m)}}
		return o, event{kind: "fuel", amount: -int64(m)}
	case 2:
		m := rapid.IntRange(0, 100).Draw(t, "minutes")
		o.Mutation = &crdtv1.Operation_ReplenishFuel{ReplenishFuel: &crdtv1.ReplenishFuel{Minutes: uint32(m)}}
		return o, event{kind: "fuel", amount: int64(m)}
	case 3:
		c := rapid.SampledFrom([]string{"c1", "c2"}).Draw(t, "cell")
		o.Mutation = &crdtv1.Operation_AssignCell{AssignCell: &crdtv1.AssignCell{CellId: c}}
		return o, event{kind: "write:cell", value: c, observed: h.observe(r, "write:cell", "")}
	case 4:
		o.Mutation = &crdtv1.Operation_LeaveCell{LeaveCell: &crdtv1.LeaveCell{}}
		return o, event{kind: "write:cell", value: "", observed: h.observe(r, "write:cell", "")}
	case 5:
		p := drawPosition(t)
		o.Mutation = &crdtv1.Operation_UpdatePosition{UpdatePosition: &crdtv1.UpdatePosition{Position: p}}
		return o, event{kind: "write:position", value: positionValue(t, p), observed: h.observe(r, "write:position", "")}
	default:
		return o, addCap(t, o, h, r)
	}
}

func kind(t *testing.T, name string) *crdt.Kind {
	k, err := crdt.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestCellDocProperties(t *testing.T) {
	k := kind(t, "peat.crdt.v1.CellDoc")
	rapid.Check(t, func(t *rapid.T) {
		init := &crdtv1.DocInit{Id: "cell-1"}
		if rapid.Bool().Draw(t, "from state") {
			init = &crdtv1.DocInit{Replica: "init", Timestamp: &commonv1.Timestamp{Seconds: 1}, Initial: &crdtv1.DocInit_CellState{CellState: &cellv1.CellState{
				Config: &cellv1.CellConfig{Id: "cell-1", MaxSize: 100, MinSize: 2}, Members: []string{"n1", "n2"}, LeaderId: proto.String("n1"),
				Capabilities: []*capabilityv1.Capability{{Id: "cam", Name: "A", Confidence: drawFloat32(t, "initial confidence")}},
			}}}
		}
		h := newHistory(t, k, init)
		h.run(t, cellOps)
		h.checkLaws(t)
		doc := h.converge(t)
		got := k.Materialize(doc).(*cellv1.CellState)
		want := h.liveAddsWithInitial(init.GetCellState().GetMembers())
		if fmt.Sprint(got.Members) != fmt.Sprint(want) {
			t.Fatalf("members %v, model says %v", got.Members, want)
		}
		if got.LeaderId != nil && !contains(got.Members, got.GetLeaderId()) {
			t.Fatalf("leader %q is not a member", got.GetLeaderId())
		}
		h.checkCapabilities(t, got.Capabilities, init.GetCellState().GetCapabilities()...)
	})
}

func TestZoneDocProperties(t *testing.T) {
	k := kind(t, "peat.crdt.v1.ZoneDoc")
	rapid.Check(t, func(t *rapid.T) {
		init := &crdtv1.DocInit{Id: "zone-1"}
		if rapid.Bool().Draw(t, "from state") {
			init = &crdtv1.DocInit{Replica: "init", Initial: &crdtv1.DocInit_ZoneState{ZoneState: &zonev1.ZoneState{
				Config: &zonev1.ZoneConfig{Id: "zone-1", MaxCells: 100}, Cells: []string{"n3"}, CoordinatorId: proto.String("n1"), Timestamp: &commonv1.Timestamp{Seconds: 2},
			}}}
		}
		h := newHistory(t, k, init)
		h.run(t, zoneOps)
		h.checkLaws(t)
		doc := h.converge(t)
		got := k.Materialize(doc).(*zonev1.ZoneState)
		want := h.liveAddsWithInitial(init.GetZoneState().GetCells())
		if fmt.Sprint(got.Cells) != fmt.Sprint(want) {
			t.Fatalf("cells %v, model says %v", got.Cells, want)
		}
		h.checkRegister(t, "lead", got.GetCoordinatorId(), init.GetZoneState().GetCoordinatorId())
		h.checkCapabilities(t, got.AggregatedCapabilities)
	})
}

func TestNodeDocProperties(t *testing.T) {
	k := kind(t, "peat.crdt.v1.NodeDoc")
	rapid.Check(t, func(t *rapid.T) {
		start := &nodev1.NodeState{FuelMinutes: fuelBase}
		if rapid.Bool().Draw(t, "initial position") {
			start.Position = drawPosition(t)
		}
		init := &crdtv1.DocInit{Replica: "init", Initial: &crdtv1.DocInit_NodeState{NodeState: start}, Id: "node-1"}
		h := newHistory(t, k, init)
		h.run(t, nodeOps)
		h.checkLaws(t)
		doc := h.converge(t)
		got := k.Materialize(doc).(*nodev1.Node)
		want := int64(fuelBase)
		for _, e := range h.events {
			want += e.amount
		}
		if int64(got.State.FuelMinutes) != want {
			t.Fatalf("fuel %d, increments minus decrements give %d", got.State.FuelMinutes, want)
		}
		h.checkRegister(t, "health", got.State.Health.String(), nodev1.HealthStatus(0).String())
		h.checkRegister(t, "cell", got.State.GetCellId(), "")
		h.checkRegister(t, "position", positionValue(t, got.State.Position), positionValue(t, start.Position))
		h.checkCapabilities(t, got.Config.GetCapabilities())
	})
}

// liveAddsWithInitial adds the initial elements that no event touched.
func (h *history) liveAddsWithInitial(initial []string) []string {
	set := map[string]bool{}
	for _, x := range h.liveAdds() {
		set[x] = true
	}
	for _, x := range initial {
		if !h.initialKilled(x) {
			set[x] = true
		}
	}
	return sortedKeys(set)
}

// initialKilled: an initial element dies with the first add or remove of it
// anywhere (every replica has seen the initial add).
func (h *history) initialKilled(x string) bool {
	for _, e := range h.events {
		if (e.kind == "add" || e.kind == "remove") && e.elem == x {
			return true
		}
	}
	return false
}

func (h *history) checkRegister(t *rapid.T, reg, got, initial string) {
	max := h.maximalWrites(reg)
	if len(max) == 0 {
		max = map[string]bool{initial: true}
	}
	if !max[got] {
		t.Fatalf("register %s = %q, but only %v are causally last", reg, got, sortedKeys(max))
	}
}

// checkCapabilities: the materialised capabilities are those added (or
// initial), each exactly as one of its writers wrote it, bit for bit.
func (h *history) checkCapabilities(t *rapid.T, caps []*capabilityv1.Capability, initial ...*capabilityv1.Capability) {
	want := map[string]bool{}
	written := map[string]bool{}
	for _, c := range initial {
		want[c.Id] = true
		written[hex.EncodeToString(enc(t, c))] = true
	}
	for _, e := range h.events {
		if e.kind == "capability" {
			want[e.elem] = true
			written[e.value] = true
		}
	}
	var got []string
	for _, c := range caps {
		got = append(got, c.Id)
		if !written[hex.EncodeToString(enc(t, c))] {
			t.Fatalf("capability %x was never written", enc(t, c))
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(sortedKeys(want)) {
		t.Fatalf("capabilities %v, want %v", got, sortedKeys(want))
	}
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
