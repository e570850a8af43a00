package directive

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// referenceDirective is the JSON the Rust reference wrote for a broadcast
// directive with a Docker container (peat-semantics §4.2), byte for byte.
const referenceDirective = `{"directive_id":"d-1","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c2","scope":{"type":"broadcast"},"artifact":{"blob_hash":"sha256:def456","size_bytes":100000000,"artifact_type":{"type":"container","runtime":"docker","ports":[],"env":{}}},"capabilities":[],"config":null,"options":{"priority":"normal","timeout_seconds":300,"replace_existing":false,"auto_activate":true}}`

// referenceStatus is the reference's rolled-back status (§4.2).
const referenceStatus = `{"directive_id":"d","node_id":"n","reported_at":"2025-11-06T12:00:00Z","state":"rolled_back","progress_percent":0}`

func readDirectiveJSON(t *testing.T, s string) *pb.DeploymentDirective {
	t.Helper()
	d := &pb.DeploymentDirective{}
	require.NoError(t, UnmarshalRustJSON([]byte(s), d))
	return d
}

func rewrite(t *testing.T, s string, msg proto.Message) string {
	t.Helper()
	require.NoError(t, UnmarshalRustJSON([]byte(s), msg))
	out, err := MarshalRustJSON(msg)
	require.NoError(t, err)
	return string(out)
}

func TestReferenceDirectiveReadAndRewrittenByteForByte(t *testing.T) {
	d := readDirectiveJSON(t, referenceDirective)
	assert.Equal(t, "d-1", d.GetDirectiveId())
	assert.Equal(t, uint64(1762430400), d.GetIssuedAt().GetSeconds())
	assert.Equal(t, "c2", d.GetIssuerNodeId())
	assert.Nil(t, d.IssuerFormationId)
	assert.NotNil(t, d.GetScope().GetBroadcast())
	assert.Equal(t, "sha256:def456", d.GetArtifact().GetBlobHash())
	assert.Equal(t, uint64(100_000_000), d.GetArtifact().GetSizeBytes())
	c := d.GetArtifact().GetArtifactType().GetContainer()
	require.NotNil(t, c)
	assert.Equal(t, pb.ContainerRuntime_CONTAINER_RUNTIME_DOCKER, c.GetRuntime())
	assert.Empty(t, d.GetConfigJson())
	assert.Equal(t, uint32(300), TimeoutSeconds(d.GetOptions()))
	assert.True(t, AutoActivate(d.GetOptions()))

	out, err := MarshalRustJSON(d)
	require.NoError(t, err)
	assert.Equal(t, referenceDirective, string(out))
}

func TestReferenceStatusReadAndRewrittenByteForByte(t *testing.T) {
	s := &pb.DeploymentStatus{}
	assert.Equal(t, referenceStatus, rewrite(t, referenceStatus, s))
	assert.Equal(t, RolledBack, s.GetState())
	assert.Nil(t, s.ErrorMessage)
	assert.Nil(t, s.InstanceId)
}

// Each artifact type as the reference wrote it (§4.2), inside a directive.
func TestEveryArtifactTypeRoundTrips(t *testing.T) {
	types := map[string]string{
		"onnx_model":     `{"type":"onnx_model","execution_providers":["CUDAExecutionProvider"]}`,
		"container":      `{"type":"container","runtime":"podman","ports":[{"container_port":80,"host_port":8080,"protocol":"tcp"}],"env":{"A":"1","B":"2"}}`,
		"native_binary":  `{"type":"native_binary","arch":"aarch64","args":[]}`,
		"config_package": `{"type":"config_package","target_path":"/etc/x"}`,
		"wasm_module":    `{"type":"wasm_module","wasi_capabilities":[]}`,
	}
	for name, at := range types {
		t.Run(name, func(t *testing.T) {
			doc := strings.Replace(referenceDirective,
				`{"type":"container","runtime":"docker","ports":[],"env":{}}`, at, 1)
			d := &pb.DeploymentDirective{}
			assert.Equal(t, doc, rewrite(t, doc, d))
			assert.Equal(t, name, kindName(d.GetArtifact().GetArtifactType()))

			// The part alone has the same form.
			part := &pb.ArtifactType{}
			assert.Equal(t, at, rewrite(t, at, part))
		})
	}
}

func kindName(a *pb.ArtifactType) string {
	switch a.GetKind().(type) {
	case *pb.ArtifactType_OnnxModel_:
		return "onnx_model"
	case *pb.ArtifactType_Container_:
		return "container"
	case *pb.ArtifactType_NativeBinary_:
		return "native_binary"
	case *pb.ArtifactType_ConfigPackage_:
		return "config_package"
	case *pb.ArtifactType_WasmModule_:
		return "wasm_module"
	}
	return "none"
}

func TestEveryScopeRoundTrips(t *testing.T) {
	scopes := []string{
		`{"type":"broadcast"}`,
		`{"type":"formation","formation_id":"formation-alpha"}`,
		`{"type":"nodes","node_ids":["node-1","node-2"]}`,
		`{"type":"capability","min_gpu_memory_mb":4096,"required_capabilities":["cuda"]}`,
		`{"type":"capability","min_gpu_memory_mb":1,"min_memory_mb":2,"min_storage_mb":3,"required_capabilities":[],"custom":{"os":"linux","zone":"z1"}}`,
	}
	for _, sc := range scopes {
		doc := strings.Replace(referenceDirective, `{"type":"broadcast"}`, sc, 1)
		assert.Equal(t, doc, rewrite(t, doc, &pb.DeploymentDirective{}), sc)
	}
	d := readDirectiveJSON(t, strings.Replace(referenceDirective, `{"type":"broadcast"}`, scopes[1], 1))
	assert.Equal(t, "formation-alpha", d.GetScope().GetFormationId())
	d = readDirectiveJSON(t, strings.Replace(referenceDirective, `{"type":"broadcast"}`, scopes[2], 1))
	assert.Equal(t, []string{"node-1", "node-2"}, d.GetScope().GetNodes().GetNodeIds())
	d = readDirectiveJSON(t, strings.Replace(referenceDirective, `{"type":"broadcast"}`, scopes[3], 1))
	assert.Equal(t, uint64(4096), d.GetScope().GetCapability().GetMinGpuMemoryMb())
	assert.Nil(t, d.GetScope().GetCapability().MinMemoryMb)
}

// The seed's example: yolov8n-deploy-001, an ONNX model on CUDA for
// formation-alpha, providing object_detection, priority high.
func seedDirective() *pb.DeploymentDirective {
	formation := "formation-alpha"
	return &pb.DeploymentDirective{
		DirectiveId:       "yolov8n-deploy-001",
		IssuedAt:          &commonv1.Timestamp{Seconds: 1762430400},
		IssuerNodeId:      "c2-node-1",
		IssuerFormationId: &formation,
		Scope:             &pb.DeploymentScope{Target: &pb.DeploymentScope_FormationId{FormationId: "formation-alpha"}},
		Artifact: &pb.ArtifactSpec{
			BlobHash:  "sha256:abc123",
			SizeBytes: 500_000_000,
			ArtifactType: &pb.ArtifactType{Kind: &pb.ArtifactType_OnnxModel_{OnnxModel: &pb.ArtifactType_OnnxModel{
				ExecutionProviders: []string{"CUDAExecutionProvider"}}}},
		},
		Capabilities: []string{"object_detection"},
		Options:      &pb.DeploymentOptions{Priority: pb.DeploymentPriority_DEPLOYMENT_PRIORITY_HIGH},
	}
}

func TestSeedExampleWritesTheReferenceShape(t *testing.T) {
	out, err := MarshalRustJSON(seedDirective())
	require.NoError(t, err)
	want := `{"directive_id":"yolov8n-deploy-001","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c2-node-1",` +
		`"issuer_formation_id":"formation-alpha","scope":{"type":"formation","formation_id":"formation-alpha"},` +
		`"artifact":{"blob_hash":"sha256:abc123","size_bytes":500000000,"artifact_type":{"type":"onnx_model","execution_providers":["CUDAExecutionProvider"]}},` +
		`"capabilities":["object_detection"],"config":null,` +
		`"options":{"priority":"high","timeout_seconds":300,"replace_existing":false,"auto_activate":true}}`
	assert.Equal(t, want, string(out))

	back := readDirectiveJSON(t, string(out))
	assert.Equal(t, pb.DeploymentPriority_DEPLOYMENT_PRIORITY_HIGH, back.GetOptions().GetPriority())
	assert.Equal(t, "formation-alpha", back.GetIssuerFormationId())
	assert.Equal(t, []string{"object_detection"}, back.GetCapabilities())
}

func TestMinimalDirectiveGetsTheReferenceDefaults(t *testing.T) {
	min := `{"directive_id":"d","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c","scope":{"type":"broadcast"},` +
		`"artifact":{"blob_hash":"h","size_bytes":1,"artifact_type":{"type":"container","runtime":"docker"}}}`
	d := readDirectiveJSON(t, min)
	assert.Equal(t, pb.DeploymentPriority_DEPLOYMENT_PRIORITY_NORMAL, d.GetOptions().GetPriority())
	assert.Equal(t, uint32(300), d.GetOptions().GetTimeoutSeconds())
	assert.True(t, d.GetOptions().GetAutoActivate())
	assert.False(t, d.GetOptions().GetReplaceExisting())
	assert.Nil(t, d.GetOptions().RollbackThresholdPercent)
	out, err := MarshalRustJSON(d)
	require.NoError(t, err)
	assert.Equal(t, `{"directive_id":"d","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c","scope":{"type":"broadcast"},`+
		`"artifact":{"blob_hash":"h","size_bytes":1,"artifact_type":{"type":"container","runtime":"docker","ports":[],"env":{}}},`+
		`"capabilities":[],"config":null,"options":{"priority":"normal","timeout_seconds":300,"replace_existing":false,"auto_activate":true}}`, string(out))

	// Each option defaults on its own; a port's protocol defaults to tcp.
	opts := &pb.DeploymentOptions{}
	require.NoError(t, UnmarshalRustJSON([]byte(`{"timeout_seconds":0,"rollback_threshold_percent":80}`), opts))
	assert.Equal(t, uint32(0), TimeoutSeconds(opts), "0 means no timeout and must survive")
	assert.Equal(t, uint32(80), opts.GetRollbackThresholdPercent())
	assert.True(t, AutoActivate(opts))
	port := &pb.PortMapping{}
	assert.Equal(t, `{"container_port":1,"host_port":2,"protocol":"tcp"}`, rewrite(t, `{"container_port":1,"host_port":2}`, port))
}

func TestProtoDefaultsAreWrittenAsTheReferenceDefaults(t *testing.T) {
	// A directive built in proto3 with every default left at zero.
	d := &pb.DeploymentDirective{
		DirectiveId: "d", IssuedAt: &commonv1.Timestamp{Seconds: 1762430400, Nanos: 5_000_000}, IssuerNodeId: "c",
		Scope: &pb.DeploymentScope{Target: &pb.DeploymentScope_Broadcast_{Broadcast: &pb.DeploymentScope_Broadcast{}}},
		Artifact: &pb.ArtifactSpec{BlobHash: "h", SizeBytes: 1, ArtifactType: &pb.ArtifactType{
			Kind: &pb.ArtifactType_Container_{Container: &pb.ArtifactType_Container{Ports: []*pb.PortMapping{{ContainerPort: 1, HostPort: 2}}}}}},
	}
	out, err := MarshalRustJSON(d)
	require.NoError(t, err)
	assert.Equal(t, `{"directive_id":"d","issued_at":"2025-11-06T12:00:00.005Z","issuer_node_id":"c","scope":{"type":"broadcast"},`+
		`"artifact":{"blob_hash":"h","size_bytes":1,"artifact_type":{"type":"container","runtime":"docker","ports":[{"container_port":1,"host_port":2,"protocol":"tcp"}],"env":{}}},`+
		`"capabilities":[],"config":null,"options":{"priority":"normal","timeout_seconds":300,"replace_existing":false,"auto_activate":true}}`, string(out))
}

func TestOptionalFieldsWrittenOnlyWhenPresent(t *testing.T) {
	doc := strings.Replace(referenceDirective, `"artifact_type":{"type":"container","runtime":"docker","ports":[],"env":{}}}`,
		`"artifact_type":{"type":"container","runtime":"docker","ports":[],"env":{}},"sha256":"abc","name":"YOLOv8n","version":"1.0.0"}`, 1)
	doc = strings.Replace(doc, `"auto_activate":true`, `"rollback_threshold_percent":90,"auto_activate":false`, 1)
	doc = strings.Replace(doc, `"issuer_node_id":"c2",`, `"issuer_node_id":"c2","issuer_formation_id":"f",`, 1)
	d := &pb.DeploymentDirective{}
	assert.Equal(t, doc, rewrite(t, doc, d))
	assert.Equal(t, "YOLOv8n", d.GetArtifact().GetName())
	assert.False(t, AutoActivate(d.GetOptions()))

	st := `{"directive_id":"d","node_id":"n","reported_at":"2025-11-06T12:00:00.123456Z","state":"active","progress_percent":100,"instance_id":"i-1"}`
	assert.Equal(t, st, rewrite(t, st, &pb.DeploymentStatus{}))
	st = `{"directive_id":"d","node_id":"n","reported_at":"2025-11-06T12:00:00.123456789Z","state":"failed","progress_percent":40,"error_message":"disk full"}`
	assert.Equal(t, st, rewrite(t, st, &pb.DeploymentStatus{}))
}

func TestConfigIsKeptVerbatim(t *testing.T) {
	cfg := `{"model":{"batch":18446744073709551615,"thresholds":[0.25,0.5]},"labels":["a","b"],"z":null}`
	doc := strings.Replace(referenceDirective, `"config":null`, `"config":`+cfg, 1)
	d := &pb.DeploymentDirective{}
	assert.Equal(t, doc, rewrite(t, doc, d))
	assert.Equal(t, cfg, d.GetConfigJson())

	// Whitespace inside config is compacted; absent config reads as null.
	spaced := strings.Replace(referenceDirective, `"config":null`, `"config": { "a" : [1, 2] }`, 1)
	require.NoError(t, UnmarshalRustJSON([]byte(spaced), d))
	assert.Equal(t, `{"a":[1,2]}`, d.GetConfigJson())
	noConfig := strings.Replace(referenceDirective, `"config":null,`, ``, 1)
	assert.Equal(t, referenceDirective, rewrite(t, noConfig, &pb.DeploymentDirective{}))
}

func TestStringsEscapedLikeSerdeJSON(t *testing.T) {
	s := &pb.DeploymentStatus{DirectiveId: "d", NodeId: "n<&>é\u2028", ReportedAt: &commonv1.Timestamp{Seconds: 0},
		State: Failed, ErrorMessage: proto.String("a\"b\\c\n\t\r\b\f\x01\x1f\x7f")}
	out, err := MarshalRustJSON(s)
	require.NoError(t, err)
	assert.Equal(t, `{"directive_id":"d","node_id":"n<&>é`+"\u2028"+`","reported_at":"1970-01-01T00:00:00Z","state":"failed","progress_percent":0,"error_message":"a\"b\\c\n\t\r\b\f\u0001\u001f`+"\x7f"+`"}`, string(out))
	back := &pb.DeploymentStatus{}
	require.NoError(t, UnmarshalRustJSON(out, back))
	assert.True(t, proto.Equal(s, back))
}

func TestReadingIsAsStrictAsTheReference(t *testing.T) {
	withScope := func(sc string) string {
		return strings.Replace(referenceDirective, `{"type":"broadcast"}`, sc, 1)
	}
	cases := []struct {
		name, doc, path, msg string
	}{
		{"missing scope", strings.Replace(referenceDirective, `"scope":{"type":"broadcast"},`, ``, 1), "scope", "missing required key"},
		{"missing issuer", strings.Replace(referenceDirective, `"issuer_node_id":"c2",`, ``, 1), "issuer_node_id", "missing required key"},
		{"missing id", strings.Replace(referenceDirective, `"directive_id":"d-1",`, ``, 1), "directive_id", "missing required key"},
		{"missing issued_at", strings.Replace(referenceDirective, `"issued_at":"2025-11-06T12:00:00Z",`, ``, 1), "issued_at", "missing required key"},
		{"missing blob hash", strings.Replace(referenceDirective, `"blob_hash":"sha256:def456",`, ``, 1), "artifact.blob_hash", "missing required key"},
		{"missing runtime", strings.Replace(referenceDirective, `"runtime":"docker",`, ``, 1), "artifact.artifact_type.runtime", "missing required key"},
		{"missing type tag", strings.Replace(referenceDirective, `"type":"container",`, ``, 1), "artifact.artifact_type.type", "missing required key"},
		{"capitalised variant", withScope(`{"type":"Broadcast"}`), "scope.type", "unknown variant"},
		{"bare string scope", withScope(`"broadcast"`), "scope", "must be a JSON object"},
		{"externally tagged", withScope(`{"formation":"f1"}`), "scope.type", "missing required key"},
		{"formation without id", withScope(`{"type":"formation"}`), "scope.formation_id", "missing required key"},
		{"nodes without list", withScope(`{"type":"nodes"}`), "scope.node_ids", "missing required key"},
		{"null capabilities", strings.Replace(referenceDirective, `"capabilities":[]`, `"capabilities":null`, 1), "capabilities", "must be an array"},
		{"null options", strings.Replace(referenceDirective, `"options":{"priority":"normal","timeout_seconds":300,"replace_existing":false,"auto_activate":true}`, `"options":null`, 1), "options", "must be a JSON object"},
		{"upper-case priority", strings.Replace(referenceDirective, `"normal"`, `"HIGH"`, 1), "options.priority", "unknown variant"},
		{"float size", strings.Replace(referenceDirective, `100000000`, `1.0`, 1), "artifact.size_bytes", "unsigned integer"},
		{"negative size", strings.Replace(referenceDirective, `100000000`, `-1`, 1), "artifact.size_bytes", "unsigned integer"},
		{"size over u64", strings.Replace(referenceDirective, `100000000`, `18446744073709551616`, 1), "artifact.size_bytes", "fits u64"},
		{"timeout over u32", strings.Replace(referenceDirective, `"timeout_seconds":300`, `"timeout_seconds":4294967296`, 1), "options.timeout_seconds", "fits u32"},
		{"duplicate key", strings.Replace(referenceDirective, `"issuer_node_id":"c2",`, `"issuer_node_id":"c2","issuer_node_id":"c3",`, 1), "issuer_node_id", "duplicate key"},
		{"time without offset", strings.Replace(referenceDirective, `12:00:00Z`, `12:00:00`, 1), "issued_at", "RFC 3339"},
		{"epoch number", strings.Replace(referenceDirective, `"2025-11-06T12:00:00Z"`, `1762430400`, 1), "issued_at", "must be a string"},
		{"port over u16", strings.Replace(referenceDirective, `"ports":[]`, `"ports":[{"container_port":65536,"host_port":1}]`, 1), "artifact.artifact_type.ports[0].container_port", "fits u16"},
		{"trailing garbage", referenceDirective + `x`, "", "invalid JSON"},
		{"not an object", `[]`, "", "must be a JSON object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := UnmarshalRustJSON([]byte(c.doc), &pb.DeploymentDirective{})
			require.Error(t, err)
			e := status.From(err)
			assert.Equal(t, status.Decode, e.Status)
			assert.Equal(t, c.path, e.Path)
			assert.Contains(t, e.Message, c.msg)
		})
	}
}

func TestReadingAcceptsWhatTheReferenceAccepts(t *testing.T) {
	// Unknown keys ignored; null for Option fields; offsets converted to UTC.
	doc := strings.Replace(referenceDirective, `"issuer_node_id":"c2",`, `"issuer_node_id":"c2","issuer_formation_id":null,"extra":{"x":[1]},`, 1)
	doc = strings.Replace(doc, `2025-11-06T12:00:00Z`, `2025-11-06 14:00:00+02:00`, 1)
	assert.Equal(t, referenceDirective, rewrite(t, doc, &pb.DeploymentDirective{}))

	st := `{"directive_id":"d","node_id":"n","reported_at":"2025-11-06T12:00:00.5+0000","state":"downloading","progress_percent":101,"error_message":null}`
	s := &pb.DeploymentStatus{}
	require.NoError(t, UnmarshalRustJSON([]byte(st), s))
	assert.Equal(t, uint32(500_000_000), s.GetReportedAt().GetNanos())
	assert.Equal(t, uint32(101), s.GetProgressPercent(), "above 100 fits the u8: validation reports it, reading does not")
	assert.Nil(t, s.ErrorMessage)

	err := UnmarshalRustJSON([]byte(strings.Replace(st, `101`, `300`, 1)), s)
	assert.Equal(t, "progress_percent", status.From(err).Path)
}

func TestWritingRefusesWhatTheReferenceCannotRead(t *testing.T) {
	base := func() *pb.DeploymentDirective { return readDirectiveJSON(t, referenceDirective) }
	cases := map[string]struct {
		edit func(*pb.DeploymentDirective)
		path string
	}{
		"no scope":         {func(d *pb.DeploymentDirective) { d.Scope = nil }, "scope"},
		"no artifact type": {func(d *pb.DeploymentDirective) { d.Artifact.ArtifactType = nil }, "artifact.artifact_type"},
		"no artifact":      {func(d *pb.DeploymentDirective) { d.Artifact = nil }, "artifact.artifact_type"},
		"no issued_at":     {func(d *pb.DeploymentDirective) { d.IssuedAt = nil }, "issued_at"},
		"bad nanos":        {func(d *pb.DeploymentDirective) { d.IssuedAt.Nanos = 1_000_000_000 }, "issued_at"},
		"after 9999":       {func(d *pb.DeploymentDirective) { d.IssuedAt.Seconds = 1 << 40 }, "issued_at"},
		"config not JSON":  {func(d *pb.DeploymentDirective) { d.ConfigJson = "{nope" }, "config_json"},
		"port over u16": {func(d *pb.DeploymentDirective) {
			d.Artifact.ArtifactType.GetContainer().Ports = []*pb.PortMapping{{ContainerPort: 70000, HostPort: 1}}
		}, "artifact.artifact_type.container.ports[0]"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			d := base()
			c.edit(d)
			_, err := MarshalRustJSON(d)
			require.Error(t, err)
			assert.Equal(t, status.Encode, status.Of(err))
			assert.Equal(t, c.path, status.From(err).Path)
		})
	}
	_, err := MarshalRustJSON(&pb.DeploymentStatus{ReportedAt: &commonv1.Timestamp{}})
	assert.Equal(t, "state", status.From(err).Path, "UNSPECIFIED has no spelling")
	_, err = MarshalRustJSON(&pb.DeploymentStatus{ReportedAt: &commonv1.Timestamp{}, State: Downloading, ProgressPercent: 256})
	assert.Equal(t, "progress_percent", status.From(err).Path)
	_, err = MarshalRustJSON(&pb.TargetRequest{})
	assert.Equal(t, status.Unsupported, status.Of(err))
	assert.Equal(t, status.Unsupported, status.Of(UnmarshalRustJSON([]byte(`{}`), &pb.RolloutSummary{})))
}

func TestStatusBoardRustJSON(t *testing.T) {
	doc := `{"statuses":[` + referenceStatus + `,` + strings.Replace(referenceStatus, `"n"`, `"m"`, 1) + `]}`
	b := &pb.StatusBoard{}
	assert.Equal(t, doc, rewrite(t, doc, b))
	assert.Len(t, b.GetStatuses(), 2)
	_, err := MarshalRustJSON(&pb.StatusBoard{Statuses: []*pb.DeploymentStatus{{}}})
	assert.Equal(t, "statuses[0].state", status.From(err).Path)
}

func TestTimeFormatting(t *testing.T) {
	cases := map[uint32]string{
		0:           "2025-11-06T12:00:00Z",
		5_000_000:   "2025-11-06T12:00:00.005Z",
		123_456_000: "2025-11-06T12:00:00.123456Z",
		123_456_789: "2025-11-06T12:00:00.123456789Z",
		1:           "2025-11-06T12:00:00.000000001Z",
		100_000_000: "2025-11-06T12:00:00.100Z",
	}
	for nanos, want := range cases {
		got, err := FormatTime(&commonv1.Timestamp{Seconds: 1762430400, Nanos: nanos})
		require.NoError(t, err)
		assert.Equal(t, want, got)
		back, err := ParseTime(got)
		require.NoError(t, err)
		assert.Equal(t, nanos, back.GetNanos())
		assert.Equal(t, uint64(1762430400), back.GetSeconds())
	}
}

func TestTimeParsing(t *testing.T) {
	ok := map[string][2]uint64{
		"2025-11-06T12:00:00+02:00":    {1762430400 - 7200, 0},
		"2025-11-06T12:00:00+0200":     {1762430400 - 7200, 0},
		"2025-11-06T12:00:00-01:30":    {1762430400 + 5400, 0},
		"2025-11-06 12:00:00Z":         {1762430400, 0},
		"2025-11-06T12:00:00.5Z":       {1762430400, 500_000_000},
		"2024-02-29T00:00:00Z":         {1709164800, 0},
		"1970-01-01T00:00:00Z":         {0, 0},
		"9999-12-31T23:59:59.999999Z":  {maxRFC3339Seconds, 999_999_000},
		"2025-11-06T12:00:00.000000Z":  {1762430400, 0},
		"2025-11-06T12:00:00.12345Z":   {1762430400, 123_450_000},
		"2025-11-06T12:00:00.1234567Z": {1762430400, 123_456_700},
	}
	for s, want := range ok {
		ts, err := ParseTime(s)
		require.NoError(t, err, s)
		assert.Equal(t, want[0], ts.GetSeconds(), s)
		assert.Equal(t, want[1], uint64(ts.GetNanos()), s)
	}
	bad := []string{"", "2025-11-06T12:00:00", "2025-11-06t12:00:00Z", "2025-11-06T12:00:00z", "2025-02-29T00:00:00Z",
		"2025-13-01T00:00:00Z", "2025-11-06T24:00:00Z", "2025-11-06T12:00:60Z", "2025-11-06T12:00:00.Z",
		"2025-11-06T12:00:00.1234567891Z", "1969-12-31T23:59:59Z", "1970-01-01T00:30:00+01:00", "2025-11-06T12:00:00+2:00",
		"2025-11-06T12:00:00+02:60", "+2025-11-06T12:00:00Z", "2025-11-06T12:00:00ZZ"}
	for _, s := range bad {
		_, err := ParseTime(s)
		assert.Error(t, err, s)
	}
}
