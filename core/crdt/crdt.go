// Package crdt implements the replicated documents of peat.crdt.v1: NodeDoc,
// CellDoc and ZoneDoc. A document is a join-semilattice built from
// last-writer-wins registers (ordered by stamp), an add-wins OR-Set without
// tombstones, a PN-counter and a capability G-Set. Every local operation
// yields a delta, itself a document, such that Join(doc, delta) is the new
// document; joins are commutative, associative and idempotent, so replicas
// that have seen the same operations (in any order, any number of times)
// hold byte-identical documents. A join refuses (DOT_REUSED) a dot that names
// two different elements, which only a replica id acting from a stale
// document produces. Materialize turns a document into its plain ICD
// message. The semantics are written down in docs/CRDT.md.
//
// Functions here never modify their inputs, but their results may share
// sub-messages with them; clone before mutating.
package crdt

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/merge"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Kind is one document type and its operations on decoded messages.
type Kind struct {
	// Name is the document's full protobuf name.
	Name protoreflect.FullName
	// Empty returns an empty document.
	Empty func() proto.Message
	// New creates a document from an init (nil: empty document).
	New func(init *crdtv1.DocInit) (proto.Message, error)
	// Join merges two documents or deltas of the same entity.
	Join func(a, b proto.Message) (proto.Message, error)
	// Apply performs one local operation and returns the new document and its delta.
	Apply func(doc proto.Message, op *crdtv1.Operation) (next, delta proto.Message, err error)
	// Materialize returns the plain ICD message.
	Materialize func(doc proto.Message) proto.Message
	// ApplyJoined and MaterializeJoined are Apply and Materialize for a
	// document known to be the result of New, Join or Apply (a replica's),
	// which they need not normalise again: same results, less work.
	ApplyJoined       func(doc proto.Message, op *crdtv1.Operation) (next, delta proto.Message, err error)
	MaterializeJoined func(doc proto.Message) proto.Message
}

var kinds = map[protoreflect.FullName]*Kind{}

func register(k *Kind) { kinds[k.Name] = k }

// Lookup returns the kind of a document type name.
func Lookup(name string) (*Kind, error) {
	if k, ok := kinds[protoreflect.FullName(name)]; ok {
		return k, nil
	}
	return nil, status.Errorf(status.UnknownType, "%q is not a document type (want peat.crdt.v1.NodeDoc, CellDoc or ZoneDoc)", clip(name))
}

// Kinds lists the document type names.
func Kinds() []protoreflect.FullName {
	return []protoreflect.FullName{
		(&crdtv1.CellDoc{}).ProtoReflect().Descriptor().FullName(),
		(&crdtv1.NodeDoc{}).ProtoReflect().Descriptor().FullName(),
		(&crdtv1.ZoneDoc{}).ProtoReflect().Descriptor().FullName(),
	}
}

// sameEntity refuses to join documents of different entities. Ids compare
// exactly: a document created without an id only joins other id-less ones.
func sameEntity(kind, a, b string) error {
	if a == b {
		return nil
	}
	return status.Errorf(status.Mismatch, "cannot merge %s document %q with %q: different entities", kind, clip(a), clip(b)).AtPath("id")
}

// checkOp validates the parts every operation needs.
func checkOp(op *crdtv1.Operation) error {
	if op.GetReplica() == "" {
		return status.Errorf(status.InvalidArgument, "operation has no replica id").WithCode("REPLICA_REQUIRED").AtPath("replica")
	}
	if op.GetMutation() == nil {
		return status.Errorf(status.InvalidArgument, "operation has no mutation").WithCode("NO_MUTATION").AtPath("mutation")
	}
	return nil
}

func notFor(kind string, op *crdtv1.Operation) error {
	name := op.ProtoReflect().WhichOneof(op.ProtoReflect().Descriptor().Oneofs().ByName("mutation")).Name()
	return status.Errorf(status.Unsupported, "operation %s does not apply to a %s document", name, kind).WithCode("OP_NOT_APPLICABLE").AtPath(string(name))
}

func needID(id, path string) error {
	if id == "" {
		return status.Errorf(status.InvalidArgument, "empty id").WithCode("EMPTY_ID").AtPath(path)
	}
	return nil
}

// initStamp returns the stamp of the initial writes: the init's timestamp,
// else the message's own, else zero.
func initStamp(init *crdtv1.DocInit, fallback *commonv1.Timestamp) (*crdtv1.Stamp, *commonv1.Timestamp, error) {
	if init.GetInitial() != nil && init.GetReplica() == "" {
		return nil, nil, status.Errorf(status.InvalidArgument, "an initial message needs a replica id").WithCode("REPLICA_REQUIRED").AtPath("replica")
	}
	t := init.GetTimestamp()
	if t == nil {
		t = fallback
	}
	if t == nil {
		t = &commonv1.Timestamp{}
	}
	t = &commonv1.Timestamp{Seconds: t.GetSeconds(), Nanos: t.GetNanos()}
	return &crdtv1.Stamp{Seconds: t.Seconds, Nanos: t.Nanos, Replica: init.GetReplica()}, t, nil
}

// initID reconciles DocInit.id with the id of the initial message.
func initID(kind, given, fromMessage string) (string, error) {
	switch {
	case given == "":
		return fromMessage, nil
	case fromMessage == "" || fromMessage == given:
		return given, nil
	}
	return "", status.Errorf(status.Mismatch, "DocInit.id %q differs from the initial %s's id %q", clip(given), kind, clip(fromMessage)).AtPath("id")
}

func wrongInit(doc string, init *crdtv1.DocInit) error {
	return status.Errorf(status.InvalidArgument, "a %s cannot start from DocInit.%s", doc,
		init.ProtoReflect().WhichOneof(init.ProtoReflect().Descriptor().Oneofs().ByName("initial")).Name()).WithCode("WRONG_INITIAL_TYPE")
}

func copyTime(t *commonv1.Timestamp) *commonv1.Timestamp {
	if t == nil || len(t.ProtoReflect().GetUnknown()) == 0 {
		return t // documents are never changed in place: share it
	}
	return &commonv1.Timestamp{Seconds: t.GetSeconds(), Nanos: t.GetNanos()}
}

// joinUnknown keeps the unknown fields of a newer minor version on a document.
func joinUnknown(dst, a, b proto.Message) { merge.JoinUnknown(dst, a, b) }

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
