package directive

// The rust-json reader as it was before the one-pass scanner (a json.Decoder
// per object, RawMessage per member), kept verbatim but renamed as the oracle
// for the differential tests in rustjson_diff_test.go.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

func oldUnmarshalRustJSON(data []byte, msg proto.Message, strict bool) error {
	o, err := oldParseDocument(data)
	if err != nil {
		return err
	}
	var out proto.Message
	switch msg.(type) {
	case *pb.DeploymentDirective:
		out, err = oldReadDirective(o)
	case *pb.DeploymentStatus:
		out, err = oldReadStatus(o)
	case *pb.StatusBoard:
		out, err = oldReadBoard(o)
	case *pb.DeploymentScope:
		out, err = oldReadScope(o)
	case *pb.CapabilityFilter:
		out, err = oldReadFilter(o)
	case *pb.ArtifactSpec:
		out, err = oldReadArtifact(o)
	case *pb.ArtifactType:
		out, err = oldReadArtifactType(o)
	case *pb.PortMapping:
		out, err = oldReadPort(o)
	case *pb.DeploymentOptions:
		out, err = oldReadOptions(o)
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
	proto.Reset(msg)
	proto.Merge(msg, out)
	return nil
}

// ---- reading ----------------------------------------------------------------

func (o *oldObject) reqTime(key string) (*commonv1.Timestamp, error) {
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
func (o *oldObject) tag(variants ...string) (string, error) {
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

func oldReadDirective(o *oldObject) (*pb.DeploymentDirective, error) {
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
	if d.Scope, err = oldReadScope(so); err != nil {
		return nil, err
	}
	ao, err := o.reqObject("artifact")
	if err != nil {
		return nil, err
	}
	if d.Artifact, err = oldReadArtifact(ao); err != nil {
		return nil, err
	}
	if d.Capabilities, err = o.defStrings("capabilities"); err != nil {
		return nil, err
	}
	if raw, ok := o.get("config"); ok && !oldIsNull(raw) {
		var c bytes.Buffer
		if err := json.Compact(&c, raw); err != nil {
			return nil, decodeErr("config", "invalid JSON: %v", err)
		}
		d.ConfigJson = c.String()
	}
	if _, ok := o.get("options"); ok {
		oo, err := o.reqObject("options")
		if err != nil {
			return nil, err
		}
		if d.Options, err = oldReadOptions(oo); err != nil {
			return nil, err
		}
	} else {
		d.Options = defaultOptions()
	}
	return d, nil
}

func oldReadScope(o *oldObject) (*pb.DeploymentScope, error) {
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
	f, err := oldReadFilter(o)
	if err != nil {
		return nil, err
	}
	return &pb.DeploymentScope{Target: &pb.DeploymentScope_Capability{Capability: f}}, nil
}

func oldReadFilter(o *oldObject) (*pb.CapabilityFilter, error) {
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

func oldReadArtifact(o *oldObject) (*pb.ArtifactSpec, error) {
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
	if a.ArtifactType, err = oldReadArtifactType(to); err != nil {
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

func oldReadArtifactType(o *oldObject) (*pb.ArtifactType, error) {
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
				p, err := oldReadPort(po)
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

func oldReadPort(o *oldObject) (*pb.PortMapping, error) {
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

func oldReadOptions(o *oldObject) (*pb.DeploymentOptions, error) {
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

func oldReadStatus(o *oldObject) (*pb.DeploymentStatus, error) {
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

func oldReadBoard(o *oldObject) (*pb.StatusBoard, error) {
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
		s, err := oldReadStatus(so)
		if err != nil {
			return nil, err
		}
		b.Statuses = append(b.Statuses, s)
	}
	return b, nil
}

// ---- reading ----------------------------------------------------------------

// object is one decoded JSON object: its members by key, and its field path
// (for error messages).
type oldObject struct {
	path    string
	members map[string]json.RawMessage
	used    map[string]bool // keys a reader asked for (get)
	isMap   bool            // a JSON map: every key is data, none is unknown
	doc     *oldDocument
}

// document lists every object parsed from one JSON text, in the order they
// were parsed, so that strict reading can name the first key no reader used.
type oldDocument struct{ objects []*oldObject }

// unknownKey returns an UNKNOWN_FIELD error for the first key (in parse
// order, then key order) that no reader asked for, or nil.
func (d *oldDocument) unknownKey(what string) error {
	for _, o := range d.objects {
		if o.isMap {
			continue
		}
		keys := make([]string, 0, len(o.members))
		for k := range o.members {
			if !o.used[k] {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		sort.Strings(keys)
		where := o.path
		if where == "" {
			where = what
		}
		return status.Errorf(status.Decode, "unknown key %q in %s", keys[0], where).WithCode("UNKNOWN_FIELD").AtPath(join(o.path, keys[0]))
	}
	return nil
}

func oldKind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	return "a number"
}

func oldIsNull(raw json.RawMessage) bool { return string(raw) == "null" }

// parseDocument parses a complete JSON text that must be one object.
func oldParseDocument(data []byte) (*oldObject, error) {
	if !json.Valid(data) {
		// Let encoding/json say where the syntax error is.
		var v any
		err := json.Unmarshal(data, &v)
		return nil, decodeErr("", "invalid JSON: %v", err)
	}
	return (&oldObject{doc: &oldDocument{}}).parse(bytes.TrimSpace(data), "")
}

// parse splits a JSON object (already known to be valid JSON) into its
// members, refusing duplicate keys as serde does. The new object belongs to
// o's document.
func (parent *oldObject) parse(raw json.RawMessage, path string) (*oldObject, error) {
	if len(raw) == 0 || raw[0] != '{' {
		where := path
		if where == "" {
			where = "the document"
		}
		return nil, decodeErr(path, "%s must be a JSON object, got %s", where, oldKind(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, decodeErr(path, "invalid JSON object: %v", err)
	}
	o := &oldObject{path: path, members: map[string]json.RawMessage{}, used: map[string]bool{}, doc: parent.doc}
	parent.doc.objects = append(parent.doc.objects, o)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, decodeErr(path, "invalid JSON object: %v", err)
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, decodeErr(join(path, key), "invalid JSON value: %v", err)
		}
		if _, dup := o.members[key]; dup {
			return nil, decodeErr(join(path, key), "duplicate key %q", key)
		}
		o.members[key] = v
	}
	return o, nil
}

// get returns a member; ok is false when the key is absent.
func (o *oldObject) get(key string) (json.RawMessage, bool) {
	v, ok := o.members[key]
	o.used[key] = true
	return v, ok
}

func (o *oldObject) missing(key string) error {
	return decodeErr(join(o.path, key), "missing required key %q", key)
}

func (o *oldObject) wrongType(key, want string, raw json.RawMessage) error {
	return decodeErr(join(o.path, key), "%q must be %s, got %s", key, want, oldKind(raw))
}

func oldAsString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// reqString reads a required string (null is an error, as for a Rust String).
func (o *oldObject) reqString(key string) (string, error) {
	raw, ok := o.get(key)
	if !ok {
		return "", o.missing(key)
	}
	s, ok := oldAsString(raw)
	if !ok {
		return "", o.wrongType(key, "a string", raw)
	}
	return s, nil
}

// optString reads an Option<String>: absent or null is nil.
func (o *oldObject) optString(key string) (*string, error) {
	raw, ok := o.get(key)
	if !ok || oldIsNull(raw) {
		return nil, nil
	}
	s, ok := oldAsString(raw)
	if !ok {
		return nil, o.wrongType(key, "a string or null", raw)
	}
	return &s, nil
}

// defString reads a String with a serde default: absent gives def, null is an error.
func (o *oldObject) defString(key, def string) (string, error) {
	if _, ok := o.get(key); !ok {
		return def, nil
	}
	return o.reqString(key)
}

func (o *oldObject) uintOf(key string, raw json.RawMessage, max uint64, typ string) (uint64, error) {
	s := string(raw)
	if len(s) == 0 || s[0] < '0' || s[0] > '9' {
		if len(s) > 0 && s[0] == '-' {
			return 0, decodeErr(join(o.path, key), "%q must be an unsigned integer (%s), got %s", key, typ, clip(s))
		}
		return 0, o.wrongType(key, "an unsigned integer ("+typ+")", raw)
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil || v > max {
		return 0, decodeErr(join(o.path, key), "%q must be an unsigned integer that fits %s, got %s", key, typ, clip(s))
	}
	return v, nil
}

// reqUint reads a required unsigned integer of at most max.
func (o *oldObject) reqUint(key string, max uint64, typ string) (uint64, error) {
	raw, ok := o.get(key)
	if !ok {
		return 0, o.missing(key)
	}
	return o.uintOf(key, raw, max, typ)
}

// optUint reads an Option<uN>: absent or null is nil.
func (o *oldObject) optUint(key string, max uint64, typ string) (*uint64, error) {
	raw, ok := o.get(key)
	if !ok || oldIsNull(raw) {
		return nil, nil
	}
	v, err := o.uintOf(key, raw, max, typ)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// defUint reads a uN with a serde default: absent gives def, null is an error.
func (o *oldObject) defUint(key string, max uint64, typ string, def uint64) (uint64, error) {
	raw, ok := o.get(key)
	if !ok {
		return def, nil
	}
	return o.uintOf(key, raw, max, typ)
}

// defBool reads a bool with a serde default: absent gives def, null is an error.
func (o *oldObject) defBool(key string, def bool) (bool, error) {
	raw, ok := o.get(key)
	if !ok {
		return def, nil
	}
	switch string(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, o.wrongType(key, "a boolean", raw)
}

// defStrings reads a Vec<String> with a serde default: absent is empty, null is an error.
func (o *oldObject) defStrings(key string) ([]string, error) {
	raw, ok := o.get(key)
	if !ok {
		return nil, nil
	}
	items, err := o.array(key, raw)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, ok := oldAsString(it)
		if !ok {
			return nil, decodeErr(index(join(o.path, key), i), "must be a string, got %s", oldKind(it))
		}
		out = append(out, s)
	}
	return out, nil
}

func (o *oldObject) array(key string, raw json.RawMessage) ([]json.RawMessage, error) {
	if len(raw) == 0 || raw[0] != '[' {
		return nil, o.wrongType(key, "an array", raw)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, decodeErr(join(o.path, key), "invalid array: %v", err)
	}
	return items, nil
}

// defStringMap reads a HashMap<String, String> with a serde default: absent
// is empty, null is an error.
func (o *oldObject) defStringMap(key string) (map[string]string, error) {
	raw, ok := o.get(key)
	if !ok {
		return nil, nil
	}
	m, err := o.parse(raw, join(o.path, key))
	if err != nil {
		if len(raw) == 0 || raw[0] != '{' {
			return nil, o.wrongType(key, "an object of strings", raw)
		}
		return nil, err
	}
	m.isMap = true
	if len(m.members) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(m.members))
	for k, v := range m.members {
		s, ok := oldAsString(v)
		if !ok {
			return nil, decodeErr(fmt.Sprintf("%s[%q]", join(o.path, key), k), "must be a string, got %s", oldKind(v))
		}
		out[k] = s
	}
	return out, nil
}

// reqObject reads a required nested object (null is an error).
func (o *oldObject) reqObject(key string) (*oldObject, error) {
	raw, ok := o.get(key)
	if !ok {
		return nil, o.missing(key)
	}
	return o.parse(raw, join(o.path, key))
}
