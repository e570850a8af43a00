package core_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// dirVectors builds tests/vectors/directive. Every expected result is stated
// here by hand (a rust-json text, a targeted flag and reason code, a state,
// a decision, an error code) and checked before the output bytes are recorded.
type dirVectors struct {
	t *testing.T
	s *vectors.Set
}

func dvExt(f codec.Format) string {
	switch f {
	case codec.Binary:
		return "bin"
	case codec.RustJSON:
		return "rust.json"
	}
	return "json"
}

// message adds the four conversions of one directive type between rust-json
// and the two protobuf forms. rust is the exact rust-json text.
func (v dirVectors) message(name, typ, rust string) {
	t := v.t
	bin, err := core.Convert(typ, codec.RustJSON, codec.Binary, []byte(rust))
	require.NoError(t, err, name)
	js, err := core.Convert(typ, codec.Binary, codec.JSON, bin)
	require.NoError(t, err, name)
	files := map[codec.Format][]byte{codec.RustJSON: []byte(rust), codec.Binary: bin, codec.JSON: js}
	for _, p := range [][2]codec.Format{{codec.RustJSON, codec.Binary}, {codec.Binary, codec.RustJSON},
		{codec.RustJSON, codec.JSON}, {codec.JSON, codec.RustJSON}, {codec.JSON, codec.Binary}} {
		from, to := p[0], p[1]
		out, err := core.Convert(typ, from, to, files[from])
		require.NoError(t, err, name)
		require.Equal(t, string(files[to]), string(out), "%s %s->%s", name, from, to)
		v.s.Add(vectors.Case{Name: fmt.Sprintf("convert/%s/%s-to-%s", name, from, to), Op: "convert", Type: typ,
			From: from.String(), To: to.String(),
			Inputs: []string{v.s.File("messages/"+name+"."+dvExt(from), files[from])},
			Expect: vectors.Expect{Status: "OK", Output: "messages/" + name + "." + dvExt(to)}})
	}
}

// convertFails adds a conversion that must fail with st and code.
func (v dirVectors) convertFails(name, typ string, from, to codec.Format, in []byte, st status.Status, code, note string) {
	_, err := core.Convert(typ, from, to, in)
	require.Error(v.t, err, name)
	require.Equal(v.t, st, status.Of(err), name)
	require.Equal(v.t, code, status.From(err).Code, name)
	v.s.Add(vectors.Case{Name: "convert/" + name, Op: "convert", Type: typ, From: from.String(), To: to.String(),
		Inputs: []string{v.s.File("bad/"+name+"."+dvExt(from), in)},
		Expect: vectors.Expect{Status: st.Name(), Code: code}, Note: note})
}

// op records a directive_* call whose result has been checked by check.
func (v dirVectors) op(name, op string, req proto.Message, run func([]byte) ([]byte, error), check func([]byte), note string) {
	in := dirBin(v.t, req)
	out, err := run(in)
	require.NoError(v.t, err, name)
	check(out)
	c := vectors.Case{Name: op + "/" + name, Op: "directive_" + op, Note: note,
		Inputs: []string{v.s.File(op+"/"+name+".in.bin", in)},
		Expect: vectors.Expect{Status: "OK", Output: v.s.File(op+"/"+name+".out.bin", out)}}
	if op == "target" {
		d := &pb.TargetDecision{}
		require.NoError(v.t, proto.Unmarshal(out, d))
		targeted := d.GetTargeted()
		c.Expect.Targeted = &targeted
	}
	v.s.Add(c)
}

// opFails records a directive_* call that must fail with st and code.
func (v dirVectors) opFails(name, op string, in []byte, run func([]byte) ([]byte, error), st status.Status, code, note string) {
	_, err := run(in)
	require.Error(v.t, err, name)
	require.Equal(v.t, st, status.Of(err), name)
	require.Equal(v.t, code, status.From(err).Code, name)
	v.s.Add(vectors.Case{Name: op + "/" + name, Op: "directive_" + op, Note: note,
		Inputs: []string{v.s.File(op+"/"+name+".in.bin", in)},
		Expect: vectors.Expect{Status: st.Name(), Code: code}})
}

func withArtifactType(at string) string {
	return strings.Replace(refDirective, `{"type":"container","runtime":"docker","ports":[],"env":{}}`, at, 1)
}

func withScopeJSON(sc string) string {
	return strings.Replace(refDirective, `{"type":"broadcast"}`, sc, 1)
}

func TestDirectiveVectors(t *testing.T) {
	v := dirVectors{t: t, s: vectors.NewSet("directive")}

	// ---- conversions -------------------------------------------------------
	v.message("reference-broadcast-container", dirType, refDirective)
	v.message("reference-status-rolled-back", statusType, refStatus)
	seed, err := core.Convert(dirType, codec.Binary, codec.RustJSON, dirBin(t, yolo()))
	require.NoError(t, err)
	require.Equal(t, `{"directive_id":"yolov8n-deploy-001","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c2-node-1","issuer_formation_id":"formation-alpha",`+
		`"scope":{"type":"formation","formation_id":"formation-alpha"},"artifact":{"blob_hash":"`+hash64+`","size_bytes":500000000,`+
		`"artifact_type":{"type":"onnx_model","execution_providers":["CUDAExecutionProvider"]},"name":"YOLOv8n","version":"1.0.0"},`+
		`"capabilities":["object_detection"],"config":null,"options":{"priority":"high","timeout_seconds":300,"replace_existing":false,"auto_activate":true}}`, string(seed))
	v.message("seed-yolov8n-formation-onnx-cuda", dirType, string(seed))
	v.message("artifact-onnx-model", dirType, withArtifactType(`{"type":"onnx_model","execution_providers":["TensorrtExecutionProvider","CUDAExecutionProvider","CPUExecutionProvider"]}`))
	v.message("artifact-container-ports-env", dirType, withArtifactType(`{"type":"container","runtime":"containerd","ports":[{"container_port":80,"host_port":8080,"protocol":"tcp"},{"container_port":53,"host_port":5353,"protocol":"udp"}],"env":{"LOG":"debug","MODE":"edge"}}`))
	v.message("artifact-native-binary", dirType, withArtifactType(`{"type":"native_binary","arch":"aarch64","args":["--fast","-v"]}`))
	v.message("artifact-config-package", dirType, withArtifactType(`{"type":"config_package","target_path":"/etc/x"}`))
	v.message("artifact-wasm-module", dirType, withArtifactType(`{"type":"wasm_module","wasi_capabilities":["fs","net"]}`))
	v.message("scope-formation", dirType, withScopeJSON(`{"type":"formation","formation_id":"formation-alpha"}`))
	v.message("scope-nodes", dirType, withScopeJSON(`{"type":"nodes","node_ids":["node-1","node-2"]}`))
	v.message("scope-capability", dirType, withScopeJSON(`{"type":"capability","min_gpu_memory_mb":4096,"min_memory_mb":8192,"min_storage_mb":20000,"required_capabilities":["cuda","object_detection"],"custom":{"os":"linux"}}`))
	v.message("options-and-config", dirType, strings.Replace(strings.Replace(refDirective, `"config":null`, `"config":{"batch":18446744073709551615,"labels":["car","person"],"nms":0.45}`, 1),
		`"options":{"priority":"normal","timeout_seconds":300,"replace_existing":false,"auto_activate":true}`,
		`"options":{"priority":"critical","timeout_seconds":0,"replace_existing":true,"rollback_threshold_percent":90,"auto_activate":false}`, 1))
	v.message("status-downloading", statusType, `{"directive_id":"d-1","node_id":"uav-7","reported_at":"2025-11-06T12:00:01.005Z","state":"downloading","progress_percent":42}`)
	v.message("status-active", statusType, `{"directive_id":"d-1","node_id":"uav-7","reported_at":"2025-11-06T12:00:02.123456Z","state":"active","progress_percent":100,"instance_id":"inst-1"}`)
	v.message("status-failed", statusType, `{"directive_id":"d-1","node_id":"uav-7","reported_at":"2025-11-06T12:00:03.123456789Z","state":"failed","progress_percent":40,"error_message":"checksum \"mismatch\"\n"}`)
	v.message("status-board", boardType, `{"statuses":[`+refStatus+`,{"directive_id":"d","node_id":"o","reported_at":"2025-11-06T12:00:00Z","state":"pending","progress_percent":0}]}`)

	v.convertFails("missing-scope", dirType, codec.RustJSON, codec.Binary,
		[]byte(strings.Replace(refDirective, `"scope":{"type":"broadcast"},`, ``, 1)), status.Decode, "DECODE_ERROR", "scope is required")
	v.convertFails("capitalised-variant", dirType, codec.RustJSON, codec.Binary,
		[]byte(withScopeJSON(`{"type":"Broadcast"}`)), status.Decode, "DECODE_ERROR", "variant names are case-sensitive")
	v.convertFails("progress-over-u8", statusType, codec.RustJSON, codec.Binary,
		[]byte(strings.Replace(refStatus, `"progress_percent":0`, `"progress_percent":300`, 1)), status.Decode, "DECODE_ERROR", "progress is a u8")
	v.convertFails("unspecified-state-to-rust-json", statusType, codec.Binary, codec.RustJSON,
		dirBin(t, &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: &commonv1.Timestamp{}}), status.Encode, "ENCODE_ERROR", "UNSPECIFIED has no rust-json spelling")
	v.convertFails("request-has-no-rust-json", "peat.directive.v1.TargetRequest", codec.Binary, codec.RustJSON,
		nil, status.Unsupported, "UNSUPPORTED", "only the reference's types have rust-json")

	// ---- targeting ---------------------------------------------------------
	node := &nodev1.NodeConfig{Id: "uav-7", PlatformType: "quadrotor", Capabilities: []*capabilityv1.Capability{
		{Id: "cap-od", Name: "Object_Detection", Confidence: 0.9}, {Id: "CUDA", Name: "gpu", Confidence: 1}}}
	inAlpha := &nodev1.NodeState{CellId: proto.String("cell-3"), ZoneId: proto.String("formation-alpha")}
	res := &pb.NodeResources{MemoryMb: proto.Uint64(8192), GpuMemoryMb: proto.Uint64(4096), Custom: map[string]string{"os": "linux"}}
	scoped := func(sc *pb.DeploymentScope) *pb.DeploymentDirective {
		d := yolo()
		d.Scope = sc
		return d
	}
	capScope := func(f *pb.CapabilityFilter) *pb.DeploymentScope {
		return &pb.DeploymentScope{Target: &pb.DeploymentScope_Capability{Capability: f}}
	}
	targets := []struct {
		name string
		req  *pb.TargetRequest
		want bool
		code pb.TargetReason
		note string
	}{
		{"broadcast", &pb.TargetRequest{Directive: scoped(&pb.DeploymentScope{Target: &pb.DeploymentScope_Broadcast_{Broadcast: &pb.DeploymentScope_Broadcast{}}}), NodeConfig: node},
			true, pb.TargetReason_TARGET_REASON_BROADCAST, "every node"},
		{"seed-formation-member", &pb.TargetRequest{Directive: yolo(), NodeConfig: node, NodeState: inAlpha},
			true, pb.TargetReason_TARGET_REASON_FORMATION_MATCH, "zone_id equals the formation"},
		{"seed-formation-other", &pb.TargetRequest{Directive: yolo(), NodeConfig: node, NodeState: &nodev1.NodeState{CellId: proto.String("cell-3")}},
			false, pb.TargetReason_TARGET_REASON_FORMATION_MISMATCH, "neither cell nor zone is the formation"},
		{"formation-no-state", &pb.TargetRequest{Directive: yolo(), NodeConfig: node},
			false, pb.TargetReason_TARGET_REASON_FORMATION_UNKNOWN, "membership unknown: not targeted"},
		{"nodes-listed", &pb.TargetRequest{Directive: scoped(&pb.DeploymentScope{Target: &pb.DeploymentScope_Nodes{Nodes: &pb.DeploymentScope_NodeList{NodeIds: []string{"uav-1", "uav-7"}}}}), NodeConfig: node},
			true, pb.TargetReason_TARGET_REASON_NODE_LISTED, ""},
		{"nodes-not-listed", &pb.TargetRequest{Directive: scoped(&pb.DeploymentScope{Target: &pb.DeploymentScope_Nodes{Nodes: &pb.DeploymentScope_NodeList{NodeIds: []string{"UAV-7"}}}}), NodeConfig: node},
			false, pb.TargetReason_TARGET_REASON_NODE_NOT_LISTED, "node ids are case-sensitive"},
		{"capability-match", &pb.TargetRequest{Directive: scoped(capScope(&pb.CapabilityFilter{RequiredCapabilities: []string{"object_detection", "cuda"},
			MinGpuMemoryMb: proto.Uint64(4096), Custom: map[string]string{"os": "linux"}})), NodeConfig: node, Resources: res},
			true, pb.TargetReason_TARGET_REASON_CAPABILITY_MATCH, "name and id match case-insensitively"},
		{"capability-missing", &pb.TargetRequest{Directive: scoped(capScope(&pb.CapabilityFilter{RequiredCapabilities: []string{"tensorrt"}})), NodeConfig: node, Resources: res},
			false, pb.TargetReason_TARGET_REASON_CAPABILITY_MISSING, ""},
		{"resource-unknown", &pb.TargetRequest{Directive: scoped(capScope(&pb.CapabilityFilter{MinStorageMb: proto.Uint64(100)})), NodeConfig: node, Resources: res},
			false, pb.TargetReason_TARGET_REASON_RESOURCE_UNKNOWN, "storage figure absent"},
		{"resource-insufficient", &pb.TargetRequest{Directive: scoped(capScope(&pb.CapabilityFilter{MinMemoryMb: proto.Uint64(16384)})), NodeConfig: node, Resources: res},
			false, pb.TargetReason_TARGET_REASON_RESOURCE_INSUFFICIENT, ""},
		{"custom-missing", &pb.TargetRequest{Directive: scoped(capScope(&pb.CapabilityFilter{Custom: map[string]string{"arch": "aarch64"}})), NodeConfig: node, Resources: res},
			false, pb.TargetReason_TARGET_REASON_CUSTOM_MISSING, ""},
		{"custom-mismatch", &pb.TargetRequest{Directive: scoped(capScope(&pb.CapabilityFilter{Custom: map[string]string{"os": "qnx"}})), NodeConfig: node, Resources: res},
			false, pb.TargetReason_TARGET_REASON_CUSTOM_MISMATCH, ""},
	}
	for _, c := range targets {
		v.op(c.name, "target", c.req, core.DirectiveTarget, func(out []byte) {
			d := &pb.TargetDecision{}
			require.NoError(t, proto.Unmarshal(out, d))
			require.Equal(t, c.want, d.GetTargeted(), c.name)
			require.Equal(t, c.code, d.GetCode(), c.name)
		}, c.note)
	}
	v.opFails("no-scope", "target", dirBin(t, &pb.TargetRequest{Directive: scoped(nil), NodeConfig: node}), core.DirectiveTarget,
		status.Invalid, "REQUIRED_FIELD", "a directive without scope targets nobody: an error, not a decision")
	v.opFails("garbage", "target", []byte{0xff, 0x01}, core.DirectiveTarget, status.Decode, "DECODE_ERROR", "")

	// ---- status machine ----------------------------------------------------
	ts := func(s uint64) *commonv1.Timestamp { return &commonv1.Timestamp{Seconds: issuedSec + s} }
	st := func(s pb.DeploymentState, progress uint32) *pb.DeploymentStatus {
		return &pb.DeploymentStatus{DirectiveId: "yolov8n-deploy-001", NodeId: "uav-7", ReportedAt: ts(10), State: s, ProgressPercent: progress}
	}
	const (
		pending     = pb.DeploymentState_DEPLOYMENT_STATE_PENDING
		downloading = pb.DeploymentState_DEPLOYMENT_STATE_DOWNLOADING
		activating  = pb.DeploymentState_DEPLOYMENT_STATE_ACTIVATING
		active      = pb.DeploymentState_DEPLOYMENT_STATE_ACTIVE
		failed      = pb.DeploymentState_DEPLOYMENT_STATE_FAILED
		rolledBack  = pb.DeploymentState_DEPLOYMENT_STATE_ROLLED_BACK
	)
	failedSt := st(failed, 40)
	failedSt.ErrorMessage = proto.String("disk full")
	activeSt := st(active, 100)
	activeSt.InstanceId = proto.String("inst-1")
	legal := []struct {
		name     string
		cur      *pb.DeploymentStatus
		tr       *pb.Transition
		state    pb.DeploymentState
		progress uint32
	}{
		{"pending-to-downloading", st(pending, 0), &pb.Transition{State: downloading, ProgressPercent: proto.Uint32(10), ReportedAt: ts(11)}, downloading, 10},
		{"downloading-progress", st(downloading, 10), &pb.Transition{State: downloading, ProgressPercent: proto.Uint32(40), ReportedAt: ts(12)}, downloading, 40},
		{"downloading-capped-at-99", st(downloading, 40), &pb.Transition{State: downloading, ProgressPercent: proto.Uint32(100), ReportedAt: ts(12)}, downloading, 99},
		{"downloading-to-activating", st(downloading, 40), &pb.Transition{State: activating, ReportedAt: ts(13)}, activating, 100},
		{"activating-to-active", st(activating, 100), &pb.Transition{State: active, InstanceId: proto.String("inst-1"), ReportedAt: ts(14)}, active, 100},
		{"downloading-to-failed", st(downloading, 40), &pb.Transition{State: failed, ErrorMessage: proto.String("disk full"), ReportedAt: ts(14)}, failed, 40},
		{"active-to-failed", activeSt, &pb.Transition{State: failed, ErrorMessage: proto.String("crashed"), ReportedAt: ts(15)}, failed, 100},
		{"active-to-rolled-back", activeSt, &pb.Transition{State: rolledBack, ReportedAt: ts(15)}, rolledBack, 100},
		{"failed-to-rolled-back", failedSt, &pb.Transition{State: rolledBack, ReportedAt: ts(15)}, rolledBack, 40},
	}
	for _, c := range legal {
		v.op(c.name, "advance", &pb.AdvanceRequest{Current: c.cur, Transition: c.tr}, core.DirectiveAdvance, func(out []byte) {
			s := &pb.DeploymentStatus{}
			require.NoError(t, proto.Unmarshal(out, s))
			require.Equal(t, c.state, s.GetState(), c.name)
			require.Equal(t, c.progress, s.GetProgressPercent(), c.name)
			require.True(t, proto.Equal(c.tr.GetReportedAt(), s.GetReportedAt()), c.name)
		}, "")
	}
	illegal := []struct {
		name, code string
		cur        *pb.DeploymentStatus
		tr         *pb.Transition
	}{
		{"pending-to-active", "ILLEGAL_TRANSITION", st(pending, 0), &pb.Transition{State: active, ReportedAt: ts(11)}},
		{"failed-to-active", "ILLEGAL_TRANSITION", failedSt, &pb.Transition{State: active, ReportedAt: ts(11)}},
		{"failed-to-failed-backwards", "REPORTED_AT_BACKWARDS", failedSt, &pb.Transition{State: failed, ReportedAt: ts(9)}},
		{"rolled-back-to-pending", "ILLEGAL_TRANSITION", st(rolledBack, 0), &pb.Transition{State: pending, ReportedAt: ts(11)}},
		{"progress-decreases", "PROGRESS_DECREASED", st(downloading, 40), &pb.Transition{State: downloading, ProgressPercent: proto.Uint32(39), ReportedAt: ts(11)}},
		{"progress-over-100", "INVALID_NUMBER", st(downloading, 40), &pb.Transition{State: downloading, ProgressPercent: proto.Uint32(101), ReportedAt: ts(11)}},
		{"failed-without-message", "REQUIRED_FIELD", st(activating, 100), &pb.Transition{State: failed, ReportedAt: ts(11)}},
		{"reported-at-backwards", "REPORTED_AT_BACKWARDS", st(downloading, 40), &pb.Transition{State: activating, ReportedAt: ts(9)}},
		{"instance-on-downloading", "FIELD_NOT_ALLOWED", st(pending, 0), &pb.Transition{State: downloading, InstanceId: proto.String("i"), ReportedAt: ts(11)}},
	}
	for _, c := range illegal {
		v.opFails(c.name, "advance", dirBin(t, &pb.AdvanceRequest{Current: c.cur, Transition: c.tr}), core.DirectiveAdvance,
			status.IllegalTransition, c.code, "")
	}

	// ---- rollout summaries -------------------------------------------------
	report := func(node string, s pb.DeploymentState) *pb.DeploymentStatus {
		r := st(s, 0)
		r.NodeId = node
		switch s {
		case active, activating:
			r.ProgressPercent = 100
		case failed:
			r.ErrorMessage = proto.String("boom")
		}
		return r
	}
	withThreshold := func(p uint32) *pb.DeploymentDirective {
		d := yolo()
		d.Options.RollbackThresholdPercent = proto.Uint32(p)
		return d
	}
	four := []string{"n1", "n2", "n3", "n4"}
	summaries := []struct {
		name     string
		req      *pb.SummarizeRequest
		decision pb.RolloutDecision
		timedOut int
	}{
		{"in-progress", &pb.SummarizeRequest{Directive: yolo(), TargetedNodeIds: four, Now: ts(60),
			Statuses: []*pb.DeploymentStatus{report("n1", active), report("n2", downloading), report("n3", pending)}},
			pb.RolloutDecision_ROLLOUT_DECISION_IN_PROGRESS, 0},
		{"succeeded", &pb.SummarizeRequest{Directive: yolo(), TargetedNodeIds: four, Now: ts(60),
			Statuses: []*pb.DeploymentStatus{report("n1", active), report("n2", active), report("n3", active), report("n4", active)}},
			pb.RolloutDecision_ROLLOUT_DECISION_SUCCEEDED, 0},
		{"succeeded-with-threshold", &pb.SummarizeRequest{Directive: withThreshold(75), TargetedNodeIds: four, Now: ts(60),
			Statuses: []*pb.DeploymentStatus{report("n1", active), report("n2", active), report("n3", active), report("n4", active)}},
			pb.RolloutDecision_ROLLOUT_DECISION_SUCCEEDED, 0},
		{"failed-threshold-met", &pb.SummarizeRequest{Directive: withThreshold(75), TargetedNodeIds: four, Now: ts(60),
			Statuses: []*pb.DeploymentStatus{report("n1", active), report("n2", active), report("n3", active), report("n4", failed)}},
			pb.RolloutDecision_ROLLOUT_DECISION_FAILED, 0},
		{"failed-threshold-0-all-failed", &pb.SummarizeRequest{Directive: withThreshold(0), TargetedNodeIds: four, Now: ts(60),
			Statuses: []*pb.DeploymentStatus{report("n1", failed), report("n2", failed), report("n3", rolledBack), report("n4", failed)}},
			pb.RolloutDecision_ROLLOUT_DECISION_FAILED, 0},
		{"rollback-required-below-threshold", &pb.SummarizeRequest{Directive: withThreshold(75), TargetedNodeIds: four, Now: ts(60),
			Statuses: []*pb.DeploymentStatus{report("n1", active), report("n2", active), report("n3", failed), report("n4", failed)}},
			pb.RolloutDecision_ROLLOUT_DECISION_ROLLBACK_REQUIRED, 0},
		{"rollback-required", &pb.SummarizeRequest{Directive: withThreshold(75), TargetedNodeIds: four, Now: ts(60),
			Statuses: []*pb.DeploymentStatus{report("n1", active), report("n2", failed), report("n3", failed), report("n4", downloading)}},
			pb.RolloutDecision_ROLLOUT_DECISION_ROLLBACK_REQUIRED, 0},
		{"failed-nothing-to-roll-back", &pb.SummarizeRequest{Directive: withThreshold(75), TargetedNodeIds: four, Now: ts(60),
			Statuses: []*pb.DeploymentStatus{report("n1", rolledBack), report("n2", failed), report("n3", failed), report("n4", rolledBack)}},
			pb.RolloutDecision_ROLLOUT_DECISION_FAILED, 0},
		{"failed-by-timeout", &pb.SummarizeRequest{Directive: yolo(), TargetedNodeIds: four, Now: ts(300),
			Statuses: []*pb.DeploymentStatus{report("n1", active), report("n2", downloading)}},
			pb.RolloutDecision_ROLLOUT_DECISION_FAILED, 3},
		{"no-targets", &pb.SummarizeRequest{Directive: yolo(), Now: ts(60)}, pb.RolloutDecision_ROLLOUT_DECISION_NO_TARGETS, 0},
	}
	for _, c := range summaries {
		v.op(c.name, "summarize", c.req, core.DirectiveSummarize, func(out []byte) {
			s := &pb.RolloutSummary{}
			require.NoError(t, proto.Unmarshal(out, s))
			require.Equal(t, c.decision, s.GetDecision(), c.name)
			require.Len(t, s.GetTimedOutNodeIds(), c.timedOut, c.name)
		}, "")
	}
	v.opFails("other-directive", "summarize", dirBin(t, &pb.SummarizeRequest{Directive: yolo(), Now: ts(1),
		Statuses: []*pb.DeploymentStatus{{DirectiveId: "other", NodeId: "n1"}}}), core.DirectiveSummarize, status.Mismatch, "MISMATCH", "")

	// ---- merge of status reports -------------------------------------------
	dl, act := report("n1", downloading), report("n1", activating)
	dl.ReportedAt = ts(20) // later clock, lower state: activating still wins
	a, b := dirBin(t, dl), dirBin(t, act)
	for i, pair := range [][2][]byte{{a, b}, {b, a}} {
		out, err := core.Merge(statusType, codec.Binary, codec.Binary, pair[0], pair[1])
		require.NoError(t, err)
		require.Equal(t, b, out)
		v.s.Add(vectors.Case{Name: fmt.Sprintf("merge/status-rank-wins-%d", i), Op: "merge", Type: statusType, From: "binary", To: "binary",
			Inputs: []string{v.s.File(fmt.Sprintf("merge/status-%d-a.bin", i), pair[0]), v.s.File(fmt.Sprintf("merge/status-%d-b.bin", i), pair[1])},
			Expect: vectors.Expect{Status: "OK", Output: v.s.File("merge/status-winner.bin", out)}, Note: "state rank before reported_at; commutative"})
	}
	boardA := dirBin(t, &pb.StatusBoard{Statuses: []*pb.DeploymentStatus{report("n2", active), dl}})
	boardB := dirBin(t, &pb.StatusBoard{Statuses: []*pb.DeploymentStatus{act, report("n3", failed)}})
	merged, err := core.Merge(boardType, codec.Binary, codec.RustJSON, boardA, boardB)
	require.NoError(t, err)
	require.Equal(t, `{"statuses":[{"directive_id":"yolov8n-deploy-001","node_id":"n1","reported_at":"2025-11-06T12:00:10Z","state":"activating","progress_percent":100},`+
		`{"directive_id":"yolov8n-deploy-001","node_id":"n2","reported_at":"2025-11-06T12:00:10Z","state":"active","progress_percent":100},`+
		`{"directive_id":"yolov8n-deploy-001","node_id":"n3","reported_at":"2025-11-06T12:00:10Z","state":"failed","progress_percent":0,"error_message":"boom"}]}`, string(merged))
	v.s.Add(vectors.Case{Name: "merge/board", Op: "merge", Type: boardType, From: "binary", To: "rust-json",
		Inputs: []string{v.s.File("merge/board-a.bin", boardA), v.s.File("merge/board-b.bin", boardB)},
		Expect: vectors.Expect{Status: "OK", Output: v.s.File("merge/board.rust.json", merged)}, Note: "one entry per node, sorted"})
	_, err = core.Merge(statusType, codec.Binary, codec.Binary, a, dirBin(t, report("n9", active)))
	require.Equal(t, status.Mismatch, status.Of(err))
	v.s.Add(vectors.Case{Name: "merge/status-other-node", Op: "merge", Type: statusType, From: "binary", To: "binary",
		Inputs: []string{v.s.File("merge/status-0-a.bin", a), v.s.File("merge/status-n9.bin", dirBin(t, report("n9", active)))},
		Expect: vectors.Expect{Status: "MISMATCH", Code: "MISMATCH"}})

	// ---- validation of directive types -------------------------------------
	opts := dirBin(t, &validationv1.ValidateOptions{Now: ts(60)})
	bad := yolo()
	bad.Artifact.BlobHash = "sha256:abc123"
	bad.Artifact.SizeBytes = 0
	bad.Options.RollbackThresholdPercent = proto.Uint32(150)
	failedNoMsg := st(failed, 10)
	vals := []struct {
		name, typ string
		msg       proto.Message
		want      []vectors.Violation
	}{
		{"seed-valid", dirType, yolo(), []vectors.Violation{}},
		{"directive-invalid", dirType, bad, []vectors.Violation{{Code: "INVALID_HASH", Path: "artifact.blob_hash"},
			{Code: "INVALID_NUMBER", Path: "artifact.size_bytes"}, {Code: "INVALID_NUMBER", Path: "options.rollback_threshold_percent"}}},
		{"status-failed-without-message", statusType, failedNoMsg, []vectors.Violation{{Code: "REQUIRED_FIELD", Path: "error_message"}}},
	}
	for _, c := range vals {
		got := validateDirective(t, c.typ, c.msg)
		require.Equal(t, c.want, got, c.name)
		in := dirBin(t, c.msg)
		out, err := core.Validate(c.typ, codec.Binary, in, opts)
		require.NoError(t, err)
		valid := len(c.want) == 0
		v.s.Add(vectors.Case{Name: "validate/" + c.name, Op: "validate", Type: c.typ, From: "binary",
			Inputs: []string{v.s.File("validate/"+c.name+".bin", in)}, Options: v.s.File("validate/options.bin", opts),
			Expect: vectors.Expect{Status: "OK", Output: v.s.File("validate/"+c.name+".out.bin", out), Valid: &valid, Violations: c.want}})
	}

	v.s.Sync(t)
}
