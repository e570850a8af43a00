package crdt

import (
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

// A document may hold more than its plain ICD message is allowed to carry
// (ICD §3.3: a CellState of at most 100 KiB, a ZoneState of 500 KiB, a Node
// of 54 KiB): documents themselves are limited only by the 64 MiB of
// libpeat's own messages. A local operation that would make the materialised
// message larger than its limit is refused (DOC_TOO_LARGE), unless the
// message was already that large before it -- so that a replica can still
// shrink a state a join made too large. A join of two valid replicas can
// cross the limit (two halves of a cell), so materialising refuses too
// (MATERIALIZED_TOO_LARGE) rather than return bytes libpeat itself would
// refuse.

var (
	cellStateLimit = registry.Limit((&cellv1.CellState{}).ProtoReflect().Descriptor().FullName())
	zoneStateLimit = registry.Limit((&zonev1.ZoneState{}).ProtoReflect().Descriptor().FullName())
	nodeLimit      = registry.Limit((&nodev1.Node{}).ProtoReflect().Descriptor().FullName())
)

// checkGrowth refuses op when its result materialises above limit and above
// what the document materialised to before. bound is a cheap upper bound on
// the result's size, exact its size, before the size before the operation;
// the last two run only when the bound exceeds the limit.
func checkGrowth(op *crdtv1.Operation, limit int, bound, exact, before func() int) error {
	if bound() <= limit {
		return nil
	}
	after := exact()
	if after <= limit {
		return nil
	}
	if was := before(); after <= was {
		return nil
	}
	name := op.ProtoReflect().WhichOneof(op.ProtoReflect().Descriptor().Oneofs().ByName("mutation")).Name()
	return status.Errorf(status.TooLarge, "%s would make the document materialise to %d bytes, over the %d-byte limit of its ICD message",
		name, after, limit).WithCode("DOC_TOO_LARGE").AtPath(string(name))
}

// CheckMaterialized refuses a materialised message whose encoded (binary)
// size is above its type's ICD limit: libpeat would refuse it as input.
func CheckMaterialized(m proto.Message, size int) error {
	full := m.ProtoReflect().Descriptor().FullName()
	if limit := registry.Limit(full); size > limit {
		return status.Errorf(status.TooLarge, "the document materialises to a %d-byte %s, over its %d-byte limit (ICD §3.3); "+
			"remove members or cells to bring it under", size, full, limit).WithCode("MATERIALIZED_TOO_LARGE")
	}
	return nil
}

// cellSizeBound is an upper bound on the encoded size of MaterializeCell(doc)
// that does not build the member list: every element counts (none trimmed),
// the leader counts whether or not it is a member, the unknown-field
// register counts whole, and the config gets room for the document id.
func cellSizeBound(doc *crdtv1.CellDoc) int {
	s := &cellv1.CellState{
		Timestamp:    doc.GetUpdatedAt(),
		LeaderId:     textOf(doc.GetLeader()),
		PlatoonId:    textOf(doc.GetPlatoon()),
		Capabilities: capabilitiesOf(doc.GetCapabilities()),
	}
	n := 0
	if v := doc.GetConfig().GetValue(); v != nil {
		s.Config = v
		n += idRoom(doc.GetId())
	}
	return n + proto.Size(s) + len(doc.GetStateUnknownFields().GetValue()) + elementsSize(doc.GetMembers())
}

// zoneSizeBound is cellSizeBound for MaterializeZone.
func zoneSizeBound(doc *crdtv1.ZoneDoc) int {
	s := &zonev1.ZoneState{
		Timestamp:              doc.GetUpdatedAt(),
		CoordinatorId:          textOf(doc.GetCoordinator()),
		AggregatedCapabilities: capabilitiesOf(doc.GetCapabilities()),
	}
	n := 0
	if v := doc.GetConfig().GetValue(); v != nil {
		s.Config = v
		n += idRoom(doc.GetId())
	}
	return n + proto.Size(s) + len(doc.GetStateUnknownFields().GetValue()) + elementsSize(doc.GetCells())
}

// idRoom is what setting the id of a config can add: the field, and up to
// five more bytes of the config's length prefix.
func idRoom(id string) int { return 1 + protowire.SizeBytes(len(id)) + 5 }

// elementsSize is the size of every element id of s as a repeated string
// field with a one-byte tag (members = 3, cells = 3).
func elementsSize(s *crdtv1.ORSet) int {
	n := 0
	for _, e := range s.GetElements() {
		n += 1 + protowire.SizeBytes(len(e.GetId()))
	}
	return n
}

// capabilitiesOf lists the capabilities of a G-Set without copying them.
func capabilitiesOf(set []*crdtv1.CapabilityEntry) []*capabilityv1.Capability {
	if len(set) == 0 {
		return nil
	}
	out := make([]*capabilityv1.Capability, len(set))
	for i, e := range set {
		out[i] = e.GetCapability()
		if out[i] == nil {
			out[i] = &capabilityv1.Capability{}
		}
	}
	return out
}

// textOf is the value of a text register, nil when unset.
func textOf(r *crdtv1.TextRegister) *string {
	if r == nil {
		return nil
	}
	return r.Value
}
