package core

import (
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/crdt"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/handle"
)

// KindReplica is the handle kind of a replica: a document held decoded
// between calls (include/peat.h, "Replicas").
const KindReplica handle.Kind = 2

// replica is the object behind a replica handle. doc is never modified in
// place: every crdt function returns a new document (sharing unchanged
// sub-messages with its inputs), and the replica swaps its pointer. So a
// clone is a copy of the pointer, a merge of another replica reads a
// snapshot of that replica's pointer, and a failed call leaves doc as it was.
//
// joined says doc is the result of New, Join or Apply, so Apply and
// Materialize need not normalise it first (a document opened from bytes is
// not, until its first change: its bytes are kept exactly as given).
type replica struct {
	kind   *crdt.Kind
	doc    proto.Message
	joined bool
}

func putReplica(k *crdt.Kind, doc proto.Message, joined bool) (uint64, error) {
	return handles.Put(KindReplica, &replica{kind: k, doc: doc, joined: joined})
}

func withReplica(h uint64, fn func(r *replica) error) error {
	return handles.With(h, KindReplica, func(v any) error { return fn(v.(*replica)) })
}

// snapshot returns the kind, current document and joined flag of replica h.
func snapshot(h uint64) (k *crdt.Kind, doc proto.Message, joined bool, err error) {
	err = withReplica(h, func(r *replica) error {
		k, doc, joined = r.kind, r.doc, r.joined
		return nil
	})
	return k, doc, joined, err
}

// ReplicaNew creates a replica of a new document, as DocNew.
func ReplicaNew(docType string, init []byte) (uint64, error) {
	k, err := crdt.Lookup(docType)
	if err != nil {
		return 0, err
	}
	in := &crdtv1.DocInit{}
	if err := codec.DecodeInto(in, codec.Binary, init); err != nil {
		return 0, err
	}
	doc, err := k.New(in)
	if err != nil {
		return 0, err
	}
	return putReplica(k, doc, true)
}

// ReplicaOpen opens a replica from a serialized document or delta.
func ReplicaOpen(docType string, doc []byte) (uint64, error) {
	k, d, err := decodeDoc(docType, doc, 0)
	if err != nil {
		return 0, err
	}
	return putReplica(k, d, false)
}

// ReplicaClone returns a new replica holding the same document.
func ReplicaClone(h uint64) (uint64, error) {
	k, doc, joined, err := snapshot(h)
	if err != nil {
		return 0, err
	}
	return putReplica(k, doc, joined)
}

// ReplicaApply applies a serialized peat.crdt.v1.Operation to replica h, as
// DocApply, and returns the serialized delta.
func ReplicaApply(h uint64, op []byte) ([]byte, error) {
	o := &crdtv1.Operation{}
	if err := codec.DecodeInto(o, codec.Binary, op); err != nil {
		return nil, err
	}
	var out []byte
	err := withReplica(h, func(r *replica) error {
		apply := r.kind.Apply
		if r.joined {
			apply = r.kind.ApplyJoined
		}
		next, delta, err := apply(r.doc, o)
		if err != nil {
			return err
		}
		if out, err = crdt.Encode(delta); err != nil {
			return err
		}
		r.doc, r.joined = next, true
		return nil
	})
	return out, err
}

// ReplicaMerge merges a serialized document or delta into replica h.
func ReplicaMerge(h uint64, doc []byte) error {
	return withReplica(h, func(r *replica) error {
		d := r.kind.Empty()
		if err := crdt.Decode(d, doc); err != nil {
			return err
		}
		return r.join(d)
	})
}

// ReplicaMergeReplica merges the document of replica other into replica h.
func ReplicaMergeReplica(h, other uint64) error {
	k, doc, _, err := snapshot(other)
	if err != nil {
		if e, ok := err.(*status.Error); ok {
			c := *e
			c.Message = "other replica: " + e.Message
			return &c
		}
		return err
	}
	return withReplica(h, func(r *replica) error {
		if k != r.kind {
			return status.Errorf(status.Mismatch, "cannot merge a %s replica into a %s replica", k.Name, r.kind.Name).WithCode("DOC_TYPE_MISMATCH")
		}
		return r.join(doc)
	})
}

func (r *replica) join(d proto.Message) error {
	next, err := r.kind.Join(r.doc, d)
	if err != nil {
		return err
	}
	r.doc, r.joined = next, true
	return nil
}

// ReplicaMaterialize returns the plain ICD message of replica h in format
// to, as DocMaterialize.
func ReplicaMaterialize(h uint64, to codec.Format) ([]byte, error) {
	if err := codec.Check(to); err != nil {
		return nil, err
	}
	k, doc, joined, err := snapshot(h)
	if err != nil {
		return nil, err
	}
	if joined {
		return encodeMaterialized(to, k.MaterializeJoined(doc))
	}
	return materialize(k, to, doc)
}

// ReplicaEncode returns the serialized document of replica h.
func ReplicaEncode(h uint64) ([]byte, error) {
	_, doc, _, err := snapshot(h)
	if err != nil {
		return nil, err
	}
	return crdt.Encode(doc)
}

// ReplicaFree releases replica h; 0, freed and unknown handles are no-ops.
func ReplicaFree(h uint64) { handles.Free(h, KindReplica) }
