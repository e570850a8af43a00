package core

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/directive"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
)

func init() {
	// The reference's JSON for the types it has; the request and result
	// types, which it does not have, refuse rust-json clearly.
	rust := codec.TextCodec{Marshal: directive.MarshalRustJSON, Unmarshal: directive.UnmarshalRustJSON,
		UnmarshalStrict: directive.UnmarshalRustJSONStrict}
	for _, m := range []proto.Message{
		&pb.DeploymentDirective{}, &pb.DeploymentScope{}, &pb.CapabilityFilter{}, &pb.ArtifactSpec{},
		&pb.ArtifactType{}, &pb.PortMapping{}, &pb.DeploymentOptions{}, &pb.DeploymentStatus{},
		&pb.StatusBoard{},
		&pb.NodeResources{}, &pb.TargetRequest{}, &pb.TargetDecision{}, &pb.Transition{},
		&pb.AdvanceRequest{}, &pb.SummarizeRequest{}, &pb.RolloutSummary{},
		&pb.DeploymentScope_Broadcast{}, &pb.DeploymentScope_NodeList{},
		&pb.ArtifactType_OnnxModel{}, &pb.ArtifactType_Container{}, &pb.ArtifactType_NativeBinary{},
		&pb.ArtifactType_ConfigPackage{}, &pb.ArtifactType_WasmModule{},
	} {
		codec.RegisterRustJSON(m.ProtoReflect().Descriptor().FullName(), rust)
	}

	RegisterMerger(fullName(&pb.DeploymentStatus{}), typed(directive.MergeStatus))
	RegisterMerger(fullName(&pb.StatusBoard{}), typed(func(a, b *pb.StatusBoard) (*pb.StatusBoard, error) {
		return directive.MergeBoards(a, b)
	}))

	directive.RegisterValidation()
}

func fullName(m proto.Message) protoreflect.FullName { return m.ProtoReflect().Descriptor().FullName() }

// decodeRequest decodes a binary request message.
func decodeRequest(in []byte, msg proto.Message) error {
	return codec.DecodeInto(msg, codec.Binary, in)
}

func encodeResult(msg proto.Message) ([]byte, error) { return codec.Encode(msg, codec.Binary) }

// DirectiveTarget takes a serialized peat.directive.v1.TargetRequest and returns a TargetDecision.
func DirectiveTarget(in []byte) ([]byte, error) {
	req := &pb.TargetRequest{}
	if err := decodeRequest(in, req); err != nil {
		return nil, err
	}
	d, err := directive.Target(req)
	if err != nil {
		return nil, err
	}
	return encodeResult(d)
}

// DirectiveAdvance takes a serialized peat.directive.v1.AdvanceRequest and returns the new DeploymentStatus.
func DirectiveAdvance(in []byte) ([]byte, error) {
	req := &pb.AdvanceRequest{}
	if err := decodeRequest(in, req); err != nil {
		return nil, err
	}
	s, err := directive.Advance(req.GetCurrent(), req.GetTransition())
	if err != nil {
		return nil, err
	}
	return encodeResult(s)
}

// DirectiveSummarize takes a serialized peat.directive.v1.SummarizeRequest and returns a RolloutSummary.
func DirectiveSummarize(in []byte) ([]byte, error) {
	req := &pb.SummarizeRequest{}
	if err := decodeRequest(in, req); err != nil {
		return nil, err
	}
	s, err := directive.Summarize(req)
	if err != nil {
		return nil, err
	}
	return encodeResult(s)
}
