package crdt

import (
	"sort"

	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/merge"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

func init() {
	register(&Kind{
		Name:  (&crdtv1.CellDoc{}).ProtoReflect().Descriptor().FullName(),
		Empty: func() proto.Message { return &crdtv1.CellDoc{} },
		New:   func(init *crdtv1.DocInit) (proto.Message, error) { return NewCell(init) },
		Join: func(a, b proto.Message) (proto.Message, error) {
			return JoinCell(a.(*crdtv1.CellDoc), b.(*crdtv1.CellDoc))
		},
		Apply: func(doc proto.Message, op *crdtv1.Operation) (proto.Message, proto.Message, error) {
			return ApplyCell(doc.(*crdtv1.CellDoc), op)
		},
		Materialize: func(doc proto.Message) proto.Message { return MaterializeCell(doc.(*crdtv1.CellDoc)) },
		ApplyJoined: func(doc proto.Message, op *crdtv1.Operation) (proto.Message, proto.Message, error) {
			return applyCell(doc.(*crdtv1.CellDoc), op, true)
		},
		MaterializeJoined: func(doc proto.Message) proto.Message { return materializeCell(doc.(*crdtv1.CellDoc), true) },
	})
}

// NewCell creates a cell document, optionally from DocInit.cell_state.
func NewCell(init *crdtv1.DocInit) (*crdtv1.CellDoc, error) {
	switch init.GetInitial().(type) {
	case nil, *crdtv1.DocInit_CellState:
	default:
		return nil, wrongInit("CellDoc", init)
	}
	st := init.GetCellState()
	stamp, t, err := initStamp(init, st.GetTimestamp())
	if err != nil {
		return nil, err
	}
	id, err := initID("CellState", init.GetId(), st.GetConfig().GetId())
	if err != nil {
		return nil, err
	}
	doc := &crdtv1.CellDoc{Id: id}
	if st == nil {
		return doc, nil
	}
	doc.UpdatedAt = t
	if st.Config != nil {
		v := merge.Clone(st.Config)
		v.Id = ""
		doc.Config = &crdtv1.CellConfigRegister{Stamp: stamp, Value: v}
	}
	doc.Leader = &crdtv1.TextRegister{Stamp: stamp, Value: st.LeaderId}
	doc.Platoon = &crdtv1.TextRegister{Stamp: stamp, Value: st.PlatoonId}
	doc.Members = initialSet(st.Members, init.GetReplica(), t)
	doc.Capabilities = initialCapabilities(st.Capabilities, stamp)
	doc.StateUnknownFields = unknownRegister(st, stamp)
	return JoinCell(doc, &crdtv1.CellDoc{Id: id})
}

// JoinCell merges two cell documents (or deltas) of one cell.
func JoinCell(a, b *crdtv1.CellDoc) (*crdtv1.CellDoc, error) { return joinCell(a, b, false) }

// joinCell is JoinCell; joined says a is already a join's result, so its
// member set is its own join with nothing.
func joinCell(a, b *crdtv1.CellDoc, joined bool) (*crdtv1.CellDoc, error) {
	if err := sameEntity("cell", a.GetId(), b.GetId()); err != nil {
		return nil, err
	}
	set, err := a.GetMembers(), error(nil)
	if !joined || b.GetMembers() != nil {
		if set, err = joinSets(a.GetMembers(), b.GetMembers(), "members"); err != nil {
			return nil, err
		}
	}
	out := &crdtv1.CellDoc{
		Id:           a.GetId(),
		UpdatedAt:    copyTime(merge.MaxTimestamp(a.GetUpdatedAt(), b.GetUpdatedAt())),
		Config:       joinStamped(a.GetConfig(), b.GetConfig()),
		Leader:       joinStamped(a.GetLeader(), b.GetLeader()),
		Members:      set,
		Capabilities: joinCapabilities(a.GetCapabilities(), b.GetCapabilities()),
		Platoon:      joinStamped(a.GetPlatoon(), b.GetPlatoon()),

		StateUnknownFields: joinStamped(a.GetStateUnknownFields(), b.GetStateUnknownFields()),
	}
	joinUnknown(out, a, b)
	return out, nil
}

// ApplyCell performs one local operation on a cell document.
func ApplyCell(doc *crdtv1.CellDoc, op *crdtv1.Operation) (next, delta *crdtv1.CellDoc, err error) {
	return applyCell(doc, op, false)
}

// applyCell is ApplyCell; joined says doc is already a join's result.
func applyCell(doc *crdtv1.CellDoc, op *crdtv1.Operation, joined bool) (next, delta *crdtv1.CellDoc, err error) {
	if err := checkOp(op); err != nil {
		return nil, nil, err
	}
	if !joined {
		if doc, err = JoinCell(doc, &crdtv1.CellDoc{Id: doc.GetId()}); err != nil {
			return nil, nil, err
		}
	}
	r, t := op.GetReplica(), op.GetTimestamp()
	d := &crdtv1.CellDoc{Id: doc.GetId(), UpdatedAt: copyTime(t)}
	// doc is a join's result now (normalised above, or known to be one):
	// its elements are normal and its set is its own join with nothing.
	members := doc.GetMembers().GetElements()
	switch m := op.GetMutation().(type) {
	case *crdtv1.Operation_SetCellConfig:
		c := m.SetCellConfig.GetConfig()
		if c.GetId() != "" && c.GetId() != doc.GetId() {
			return nil, nil, sameEntity("cell", doc.GetId(), c.GetId())
		}
		v := &cellv1.CellConfig{}
		if c != nil {
			v = merge.Clone(c)
			v.Id = ""
		}
		d.Config = &crdtv1.CellConfigRegister{Stamp: nextStamp(doc.GetConfig().GetStamp(), t, r), Value: v}
	case *crdtv1.Operation_AddMember:
		id := m.AddMember.GetNodeId()
		if err := needID(id, "add_member.node_id"); err != nil {
			return nil, nil, err
		}
		if cfg := doc.GetConfig().GetValue(); cfg != nil && findElement(members, id) == nil && len(members) >= int(cfg.GetMaxSize()) {
			return nil, nil, status.Errorf(status.Invalid, "cell %q is full (%d of %d members)", clip(doc.GetId()), len(members), cfg.GetMaxSize()).WithCode("CELL_FULL").AtPath("add_member.node_id")
		}
		d.Members = addDelta(doc.GetMembers(), id, r, t)
	case *crdtv1.Operation_RemoveMember:
		id := m.RemoveMember.GetNodeId()
		if err := needID(id, "remove_member.node_id"); err != nil {
			return nil, nil, err
		}
		d.Members = removeDelta(doc.GetMembers(), id)
		if l := doc.GetLeader(); l != nil && l.Value != nil && l.GetValue() == id {
			d.Leader = &crdtv1.TextRegister{Stamp: nextStamp(l.GetStamp(), t, r)}
		}
	case *crdtv1.Operation_SetLeader:
		id := m.SetLeader.GetNodeId()
		if err := needID(id, "set_leader.node_id"); err != nil {
			return nil, nil, err
		}
		if findElement(members, id) == nil {
			return nil, nil, status.Errorf(status.Invalid, "leader %q is not a member of cell %q", clip(id), clip(doc.GetId())).WithCode("INVALID_LEADER").AtPath("set_leader.node_id")
		}
		d.Leader = &crdtv1.TextRegister{Stamp: nextStamp(doc.GetLeader().GetStamp(), t, r), Value: proto.String(id)}
	case *crdtv1.Operation_ClearLeader:
		d.Leader = &crdtv1.TextRegister{Stamp: nextStamp(doc.GetLeader().GetStamp(), t, r)}
	case *crdtv1.Operation_SetPlatoon:
		d.Platoon = &crdtv1.TextRegister{Stamp: nextStamp(doc.GetPlatoon().GetStamp(), t, r), Value: proto.String(m.SetPlatoon.GetPlatoonId())}
	case *crdtv1.Operation_ClearPlatoon:
		d.Platoon = &crdtv1.TextRegister{Stamp: nextStamp(doc.GetPlatoon().GetStamp(), t, r)}
	case *crdtv1.Operation_AddCapability:
		c := m.AddCapability.GetCapability()
		if err := needID(c.GetId(), "add_capability.capability.id"); err != nil {
			return nil, nil, err
		}
		d.Capabilities = []*crdtv1.CapabilityEntry{addCapability(doc.GetCapabilities(), c, t, r)}
	default:
		return nil, nil, notFor("cell", op)
	}
	if next, err = joinCell(doc, d, true); err != nil {
		return nil, nil, err
	}
	if err := checkGrowth(op, cellStateLimit, func() int { return cellSizeBound(next) },
		func() int { return proto.Size(MaterializeCell(next)) }, func() int { return proto.Size(MaterializeCell(doc)) }); err != nil {
		return nil, nil, err
	}
	return next, d, nil
}

// MaterializeCell returns the cell's CellState. Invariants a concurrent merge
// can break are restored deterministically: with more members than
// config.max_size (0 included) the leader and then the earliest joiners (by
// join time, then id) are kept; a leader that is not a (kept) member is
// omitted. A document whose configuration never arrived has no size limit
// and materialises without config (as in validation: no config, no size
// rule).
func MaterializeCell(doc *crdtv1.CellDoc) *cellv1.CellState { return materializeCell(doc, false) }

// materializeCell is MaterializeCell; joined says doc is already a join's result.
func materializeCell(doc *crdtv1.CellDoc, joined bool) *cellv1.CellState {
	if !joined {
		doc, _ = JoinCell(doc, &crdtv1.CellDoc{Id: doc.GetId()})
	}
	s := &cellv1.CellState{Timestamp: copyTime(doc.GetUpdatedAt())}
	cfg := doc.GetConfig().GetValue()
	if cfg != nil {
		s.Config = merge.Clone(cfg)
		s.Config.Id = doc.GetId()
	}
	var leader *string
	if l := doc.GetLeader(); l != nil && l.Value != nil {
		leader = l.Value
	}
	s.Members = capped(visible(doc.GetMembers()), cfg != nil, cfg.GetMaxSize(), leader)
	if leader != nil && contains(s.Members, *leader) {
		s.LeaderId = proto.String(*leader)
	}
	if p := doc.GetPlatoon(); p != nil && p.Value != nil {
		s.PlatoonId = proto.String(p.GetValue())
	}
	s.Capabilities = materializeCapabilities(doc.GetCapabilities())
	attachUnknown(s, doc.GetStateUnknownFields())
	return s
}

// capped returns the ids of a normalised element list (sorted), keeping at
// most limit when limited (0 keeps none): first the favoured id, then by
// (join time, id).
func capped(elems []*crdtv1.Element, limited bool, limit uint32, favoured *string) []string {
	keep := elems
	if limited && len(elems) > int(limit) {
		keep = append([]*crdtv1.Element(nil), elems...)
		sort.SliceStable(keep, func(i, j int) bool {
			a, b := keep[i], keep[j]
			if favoured != nil && (a.GetId() == *favoured) != (b.GetId() == *favoured) {
				return a.GetId() == *favoured
			}
			as, an := joinTime(a)
			bs, bn := joinTime(b)
			if c := merge.CompareTimes(as, an, bs, bn); c != 0 {
				return c < 0
			}
			return a.GetId() < b.GetId()
		})
		keep = keep[:limit]
		sort.Slice(keep, func(i, j int) bool { return keep[i].GetId() < keep[j].GetId() })
	}
	if len(keep) == 0 {
		return nil
	}
	ids := make([]string, len(keep))
	for i, e := range keep {
		ids[i] = e.GetId()
	}
	return ids
}

func contains(sorted []string, id string) bool {
	i := sort.SearchStrings(sorted, id)
	return i < len(sorted) && sorted[i] == id
}
