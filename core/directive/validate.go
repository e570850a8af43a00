package directive

import (
	"regexp"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/validate"
)

// InvalidHash is the validation code for a blob hash or sha256 that is not
// in a documented form. Every other directive rule reuses a code of the
// validator (docs/VALIDATION.md); docs/DIRECTIVES.md lists them all.
const InvalidHash validate.Code = "INVALID_HASH"

var (
	// blobHash: "sha256:" or "blake3:" followed by 64 lowercase hex digits.
	blobHash = regexp.MustCompile(`^(sha256|blake3):[0-9a-f]{64}$`)
	// sha256Hex: 64 lowercase hex digits, optionally prefixed by "sha256:".
	sha256Hex = regexp.MustCompile(`^(sha256:)?[0-9a-f]{64}$`)
)

const pkg = "peat.directive.v1."

var (
	percent = &validate.Range{Min: 0, Max: 100, Code: validate.InvalidNumber}
	port    = &validate.Range{Min: 1, Max: 65535, Code: validate.InvalidNumber}
)

// fields are the field policies of the directive types: what is required,
// which UNSPECIFIED enums mean a default, and numeric ranges.
var fields = map[string]validate.FieldPolicy{
	"DeploymentDirective.directive_id":             {Required: true},
	"DeploymentDirective.issued_at":                {Required: true},
	"DeploymentDirective.issuer_node_id":           {Required: true},
	"DeploymentDirective.scope":                    {Required: true},
	"DeploymentDirective.artifact":                 {Required: true},
	"DeploymentDirective.capabilities":             {UniqueBy: "."},
	"DeploymentScope.NodeList.node_ids":            {Required: true, UniqueBy: "."},
	"CapabilityFilter.required_capabilities":       {UniqueBy: "."},
	"ArtifactSpec.blob_hash":                       {Required: true},
	"ArtifactSpec.artifact_type":                   {Required: true},
	"ArtifactSpec.name":                            {Optional: true},
	"ArtifactType.Container.runtime":               {AllowUnspecified: true},
	"ArtifactType.NativeBinary.arch":               {Required: true},
	"ArtifactType.ConfigPackage.target_path":       {Required: true, Kind: validate.KindPath},
	"PortMapping.container_port":                   {Range: port},
	"PortMapping.host_port":                        {Range: port},
	"DeploymentOptions.priority":                   {AllowUnspecified: true},
	"DeploymentOptions.rollback_threshold_percent": {Range: percent},
	"DeploymentStatus.directive_id":                {Required: true},
	"DeploymentStatus.node_id":                     {Required: true},
	"DeploymentStatus.reported_at":                 {Required: true},
	"DeploymentStatus.progress_percent":            {Range: percent},
	"TargetRequest.directive":                      {Required: true},
	"TargetRequest.node_config":                    {Required: true},
	"Transition.reported_at":                       {Required: true},
	"Transition.progress_percent":                  {Range: percent},
	"AdvanceRequest.current":                       {Required: true},
	"AdvanceRequest.transition":                    {Required: true},
	"SummarizeRequest.directive":                   {Required: true},
	"SummarizeRequest.now":                         {Required: true, AllowFuture: true},
	"SummarizeRequest.targeted_node_ids":           {UniqueBy: "."},
	"TargetDecision.code":                          {AllowUnspecified: true},
	"RolloutSummary.deadline":                      {AllowFuture: true},
	"RolloutSummary.decision":                      {AllowUnspecified: true},
}

// RegisterValidation installs the directive rules in the validator. It is
// called once, from package core's init.
func RegisterValidation() {
	for name, p := range fields {
		validate.RegisterField(protoreflect.FullName(pkg+name), p)
	}
	validate.RegisterRules(pkg+"DeploymentScope", checkScope)
	validate.RegisterRules(pkg+"CapabilityFilter", checkFilter)
	validate.RegisterRules(pkg+"DeploymentDirective", checkDirective)
	validate.RegisterRules(pkg+"ArtifactSpec", checkArtifact)
	validate.RegisterRules(pkg+"ArtifactType", checkArtifactType)
	validate.RegisterRules(pkg+"PortMapping", checkPort)
	validate.RegisterRules(pkg+"DeploymentStatus", checkStatus)
	validate.RegisterRules(pkg+"StatusBoard", checkBoard)
}

func checkScope(msg proto.Message, r *validate.Reporter) {
	if msg.(*pb.DeploymentScope).GetTarget() == nil {
		r.Add(validate.RequiredField, "", "a scope must be broadcast, formation_id, nodes or capability")
	}
}

func checkFilter(msg proto.Message, r *validate.Reporter) {
	for i, c := range msg.(*pb.CapabilityFilter).GetRequiredCapabilities() {
		if c == "" {
			r.Add(validate.RequiredField, validate.Index("required_capabilities", i), "an empty capability matches no node")
		}
	}
}

func checkDirective(msg proto.Message, r *validate.Reporter) {
	for i, c := range msg.(*pb.DeploymentDirective).GetCapabilities() {
		if c == "" {
			r.Add(validate.RequiredField, validate.Index("capabilities", i), "capabilities must not hold an empty name")
		}
	}
}

func checkArtifact(msg proto.Message, r *validate.Reporter) {
	a := msg.(*pb.ArtifactSpec)
	if h := a.GetBlobHash(); h != "" && !blobHash.MatchString(h) {
		r.Add(InvalidHash, "blob_hash", "%q is not \"sha256:\" or \"blake3:\" followed by 64 lowercase hex digits", clip(h))
	}
	if a.GetSizeBytes() == 0 {
		r.Add(validate.InvalidNumber, "size_bytes", "an artifact cannot be 0 bytes")
	}
	if a.Sha256 != nil && !sha256Hex.MatchString(a.GetSha256()) {
		r.Add(InvalidHash, "sha256", "%q is not 64 lowercase hex digits (optionally after \"sha256:\")", clip(a.GetSha256()))
	}
}

func checkArtifactType(msg proto.Message, r *validate.Reporter) {
	if msg.(*pb.ArtifactType).GetKind() == nil {
		r.Add(validate.RequiredField, "", "an artifact type must be onnx_model, container, native_binary, config_package or wasm_module")
	}
}

func checkPort(msg proto.Message, r *validate.Reporter) {
	switch p := msg.(*pb.PortMapping).GetProtocol(); p {
	case "", "tcp", "udp":
	default:
		r.Add(validate.InvalidEnum, "protocol", "protocol %q is not tcp or udp", clip(p))
	}
}

func checkStatus(msg proto.Message, r *validate.Reporter) {
	s := msg.(*pb.DeploymentStatus)
	if s.GetState() == Failed && s.GetErrorMessage() == "" {
		r.Add(validate.RequiredField, "error_message", "a failed status needs an error_message")
	}
}

func checkBoard(msg proto.Message, r *validate.Reporter) {
	seen := map[boardKey]int{}
	for i, s := range msg.(*pb.StatusBoard).GetStatuses() {
		k := boardKey{s.GetDirectiveId(), s.GetNodeId()}
		if j, dup := seen[k]; dup {
			r.Add(validate.DuplicateID, validate.Index("statuses", i),
				"(%q, %q) already appears at statuses[%d]; merge the board to keep one", clip(k.directive), clip(k.node), j)
			continue
		}
		seen[k] = i
	}
}
