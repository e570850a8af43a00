// Package handle is the table behind libpeat's stateful C handles
// (include/peat.h, rule 9; docs/ARCHITECTURE.md § Handles).
//
// A handle is a uint64: a serial number, never reused for the life of the
// process, shifted left 8 bits, with the object's kind in the low 8 bits.
// 0 is never a handle. Because numbers are never reused, a handle that was
// freed, or never existed, simply is not in the table: a use after free or
// a double free is an error or a no-op, never a crash, and can never reach
// another object that happens to occupy the same slot (the problem of
// pointer handles and of index+generation handles whose generation wraps).
// The kind bits make a handle of the wrong kind (a document handle passed
// to an artifact call) a clear error before any lookup.
//
// Thread safety: the table is locked; each object has its own lock, held
// for the whole of one operation, so concurrent calls on one handle run one
// after the other and calls on different handles run in parallel. Free
// takes the object's lock too: a free that races an update waits for it,
// and every later call sees the handle gone.
package handle

import (
	"sync"

	"github.com/peat-protocol/libpeat/core/status"
)

// Kind tags a handle's object type (the low 8 bits of the handle).
type Kind uint8

// Codes of handle errors (status INVALID_ARGUMENT, TOO_LARGE).
const (
	CodeInvalidHandle  = "INVALID_HANDLE"    // 0, freed, never issued
	CodeWrongKind      = "WRONG_HANDLE_KIND" // a live handle of another kind
	CodeTooManyHandles = "TOO_MANY_HANDLES"  // the table is full
)

type entry struct {
	mu    sync.Mutex
	kind  Kind
	val   any
	freed bool
}

// Table holds live objects. The zero value is not usable; use New.
type Table struct {
	mu      sync.Mutex
	next    uint64
	entries map[uint64]*entry
	max     int
}

// New returns a table that holds at most max live objects.
func New(max int) *Table { return &Table{next: 1, entries: map[uint64]*entry{}, max: max} }

// Put stores v and returns its new handle.
func (t *Table) Put(kind Kind, v any) (uint64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.entries) >= t.max {
		return 0, status.Errorf(status.TooLarge, "%d handles are live, the limit: free some", t.max).WithCode(CodeTooManyHandles)
	}
	h := t.next<<8 | uint64(kind)
	t.next++
	t.entries[h] = &entry{kind: kind, val: v}
	return h, nil
}

func (t *Table) lookup(h uint64, kind Kind) (*entry, error) {
	if h == 0 {
		return nil, status.Errorf(status.InvalidArgument, "handle 0 is never valid").WithCode(CodeInvalidHandle)
	}
	if Kind(h&0xff) != kind {
		return nil, status.Errorf(status.InvalidArgument, "handle %#x is not of this kind", h).WithCode(CodeWrongKind)
	}
	t.mu.Lock()
	e := t.entries[h]
	t.mu.Unlock()
	if e == nil {
		return nil, status.Errorf(status.InvalidArgument, "handle %#x is not live (freed, or never issued)", h).WithCode(CodeInvalidHandle)
	}
	return e, nil
}

// With runs fn on the object of h under the object's lock.
func (t *Table) With(h uint64, kind Kind, fn func(v any) error) error {
	e, err := t.lookup(h, kind)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.freed { // freed between lookup and lock
		return status.Errorf(status.InvalidArgument, "handle %#x was freed", h).WithCode(CodeInvalidHandle)
	}
	return fn(e.val)
}

// Free removes h. It reports whether h was live; 0, a freed handle, an
// unknown one or one of another kind are no-ops.
func (t *Table) Free(h uint64, kind Kind) bool {
	if h == 0 || Kind(h&0xff) != kind {
		return false
	}
	t.mu.Lock()
	e := t.entries[h]
	delete(t.entries, h)
	t.mu.Unlock()
	if e == nil {
		return false
	}
	e.mu.Lock()
	e.freed, e.val = true, nil
	e.mu.Unlock()
	return true
}

// Live returns the number of live objects.
func (t *Table) Live() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}
