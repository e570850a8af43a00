package core

import (
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/status"
)

// Merge merges two plain messages of one type; the result is in format to.
func Merge(typeName string, from, to codec.Format, a, b []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "merge is not implemented yet")
}

// MergeBatch folds msgs (at least one) with Merge.
func MergeBatch(typeName string, from, to codec.Format, msgs [][]byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "merge is not implemented yet")
}

// DocNew creates a replicated document from an optional serialized peat.crdt.v1.DocInit.
func DocNew(docType string, init []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "documents are not implemented yet")
}

// DocApply applies a serialized peat.crdt.v1.Operation; returns a serialized peat.crdt.v1.ApplyResult.
func DocApply(docType string, doc, op []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "documents are not implemented yet")
}

// DocMerge merges document or delta b into a; returns the merged document.
func DocMerge(docType string, a, b []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "documents are not implemented yet")
}

// DocMaterialize returns the plain ICD message of a document in format to.
func DocMaterialize(docType string, to codec.Format, doc []byte) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "documents are not implemented yet")
}
