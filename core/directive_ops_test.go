package core_test

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
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

const (
	dirType    = "peat.directive.v1.DeploymentDirective"
	statusType = "peat.directive.v1.DeploymentStatus"
	boardType  = "peat.directive.v1.StatusBoard"
	// The Rust reference's output for a broadcast Docker directive (peat-semantics §4.2).
	refDirective = `{"directive_id":"d-1","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c2","scope":{"type":"broadcast"},"artifact":{"blob_hash":"sha256:def456","size_bytes":100000000,"artifact_type":{"type":"container","runtime":"docker","ports":[],"env":{}}},"capabilities":[],"config":null,"options":{"priority":"normal","timeout_seconds":300,"replace_existing":false,"auto_activate":true}}`
	refStatus    = `{"directive_id":"d","node_id":"n","reported_at":"2025-11-06T12:00:00Z","state":"rolled_back","progress_percent":0}`
	hash64       = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	issuedSec    = 1_762_430_400
)

func dirBin(t testing.TB, m proto.Message) []byte {
	t.Helper()
	b, err := codec.Encode(m, codec.Binary)
	require.NoError(t, err)
	return b
}

// yolo is the seed's example (yolov8n-deploy-001: ONNX on CUDA, formation
// formation-alpha, capability object_detection, priority high), with a real
// content hash so that it validates.
func yolo() *pb.DeploymentDirective {
	return &pb.DeploymentDirective{
		DirectiveId:       "yolov8n-deploy-001",
		IssuedAt:          &commonv1.Timestamp{Seconds: issuedSec},
		IssuerNodeId:      "c2-node-1",
		IssuerFormationId: proto.String("formation-alpha"),
		Scope:             &pb.DeploymentScope{Target: &pb.DeploymentScope_FormationId{FormationId: "formation-alpha"}},
		Artifact: &pb.ArtifactSpec{BlobHash: hash64, SizeBytes: 500_000_000, Name: proto.String("YOLOv8n"), Version: proto.String("1.0.0"),
			ArtifactType: &pb.ArtifactType{Kind: &pb.ArtifactType_OnnxModel_{OnnxModel: &pb.ArtifactType_OnnxModel{
				ExecutionProviders: []string{"CUDAExecutionProvider"}}}}},
		Capabilities: []string{"object_detection"},
		Options:      &pb.DeploymentOptions{Priority: pb.DeploymentPriority_DEPLOYMENT_PRIORITY_HIGH},
	}
}

func TestReferenceJSONThroughEveryFormat(t *testing.T) {
	for typ, doc := range map[string]string{dirType: refDirective, statusType: refStatus} {
		bin, err := core.Convert(typ, codec.RustJSON, codec.Binary, []byte(doc))
		require.NoError(t, err)
		js, err := core.Convert(typ, codec.Binary, codec.JSON, bin)
		require.NoError(t, err)
		bin2, err := core.Convert(typ, codec.JSON, codec.Binary, js)
		require.NoError(t, err)
		assert.Equal(t, bin, bin2, "proto3 JSON round trip is exact")
		back, err := core.Convert(typ, codec.JSON, codec.RustJSON, js)
		require.NoError(t, err)
		assert.Equal(t, doc, string(back))
		assert.JSONEq(t, doc, string(back))
	}
	// proto3 JSON shows the representation choices.
	js, err := core.Convert(dirType, codec.RustJSON, codec.JSON, []byte(refDirective))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(js, &m))
	assert.Equal(t, map[string]any{"seconds": "1762430400"}, m["issuedAt"])
	assert.Equal(t, map[string]any{"broadcast": map[string]any{}}, m["scope"])
	assert.Equal(t, map[string]any{"priority": "DEPLOYMENT_PRIORITY_NORMAL", "timeoutSeconds": float64(300), "autoActivate": true}, m["options"])
}

func TestRequestTypesHaveNoRustJSON(t *testing.T) {
	_, err := core.Convert("peat.directive.v1.TargetRequest", codec.Binary, codec.RustJSON, nil)
	assert.Equal(t, status.Unsupported, status.Of(err))
	_, err = core.Convert("peat.directive.v1.RolloutSummary", codec.RustJSON, codec.Binary, []byte(`{}`))
	assert.Equal(t, status.Unsupported, status.Of(err))
}

func TestDirectiveOpsRefuseBadBytes(t *testing.T) {
	ops := map[string]func([]byte) ([]byte, error){
		"target": core.DirectiveTarget, "advance": core.DirectiveAdvance, "summarize": core.DirectiveSummarize,
	}
	huge := make([]byte, 64<<20+1)
	for name, op := range ops {
		_, err := op([]byte{0xff, 0xff, 0xff})
		assert.Equal(t, status.Decode, status.Of(err), name)
		_, err = op(nil)
		assert.Equal(t, status.InvalidArgument, status.Of(err), name+": an empty request lacks its parts")
		_, err = op(huge)
		assert.Equal(t, status.TooLarge, status.Of(err), name, "refused before decoding")
	}
}

func TestDirectiveOpsEndToEnd(t *testing.T) {
	node := &nodev1.NodeConfig{Id: "uav-7", PlatformType: "quadrotor",
		Capabilities: []*capabilityv1.Capability{{Id: "od", Name: "object_detection", Confidence: 0.9}}}
	out, err := core.DirectiveTarget(dirBin(t, &pb.TargetRequest{Directive: yolo(), NodeConfig: node,
		NodeState: &nodev1.NodeState{CellId: proto.String("formation-alpha")}}))
	require.NoError(t, err)
	dec := &pb.TargetDecision{}
	require.NoError(t, proto.Unmarshal(out, dec))
	assert.True(t, dec.GetTargeted())

	cur := &pb.DeploymentStatus{DirectiveId: "yolov8n-deploy-001", NodeId: "uav-7", ReportedAt: &commonv1.Timestamp{Seconds: issuedSec + 1},
		State: pb.DeploymentState_DEPLOYMENT_STATE_PENDING}
	out, err = core.DirectiveAdvance(dirBin(t, &pb.AdvanceRequest{Current: cur, Transition: &pb.Transition{
		State: pb.DeploymentState_DEPLOYMENT_STATE_ACTIVE, ReportedAt: &commonv1.Timestamp{Seconds: issuedSec + 2}}}))
	assert.Nil(t, out)
	assert.Equal(t, status.IllegalTransition, status.Of(err))

	out, err = core.DirectiveSummarize(dirBin(t, &pb.SummarizeRequest{Directive: yolo(), TargetedNodeIds: []string{"uav-7"},
		Statuses: []*pb.DeploymentStatus{cur}, Now: &commonv1.Timestamp{Seconds: issuedSec + 301}}))
	require.NoError(t, err)
	sum := &pb.RolloutSummary{}
	require.NoError(t, proto.Unmarshal(out, sum))
	assert.Equal(t, []string{"uav-7"}, sum.GetTimedOutNodeIds())
	assert.Equal(t, pb.RolloutDecision_ROLLOUT_DECISION_FAILED, sum.GetDecision())
}

func TestStatusesMergeThroughCoreMerge(t *testing.T) {
	a := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: &commonv1.Timestamp{Seconds: 5},
		State: pb.DeploymentState_DEPLOYMENT_STATE_DOWNLOADING, ProgressPercent: 30}
	b := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: &commonv1.Timestamp{Seconds: 4},
		State: pb.DeploymentState_DEPLOYMENT_STATE_ACTIVATING, ProgressPercent: 100}
	ab, err := core.Merge(statusType, codec.Binary, codec.Binary, dirBin(t, a), dirBin(t, b))
	require.NoError(t, err)
	ba, err := core.Merge(statusType, codec.Binary, codec.Binary, dirBin(t, b), dirBin(t, a))
	require.NoError(t, err)
	assert.Equal(t, ab, ba)
	assert.Equal(t, dirBin(t, b), ab, "activating outranks downloading")

	c := proto.Clone(a).(*pb.DeploymentStatus)
	c.NodeId = "m"
	_, err = core.Merge(statusType, codec.Binary, codec.Binary, dirBin(t, a), dirBin(t, c))
	assert.Equal(t, status.Mismatch, status.Of(err))

	board, err := core.MergeBatch(boardType, codec.Binary, codec.RustJSON, [][]byte{
		dirBin(t, &pb.StatusBoard{Statuses: []*pb.DeploymentStatus{a, c}}),
		dirBin(t, &pb.StatusBoard{Statuses: []*pb.DeploymentStatus{b}}),
	})
	require.NoError(t, err)
	assert.Equal(t, `{"statuses":[{"directive_id":"d","node_id":"m","reported_at":"1970-01-01T00:00:05Z","state":"downloading","progress_percent":30},`+
		`{"directive_id":"d","node_id":"n","reported_at":"1970-01-01T00:00:04Z","state":"activating","progress_percent":100}]}`, string(board))
}

func validateDirective(t *testing.T, typ string, m proto.Message) []vectors.Violation {
	t.Helper()
	opts := dirBin(t, &validationv1.ValidateOptions{Now: &commonv1.Timestamp{Seconds: issuedSec + 60}})
	out, err := core.Validate(typ, codec.Binary, dirBin(t, m), opts)
	require.NoError(t, err)
	r := &validationv1.ValidationReport{}
	require.NoError(t, proto.Unmarshal(out, r))
	got := []vectors.Violation{}
	for _, v := range r.GetViolations() {
		got = append(got, vectors.Violation{Code: v.GetCode(), Path: v.GetPath()})
	}
	sort.Slice(got, func(i, j int) bool { return got[i].Path+got[i].Code < got[j].Path+got[j].Code })
	return got
}

func TestDirectiveValidation(t *testing.T) {
	assert.Empty(t, validateDirective(t, dirType, yolo()), "the seed example with a real hash is valid")

	cases := []struct {
		name string
		edit func(d *pb.DeploymentDirective)
		want []vectors.Violation
	}{
		{"seed placeholder hash", func(d *pb.DeploymentDirective) { d.Artifact.BlobHash = "sha256:abc123" },
			[]vectors.Violation{{Code: "INVALID_HASH", Path: "artifact.blob_hash"}}},
		{"empty id", func(d *pb.DeploymentDirective) { d.DirectiveId = "" },
			[]vectors.Violation{{Code: "REQUIRED_FIELD", Path: "directive_id"}}},
		{"no scope", func(d *pb.DeploymentDirective) { d.Scope = nil },
			[]vectors.Violation{{Code: "REQUIRED_FIELD", Path: "scope"}}},
		{"empty scope", func(d *pb.DeploymentDirective) { d.Scope = &pb.DeploymentScope{} },
			[]vectors.Violation{{Code: "REQUIRED_FIELD", Path: "scope"}}},
		{"empty formation", func(d *pb.DeploymentDirective) {
			d.Scope = &pb.DeploymentScope{Target: &pb.DeploymentScope_FormationId{}}
		}, []vectors.Violation{{Code: "REQUIRED_FIELD", Path: "scope.formation_id"}}},
		{"node list problems", func(d *pb.DeploymentDirective) {
			d.Scope = &pb.DeploymentScope{Target: &pb.DeploymentScope_Nodes{Nodes: &pb.DeploymentScope_NodeList{NodeIds: []string{"a", "", "a"}}}}
		}, []vectors.Violation{{Code: "REQUIRED_FIELD", Path: "scope.nodes.node_ids[1]"}, {Code: "DUPLICATE_ID", Path: "scope.nodes.node_ids[2]"}}},
		{"empty node list", func(d *pb.DeploymentDirective) {
			d.Scope = &pb.DeploymentScope{Target: &pb.DeploymentScope_Nodes{Nodes: &pb.DeploymentScope_NodeList{}}}
		}, []vectors.Violation{{Code: "REQUIRED_FIELD", Path: "scope.nodes.node_ids"}}},
		{"empty required capability", func(d *pb.DeploymentDirective) {
			d.Scope = &pb.DeploymentScope{Target: &pb.DeploymentScope_Capability{Capability: &pb.CapabilityFilter{RequiredCapabilities: []string{"cuda", ""}}}}
		}, []vectors.Violation{{Code: "REQUIRED_FIELD", Path: "scope.capability.required_capabilities[1]"}}},
		{"size 0 and bad sha256", func(d *pb.DeploymentDirective) { d.Artifact.SizeBytes = 0; d.Artifact.Sha256 = proto.String("ABC") },
			[]vectors.Violation{{Code: "INVALID_HASH", Path: "artifact.sha256"}, {Code: "INVALID_NUMBER", Path: "artifact.size_bytes"}}},
		{"no artifact type", func(d *pb.DeploymentDirective) { d.Artifact.ArtifactType = nil },
			[]vectors.Violation{{Code: "REQUIRED_FIELD", Path: "artifact.artifact_type"}}},
		{"container ports", func(d *pb.DeploymentDirective) {
			d.Artifact.ArtifactType = &pb.ArtifactType{Kind: &pb.ArtifactType_Container_{Container: &pb.ArtifactType_Container{
				Ports: []*pb.PortMapping{{ContainerPort: 0, HostPort: 70000, Protocol: "http"}}}}}
		}, []vectors.Violation{
			{Code: "INVALID_NUMBER", Path: "artifact.artifact_type.container.ports[0].container_port"},
			{Code: "INVALID_NUMBER", Path: "artifact.artifact_type.container.ports[0].host_port"},
			{Code: "INVALID_ENUM", Path: "artifact.artifact_type.container.ports[0].protocol"}}},
		{"binary without arch", func(d *pb.DeploymentDirective) {
			d.Artifact.ArtifactType = &pb.ArtifactType{Kind: &pb.ArtifactType_NativeBinary_{NativeBinary: &pb.ArtifactType_NativeBinary{}}}
		}, []vectors.Violation{{Code: "REQUIRED_FIELD", Path: "artifact.artifact_type.native_binary.arch"}}},
		{"config package without path", func(d *pb.DeploymentDirective) {
			d.Artifact.ArtifactType = &pb.ArtifactType{Kind: &pb.ArtifactType_ConfigPackage_{ConfigPackage: &pb.ArtifactType_ConfigPackage{}}}
		}, []vectors.Violation{{Code: "REQUIRED_FIELD", Path: "artifact.artifact_type.config_package.target_path"}}},
		{"threshold above 100", func(d *pb.DeploymentDirective) { d.Options.RollbackThresholdPercent = proto.Uint32(101) },
			[]vectors.Violation{{Code: "INVALID_NUMBER", Path: "options.rollback_threshold_percent"}}},
		{"config not JSON", func(d *pb.DeploymentDirective) { d.ConfigJson = "{nope" },
			[]vectors.Violation{{Code: "INVALID_STRING", Path: "config_json"}}},
		{"issued in the future", func(d *pb.DeploymentDirective) { d.IssuedAt.Seconds += 3600 },
			[]vectors.Violation{{Code: "INVALID_TIMESTAMP", Path: "issued_at.seconds"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := yolo()
			c.edit(d)
			assert.Equal(t, c.want, validateDirective(t, dirType, d))
		})
	}
}

func TestStatusValidation(t *testing.T) {
	ok := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n", ReportedAt: &commonv1.Timestamp{Seconds: issuedSec},
		State: pb.DeploymentState_DEPLOYMENT_STATE_DOWNLOADING, ProgressPercent: 100}
	assert.Empty(t, validateDirective(t, statusType, ok))

	bad := proto.Clone(ok).(*pb.DeploymentStatus)
	bad.ProgressPercent = 101
	assert.Equal(t, []vectors.Violation{{Code: "INVALID_NUMBER", Path: "progress_percent"}}, validateDirective(t, statusType, bad))

	failed := proto.Clone(ok).(*pb.DeploymentStatus)
	failed.State = pb.DeploymentState_DEPLOYMENT_STATE_FAILED
	assert.Equal(t, []vectors.Violation{{Code: "REQUIRED_FIELD", Path: "error_message"}}, validateDirective(t, statusType, failed))

	assert.Equal(t, []vectors.Violation{
		{Code: "REQUIRED_FIELD", Path: "directive_id"}, {Code: "REQUIRED_FIELD", Path: "node_id"},
		{Code: "REQUIRED_FIELD", Path: "reported_at"}, {Code: "INVALID_ENUM", Path: "state"},
	}, validateDirective(t, statusType, &pb.DeploymentStatus{}))

	board := &pb.StatusBoard{Statuses: []*pb.DeploymentStatus{ok, ok}}
	assert.Equal(t, []vectors.Violation{{Code: "DUPLICATE_ID", Path: "statuses[1]"}}, validateDirective(t, boardType, board))
}
