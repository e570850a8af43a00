package crdt

import (
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/merge"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

func init() {
	register(&Kind{
		Name:  (&crdtv1.NodeDoc{}).ProtoReflect().Descriptor().FullName(),
		Empty: func() proto.Message { return &crdtv1.NodeDoc{} },
		New:   func(init *crdtv1.DocInit) (proto.Message, error) { return NewNode(init) },
		Join: func(a, b proto.Message) (proto.Message, error) {
			return JoinNode(a.(*crdtv1.NodeDoc), b.(*crdtv1.NodeDoc))
		},
		Apply: func(doc proto.Message, op *crdtv1.Operation) (proto.Message, proto.Message, error) {
			return ApplyNode(doc.(*crdtv1.NodeDoc), op)
		},
		Materialize: func(doc proto.Message) proto.Message { return MaterializeNode(doc.(*crdtv1.NodeDoc)) },
		ApplyJoined: func(doc proto.Message, op *crdtv1.Operation) (proto.Message, proto.Message, error) {
			return applyNode(doc.(*crdtv1.NodeDoc), op, true)
		},
		MaterializeJoined: func(doc proto.Message) proto.Message { return materializeNode(doc.(*crdtv1.NodeDoc), true) },
	})
}

// NewNode creates a node document, optionally from DocInit.node,
// node_config or node_state. Every field of the initial message is written
// at the init stamp; fuel_minutes becomes the counter's base.
func NewNode(init *crdtv1.DocInit) (*crdtv1.NodeDoc, error) {
	var cfg *nodev1.NodeConfig
	var st *nodev1.NodeState
	switch m := init.GetInitial().(type) {
	case nil:
	case *crdtv1.DocInit_Node:
		cfg, st = m.Node.GetConfig(), m.Node.GetState()
	case *crdtv1.DocInit_NodeConfig:
		cfg = m.NodeConfig
	case *crdtv1.DocInit_NodeState:
		st = m.NodeState
	default:
		return nil, wrongInit("NodeDoc", init)
	}
	fallback := st.GetTimestamp()
	if fallback == nil {
		fallback = cfg.GetCreatedAt()
	}
	stamp, t, err := initStamp(init, fallback)
	if err != nil {
		return nil, err
	}
	id, err := initID("NodeConfig", init.GetId(), cfg.GetId())
	if err != nil {
		return nil, err
	}
	doc := &crdtv1.NodeDoc{Id: id}
	if init.GetInitial() == nil {
		return doc, nil
	}
	doc.UpdatedAt = t
	if n := init.GetNode(); n != nil {
		doc.NodeUnknownFields = unknownRegister(n, stamp)
	}
	if cfg != nil {
		doc.Config = &crdtv1.NodeConfigRegister{Stamp: stamp, Value: configValue(cfg)}
		doc.Capabilities = initialCapabilities(cfg.Capabilities, stamp)
	}
	if st != nil {
		doc.Position = &crdtv1.PositionRegister{Stamp: stamp, Value: st.Position}
		doc.Health = &crdtv1.HealthRegister{Stamp: stamp, Value: st.Health}
		doc.Phase = &crdtv1.PhaseRegister{Stamp: stamp, Value: st.Phase}
		doc.Fuel = &crdtv1.PNCounter{Base: &crdtv1.CountRegister{Stamp: stamp, Value: st.FuelMinutes}}
		doc.CellId = &crdtv1.TextRegister{Stamp: stamp, Value: st.CellId}
		doc.ZoneId = &crdtv1.TextRegister{Stamp: stamp, Value: st.ZoneId}
		doc.StateUnknownFields = unknownRegister(st, stamp)
	}
	return JoinNode(doc, &crdtv1.NodeDoc{Id: id})
}

// configValue is a NodeConfig without the parts the document keeps itself.
func configValue(c *nodev1.NodeConfig) *nodev1.NodeConfig {
	if c == nil {
		return &nodev1.NodeConfig{}
	}
	v := merge.Clone(c)
	v.Id, v.Capabilities = "", nil
	return v
}

// JoinNode merges two node documents (or deltas) of one node.
func JoinNode(a, b *crdtv1.NodeDoc) (*crdtv1.NodeDoc, error) {
	if err := sameEntity("node", a.GetId(), b.GetId()); err != nil {
		return nil, err
	}
	out := &crdtv1.NodeDoc{
		Id:           a.GetId(),
		UpdatedAt:    copyTime(merge.MaxTimestamp(a.GetUpdatedAt(), b.GetUpdatedAt())),
		Config:       joinStamped(a.GetConfig(), b.GetConfig()),
		Capabilities: joinCapabilities(a.GetCapabilities(), b.GetCapabilities()),
		Position:     joinStamped(a.GetPosition(), b.GetPosition()),
		Health:       joinStamped(a.GetHealth(), b.GetHealth()),
		Phase:        joinStamped(a.GetPhase(), b.GetPhase()),
		Fuel:         joinCounters(a.GetFuel(), b.GetFuel()),
		CellId:       joinStamped(a.GetCellId(), b.GetCellId()),
		ZoneId:       joinStamped(a.GetZoneId(), b.GetZoneId()),

		StateUnknownFields: joinStamped(a.GetStateUnknownFields(), b.GetStateUnknownFields()),
		NodeUnknownFields:  joinStamped(a.GetNodeUnknownFields(), b.GetNodeUnknownFields()),
	}
	joinUnknown(out, a, b)
	return out, nil
}

// ApplyNode performs one local operation on a node document.
func ApplyNode(doc *crdtv1.NodeDoc, op *crdtv1.Operation) (next, delta *crdtv1.NodeDoc, err error) {
	return applyNode(doc, op, false)
}

// applyNode is ApplyNode; joined says doc is already a join's result.
func applyNode(doc *crdtv1.NodeDoc, op *crdtv1.Operation, joined bool) (next, delta *crdtv1.NodeDoc, err error) {
	if err := checkOp(op); err != nil {
		return nil, nil, err
	}
	if !joined {
		if doc, err = JoinNode(doc, &crdtv1.NodeDoc{Id: doc.GetId()}); err != nil {
			return nil, nil, err
		}
	}
	r, t := op.GetReplica(), op.GetTimestamp()
	d := &crdtv1.NodeDoc{Id: doc.GetId(), UpdatedAt: copyTime(t)}
	text := func(cur *crdtv1.TextRegister, v *string) *crdtv1.TextRegister {
		return &crdtv1.TextRegister{Stamp: nextStamp(cur.GetStamp(), t, r), Value: v}
	}
	switch m := op.GetMutation().(type) {
	case *crdtv1.Operation_SetNodeConfig:
		c := m.SetNodeConfig.GetConfig()
		if c.GetId() != "" && c.GetId() != doc.GetId() {
			return nil, nil, sameEntity("node", doc.GetId(), c.GetId())
		}
		for _, cp := range c.GetCapabilities() {
			if err := needID(cp.GetId(), "set_node_config.config.capabilities"); err != nil {
				return nil, nil, err
			}
			d.Capabilities = joinCapabilities(d.Capabilities, []*crdtv1.CapabilityEntry{addCapability(doc.GetCapabilities(), cp, t, r)})
		}
		d.Config = &crdtv1.NodeConfigRegister{Stamp: nextStamp(doc.GetConfig().GetStamp(), t, r), Value: configValue(c)}
	case *crdtv1.Operation_AddCapability:
		c := m.AddCapability.GetCapability()
		if err := needID(c.GetId(), "add_capability.capability.id"); err != nil {
			return nil, nil, err
		}
		d.Capabilities = []*crdtv1.CapabilityEntry{addCapability(doc.GetCapabilities(), c, t, r)}
	case *crdtv1.Operation_UpdatePosition:
		var p *commonv1.Position
		if m.UpdatePosition.GetPosition() != nil {
			p = merge.Clone(m.UpdatePosition.GetPosition())
		}
		d.Position = &crdtv1.PositionRegister{Stamp: nextStamp(doc.GetPosition().GetStamp(), t, r), Value: p}
	case *crdtv1.Operation_UpdateHealth:
		d.Health = &crdtv1.HealthRegister{Stamp: nextStamp(doc.GetHealth().GetStamp(), t, r), Value: m.UpdateHealth.GetHealth()}
	case *crdtv1.Operation_UpdatePhase:
		d.Phase = &crdtv1.PhaseRegister{Stamp: nextStamp(doc.GetPhase().GetStamp(), t, r), Value: m.UpdatePhase.GetPhase()}
	case *crdtv1.Operation_ConsumeFuel:
		d.Fuel = counterDelta(doc.GetFuel(), r, 0, m.ConsumeFuel.GetMinutes())
	case *crdtv1.Operation_ReplenishFuel:
		d.Fuel = counterDelta(doc.GetFuel(), r, m.ReplenishFuel.GetMinutes(), 0)
	case *crdtv1.Operation_AssignCell:
		id := m.AssignCell.GetCellId()
		if err := needID(id, "assign_cell.cell_id"); err != nil {
			return nil, nil, err
		}
		d.CellId = text(doc.GetCellId(), proto.String(id))
	case *crdtv1.Operation_LeaveCell:
		d.CellId = text(doc.GetCellId(), nil)
	case *crdtv1.Operation_AssignZone:
		id := m.AssignZone.GetZoneId()
		if err := needID(id, "assign_zone.zone_id"); err != nil {
			return nil, nil, err
		}
		d.ZoneId = text(doc.GetZoneId(), proto.String(id))
	case *crdtv1.Operation_LeaveZone:
		d.ZoneId = text(doc.GetZoneId(), nil)
	default:
		return nil, nil, notFor("node", op)
	}
	if next, err = JoinNode(doc, d); err != nil {
		return nil, nil, err
	}
	exact := func() int { return proto.Size(MaterializeNode(next)) }
	if err := checkGrowth(op, nodeLimit, exact, exact, func() int { return proto.Size(MaterializeNode(doc)) }); err != nil {
		return nil, nil, err
	}
	return next, d, nil
}

// MaterializeNode returns the node as cap.node.v1.Node: config with the
// capabilities sorted by id, state with each register's value, fuel clamped
// to [0, 2^32-1], and timestamp the latest operation time seen.
func MaterializeNode(doc *crdtv1.NodeDoc) *nodev1.Node { return materializeNode(doc, false) }

// materializeNode is MaterializeNode; joined says doc is already a join's result.
func materializeNode(doc *crdtv1.NodeDoc, joined bool) *nodev1.Node {
	if !joined {
		doc, _ = JoinNode(doc, &crdtv1.NodeDoc{Id: doc.GetId()})
	}
	n := &nodev1.Node{State: &nodev1.NodeState{
		FuelMinutes: counterValue(doc.GetFuel()),
		Health:      doc.GetHealth().GetValue(),
		Phase:       doc.GetPhase().GetValue(),
		Timestamp:   copyTime(doc.GetUpdatedAt()),
	}}
	if p := doc.GetPosition().GetValue(); p != nil {
		n.State.Position = merge.Clone(p)
	}
	if c := doc.GetCellId(); c != nil && c.Value != nil {
		n.State.CellId = proto.String(c.GetValue())
	}
	if z := doc.GetZoneId(); z != nil && z.Value != nil {
		n.State.ZoneId = proto.String(z.GetValue())
	}
	attachUnknown(n.State, doc.GetStateUnknownFields())
	attachUnknown(n, doc.GetNodeUnknownFields())
	if doc.GetId() != "" || doc.GetConfig() != nil || len(doc.GetCapabilities()) > 0 {
		n.Config = &nodev1.NodeConfig{}
		if v := doc.GetConfig().GetValue(); v != nil {
			n.Config = merge.Clone(v)
		}
		n.Config.Id = doc.GetId()
		n.Config.Capabilities = materializeCapabilities(doc.GetCapabilities())
	}
	return n
}
