package core

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/crdt"
	"github.com/peat-protocol/libpeat/core/merge"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

func init() {
	RegisterMerger("cap.node.v1.NodeState", typed(func(a, b *nodev1.NodeState) (*nodev1.NodeState, error) {
		return merge.NodeState(a, b), nil
	}))
	RegisterMerger("cap.node.v1.NodeConfig", typed(merge.NodeConfig))
	RegisterMerger("cap.node.v1.Node", typed(merge.Node))
	RegisterMerger("cap.cell.v1.CellState", typed(merge.CellState))
	RegisterMerger("cap.cell.v1.Cell", typed(merge.Cell))
	RegisterMerger("cap.zone.v1.ZoneState", typed(merge.ZoneState))
	RegisterMerger("cap.zone.v1.Zone", typed(merge.Zone))
}

// typed adapts a merge function of one message type to a Merger.
func typed[M proto.Message](f func(a, b M) (M, error)) Merger {
	return func(a, b proto.Message) (proto.Message, error) {
		ma, ok1 := a.(M)
		mb, ok2 := b.(M)
		if !ok1 || !ok2 {
			return nil, status.Errorf(status.Internal, "merger called with %T and %T", a, b)
		}
		return f(ma, mb)
	}
}

// Merge merges two plain messages of one type; the result is in format to.
// Each is held to its type's size limit (not to the batch limits).
func Merge(typeName string, from, to codec.Format, a, b []byte) ([]byte, error) {
	return mergeAll(typeName, from, to, [][]byte{a, b})
}

// MergeBatch folds msgs (at least one) with the type's merger; since
// mergers are associative and commutative, order does not matter. The batch
// is refused before any decoding over MaxBatch messages or MaxBatchInput
// bytes, and a merged message over MaxBatchOutput bytes is refused.
func MergeBatch(typeName string, from, to codec.Format, msgs [][]byte) ([]byte, error) {
	if err := checkBatch(msgs); err != nil {
		return nil, err
	}
	out, err := mergeAll(typeName, from, to, msgs)
	if err == nil && len(out) > batchOutputLimit {
		return nil, outputTooLarge("merged message")
	}
	return out, err
}

func mergeAll(typeName string, from, to codec.Format, msgs [][]byte) ([]byte, error) {
	mt, m, err := mergerFor(typeName)
	if err != nil {
		return nil, err
	}
	if err := codec.Check(from); err != nil {
		return nil, err
	}
	if err := codec.Check(to); err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, status.Errorf(status.InvalidArgument, "merge needs at least one message")
	}
	type part struct {
		msg   proto.Message
		first int // index of the first input it holds, for error messages
	}
	parts := make([]part, len(msgs))
	for i, in := range msgs {
		msg := mt.New().Interface()
		if err := codec.DecodeInto(msg, from, in); err != nil {
			return nil, inputError(err, i)
		}
		parts[i] = part{msg, i}
	}
	if len(parts) == 1 {
		// Merging a message with itself normalises it (sorted sets).
		parts = append(parts, parts[0])
	}
	// Fold as a balanced tree: the mergers are associative and commutative,
	// so the result is the same as a left fold, but a batch of n set-valued
	// messages costs O(N log n) instead of O(N n) as the sets grow.
	for len(parts) > 1 {
		next := parts[:0:0]
		for i := 0; i+1 < len(parts); i += 2 {
			merged, err := m(parts[i].msg, parts[i+1].msg)
			if err != nil {
				return nil, inputError(err, parts[i+1].first)
			}
			next = append(next, part{merged, parts[i].first})
		}
		if len(parts)%2 == 1 {
			next = append(next, parts[len(parts)-1])
		}
		parts = next
	}
	acc := parts[0].msg
	return codec.Encode(acc, to)
}

// mergerFor finds the message type and merger of a type name.
func mergerFor(typeName string) (protoreflect.MessageType, Merger, error) {
	mt, err := registry.Lookup(typeName)
	if err != nil {
		return nil, nil, err
	}
	m, ok := lookupMerger(mt.Descriptor().FullName())
	if !ok {
		return nil, nil, status.Errorf(status.Unsupported, "%s has no merge (see peat.h for the mergeable types)", typeName).WithCode("NOT_MERGEABLE")
	}
	return mt, m, nil
}

// inputError names the offending input in an error's message.
func inputError(err error, i int) error {
	e := status.From(err)
	c := *e
	c.Message = fmt.Sprintf("input %d: %s", i, e.Message)
	return &c
}

// DocNew creates a replicated document from an optional serialized peat.crdt.v1.DocInit.
func DocNew(docType string, init []byte) ([]byte, error) {
	k, err := crdt.Lookup(docType)
	if err != nil {
		return nil, err
	}
	in := &crdtv1.DocInit{}
	if err := codec.DecodeInto(in, codec.Binary, init); err != nil {
		return nil, err
	}
	doc, err := k.New(in)
	if err != nil {
		return nil, err
	}
	return crdt.Encode(doc)
}

// DocApply applies a serialized peat.crdt.v1.Operation; returns a serialized peat.crdt.v1.ApplyResult.
func DocApply(docType string, doc, op []byte) ([]byte, error) {
	k, d, err := decodeDoc(docType, doc, 0)
	if err != nil {
		return nil, err
	}
	o := &crdtv1.Operation{}
	if err := codec.DecodeInto(o, codec.Binary, op); err != nil {
		return nil, err
	}
	next, delta, err := k.Apply(d, o)
	if err != nil {
		return nil, err
	}
	res := &crdtv1.ApplyResult{}
	if res.Doc, err = crdt.Encode(next); err != nil {
		return nil, err
	}
	if res.Delta, err = crdt.Encode(delta); err != nil {
		return nil, err
	}
	return codec.Encode(res, codec.Binary)
}

// DocMerge merges document or delta b into a; returns the merged document.
func DocMerge(docType string, a, b []byte) ([]byte, error) {
	k, da, err := decodeDoc(docType, a, 0)
	if err != nil {
		return nil, err
	}
	_, db, err := decodeDoc(docType, b, 1)
	if err != nil {
		return nil, err
	}
	out, err := k.Join(da, db)
	if err != nil {
		return nil, err
	}
	return crdt.Encode(out)
}

// DocMaterialize returns the plain ICD message of a document in format to.
// A message above its type's ICD size limit (which libpeat would refuse as
// input) is refused with TooLarge, MATERIALIZED_TOO_LARGE.
func DocMaterialize(docType string, to codec.Format, doc []byte) ([]byte, error) {
	if err := codec.Check(to); err != nil {
		return nil, err
	}
	k, d, err := decodeDoc(docType, doc, 0)
	if err != nil {
		return nil, err
	}
	return materialize(k, to, d)
}

func materialize(k *crdt.Kind, to codec.Format, d proto.Message) ([]byte, error) {
	return encodeMaterialized(to, k.Materialize(d))
}

// encodeMaterialized encodes a materialised message in format to, refusing
// one above its type's ICD size limit.
func encodeMaterialized(to codec.Format, m proto.Message) ([]byte, error) {
	out, err := codec.Encode(m, to)
	if err != nil {
		return nil, err
	}
	size := len(out)
	if to.Base() != codec.Binary {
		size = proto.Size(m)
	}
	if err := crdt.CheckMaterialized(m, size); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeDoc decodes input i (binary) as a document of docType. crdt.Decode
// and crdt.Encode are codec's binary decoding and encoding, byte for byte,
// with a faster path for large sets.
func decodeDoc(docType string, in []byte, i int) (*crdt.Kind, proto.Message, error) {
	k, err := crdt.Lookup(docType)
	if err != nil {
		return nil, nil, err
	}
	d := k.Empty()
	if err := crdt.Decode(d, in); err != nil {
		return nil, nil, inputError(err, i)
	}
	return k, d, nil
}
