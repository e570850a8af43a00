package core_test

import (
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// unrepairable lists the violation codes a materialised document may still
// report (docs/CRDT.md, "Materialise"): fields no writer ever set (a config
// that never arrived, a state no operation timed), too few members or cells
// (a merge cannot add any), and configurations and values exactly as their
// writers gave them (documents do not validate what an operation writes).
// Everything else -- CELL_FULL, ZONE_FULL, INVALID_LEADER, DUPLICATE_ID,
// MESSAGE_TOO_LARGE -- materialise restores, or refuses to emit.
var unrepairable = map[string]bool{
	"REQUIRED_FIELD": true, "CELL_INVALID": true, "ZONE_INVALID": true,
	"INVALID_RANGE": true, "INVALID_NUMBER": true, "INVALID_CONFIDENCE": true, "INVALID_POSITION": true,
	"INVALID_ENUM": true, "INVALID_TIMESTAMP": true, "STRING_TOO_LONG": true, "INVALID_STRING": true, "INVALID_UUID": true,
}

// validityCase is one document type for the property below.
type validityCase struct {
	doc, plain string
	start      func(t *rapid.T) *crdtv1.DocInit
	op         func(t *rapid.T, o *crdtv1.Operation)
}

var validityPool = []string{"n1", "n2", "n3", "n4", "n5"}

// drawSize draws the numbers of a configuration: 0 and min > max included.
func drawSize(t *rapid.T, label string) uint32 { return uint32(rapid.IntRange(0, 4).Draw(t, label)) }

func validCapability(t *rapid.T) *capabilityv1.Capability {
	id := rapid.SampledFrom([]string{"cam", "gps"}).Draw(t, "cap")
	return &capabilityv1.Capability{Id: id, Name: id, CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.5}
}

var validityCases = []validityCase{
	{cellDoc, "cap.cell.v1.CellState",
		func(t *rapid.T) *crdtv1.DocInit {
			if rapid.Bool().Draw(t, "no config") {
				return &crdtv1.DocInit{Id: "cell-1"}
			}
			return cellInit("seed", 1, &cellv1.CellState{
				Config:   &cellv1.CellConfig{Id: "cell-1", MaxSize: drawSize(t, "max"), MinSize: drawSize(t, "min")},
				Members:  rapid.SliceOfN(rapid.SampledFrom(validityPool), 0, 5).Draw(t, "members"),
				LeaderId: proto.String(rapid.SampledFrom(validityPool).Draw(t, "leader")),
			})
		},
		func(t *rapid.T, o *crdtv1.Operation) {
			x := rapid.SampledFrom(validityPool).Draw(t, "x")
			switch rapid.IntRange(0, 7).Draw(t, "op") {
			case 0, 1, 2:
				addMember(x)(o)
			case 3:
				removeMember(x)(o)
			case 4:
				setLeader(x)(o)
			case 5:
				setCellConfig(drawSize(t, "max"), drawSize(t, "min"))(o)
			case 6:
				setPlatoon("p1")(o)
			default:
				o.Mutation = &crdtv1.Operation_AddCapability{AddCapability: &crdtv1.AddCapability{Capability: validCapability(t)}}
			}
		}},
	{zoneDoc, "cap.zone.v1.ZoneState",
		func(t *rapid.T) *crdtv1.DocInit {
			if rapid.Bool().Draw(t, "no config") {
				return &crdtv1.DocInit{Id: "zone-1"}
			}
			return zoneInit("seed", 1, &zonev1.ZoneState{
				Config: &zonev1.ZoneConfig{Id: "zone-1", MaxCells: drawSize(t, "max"), MinCells: drawSize(t, "min")},
				Cells:  rapid.SliceOfN(rapid.SampledFrom(validityPool), 0, 5).Draw(t, "cells"),
			})
		},
		func(t *rapid.T, o *crdtv1.Operation) {
			x := rapid.SampledFrom(validityPool).Draw(t, "x")
			switch rapid.IntRange(0, 6).Draw(t, "op") {
			case 0, 1, 2:
				addCell(x)(o)
			case 3:
				removeCell(x)(o)
			case 4:
				setCoordinator(x)(o)
			case 5:
				setZoneConfig(drawSize(t, "max"), drawSize(t, "min"))(o)
			default:
				o.Mutation = &crdtv1.Operation_AddCapability{AddCapability: &crdtv1.AddCapability{Capability: validCapability(t)}}
			}
		}},
	{nodeDoc, "cap.node.v1.Node",
		func(t *rapid.T) *crdtv1.DocInit {
			return &crdtv1.DocInit{Replica: "seed", Timestamp: stampAt(1, 0), Initial: &crdtv1.DocInit_Node{Node: &nodev1.Node{
				Config: &nodev1.NodeConfig{Id: "node-1", PlatformType: "uav", Capabilities: []*capabilityv1.Capability{validCapability(t)}},
				State:  &nodev1.NodeState{FuelMinutes: 100, Health: nodev1.HealthStatus_HEALTH_STATUS_NOMINAL, Phase: nodev1.Phase_PHASE_DISCOVERY},
			}}}
		},
		func(t *rapid.T, o *crdtv1.Operation) {
			switch rapid.IntRange(0, 5).Draw(t, "op") {
			case 0:
				consume(uint32(rapid.IntRange(0, 200).Draw(t, "m")))(o)
			case 1:
				replenish(uint32(rapid.IntRange(0, 200).Draw(t, "m")))(o)
			case 2:
				updatePosition(float64(rapid.IntRange(-90, 90).Draw(t, "lat")), float64(rapid.IntRange(-180, 180).Draw(t, "lon")))(o)
			case 3:
				updateHealth(nodev1.HealthStatus(rapid.IntRange(1, 4).Draw(t, "health")))(o)
			case 4:
				o.Mutation = &crdtv1.Operation_AssignCell{AssignCell: &crdtv1.AssignCell{CellId: "cell-1"}}
			default:
				o.Mutation = &crdtv1.Operation_AddCapability{AddCapability: &crdtv1.AddCapability{Capability: validCapability(t)}}
			}
		}},
}

// Random operations on a few replicas, deltas and full states exchanged in
// any order, concurrent configuration changes (max_size 0, min > max, no
// config at all): every document along the way, and the join of all,
// materialises to a message whose only violations are unrepairable ones.
func TestMaterializedDocumentsPassValidation(t *testing.T) {
	for _, vc := range validityCases {
		t.Run(vc.plain, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				start, err := core.DocNew(vc.doc, wireR(t, vc.start(t)))
				if err != nil {
					t.Fatalf("doc_new: %v", err)
				}
				docs := make([][]byte, rapid.IntRange(2, 3).Draw(t, "replicas"))
				for i := range docs {
					docs[i] = start
				}
				var deltas [][]byte
				for step, n := 0, rapid.IntRange(1, 30).Draw(t, "steps"); step < n; step++ {
					i := rapid.IntRange(0, len(docs)-1).Draw(t, "at")
					switch rapid.IntRange(0, 3).Draw(t, "action") {
					case 0, 1:
						o := &crdtv1.Operation{Replica: fmt.Sprintf("r%d", i), Timestamp: &commonv1.Timestamp{Seconds: uint64(rapid.IntRange(1, 20).Draw(t, "s"))}}
						vc.op(t, o)
						out, err := core.DocApply(vc.doc, docs[i], wireR(t, o))
						if err != nil {
							if status.Of(err) != status.Invalid {
								t.Fatalf("apply: %v", err)
							}
							continue
						}
						var res crdtv1.ApplyResult
						if err := proto.Unmarshal(out, &res); err != nil {
							t.Fatal(err)
						}
						docs[i], deltas = res.Doc, append(deltas, res.Delta)
					case 2:
						if len(deltas) > 0 {
							docs[i] = mergeR(t, vc.doc, docs[i], deltas[rapid.IntRange(0, len(deltas)-1).Draw(t, "delta")])
						}
					default:
						docs[i] = mergeR(t, vc.doc, docs[i], docs[rapid.IntRange(0, len(docs)-1).Draw(t, "from")])
					}
					checkMaterializedValid(t, vc, docs[i])
				}
				all := docs[0]
				for _, d := range docs[1:] {
					all = mergeR(t, vc.doc, all, d)
				}
				checkMaterializedValid(t, vc, all)
			})
		})
	}
}

func checkMaterializedValid(t *rapid.T, vc validityCase, doc []byte) {
	m, err := core.DocMaterialize(vc.doc, codec.Binary, doc)
	if err != nil {
		t.Fatalf("materialize: %v", err)
	}
	out, err := core.Validate(vc.plain, codec.Binary, m, nil)
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	var rep validationv1.ValidationReport
	if err := proto.Unmarshal(out, &rep); err != nil {
		t.Fatal(err)
	}
	for _, v := range rep.Violations {
		if !unrepairable[v.Code] {
			t.Fatalf("materialised %s has a repairable violation %s at %s: %s", vc.plain, v.Code, v.Path, v.Message)
		}
	}
}

func wireR(t *rapid.T, m proto.Message) []byte {
	b, err := codec.Encode(m, codec.Binary)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mergeR(t *rapid.T, typ string, a, b []byte) []byte {
	out, err := core.DocMerge(typ, a, b)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	return out
}
