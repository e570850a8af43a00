package core_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// crdtVectors records merge and doc vectors: each case is run through the
// core function here, and the test asserts its important expectations
// independently before the output bytes are recorded.
type crdtVectors struct {
	t *testing.T
	s *vectors.Set
}

// call runs one vector operation through package core.
func callOp(c vectors.Case, ins [][]byte) ([]byte, error) {
	format := func(s string) codec.Format {
		if s == "" {
			return 0
		}
		f, err := codec.ParseFormat(s)
		if err != nil {
			panic(err)
		}
		return f
	}
	arg := func(i int) []byte {
		if i < len(ins) {
			return ins[i]
		}
		return nil
	}
	switch c.Op {
	case "merge":
		return core.Merge(c.Type, format(c.From), format(c.To), arg(0), arg(1))
	case "merge_batch":
		return core.MergeBatch(c.Type, format(c.From), format(c.To), ins)
	case "doc_new":
		return core.DocNew(c.Type, arg(0))
	case "doc_apply":
		return core.DocApply(c.Type, arg(0), arg(1))
	case "doc_merge":
		return core.DocMerge(c.Type, arg(0), arg(1))
	case "doc_materialize":
		return core.DocMaterialize(c.Type, format(c.To), arg(0))
	}
	panic("unknown op " + c.Op)
}

type vin struct {
	file string
	data []byte
}

func (v crdtVectors) files(ins []vin) ([]string, [][]byte) {
	var names []string
	var data [][]byte
	for _, in := range ins {
		names = append(names, v.s.File(in.file, in.data))
		data = append(data, in.data)
	}
	return names, data
}

// ok records a case that must succeed and returns its output.
func (v crdtVectors) ok(c vectors.Case, ins ...vin) []byte {
	v.t.Helper()
	names, data := v.files(ins)
	out, err := callOp(c, data)
	require.NoError(v.t, err, c.Name)
	c.Inputs = names
	c.Expect = vectors.Expect{Status: "OK", Output: v.s.File("outputs/"+c.Name+".out", out)}
	v.s.Add(c)
	return out
}

// fails records a case that must fail with the given status and code.
func (v crdtVectors) fails(c vectors.Case, st status.Status, code string, ins ...vin) {
	v.t.Helper()
	names, data := v.files(ins)
	_, err := callOp(c, data)
	require.Error(v.t, err, c.Name)
	e := status.From(err)
	require.Equal(v.t, st, e.Status, c.Name)
	require.Equal(v.t, code, e.Code, c.Name)
	c.Inputs = names
	c.Expect = vectors.Expect{Status: st.Name(), Code: code}
	v.s.Add(c)
}

func jsonOf(t *testing.T, m proto.Message) []byte {
	b, err := codec.Encode(m, codec.JSON)
	require.NoError(t, err)
	return b
}

func rustJSONOf(t *testing.T, m proto.Message) []byte {
	b, err := codec.Encode(m, codec.RustJSON)
	require.NoError(t, err)
	return b
}

func TestMergeVectors(t *testing.T) {
	v := crdtVectors{t: t, s: vectors.NewSet("merge")}
	caps := func(ids ...string) []*capabilityv1.Capability {
		var out []*capabilityv1.Capability
		for i, id := range ids {
			out = append(out, &capabilityv1.Capability{Id: id, Name: id, CapabilityType: capabilityv1.CapabilityType_CAPABILITY_TYPE_SENSOR, Confidence: 0.5 + float32(i)/10, RegisteredAt: stampAt(100, 0)})
		}
		return out
	}
	unknown := protowire.AppendString(protowire.AppendTag(nil, 99, protowire.BytesType), "from a newer minor version")

	// Per type: three messages of one entity; pairs and batches in every
	// order give the same bytes.
	nsA := &nodev1.NodeState{Position: posAt(10), FuelMinutes: 90, Health: nodev1.HealthStatus_HEALTH_STATUS_NOMINAL, Phase: nodev1.Phase_PHASE_CELL, CellId: proto.String("cell-1"), Timestamp: stampAt(100, 500)}
	nsB := &nodev1.NodeState{Position: posAt(20), FuelMinutes: 80, Health: nodev1.HealthStatus_HEALTH_STATUS_DEGRADED, Phase: nodev1.Phase_PHASE_CELL, Timestamp: stampAt(100, 900)}
	nsB.ProtoReflect().SetUnknown(unknown)
	nsC := &nodev1.NodeState{Position: posAt(30), FuelMinutes: 70, Timestamp: stampAt(100, 900)}
	ncA := &nodev1.NodeConfig{Id: "node-1", PlatformType: "uav", Capabilities: caps("gps", "cam"), CommRangeM: 100, MaxSpeedMps: 5, CreatedAt: stampAt(50, 0)}
	ncB := &nodev1.NodeConfig{Id: "node-1", PlatformType: "uav-v2", Capabilities: caps("radio", "cam"), CommRangeM: 150, MaxSpeedMps: 5, CreatedAt: stampAt(60, 0)}
	ncC := &nodev1.NodeConfig{Id: "node-1", PlatformType: "uav", Capabilities: caps("lidar"), CommRangeM: 100, MaxSpeedMps: 5, CreatedAt: stampAt(50, 0)}
	cfg := &cellv1.CellConfig{Id: "cell-1", MaxSize: 8, MinSize: 2, CreatedAt: stampAt(1, 0)}
	csA := &cellv1.CellState{Config: cfg, LeaderId: proto.String("n2"), Members: []string{"n2", "n1"}, Capabilities: caps("cam"), Timestamp: stampAt(100, 0)}
	csB := &cellv1.CellState{Config: cfg, LeaderId: proto.String("n3"), Members: []string{"n3", "n1"}, Capabilities: caps("gps"), PlatoonId: proto.String("p1"), Timestamp: stampAt(100, 0)}
	csC := &cellv1.CellState{Config: cfg, Members: []string{"n4"}, Capabilities: caps("cam", "radio"), Timestamp: stampAt(99, 0)}
	zcfg := &zonev1.ZoneConfig{Id: "zone-1", MaxCells: 10, MinCells: 2, CreatedAt: stampAt(1, 0)}
	zsA := &zonev1.ZoneState{Config: zcfg, CoordinatorId: proto.String("n1"), Cells: []string{"cell-2", "cell-1"}, AggregatedCapabilities: caps("radar"), Timestamp: stampAt(200, 0)}
	zsB := &zonev1.ZoneState{Config: zcfg, CoordinatorId: proto.String("n2"), Cells: []string{"cell-3"}, AggregatedCapabilities: caps("camera"), Timestamp: stampAt(300, 0)}
	zsC := &zonev1.ZoneState{Config: zcfg, Cells: []string{"cell-1", "cell-4"}, Timestamp: stampAt(250, 0)}

	type triple struct {
		typ     string
		a, b, c proto.Message
		other   proto.Message // a different entity (nil: the type has no id)
	}
	types := []triple{
		{"cap.node.v1.NodeState", nsA, nsB, nsC, nil},
		{"cap.node.v1.NodeConfig", ncA, ncB, ncC, &nodev1.NodeConfig{Id: "node-2"}},
		{"cap.node.v1.Node", &nodev1.Node{Config: ncA, State: nsA}, &nodev1.Node{Config: ncB, State: nsB}, &nodev1.Node{Config: ncC}, &nodev1.Node{Config: &nodev1.NodeConfig{Id: "node-2"}}},
		{"cap.cell.v1.CellState", csA, csB, csC, &cellv1.CellState{Config: &cellv1.CellConfig{Id: "cell-2"}}},
		{"cap.cell.v1.Cell", &cellv1.Cell{Config: cfg, State: csA}, &cellv1.Cell{Config: cfg, State: csB}, &cellv1.Cell{Config: cfg, State: csC}, &cellv1.Cell{Config: &cellv1.CellConfig{Id: "cell-2"}}},
		{"cap.zone.v1.ZoneState", zsA, zsB, zsC, &zonev1.ZoneState{Config: &zonev1.ZoneConfig{Id: "zone-2"}}},
		{"cap.zone.v1.Zone", &zonev1.Zone{Config: zcfg, State: zsA}, &zonev1.Zone{Config: zcfg, State: zsB}, &zonev1.Zone{Config: zcfg}, &zonev1.Zone{Config: &zonev1.ZoneConfig{Id: "zone-2"}}},
	}
	for _, tr := range types {
		a := vin{"inputs/" + tr.typ + "/a.bin", wire(t, tr.a)}
		b := vin{"inputs/" + tr.typ + "/b.bin", wire(t, tr.b)}
		c := vin{"inputs/" + tr.typ + "/c.bin", wire(t, tr.c)}
		base := vectors.Case{Op: "merge", Type: tr.typ, From: "binary", To: "binary"}
		with := func(name, note string) vectors.Case {
			k := base
			k.Name, k.Note = tr.typ+"/"+name, note
			return k
		}
		ab := v.ok(with("a+b", "merge of two replicas"), a, b)
		ba := v.ok(with("b+a", "same bytes as a+b"), b, a)
		require.Equal(t, ab, ba, tr.typ)
		abv := vin{"inputs/" + tr.typ + "/ab.bin", ab}
		again := v.ok(with("ab+b", "idempotent: merging b again changes nothing"), abv, b)
		require.Equal(t, ab, again, tr.typ)
		batch := base
		batch.Op = "merge_batch"
		orders := map[string][]vin{"a+b+c": {a, b, c}, "c+a+b": {c, a, b}, "b+c+a": {b, c, a}}
		var first []byte
		for _, name := range []string{"a+b+c", "c+a+b", "b+c+a"} {
			k := batch
			k.Name, k.Note = tr.typ+"/batch/"+name, "every order gives the same bytes"
			out := v.ok(k, orders[name]...)
			if first == nil {
				first = out
			}
			require.Equal(t, first, out, tr.typ)
		}
		pair, err := core.Merge(tr.typ, codec.Binary, codec.Binary, ab, c.data)
		require.NoError(t, err)
		require.Equal(t, first, pair, "a batch equals repeated pairwise merges")
		if tr.other != nil {
			v.fails(with("mismatch", "different entity ids"), status.Mismatch, "MISMATCH", a, vin{"inputs/" + tr.typ + "/other.bin", wire(t, tr.other)})
		}
	}

	// The key expectations, asserted independently of the recorded bytes.
	var ns nodev1.NodeState
	out, _ := core.Merge("cap.node.v1.NodeState", codec.Binary, codec.Binary, wire(t, nsA), wire(t, nsB))
	require.NoError(t, proto.Unmarshal(out, &ns))
	assert.Equal(t, 20.0, ns.Position.Latitude, "nanos 900 beat nanos 500")
	assert.Equal(t, []byte(unknown), []byte(ns.ProtoReflect().GetUnknown()), "unknown fields travel with the winner")
	var cs cellv1.CellState
	out, _ = core.MergeBatch("cap.cell.v1.CellState", codec.Binary, codec.Binary, [][]byte{wire(t, csA), wire(t, csB), wire(t, csC)})
	require.NoError(t, proto.Unmarshal(out, &cs))
	assert.Equal(t, []string{"n1", "n2", "n3", "n4"}, cs.Members)
	assert.Len(t, cs.Capabilities, 3)
	assert.Equal(t, "cam", cs.Capabilities[0].Id)
	var zs zonev1.ZoneState
	out, _ = core.Merge("cap.zone.v1.ZoneState", codec.Binary, codec.Binary, wire(t, zsA), wire(t, zsB))
	require.NoError(t, proto.Unmarshal(out, &zs))
	assert.Equal(t, "n2", zs.GetCoordinatorId())
	assert.Equal(t, []string{"cell-1", "cell-2", "cell-3"}, zs.Cells)

	// Text formats: proto3 JSON and the reference's JSON, both orders.
	for _, f := range []struct {
		name string
		enc  func(*testing.T, proto.Message) []byte
	}{{"json", jsonOf}, {"rust-json", rustJSONOf}} {
		a := vin{"inputs/cap.cell.v1.CellState/a." + f.name, f.enc(t, csA)}
		b := vin{"inputs/cap.cell.v1.CellState/b." + f.name, f.enc(t, csB)}
		k := vectors.Case{Op: "merge", Type: "cap.cell.v1.CellState", From: f.name, To: f.name}
		k.Name, k.Note = "cap.cell.v1.CellState/"+f.name+"/a+b", "text in, text out"
		ab := v.ok(k, a, b)
		k.Name, k.Note = "cap.cell.v1.CellState/"+f.name+"/b+a", "same bytes as a+b"
		require.Equal(t, ab, v.ok(k, b, a))
	}
	k := vectors.Case{Name: "cap.cell.v1.CellState/json-to-binary", Op: "merge", Type: "cap.cell.v1.CellState", From: "json", To: "binary", Note: "formats convert"}
	jb := v.ok(k, vin{"inputs/cap.cell.v1.CellState/a.json", jsonOf(t, csA)}, vin{"inputs/cap.cell.v1.CellState/b.json", jsonOf(t, csB)})
	bb, err := core.Merge("cap.cell.v1.CellState", codec.Binary, codec.Binary, wire(t, csA), wire(t, csB))
	require.NoError(t, err)
	assert.Equal(t, bb, jb)

	k = vectors.Case{Name: "cap.cell.v1.CellState/batch/single", Op: "merge_batch", Type: "cap.cell.v1.CellState", From: "binary", To: "binary", Note: "one message is normalised: sets sorted"}
	single := v.ok(k, vin{"inputs/cap.cell.v1.CellState/a.bin", wire(t, csA)})
	require.NoError(t, proto.Unmarshal(single, &cs))
	assert.Equal(t, []string{"n1", "n2"}, cs.Members)

	// Floats are kept bit for bit (issue 13): a = {position {latitude 0.5,
	// altitude -0.0}} wins against b = {position {latitude 1.0}} with its
	// -0.0, and merging b again, or in a batch twice, changes nothing.
	fa := vin{"inputs/cap.node.v1.NodeState/negative-zero-a.bin", []byte("\x0a\x12\x09\x00\x00\x00\x00\x00\x00\xe0\x3f\x19\x00\x00\x00\x00\x00\x00\x00\x80")}
	fb := vin{"inputs/cap.node.v1.NodeState/negative-zero-b.bin", []byte("\x0a\x09\x09\x00\x00\x00\x00\x00\x00\xf0\x3f")}
	k = vectors.Case{Name: "cap.node.v1.NodeState/negative-zero/a+b", Op: "merge", Type: "cap.node.v1.NodeState", From: "binary", To: "binary", Note: "-0.0 is kept: a wins whole"}
	fab := v.ok(k, fa, fb)
	require.Equal(t, fa.data, fab)
	k.Name, k.Note = "cap.node.v1.NodeState/negative-zero/ab+b", "idempotent with -0.0"
	require.Equal(t, fab, v.ok(k, vin{"inputs/cap.node.v1.NodeState/negative-zero-ab.bin", fab}, fb))
	k.Name, k.Op, k.Note = "cap.node.v1.NodeState/negative-zero/batch-a+b+b", "merge_batch", "a duplicate changes nothing"
	require.Equal(t, fab, v.ok(k, fa, fb, fb))

	// Errors.
	a := vin{"inputs/cap.cell.v1.CellState/a.bin", wire(t, csA)}
	garbage := vin{"inputs/garbage.bin", []byte{0xff, 0xff, 0xff, 0xff}}
	v.fails(vectors.Case{Name: "error/garbage", Op: "merge", Type: "cap.cell.v1.CellState", From: "binary", To: "binary", Note: "undecodable input"}, status.Decode, "DECODE_ERROR", a, garbage)
	v.fails(vectors.Case{Name: "error/garbage-json", Op: "merge", Type: "cap.cell.v1.CellState", From: "json", To: "json", Note: "undecodable JSON"}, status.Decode, "DECODE_ERROR",
		vin{"inputs/cap.cell.v1.CellState/a.json", jsonOf(t, csA)}, vin{"inputs/garbage.json", []byte(`{"members": 7`)})
	v.fails(vectors.Case{Name: "error/not-mergeable", Op: "merge", Type: "cap.beacon.v1.Beacon", From: "binary", To: "binary", Note: "a registered type with no merge"}, status.Unsupported, "NOT_MERGEABLE", vin{"inputs/empty.bin", nil}, vin{"inputs/empty.bin", nil})
	v.fails(vectors.Case{Name: "error/doc-type", Op: "merge", Type: "peat.crdt.v1.CellDoc", From: "binary", To: "binary", Note: "documents merge with doc_merge"}, status.Unsupported, "NOT_MERGEABLE", vin{"inputs/empty.bin", nil}, vin{"inputs/empty.bin", nil})
	v.fails(vectors.Case{Name: "error/unknown-type", Op: "merge", Type: "cap.cell.v1.NoSuchState", From: "binary", To: "binary", Note: "unregistered type"}, status.UnknownType, "UNKNOWN_TYPE", a, a)
	v.fails(vectors.Case{Name: "error/empty-batch", Op: "merge_batch", Type: "cap.cell.v1.CellState", From: "binary", To: "binary", Note: "count must be >= 1"}, status.InvalidArgument, "INVALID_ARGUMENT")
	v.fails(vectors.Case{Name: "error/wrong-type-bytes", Op: "merge", Type: "cap.node.v1.NodeConfig", From: "binary", To: "binary", Note: "a CellState's bytes do not decode as a NodeConfig"}, status.Decode, "DECODE_ERROR",
		vin{"inputs/cap.node.v1.NodeConfig/a.bin", wire(t, ncA)}, a)

	v.s.Sync(t)
	v.replay()
}

// replay runs every recorded case through the vector executor (what the
// bindings mirror) from the files on disk.
func (v crdtVectors) replay() {
	for _, c := range v.s.Manifest.Cases {
		st, out, _ := vectors.Exec(v.s.Area, c)
		assert.Equal(v.t, c.Expect.Status, st.Name(), c.Name)
		if c.Expect.Output != "" {
			assert.True(v.t, bytes.Equal(v.s.Files[c.Expect.Output], out), c.Name)
		}
	}
}
