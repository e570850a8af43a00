package directive

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// The reference's JSON ("rust-json") for directive types, exactly as serde
// writes the Rust structs of peat-protocol's distribution module: snake_case
// keys in struct order, scopes and artifact types internally tagged by
// "type", lowercase priority and runtime, snake_case state, chrono times,
// optional fields omitted when absent, serde defaults applied to absent keys.
// The formation and nodes scopes, which the reference cannot serialise, use
// {"type":"formation","formation_id":"..."} and {"type":"nodes","node_ids":[...]}.

// MarshalRustJSON writes a directive type in the reference's JSON. It
// supports DeploymentDirective, DeploymentStatus, StatusBoard (as
// {"statuses":[...]}) and the directive's parts (DeploymentScope,
// CapabilityFilter, ArtifactSpec, ArtifactType, PortMapping, DeploymentOptions).
func MarshalRustJSON(msg proto.Message) ([]byte, error) {
	w := newWriter()
	var err error
	switch m := msg.(type) {
	case *pb.DeploymentDirective:
		err = writeDirective(w, m)
	case *pb.DeploymentStatus:
		err = writeStatus(w, m, "")
	case *pb.StatusBoard:
		err = writeBoard(w, m)
	case *pb.DeploymentScope:
		err = writeScope(w, m, "")
	case *pb.CapabilityFilter:
		w.begin()
		writeFilterFields(w, m)
		w.end()
	case *pb.ArtifactSpec:
		err = writeArtifact(w, m, "")
	case *pb.ArtifactType:
		err = writeArtifactType(w, m, "")
	case *pb.PortMapping:
		err = writePort(w, m, "")
	case *pb.DeploymentOptions:
		writeOptions(w, m)
	default:
		return nil, status.Errorf(status.Unsupported, "%s has no rust-json form of its own (the reference writes only directives, statuses and their parts); use binary or json",
			msg.ProtoReflect().Descriptor().FullName())
	}
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(w.b) {
		return nil, status.Errorf(status.Encode, "a string is not valid UTF-8").WithCode("INVALID_UTF8")
	}
	return w.b, nil
}

// UnmarshalRustJSON reads the reference's JSON into msg (one of the types
// MarshalRustJSON supports). Unknown keys are ignored, as by the reference.
func UnmarshalRustJSON(data []byte, msg proto.Message) error {
	return unmarshalRustJSON(data, msg, false)
}

// UnmarshalRustJSONStrict is UnmarshalRustJSON refusing any key that no
// field reads (code UNKNOWN_FIELD, at the key's path).
func UnmarshalRustJSONStrict(data []byte, msg proto.Message) error {
	return unmarshalRustJSON(data, msg, true)
}

func unmarshalRustJSON(data []byte, msg proto.Message, strict bool) error {
	o, err := parseDocument(data)
	if err != nil {
		return err
	}
	var out proto.Message
	switch msg.(type) {
	case *pb.DeploymentDirective:
		out, err = readDirective(o)
	case *pb.DeploymentStatus:
		out, err = readStatus(o)
	case *pb.StatusBoard:
		out, err = readBoard(o)
	case *pb.DeploymentScope:
		out, err = readScope(o)
	case *pb.CapabilityFilter:
		out, err = readFilter(o)
	case *pb.ArtifactSpec:
		out, err = readArtifact(o)
	case *pb.ArtifactType:
		out, err = readArtifactType(o)
	case *pb.PortMapping:
		out, err = readPort(o)
	case *pb.DeploymentOptions:
		out, err = readOptions(o)
	default:
		return status.Errorf(status.Unsupported, "%s has no rust-json form of its own (the reference writes only directives, statuses and their parts); use binary or json",
			msg.ProtoReflect().Descriptor().FullName())
	}
	if err != nil {
		return err
	}
	if strict {
		if err := o.doc.unknownKey(string(msg.ProtoReflect().Descriptor().Name())); err != nil {
			return err
		}
	}
	// Move out's fields into msg: out is discarded, so its sub-messages and
	// lists can be shared (a deep proto.Merge copied every one of them).
	proto.Reset(msg)
	dst := out.ProtoReflect()
	to := msg.ProtoReflect()
	dst.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		to.Set(fd, v)
		return true
	})
	return nil
}

// ---- writing ----------------------------------------------------------------

func encodeErr(path, format string, args ...any) error {
	e := status.Errorf(status.Encode, "cannot write rust-json: "+format, args...)
	if path != "" {
		e = e.AtPath(path)
	}
	return e
}

func writeTime(w *writer, key string, ts *commonv1.Timestamp, path string) error {
	if ts == nil {
		return encodeErr(join(path, key), "%s is not set (the reference requires it)", key)
	}
	s, err := FormatTime(ts)
	if err != nil {
		return encodeErr(join(path, key), "%v", err)
	}
	w.str(key, s)
	return nil
}

func writeDirective(w *writer, d *pb.DeploymentDirective) error {
	if d == nil {
		d = &pb.DeploymentDirective{}
	}
	w.begin()
	w.str("directive_id", d.GetDirectiveId())
	if err := writeTime(w, "issued_at", d.GetIssuedAt(), ""); err != nil {
		return err
	}
	w.str("issuer_node_id", d.GetIssuerNodeId())
	if d.IssuerFormationId != nil {
		w.str("issuer_formation_id", d.GetIssuerFormationId())
	}
	w.key("scope")
	if err := writeScope(w, d.GetScope(), "scope"); err != nil {
		return err
	}
	w.key("artifact")
	if err := writeArtifact(w, d.GetArtifact(), "artifact"); err != nil {
		return err
	}
	w.strs("capabilities", d.GetCapabilities())
	w.key("config")
	if d.GetConfigJson() == "" {
		w.raw("null")
	} else {
		var c bytes.Buffer
		if err := json.Compact(&c, []byte(d.GetConfigJson())); err != nil || !json.Valid(c.Bytes()) {
			return encodeErr("config_json", "config_json is not valid JSON")
		}
		w.b = append(w.b, c.Bytes()...)
	}
	w.key("options")
	writeOptions(w, d.GetOptions())
	w.end()
	return nil
}

func writeScope(w *writer, s *pb.DeploymentScope, path string) error {
	w.begin()
	switch t := s.GetTarget().(type) {
	case *pb.DeploymentScope_Broadcast_:
		w.str("type", "broadcast")
	case *pb.DeploymentScope_FormationId:
		w.str("type", "formation")
		w.str("formation_id", t.FormationId)
	case *pb.DeploymentScope_Nodes:
		w.str("type", "nodes")
		w.strs("node_ids", t.Nodes.GetNodeIds())
	case *pb.DeploymentScope_Capability:
		w.str("type", "capability")
		writeFilterFields(w, t.Capability)
	default:
		return encodeErr(path, "the scope is not set (the reference requires one)")
	}
	w.end()
	return nil
}

func writeFilterFields(w *writer, f *pb.CapabilityFilter) {
	if f == nil {
		f = &pb.CapabilityFilter{}
	}
	if f.MinGpuMemoryMb != nil {
		w.uint("min_gpu_memory_mb", f.GetMinGpuMemoryMb())
	}
	if f.MinMemoryMb != nil {
		w.uint("min_memory_mb", f.GetMinMemoryMb())
	}
	if f.MinStorageMb != nil {
		w.uint("min_storage_mb", f.GetMinStorageMb())
	}
	w.strs("required_capabilities", f.GetRequiredCapabilities())
	if len(f.GetCustom()) > 0 {
		w.strMap("custom", f.GetCustom())
	}
}

func writeArtifact(w *writer, a *pb.ArtifactSpec, path string) error {
	if a == nil {
		a = &pb.ArtifactSpec{}
	}
	w.begin()
	w.str("blob_hash", a.GetBlobHash())
	w.uint("size_bytes", a.GetSizeBytes())
	w.key("artifact_type")
	if err := writeArtifactType(w, a.GetArtifactType(), join(path, "artifact_type")); err != nil {
		return err
	}
	if a.Sha256 != nil {
		w.str("sha256", a.GetSha256())
	}
	if a.Name != nil {
		w.str("name", a.GetName())
	}
	if a.Version != nil {
		w.str("version", a.GetVersion())
	}
	w.end()
	return nil
}

func writeArtifactType(w *writer, t *pb.ArtifactType, path string) error {
	w.begin()
	switch k := t.GetKind().(type) {
	case *pb.ArtifactType_OnnxModel_:
		w.str("type", "onnx_model")
		w.strs("execution_providers", k.OnnxModel.GetExecutionProviders())
	case *pb.ArtifactType_Container_:
		c := k.Container
		w.str("type", "container")
		name, ok := runtimeNames[Runtime(c)]
		if !ok {
			return encodeErr(join(path, "container.runtime"), "unknown container runtime %d", c.GetRuntime())
		}
		w.str("runtime", name)
		w.key("ports")
		w.byte('[')
		for i, p := range c.GetPorts() {
			if i > 0 {
				w.byte(',')
			}
			if err := writePort(w, p, index(join(path, "container.ports"), i)); err != nil {
				return err
			}
		}
		w.byte(']')
		w.strMap("env", c.GetEnv())
	case *pb.ArtifactType_NativeBinary_:
		w.str("type", "native_binary")
		w.str("arch", k.NativeBinary.GetArch())
		w.strs("args", k.NativeBinary.GetArgs())
	case *pb.ArtifactType_ConfigPackage_:
		w.str("type", "config_package")
		w.str("target_path", k.ConfigPackage.GetTargetPath())
	case *pb.ArtifactType_WasmModule_:
		w.str("type", "wasm_module")
		w.strs("wasi_capabilities", k.WasmModule.GetWasiCapabilities())
	default:
		return encodeErr(path, "the artifact type is not set (the reference requires one)")
	}
	w.end()
	return nil
}

func writePort(w *writer, p *pb.PortMapping, path string) error {
	if p.GetContainerPort() > math.MaxUint16 || p.GetHostPort() > math.MaxUint16 {
		return encodeErr(path, "port number above 65535")
	}
	w.begin()
	w.uint("container_port", uint64(p.GetContainerPort()))
	w.uint("host_port", uint64(p.GetHostPort()))
	w.str("protocol", Protocol(p))
	w.end()
	return nil
}

func writeOptions(w *writer, o *pb.DeploymentOptions) {
	if o == nil {
		o = &pb.DeploymentOptions{}
	}
	w.begin()
	name, ok := priorityNames[Priority(o)]
	if !ok {
		// An unknown number from a newer peer: the reference has no spelling
		// for it, so write the default rather than invent one.
		name = "normal"
	}
	w.str("priority", name)
	w.uint("timeout_seconds", uint64(TimeoutSeconds(o)))
	w.boolean("replace_existing", o.GetReplaceExisting())
	if o.RollbackThresholdPercent != nil {
		w.uint("rollback_threshold_percent", uint64(o.GetRollbackThresholdPercent()))
	}
	w.boolean("auto_activate", AutoActivate(o))
	w.end()
}

func writeStatus(w *writer, s *pb.DeploymentStatus, path string) error {
	if s == nil {
		s = &pb.DeploymentStatus{}
	}
	name, ok := stateNames[s.GetState()]
	if !ok {
		return encodeErr(join(path, "state"), "state %s has no rust-json spelling", s.GetState())
	}
	if s.GetProgressPercent() > math.MaxUint8 {
		return encodeErr(join(path, "progress_percent"), "progress_percent %d does not fit the reference's u8", s.GetProgressPercent())
	}
	w.begin()
	w.str("directive_id", s.GetDirectiveId())
	w.str("node_id", s.GetNodeId())
	if err := writeTime(w, "reported_at", s.GetReportedAt(), path); err != nil {
		return err
	}
	w.str("state", name)
	w.uint("progress_percent", uint64(s.GetProgressPercent()))
	if s.ErrorMessage != nil {
		w.str("error_message", s.GetErrorMessage())
	}
	if s.InstanceId != nil {
		w.str("instance_id", s.GetInstanceId())
	}
	w.end()
	return nil
}

func writeBoard(w *writer, b *pb.StatusBoard) error {
	w.begin()
	w.key("statuses")
	w.byte('[')
	for i, s := range b.GetStatuses() {
		if i > 0 {
			w.byte(',')
		}
		if err := writeStatus(w, s, index("statuses", i)); err != nil {
			return err
		}
	}
	w.byte(']')
	w.end()
	return nil
}

// ---- reading ----------------------------------------------------------------

func (o *object) reqTime(key string) (*commonv1.Timestamp, error) {
	s, err := o.reqString(key)
	if err != nil {
		return nil, err
	}
	ts, err := ParseTime(s)
	if err != nil {
		return nil, decodeErr(join(o.path, key), "%v", err)
	}
	return ts, nil
}

// tag reads the "type" tag of an internally tagged enum.
func (o *object) tag(variants ...string) (string, error) {
	t, err := o.reqString("type")
	if err != nil {
		return "", err
	}
	for _, v := range variants {
		if t == v {
			return t, nil
		}
	}
	return "", decodeErr(join(o.path, "type"), "unknown variant %q, expected one of %s", clip(t), strings.Join(variants, ", "))
}

func readDirective(o *object) (*pb.DeploymentDirective, error) {
	d := &pb.DeploymentDirective{}
	var err error
	if d.DirectiveId, err = o.reqString("directive_id"); err != nil {
		return nil, err
	}
	if d.IssuedAt, err = o.reqTime("issued_at"); err != nil {
		return nil, err
	}
	if d.IssuerNodeId, err = o.reqString("issuer_node_id"); err != nil {
		return nil, err
	}
	if d.IssuerFormationId, err = o.optString("issuer_formation_id"); err != nil {
		return nil, err
	}
	so, err := o.reqObject("scope")
	if err != nil {
		return nil, err
	}
	if d.Scope, err = readScope(so); err != nil {
		return nil, err
	}
	ao, err := o.reqObject("artifact")
	if err != nil {
		return nil, err
	}
	if d.Artifact, err = readArtifact(ao); err != nil {
		return nil, err
	}
	if d.Capabilities, err = o.defStrings("capabilities"); err != nil {
		return nil, err
	}
	if v, ok := o.get("config"); ok && !v.isNull() {
		var c bytes.Buffer
		if err := json.Compact(&c, v.raw()); err != nil {
			return nil, decodeErr("config", "invalid JSON: %v", err)
		}
		d.ConfigJson = c.String()
	}
	if _, ok := o.get("options"); ok {
		oo, err := o.reqObject("options")
		if err != nil {
			return nil, err
		}
		if d.Options, err = readOptions(oo); err != nil {
			return nil, err
		}
	} else {
		d.Options = defaultOptions()
	}
	return d, nil
}

// defaultOptions is what the reference fills in for absent options, made
// explicit so that a re-written directive shows the same values.
func defaultOptions() *pb.DeploymentOptions {
	timeout := uint32(DefaultTimeoutSeconds)
	auto := true
	return &pb.DeploymentOptions{
		Priority:       pb.DeploymentPriority_DEPLOYMENT_PRIORITY_NORMAL,
		TimeoutSeconds: &timeout,
		AutoActivate:   &auto,
	}
}

func readScope(o *object) (*pb.DeploymentScope, error) {
	t, err := o.tag("broadcast", "formation", "nodes", "capability")
	if err != nil {
		return nil, err
	}
	switch t {
	case "broadcast":
		return &pb.DeploymentScope{Target: &pb.DeploymentScope_Broadcast_{Broadcast: &pb.DeploymentScope_Broadcast{}}}, nil
	case "formation":
		id, err := o.reqString("formation_id")
		if err != nil {
			return nil, err
		}
		return &pb.DeploymentScope{Target: &pb.DeploymentScope_FormationId{FormationId: id}}, nil
	case "nodes":
		raw, ok := o.get("node_ids")
		if !ok {
			return nil, o.missing("node_ids")
		}
		if _, err := o.array("node_ids", raw); err != nil {
			return nil, err
		}
		ids, err := o.defStrings("node_ids")
		if err != nil {
			return nil, err
		}
		return &pb.DeploymentScope{Target: &pb.DeploymentScope_Nodes{Nodes: &pb.DeploymentScope_NodeList{NodeIds: ids}}}, nil
	}
	f, err := readFilter(o)
	if err != nil {
		return nil, err
	}
	return &pb.DeploymentScope{Target: &pb.DeploymentScope_Capability{Capability: f}}, nil
}

func readFilter(o *object) (*pb.CapabilityFilter, error) {
	f := &pb.CapabilityFilter{}
	var err error
	if f.MinGpuMemoryMb, err = o.optUint("min_gpu_memory_mb", math.MaxUint64, "u64"); err != nil {
		return nil, err
	}
	if f.MinMemoryMb, err = o.optUint("min_memory_mb", math.MaxUint64, "u64"); err != nil {
		return nil, err
	}
	if f.MinStorageMb, err = o.optUint("min_storage_mb", math.MaxUint64, "u64"); err != nil {
		return nil, err
	}
	if f.RequiredCapabilities, err = o.defStrings("required_capabilities"); err != nil {
		return nil, err
	}
	if f.Custom, err = o.defStringMap("custom"); err != nil {
		return nil, err
	}
	return f, nil
}

func readArtifact(o *object) (*pb.ArtifactSpec, error) {
	a := &pb.ArtifactSpec{}
	var err error
	if a.BlobHash, err = o.reqString("blob_hash"); err != nil {
		return nil, err
	}
	if a.SizeBytes, err = o.reqUint("size_bytes", math.MaxUint64, "u64"); err != nil {
		return nil, err
	}
	to, err := o.reqObject("artifact_type")
	if err != nil {
		return nil, err
	}
	if a.ArtifactType, err = readArtifactType(to); err != nil {
		return nil, err
	}
	if a.Sha256, err = o.optString("sha256"); err != nil {
		return nil, err
	}
	if a.Name, err = o.optString("name"); err != nil {
		return nil, err
	}
	if a.Version, err = o.optString("version"); err != nil {
		return nil, err
	}
	return a, nil
}

func readArtifactType(o *object) (*pb.ArtifactType, error) {
	t, err := o.tag("onnx_model", "container", "native_binary", "config_package", "wasm_module")
	if err != nil {
		return nil, err
	}
	switch t {
	case "onnx_model":
		eps, err := o.defStrings("execution_providers")
		if err != nil {
			return nil, err
		}
		return &pb.ArtifactType{Kind: &pb.ArtifactType_OnnxModel_{OnnxModel: &pb.ArtifactType_OnnxModel{ExecutionProviders: eps}}}, nil
	case "container":
		c := &pb.ArtifactType_Container{}
		name, err := o.reqString("runtime")
		if err != nil {
			return nil, err
		}
		rt, ok := runtimeByName[name]
		if !ok {
			return nil, decodeErr(join(o.path, "runtime"), "unknown variant %q, expected one of docker, podman, containerd", clip(name))
		}
		c.Runtime = rt
		if raw, ok := o.get("ports"); ok {
			items, err := o.array("ports", raw)
			if err != nil {
				return nil, err
			}
			for i, it := range items {
				po, err := o.parse(it, index(join(o.path, "ports"), i))
				if err != nil {
					return nil, err
				}
				p, err := readPort(po)
				if err != nil {
					return nil, err
				}
				c.Ports = append(c.Ports, p)
			}
		}
		if c.Env, err = o.defStringMap("env"); err != nil {
			return nil, err
		}
		return &pb.ArtifactType{Kind: &pb.ArtifactType_Container_{Container: c}}, nil
	case "native_binary":
		arch, err := o.reqString("arch")
		if err != nil {
			return nil, err
		}
		args, err := o.defStrings("args")
		if err != nil {
			return nil, err
		}
		return &pb.ArtifactType{Kind: &pb.ArtifactType_NativeBinary_{NativeBinary: &pb.ArtifactType_NativeBinary{Arch: arch, Args: args}}}, nil
	case "config_package":
		p, err := o.reqString("target_path")
		if err != nil {
			return nil, err
		}
		return &pb.ArtifactType{Kind: &pb.ArtifactType_ConfigPackage_{ConfigPackage: &pb.ArtifactType_ConfigPackage{TargetPath: p}}}, nil
	}
	caps, err := o.defStrings("wasi_capabilities")
	if err != nil {
		return nil, err
	}
	return &pb.ArtifactType{Kind: &pb.ArtifactType_WasmModule_{WasmModule: &pb.ArtifactType_WasmModule{WasiCapabilities: caps}}}, nil
}

func readPort(o *object) (*pb.PortMapping, error) {
	cp, err := o.reqUint("container_port", math.MaxUint16, "u16")
	if err != nil {
		return nil, err
	}
	hp, err := o.reqUint("host_port", math.MaxUint16, "u16")
	if err != nil {
		return nil, err
	}
	proto, err := o.defString("protocol", "tcp")
	if err != nil {
		return nil, err
	}
	return &pb.PortMapping{ContainerPort: uint32(cp), HostPort: uint32(hp), Protocol: proto}, nil
}

func readOptions(o *object) (*pb.DeploymentOptions, error) {
	opts := defaultOptions()
	if _, ok := o.get("priority"); ok {
		name, err := o.reqString("priority")
		if err != nil {
			return nil, err
		}
		p, ok := priorityByName[name]
		if !ok {
			return nil, decodeErr(join(o.path, "priority"), "unknown variant %q, expected one of critical, high, normal, low", clip(name))
		}
		opts.Priority = p
	}
	timeout, err := o.defUint("timeout_seconds", math.MaxUint32, "u32", DefaultTimeoutSeconds)
	if err != nil {
		return nil, err
	}
	t32 := uint32(timeout)
	opts.TimeoutSeconds = &t32
	if opts.ReplaceExisting, err = o.defBool("replace_existing", false); err != nil {
		return nil, err
	}
	threshold, err := o.optUint("rollback_threshold_percent", math.MaxUint32, "u32")
	if err != nil {
		return nil, err
	}
	if threshold != nil {
		v := uint32(*threshold)
		opts.RollbackThresholdPercent = &v
	}
	auto, err := o.defBool("auto_activate", true)
	if err != nil {
		return nil, err
	}
	opts.AutoActivate = &auto
	return opts, nil
}

func readStatus(o *object) (*pb.DeploymentStatus, error) {
	s := &pb.DeploymentStatus{}
	var err error
	if s.DirectiveId, err = o.reqString("directive_id"); err != nil {
		return nil, err
	}
	if s.NodeId, err = o.reqString("node_id"); err != nil {
		return nil, err
	}
	if s.ReportedAt, err = o.reqTime("reported_at"); err != nil {
		return nil, err
	}
	name, err := o.reqString("state")
	if err != nil {
		return nil, err
	}
	st, ok := stateByName[name]
	if !ok {
		return nil, decodeErr(join(o.path, "state"), "unknown variant %q, expected one of pending, downloading, activating, active, failed, rolled_back", clip(name))
	}
	s.State = st
	progress, err := o.reqUint("progress_percent", math.MaxUint8, "u8")
	if err != nil {
		return nil, err
	}
	s.ProgressPercent = uint32(progress)
	if s.ErrorMessage, err = o.optString("error_message"); err != nil {
		return nil, err
	}
	if s.InstanceId, err = o.optString("instance_id"); err != nil {
		return nil, err
	}
	return s, nil
}

func readBoard(o *object) (*pb.StatusBoard, error) {
	b := &pb.StatusBoard{}
	raw, ok := o.get("statuses")
	if !ok {
		return b, nil
	}
	items, err := o.array("statuses", raw)
	if err != nil {
		return nil, err
	}
	for i, it := range items {
		so, err := o.parse(it, index("statuses", i))
		if err != nil {
			return nil, err
		}
		s, err := readStatus(so)
		if err != nil {
			return nil, err
		}
		b.Statuses = append(b.Statuses, s)
	}
	return b, nil
}
