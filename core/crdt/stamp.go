package crdt

import (
	"bytes"

	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/merge"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// compareStamps orders register writes by (seconds, nanos, counter, replica);
// nil is the zero stamp.
func compareStamps(a, b *crdtv1.Stamp) int {
	if c := merge.CompareTimes(a.GetSeconds(), a.GetNanos(), b.GetSeconds(), b.GetNanos()); c != 0 {
		return c
	}
	switch {
	case a.GetCounter() < b.GetCounter():
		return -1
	case a.GetCounter() > b.GetCounter():
		return 1
	}
	switch {
	case a.GetReplica() < b.GetReplica():
		return -1
	case a.GetReplica() > b.GetReplica():
		return 1
	}
	return 0
}

// nextStamp is the stamp of a local write by replica at time t over a
// register whose current stamp is cur: t itself when it is later than cur's
// time, otherwise cur's time with the counter advanced. The result is always
// greater than cur, so a write made after observing a value supersedes it,
// whatever the writer's clock says.
func nextStamp(cur *crdtv1.Stamp, t *commonv1.Timestamp, replica string) *crdtv1.Stamp {
	if merge.CompareTimes(t.GetSeconds(), t.GetNanos(), cur.GetSeconds(), cur.GetNanos()) > 0 {
		return &crdtv1.Stamp{Seconds: t.GetSeconds(), Nanos: t.GetNanos(), Replica: replica}
	}
	return &crdtv1.Stamp{Seconds: cur.GetSeconds(), Nanos: cur.GetNanos(), Counter: cur.GetCounter() + 1, Replica: replica}
}

// stamped is a register or set entry ordered by its stamp.
type stamped interface {
	proto.Message
	GetStamp() *crdtv1.Stamp
}

// joinStamped returns the entry with the greater stamp; equal stamps resolve
// to the greater canonical encoding (a when equal). An unset entry loses.
// The result shares memory with the inputs.
func joinStamped[R stamped](a, b R) R {
	if !isSet(a) {
		return b
	}
	if !isSet(b) {
		return a
	}
	if c := compareStamps(a.GetStamp(), b.GetStamp()); c != 0 {
		if c > 0 {
			return a
		}
		return b
	}
	if bytes.Compare(merge.Canonical(b), merge.Canonical(a)) > 0 {
		return b
	}
	return a
}

func isSet(m proto.Message) bool { return m != nil && m.ProtoReflect().IsValid() }

func timeOf(s *crdtv1.Stamp) *commonv1.Timestamp {
	return &commonv1.Timestamp{Seconds: s.GetSeconds(), Nanos: s.GetNanos()}
}
