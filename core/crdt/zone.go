package crdt

import (
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/merge"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

func init() {
	register(&Kind{
		Name:  (&crdtv1.ZoneDoc{}).ProtoReflect().Descriptor().FullName(),
		Empty: func() proto.Message { return &crdtv1.ZoneDoc{} },
		New:   func(init *crdtv1.DocInit) (proto.Message, error) { return NewZone(init) },
		Join: func(a, b proto.Message) (proto.Message, error) {
			return JoinZone(a.(*crdtv1.ZoneDoc), b.(*crdtv1.ZoneDoc))
		},
		Apply: func(doc proto.Message, op *crdtv1.Operation) (proto.Message, proto.Message, error) {
			return ApplyZone(doc.(*crdtv1.ZoneDoc), op)
		},
		Materialize: func(doc proto.Message) proto.Message { return MaterializeZone(doc.(*crdtv1.ZoneDoc)) },
		ApplyJoined: func(doc proto.Message, op *crdtv1.Operation) (proto.Message, proto.Message, error) {
			return applyZone(doc.(*crdtv1.ZoneDoc), op, true)
		},
		MaterializeJoined: func(doc proto.Message) proto.Message { return materializeZone(doc.(*crdtv1.ZoneDoc), true) },
	})
}

// NewZone creates a zone document, optionally from DocInit.zone_state.
func NewZone(init *crdtv1.DocInit) (*crdtv1.ZoneDoc, error) {
	switch init.GetInitial().(type) {
	case nil, *crdtv1.DocInit_ZoneState:
	default:
		return nil, wrongInit("ZoneDoc", init)
	}
	st := init.GetZoneState()
	stamp, t, err := initStamp(init, st.GetTimestamp())
	if err != nil {
		return nil, err
	}
	id, err := initID("ZoneState", init.GetId(), st.GetConfig().GetId())
	if err != nil {
		return nil, err
	}
	doc := &crdtv1.ZoneDoc{Id: id}
	if st == nil {
		return doc, nil
	}
	doc.UpdatedAt = t
	if st.Config != nil {
		v := merge.Clone(st.Config)
		v.Id = ""
		doc.Config = &crdtv1.ZoneConfigRegister{Stamp: stamp, Value: v}
	}
	doc.Coordinator = &crdtv1.TextRegister{Stamp: stamp, Value: st.CoordinatorId}
	doc.Cells = initialSet(st.Cells, init.GetReplica(), t)
	doc.Capabilities = initialCapabilities(st.AggregatedCapabilities, stamp)
	doc.StateUnknownFields = unknownRegister(st, stamp)
	return JoinZone(doc, &crdtv1.ZoneDoc{Id: id})
}

// JoinZone merges two zone documents (or deltas) of one zone.
func JoinZone(a, b *crdtv1.ZoneDoc) (*crdtv1.ZoneDoc, error) {
	if err := sameEntity("zone", a.GetId(), b.GetId()); err != nil {
		return nil, err
	}
	set, err := joinSets(a.GetCells(), b.GetCells(), "cells")
	if err != nil {
		return nil, err
	}
	out := &crdtv1.ZoneDoc{
		Id:           a.GetId(),
		UpdatedAt:    copyTime(merge.MaxTimestamp(a.GetUpdatedAt(), b.GetUpdatedAt())),
		Config:       joinStamped(a.GetConfig(), b.GetConfig()),
		Coordinator:  joinStamped(a.GetCoordinator(), b.GetCoordinator()),
		Cells:        set,
		Capabilities: joinCapabilities(a.GetCapabilities(), b.GetCapabilities()),

		StateUnknownFields: joinStamped(a.GetStateUnknownFields(), b.GetStateUnknownFields()),
	}
	joinUnknown(out, a, b)
	return out, nil
}

// ApplyZone performs one local operation on a zone document.
func ApplyZone(doc *crdtv1.ZoneDoc, op *crdtv1.Operation) (next, delta *crdtv1.ZoneDoc, err error) {
	return applyZone(doc, op, false)
}

// applyZone is ApplyZone; joined says doc is already a join's result.
func applyZone(doc *crdtv1.ZoneDoc, op *crdtv1.Operation, joined bool) (next, delta *crdtv1.ZoneDoc, err error) {
	if err := checkOp(op); err != nil {
		return nil, nil, err
	}
	if !joined {
		if doc, err = JoinZone(doc, &crdtv1.ZoneDoc{Id: doc.GetId()}); err != nil {
			return nil, nil, err
		}
	}
	r, t := op.GetReplica(), op.GetTimestamp()
	d := &crdtv1.ZoneDoc{Id: doc.GetId(), UpdatedAt: copyTime(t)}
	switch m := op.GetMutation().(type) {
	case *crdtv1.Operation_SetZoneConfig:
		c := m.SetZoneConfig.GetConfig()
		if c.GetId() != "" && c.GetId() != doc.GetId() {
			return nil, nil, sameEntity("zone", doc.GetId(), c.GetId())
		}
		v := &zonev1.ZoneConfig{}
		if c != nil {
			v = merge.Clone(c)
			v.Id = ""
		}
		d.Config = &crdtv1.ZoneConfigRegister{Stamp: nextStamp(doc.GetConfig().GetStamp(), t, r), Value: v}
	case *crdtv1.Operation_AddCell:
		id := m.AddCell.GetCellId()
		if err := needID(id, "add_cell.cell_id"); err != nil {
			return nil, nil, err
		}
		cells := visible(doc.GetCells())
		if cfg := doc.GetConfig().GetValue(); cfg != nil && findElement(cells, id) == nil && len(cells) >= int(cfg.GetMaxCells()) {
			return nil, nil, status.Errorf(status.Invalid, "zone %q is full (%d of %d cells)", clip(doc.GetId()), len(cells), cfg.GetMaxCells()).WithCode("ZONE_FULL").AtPath("add_cell.cell_id")
		}
		d.Cells = addDelta(doc.GetCells(), id, r, t)
	case *crdtv1.Operation_RemoveCell:
		id := m.RemoveCell.GetCellId()
		if err := needID(id, "remove_cell.cell_id"); err != nil {
			return nil, nil, err
		}
		d.Cells = removeDelta(doc.GetCells(), id)
	case *crdtv1.Operation_SetCoordinator:
		id := m.SetCoordinator.GetNodeId()
		if err := needID(id, "set_coordinator.node_id"); err != nil {
			return nil, nil, err
		}
		d.Coordinator = &crdtv1.TextRegister{Stamp: nextStamp(doc.GetCoordinator().GetStamp(), t, r), Value: proto.String(id)}
	case *crdtv1.Operation_ClearCoordinator:
		d.Coordinator = &crdtv1.TextRegister{Stamp: nextStamp(doc.GetCoordinator().GetStamp(), t, r)}
	case *crdtv1.Operation_AddCapability:
		c := m.AddCapability.GetCapability()
		if err := needID(c.GetId(), "add_capability.capability.id"); err != nil {
			return nil, nil, err
		}
		d.Capabilities = []*crdtv1.CapabilityEntry{addCapability(doc.GetCapabilities(), c, t, r)}
	default:
		return nil, nil, notFor("zone", op)
	}
	if next, err = JoinZone(doc, d); err != nil {
		return nil, nil, err
	}
	if err := checkGrowth(op, zoneStateLimit, func() int { return zoneSizeBound(next) },
		func() int { return proto.Size(MaterializeZone(next)) }, func() int { return proto.Size(MaterializeZone(doc)) }); err != nil {
		return nil, nil, err
	}
	return next, d, nil
}

// MaterializeZone returns the zone's ZoneState. With more cells than
// config.max_cells (0 included) the earliest joiners (by join time, then id)
// are kept. A document whose configuration never arrived has no size limit
// and materialises without config.
func MaterializeZone(doc *crdtv1.ZoneDoc) *zonev1.ZoneState { return materializeZone(doc, false) }

// materializeZone is MaterializeZone; joined says doc is already a join's result.
func materializeZone(doc *crdtv1.ZoneDoc, joined bool) *zonev1.ZoneState {
	if !joined {
		doc, _ = JoinZone(doc, &crdtv1.ZoneDoc{Id: doc.GetId()})
	}
	s := &zonev1.ZoneState{Timestamp: copyTime(doc.GetUpdatedAt())}
	cfg := doc.GetConfig().GetValue()
	if cfg != nil {
		s.Config = merge.Clone(cfg)
		s.Config.Id = doc.GetId()
	}
	if c := doc.GetCoordinator(); c != nil && c.Value != nil {
		s.CoordinatorId = proto.String(c.GetValue())
	}
	s.Cells = capped(visible(doc.GetCells()), cfg != nil, cfg.GetMaxCells(), nil)
	s.AggregatedCapabilities = materializeCapabilities(doc.GetCapabilities())
	attachUnknown(s, doc.GetStateUnknownFields())
	return s
}
