package core_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// TestDocCreatedTwiceKeepsOneFuelBase checks what peat.h says about
// peat_doc_new: the fuel in an initial message is one last-writer-wins base,
// so two replicas that each create the document from the same message merge
// to that fuel (100 and 100 give 100, not 200), and concurrent adjustments
// made after creation are each counted once on top of the surviving base.
func TestDocCreatedTwiceKeepsOneFuelBase(t *testing.T) {
	init := func(replica string, s uint64) *crdtv1.DocInit {
		return &crdtv1.DocInit{Replica: replica, Timestamp: stampAt(s, 0),
			Initial: &crdtv1.DocInit_NodeState{NodeState: &nodev1.NodeState{FuelMinutes: 100}}, Id: "n1"}
	}
	a := docNew(t, nodeDoc, init("r1", 10))
	b := docNew(t, nodeDoc, init("r2", 10))
	require.EqualValues(t, 100, nodeOf(t, docMerge(t, nodeDoc, a, b)).GetState().GetFuelMinutes())
	require.EqualValues(t, 100, nodeOf(t, docMerge(t, nodeDoc, b, a)).GetState().GetFuelMinutes())

	// Different creation messages: the later base wins, adjustments add up.
	c := docNew(t, nodeDoc, &crdtv1.DocInit{Replica: "r3", Timestamp: stampAt(20, 0), Id: "n1",
		Initial: &crdtv1.DocInit_NodeState{NodeState: &nodev1.NodeState{FuelMinutes: 70}}})
	a, _ = docApply(t, nodeDoc, a, docOp("r1", 30, func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_ConsumeFuel{ConsumeFuel: &crdtv1.ConsumeFuel{Minutes: 5}}
	}))
	c, _ = docApply(t, nodeDoc, c, docOp("r3", 30, func(o *crdtv1.Operation) {
		o.Mutation = &crdtv1.Operation_ReplenishFuel{ReplenishFuel: &crdtv1.ReplenishFuel{Minutes: 2}}
	}))
	require.EqualValues(t, 67, nodeOf(t, docMerge(t, nodeDoc, a, c)).GetState().GetFuelMinutes())
}
