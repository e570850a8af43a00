// Package plan is the scenario of `make demo`: a cell of five nodes whose
// replicas live in three processes (C++: n1, n2; Python: n3, n4; Java: n5 and
// C2). It is written once here, as JSON that every language reads, so that
// each language plays the same steps and must reach the same digest.
//
// Rounds: "form" (nodes join, publish their node documents), "operate" (the
// leader is set concurrently on two replicas with the same timestamp, n5
// leaves, fuel is consumed on one replica and replenished on another), then
// the deployment: C2 issues the seed's yolov8n-deploy-001 directive with
// capability scope, each node decides whether it is targeted and reports
// status through the status machine, and C2 summarises the rollout.
package plan

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"

	demov1 "github.com/peat-protocol/libpeat/examples/demo/pb/peat/demo/v1"
)

// T0 is the scenario's clock origin (2025-11-06T12:00:00Z, the seed's date).
const T0 = 1762430400

func ts(sec uint64, nanos uint32) *commonv1.Timestamp {
	return &commonv1.Timestamp{Seconds: T0 + sec, Nanos: nanos}
}

// op builds an Operation whose mutation is m (e.g. &crdtv1.AddMember{...}):
// the oneof case is the one whose message type is m's.
func op(replica string, sec uint64, nanos uint32, m proto.Message) *crdtv1.Operation {
	o := &crdtv1.Operation{Replica: replica, Timestamp: ts(sec, nanos)}
	r := o.ProtoReflect()
	cases := r.Descriptor().Oneofs().ByName("mutation").Fields()
	for i := 0; i < cases.Len(); i++ {
		if fd := cases.Get(i); fd.Message().FullName() == m.ProtoReflect().Descriptor().FullName() {
			r.Set(fd, protoreflect.ValueOfMessage(m.ProtoReflect()))
			return o
		}
	}
	panic(fmt.Sprintf("plan: %T is not a mutation", m))
}

type nodeSpec struct {
	id, lang, role, platform string
	detect                   bool   // has the object_detection capability
	gpuMB                    uint64 // 0: no GPU figure reported
	lat, lon                 float64
}

var nodes = []nodeSpec{
	{"n1", "cpp", "leader candidate, UAV with GPU", "uav", true, 8192, 34.0501, -117.2901},
	{"n2", "cpp", "UGV", "ugv", false, 0, 34.0505, -117.2911},
	{"n3", "python", "leader candidate, UAV with GPU", "uav", true, 6144, 34.0511, -117.2897},
	{"n4", "python", "soldier system, tanker", "soldier", false, 0, 34.0499, -117.2905},
	{"n5", "java", "UAV, leaves the cell", "uav", true, 2048, 34.0520, -117.2920},
}

// Build returns the scenario.
func Build() *demov1.Plan {
	p := &demov1.Plan{Seed: 20251106, CellId: "cell-alpha", Reports: map[string]*demov1.Transitions{}}
	for _, n := range nodes {
		cfg := &nodev1.NodeConfig{Id: n.id, PlatformType: n.platform, CommRangeM: 2000, MaxSpeedMps: 15,
			CreatedAt: ts(0, 0)}
		cfg.Capabilities = append(cfg.Capabilities, &capabilityv1.Capability{Id: n.id + "-radio", Name: "mesh_radio",
			CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_COMMUNICATION, Confidence: 0.95, RegisteredAt: ts(0, 0)})
		if n.detect {
			cfg.Capabilities = append(cfg.Capabilities, &capabilityv1.Capability{Id: n.id + "-det", Name: "object_detection",
				CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_COMPUTE, Confidence: 0.9, RegisteredAt: ts(0, 0)})
		}
		res := &directivev1.NodeResources{}
		mem := uint64(16384)
		res.MemoryMb = &mem
		if n.gpuMB > 0 {
			g := n.gpuMB
			res.GpuMemoryMb = &g
		}
		p.Nodes = append(p.Nodes, &demov1.Node{Id: n.id, Language: n.lang, Role: n.role, Config: cfg, Resources: res})
		state := &nodev1.NodeState{Position: &commonv1.Position{Latitude: n.lat, Longitude: n.lon, Altitude: 120},
			FuelMinutes: 120, Health: nodev1.HealthStatus_HEALTH_STATUS_NOMINAL, Phase: nodev1.Phase_PHASE_DISCOVERY,
			Timestamp: ts(0, 0)}
		p.Docs = append(p.Docs, &demov1.Doc{Key: "node/" + n.id, Type: "peat.crdt.v1.NodeDoc", Init: &crdtv1.DocInit{
			Replica: n.id, Id: n.id, Timestamp: ts(0, 0),
			Initial: &crdtv1.DocInit_Node{Node: &nodev1.Node{Config: cfg, State: state}}}})
	}
	p.Docs = append([]*demov1.Doc{{Key: "cell", Type: "peat.crdt.v1.CellDoc", Init: &crdtv1.DocInit{
		Replica: "c2", Id: p.CellId, Timestamp: ts(0, 0),
		Initial: &crdtv1.DocInit_CellState{CellState: &cellv1.CellState{
			Config: &cellv1.CellConfig{Id: p.CellId, MaxSize: 8, MinSize: 2, CreatedAt: ts(0, 0)}}}}}}, p.Docs...)

	step := func(by, doc string, o *crdtv1.Operation, say string) *demov1.Step {
		return &demov1.Step{By: by, Doc: doc, Op: o, Say: say}
	}
	var form []*demov1.Step
	for i, n := range nodes {
		form = append(form,
			step(n.id, "cell", op(n.id, 10, uint32(i), &crdtv1.AddMember{NodeId: n.id}),
				n.id+" joins "+p.CellId),
			step(n.id, "node/"+n.id, op(n.id, 11, 0, &crdtv1.AssignCell{CellId: p.CellId}),
				n.id+" records its cell"),
			step(n.id, "node/"+n.id, op(n.id, 12, 0, &crdtv1.UpdatePhase{Phase: nodev1.Phase_PHASE_CELL}),
				n.id+" enters the cell phase"))
	}
	for _, n := range nodes {
		if n.detect {
			form = append(form, step(n.id, "cell", op(n.id, 13, 0, &crdtv1.AddCapability{
				Capability: &capabilityv1.Capability{Id: n.id + "-det", Name: "object_detection",
					CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_COMPUTE, Confidence: 0.9, RegisteredAt: ts(0, 0)}}),
				n.id+" contributes object_detection to the cell"))
		}
	}
	p.Rounds = append(p.Rounds, &demov1.Round{Name: "form", Steps: form})

	// Concurrent: n1 and n3 both claim leadership at the same instant on
	// their own replicas; the register's tie-break (replica id) decides.
	operate := []*demov1.Step{
		step("n1", "cell", op("n1", 100, 0, &crdtv1.SetLeader{NodeId: "n1"}), "n1 claims leadership"),
		step("n3", "cell", op("n3", 100, 0, &crdtv1.SetLeader{NodeId: "n3"}), "n3 claims leadership at the same instant"),
		step("n5", "cell", op("n5", 101, 0, &crdtv1.RemoveMember{NodeId: "n5"}), "n5 leaves the cell"),
		step("n2", "node/n2", op("n2", 102, 0, &crdtv1.ConsumeFuel{Minutes: 30}), "n2 burns 30 minutes of fuel"),
		step("n4", "node/n2", op("n4", 102, 0, &crdtv1.ReplenishFuel{Minutes: 20}), "n4 (tanker) refuels n2 by 20 minutes, concurrently"),
		step("n1", "node/n1", op("n1", 103, 0, &crdtv1.UpdatePosition{
			Position: &commonv1.Position{Latitude: 34.0531, Longitude: -117.2881, Altitude: 150}}), "n1 moves"),
	}
	p.Rounds = append(p.Rounds, &demov1.Round{Name: "operate", Steps: operate})

	// The seed's example directive, with a GPU requirement so that n5 (2 GiB)
	// is not targeted while n1 and n3 are.
	p.DirectiveRustJson = `{"directive_id":"yolov8n-deploy-001","issued_at":"2025-11-06T12:05:00Z","issuer_node_id":"c2-node-1",` +
		`"issuer_formation_id":"formation-alpha","scope":{"type":"capability","min_gpu_memory_mb":4096,` +
		`"required_capabilities":["object_detection"]},"artifact":{"blob_hash":"sha256:` +
		"9f2c4e1a7b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8" + `","size_bytes":500000000,` +
		`"artifact_type":{"type":"onnx_model","execution_providers":["CUDAExecutionProvider"]},"name":"yolov8n","version":"8.0.0"},` +
		`"capabilities":["object_detection"],"config":null,"options":{"priority":"high","timeout_seconds":300,` +
		`"replace_existing":false,"rollback_threshold_percent":50,"auto_activate":true}}`
	p.Now = ts(600, 0)
	p.PendingAt = ts(300, 0)
	tr := func(state directivev1.DeploymentState, sec uint64, progress uint32, instance string) *directivev1.Transition {
		t := &directivev1.Transition{State: state, ReportedAt: ts(sec, 0)}
		if state == directivev1.DeploymentState_DEPLOYMENT_STATE_DOWNLOADING {
			t.ProgressPercent = &progress
		}
		if instance != "" {
			t.InstanceId = &instance
		}
		return t
	}
	const (
		dl  = directivev1.DeploymentState_DEPLOYMENT_STATE_DOWNLOADING
		act = directivev1.DeploymentState_DEPLOYMENT_STATE_ACTIVATING
		on  = directivev1.DeploymentState_DEPLOYMENT_STATE_ACTIVE
	)
	p.Reports["n1"] = &demov1.Transitions{Transitions: []*directivev1.Transition{
		tr(dl, 310, 40, ""), tr(dl, 320, 100, ""), tr(act, 330, 0, ""), tr(on, 340, 0, "yolov8n@n1")}}
	p.Reports["n3"] = &demov1.Transitions{Transitions: []*directivev1.Transition{
		tr(dl, 312, 25, ""), tr(dl, 325, 90, ""), tr(act, 335, 0, ""), tr(on, 345, 0, "yolov8n@n3")}}
	return p
}
