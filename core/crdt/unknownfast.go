package crdt

import (
	"fmt"
	"reflect"
	"unsafe"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/runtime/protoimpl"

	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
)

// The OR-Set code asks "does this element, tag, dot or set carry unknown
// fields?" for every element of every set it joins. Through protoreflect
// (ProtoReflect().GetUnknown()) that is an atomic load and two indirect
// calls, a fifth of a small join; here it is one load at the offset of the
// generated struct's unknownFields field, found once by reflection at
// start. A generated struct without that field (a protobuf-go change)
// fails at package initialisation, and TestUnknownFieldsFastPath compares
// every answer with GetUnknown.

func unknownOffset[T any]() uintptr {
	f, ok := reflect.TypeFor[T]().FieldByName("unknownFields")
	if !ok || f.Type != reflect.TypeFor[protoimpl.UnknownFields]() {
		panic(fmt.Sprintf("crdt: %v has no unknownFields field of type protoimpl.UnknownFields", reflect.TypeFor[T]()))
	}
	return f.Offset
}

var (
	elementUnknown = unknownOffset[crdtv1.Element]()
	tagUnknown     = unknownOffset[crdtv1.Tag]()
	dotUnknown     = unknownOffset[crdtv1.Dot]()
	setUnknown     = unknownOffset[crdtv1.ORSet]()
)

func unknownAt[T any](m *T, off uintptr) bool {
	return len(*(*protoimpl.UnknownFields)(unsafe.Add(unsafe.Pointer(m), off))) > 0
}

// hasUnknown reports whether m carries unknown fields (m not nil).
func hasUnknown(m proto.Message) bool {
	switch v := m.(type) {
	case *crdtv1.Element:
		return unknownAt(v, elementUnknown)
	case *crdtv1.Tag:
		return unknownAt(v, tagUnknown)
	case *crdtv1.Dot:
		return unknownAt(v, dotUnknown)
	case *crdtv1.ORSet:
		return unknownAt(v, setUnknown)
	}
	return len(m.ProtoReflect().GetUnknown()) > 0
}
