// Package merge merges plain ICD messages (NodeState, NodeConfig, Node,
// CellState, Cell, ZoneState, Zone) for replicas that only exchange ICD
// messages. Every merge is commutative, associative and idempotent on
// normalised messages (sets sorted and free of duplicates, which every merge
// output is), and deterministic to the byte:
//
//   - registers are last-writer-wins by the full (seconds, nanos) timestamp;
//     equal timestamps go to the greater canonical (deterministic binary)
//     encoding of the competing values, so replicas never diverge;
//   - string sets (members, cells) are united and sorted;
//   - capabilities are a G-Set keyed by id; two copies of one id go to the
//     later registered_at, then to the greater canonical encoding;
//   - merging two different entities (different config ids) is a Mismatch.
//
// The plain form cannot express removals or counters; package crdt has the
// replicated documents that can. docs/CRDT.md states the rules in full.
//
// A merge never modifies its inputs, and its result shares sub-messages
// (capabilities, configs, timestamps, a whole winning NodeState) with them
// instead of copying each one at every merge: treat inputs and result as
// immutable, or Clone the result before changing it. Sharing keeps every
// float bit of the winner by construction (clone.go).
package merge

import (
	"sort"

	"google.golang.org/protobuf/proto"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// NodeState merges two node states as one whole-record register: the message
// with the later timestamp wins entirely, ties go to the greater canonical
// encoding. NodeState has no id and no per-field timestamps, so any two
// node states merge and a field cannot win on its own (use a NodeDoc for
// per-field registers and a fuel counter).
func NodeState(a, b *nodev1.NodeState) *nodev1.NodeState {
	a, b = orEmpty(a), orEmpty(b)
	return lww(a, b, a.GetTimestamp(), b.GetTimestamp())
}

// NodeConfig merges two configurations of one node: capabilities as a G-Set
// by id; every other field (with the unknown fields) as one register ordered
// by created_at, then canonical encoding.
func NodeConfig(a, b *nodev1.NodeConfig) (*nodev1.NodeConfig, error) {
	if err := sameID("node", a.GetId(), b.GetId(), "id"); err != nil {
		return nil, err
	}
	return nodeConfig(a, b), nil
}

func nodeConfig(a, b *nodev1.NodeConfig) *nodev1.NodeConfig {
	if !valid(a) && !valid(b) {
		return nil
	}
	ra, rb := withoutCapabilities(a), withoutCapabilities(b)
	out := lww(ra, rb, ra.GetCreatedAt(), rb.GetCreatedAt())
	if out == nil {
		out = &nodev1.NodeConfig{}
	}
	out.Capabilities = Capabilities(a.GetCapabilities(), b.GetCapabilities())
	return out
}

// withoutCapabilities returns a new NodeConfig holding (sharing) every field
// of c but its capabilities, and c's unknown fields. nodeConfigFields lists
// the fields it copies; a test fails when NodeConfig gains one.
func withoutCapabilities(c *nodev1.NodeConfig) *nodev1.NodeConfig {
	if c == nil {
		return nil
	}
	r := &nodev1.NodeConfig{
		Id:              c.Id,
		PlatformType:    c.PlatformType,
		CommRangeM:      c.CommRangeM,
		MaxSpeedMps:     c.MaxSpeedMps,
		OperatorBinding: c.OperatorBinding,
		CreatedAt:       c.CreatedAt,
	}
	if u := unknown(c); len(u) > 0 {
		r.ProtoReflect().SetUnknown(u)
	}
	return r
}

// nodeConfigFields are the NodeConfig fields withoutCapabilities knows.
var nodeConfigFields = []string{"id", "platform_type", "capabilities", "comm_range_m", "max_speed_mps", "operator_binding", "created_at"}

// Node merges two nodes of one id (config.id): config as NodeConfig, state
// as NodeState.
func Node(a, b *nodev1.Node) (*nodev1.Node, error) {
	if err := sameID("node", a.GetConfig().GetId(), b.GetConfig().GetId(), "config.id"); err != nil {
		return nil, err
	}
	out := &nodev1.Node{Config: nodeConfig(a.GetConfig(), b.GetConfig())}
	if valid(a.GetState()) || valid(b.GetState()) {
		out.State = NodeState(orEmpty(a.GetState()), orEmpty(b.GetState()))
	}
	JoinUnknown(out, a, b)
	return out, nil
}

// CellState merges two states of one cell (config.id): config as a register
// ordered by created_at; leader_id and platoon_id together as a register
// ordered by timestamp (the result carries the winner's timestamp); members
// united; capabilities a G-Set by id. The union can exceed config.max_size:
// the plain form has no removals, so the result may fail validation.
func CellState(a, b *cellv1.CellState) (*cellv1.CellState, error) {
	if err := sameID("cell", a.GetConfig().GetId(), b.GetConfig().GetId(), "config.id"); err != nil {
		return nil, err
	}
	return cellState(a, b), nil
}

func cellState(a, b *cellv1.CellState) *cellv1.CellState {
	a, b = orEmpty(a), orEmpty(b)
	pa, pb := cellRegister(a), cellRegister(b)
	out := lww(pa, pb, pa.GetTimestamp(), pb.GetTimestamp())
	out.Config = cellConfig(a.GetConfig(), b.GetConfig())
	out.Members = Strings(a.GetMembers(), b.GetMembers())
	out.Capabilities = Capabilities(a.GetCapabilities(), b.GetCapabilities())
	return out
}

// cellRegister is the last-writer-wins part of a CellState: leader_id,
// platoon_id, timestamp and the unknown fields.
func cellRegister(s *cellv1.CellState) *cellv1.CellState {
	r := &cellv1.CellState{LeaderId: s.LeaderId, PlatoonId: s.PlatoonId, Timestamp: s.GetTimestamp()}
	if u := unknown(s); len(u) > 0 {
		r.ProtoReflect().SetUnknown(u)
	}
	return r
}

func cellConfig(a, b *cellv1.CellConfig) *cellv1.CellConfig {
	return lww(a, b, a.GetCreatedAt(), b.GetCreatedAt())
}

// Cell merges two cells of one id: config (and the state's config) as a
// register ordered by created_at, state as CellState.
func Cell(a, b *cellv1.Cell) (*cellv1.Cell, error) {
	if err := sameID("cell", a.GetConfig().GetId(), b.GetConfig().GetId(), "config.id"); err != nil {
		return nil, err
	}
	if err := sameStateID("cell", valid(a.GetState()) && valid(b.GetState()), a.GetState().GetConfig().GetId(), b.GetState().GetConfig().GetId()); err != nil {
		return nil, err
	}
	out := &cellv1.Cell{Config: cellConfig(a.GetConfig(), b.GetConfig())}
	if valid(a.GetState()) || valid(b.GetState()) {
		out.State = cellState(orEmpty(a.GetState()), orEmpty(b.GetState()))
	}
	JoinUnknown(out, a, b)
	return out, nil
}

// ZoneState merges two states of one zone (config.id): config as a register
// ordered by created_at; coordinator_id as a register ordered by timestamp;
// cells united; aggregated_capabilities a G-Set by id (not by type).
func ZoneState(a, b *zonev1.ZoneState) (*zonev1.ZoneState, error) {
	if err := sameID("zone", a.GetConfig().GetId(), b.GetConfig().GetId(), "config.id"); err != nil {
		return nil, err
	}
	return zoneState(a, b), nil
}

func zoneState(a, b *zonev1.ZoneState) *zonev1.ZoneState {
	a, b = orEmpty(a), orEmpty(b)
	pa, pb := zoneRegister(a), zoneRegister(b)
	out := lww(pa, pb, pa.GetTimestamp(), pb.GetTimestamp())
	out.Config = zoneConfig(a.GetConfig(), b.GetConfig())
	out.Cells = Strings(a.GetCells(), b.GetCells())
	out.AggregatedCapabilities = Capabilities(a.GetAggregatedCapabilities(), b.GetAggregatedCapabilities())
	return out
}

func zoneRegister(s *zonev1.ZoneState) *zonev1.ZoneState {
	r := &zonev1.ZoneState{CoordinatorId: s.CoordinatorId, Timestamp: s.GetTimestamp()}
	if u := unknown(s); len(u) > 0 {
		r.ProtoReflect().SetUnknown(u)
	}
	return r
}

func zoneConfig(a, b *zonev1.ZoneConfig) *zonev1.ZoneConfig {
	return lww(a, b, a.GetCreatedAt(), b.GetCreatedAt())
}

// Zone merges two zones of one id, like Cell.
func Zone(a, b *zonev1.Zone) (*zonev1.Zone, error) {
	if err := sameID("zone", a.GetConfig().GetId(), b.GetConfig().GetId(), "config.id"); err != nil {
		return nil, err
	}
	if err := sameStateID("zone", valid(a.GetState()) && valid(b.GetState()), a.GetState().GetConfig().GetId(), b.GetState().GetConfig().GetId()); err != nil {
		return nil, err
	}
	out := &zonev1.Zone{Config: zoneConfig(a.GetConfig(), b.GetConfig())}
	if valid(a.GetState()) || valid(b.GetState()) {
		out.State = zoneState(orEmpty(a.GetState()), orEmpty(b.GetState()))
	}
	JoinUnknown(out, a, b)
	return out, nil
}

// Strings unites two string sets, sorted by byte order, duplicates removed.
// Two sets that are already sorted and free of duplicates (every merge
// output is) are united in one linear pass.
func Strings(a, b []string) []string {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := make([]string, 0, len(a)+len(b))
	if sortedSet(a) && sortedSet(b) {
		i, j := 0, 0
		for i < len(a) && j < len(b) {
			switch {
			case a[i] < b[j]:
				out = append(out, a[i])
				i++
			case a[i] > b[j]:
				out = append(out, b[j])
				j++
			default:
				out = append(out, a[i])
				i++
				j++
			}
		}
		return append(append(out, a[i:]...), b[j:]...)
	}
	out = append(append(out, a...), b...)
	sort.Strings(out)
	n := 1
	for i := 1; i < len(out); i++ {
		if out[i] != out[n-1] {
			out[n] = out[i]
			n++
		}
	}
	return out[:n]
}

// sortedSet reports whether s is strictly increasing.
func sortedSet(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] >= s[i] {
			return false
		}
	}
	return true
}

// Capabilities unites two capability G-Sets keyed by id, sorted by id. Two
// copies of one id resolve to the later registered_at, then the greater
// canonical encoding. Sets already sorted by id without repeats (every merge
// output is) are united in one linear pass.
func Capabilities(a, b []*capabilityv1.Capability) []*capabilityv1.Capability {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := make([]*capabilityv1.Capability, 0, len(a)+len(b))
	if sortedByID(a) && sortedByID(b) {
		i, j := 0, 0
		for i < len(a) && j < len(b) {
			x, y := a[i], b[j]
			switch ix, iy := x.GetId(), y.GetId(); {
			case ix < iy:
				out = append(out, x)
				i++
			case ix > iy:
				out = append(out, y)
				j++
			default:
				out = append(out, lww(x, y, x.GetRegisteredAt(), y.GetRegisteredAt()))
				i++
				j++
			}
		}
		return append(append(out, a[i:]...), b[j:]...)
	}
	all := make([]*capabilityv1.Capability, 0, len(a)+len(b))
	all = append(append(all, a...), b...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].GetId() < all[j].GetId() })
	for _, c := range all {
		if n := len(out); n > 0 && out[n-1].GetId() == c.GetId() {
			out[n-1] = lww(out[n-1], c, out[n-1].GetRegisteredAt(), c.GetRegisteredAt())
			continue
		}
		out = append(out, c)
	}
	return out
}

// sortedByID reports whether the ids of s are strictly increasing.
func sortedByID(s []*capabilityv1.Capability) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1].GetId() >= s[i].GetId() {
			return false
		}
	}
	return true
}

// lww returns the value with the later timestamp; on equal timestamps the one
// with the greater canonical encoding (a when they are equal). An unset value
// loses to any set one.
func lww[M proto.Message](a, b M, ta, tb *commonv1.Timestamp) M {
	if !valid(a) {
		return b
	}
	if !valid(b) {
		return a
	}
	if c := CompareTimestamps(ta, tb); c != 0 {
		if c > 0 {
			return a
		}
		return b
	}
	if eq, known := bitEqual(a, b); known && eq {
		return a // the same encoding: no tie to break
	}
	if compareCanonical(b, a) > 0 {
		return b
	}
	return a
}

// sameID refuses to merge two different entities. Ids compare exactly: an
// absent config counts as the empty id.
func sameID(kind, a, b, path string) error {
	if a == b {
		return nil
	}
	return status.Errorf(status.Mismatch, "cannot merge %s %q with %s %q: different entities", kind, clip(a), kind, clip(b)).AtPath(path)
}

// sameStateID checks the embedded state's id when both states are present
// (an absent state is the identity of the merge).
func sameStateID(kind string, both bool, a, b string) error {
	if !both {
		return nil
	}
	return sameID(kind, a, b, "state.config.id")
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// orEmpty turns an unset message into an empty one of its type: an unset
// part is the identity of its merge.
func orEmpty[M proto.Message](m M) M {
	if valid(m) {
		return m
	}
	var zero M
	return zero.ProtoReflect().New().Interface().(M)
}
