package core

import (
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Merger merges two decoded messages of one type into a new message. It must
// be commutative, associative and idempotent, must not modify its inputs, and
// returns a *status.Error (Mismatch for different entities) on failure. The
// result may share sub-messages with the inputs (merge_batch never modifies
// either, so each element is copied only by the final encoding).
type Merger func(a, b proto.Message) (proto.Message, error)

var (
	mergersMu sync.RWMutex
	mergers   = map[protoreflect.FullName]Merger{}
)

// RegisterMerger makes a type mergeable through Merge / peat_merge. Each area
// registers its types from an init function in its file of this package.
func RegisterMerger(name protoreflect.FullName, m Merger) {
	mergersMu.Lock()
	defer mergersMu.Unlock()
	mergers[name] = m
}

// lookupMerger returns the merger registered for a type, if any.
func lookupMerger(name protoreflect.FullName) (Merger, bool) {
	mergersMu.RLock()
	defer mergersMu.RUnlock()
	m, ok := mergers[name]
	return m, ok
}
