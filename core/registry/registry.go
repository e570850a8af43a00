// Package registry knows every message type libpeat handles, by full protobuf
// name, and the size limit applied to each before it is decoded (ICD §3.3).
package registry

import (
	"sort"
	"strings"
	"sync"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/peat-protocol/libpeat/core/status"

	// Link every generated package so its types are in the global registry.
	_ "github.com/peat-protocol/libpeat/core/pb/cap/beacon/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/cap/composition/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/cap/role/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/peat/api/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/peat/demo/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/peat/security/v1"
	_ "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
)

const (
	KiB = 1024
	MiB = 1024 * KiB

	// DefaultICDLimit applies to ICD messages the ICD gives no limit for.
	DefaultICDLimit = 1 * MiB
	// DefaultProjectLimit applies to project-owned (peat.*) messages, whose
	// replicated documents legitimately grow large (100k-member cells).
	DefaultProjectLimit = 64 * MiB
	// JSONFactor: JSON text may be this many times the binary limit before it
	// is refused unparsed; the decoded message is then held to the binary limit.
	JSONFactor = 4
)

// icdLimits are the limits of ICD §3.3 ("KB" read as 1024 bytes). The
// composite messages that embed a limited one get its limit plus headroom for
// the other half, so a Node can never smuggle an oversize NodeConfig.
var icdLimits = map[protoreflect.FullName]int{
	"cap.beacon.v1.Beacon":                        10 * KiB,
	"cap.node.v1.NodeConfig":                      50 * KiB,
	"cap.cell.v1.CellState":                       100 * KiB,
	"cap.zone.v1.ZoneState":                       500 * KiB,
	"cap.composition.v1.CompositionResult":        100 * KiB,
	"cap.node.v1.Node":                            50*KiB + 4*KiB,
	"cap.cell.v1.Cell":                            100*KiB + 1*KiB,
	"cap.zone.v1.Zone":                            500*KiB + 1*KiB,
	"cap.beacon.v1.BeaconRecord":                  10*KiB + 1*KiB,
	"cap.composition.v1.ApplyCompositionResponse": 100*KiB + 1*KiB,
}

var (
	once  sync.Once
	types map[protoreflect.FullName]protoreflect.MessageType
	names []string
)

func load() {
	types = map[protoreflect.FullName]protoreflect.MessageType{}
	protoregistry.GlobalTypes.RangeMessages(func(mt protoreflect.MessageType) bool {
		full := mt.Descriptor().FullName()
		if Owned(full) {
			types[full] = mt
			names = append(names, string(full))
		}
		return true
	})
	sort.Strings(names)
}

// Owned reports whether a full name belongs to the ICD (cap.*) or to libpeat (peat.*).
func Owned(full protoreflect.FullName) bool {
	s := string(full)
	return strings.HasPrefix(s, "cap.") || strings.HasPrefix(s, "peat.")
}

// IsICD reports whether the type is one of the ICD's cap.* messages.
func IsICD(full protoreflect.FullName) bool { return strings.HasPrefix(string(full), "cap.") }

// Names returns every registered message type (ICD and project-owned, nested
// messages included, map-entry types excluded), sorted.
func Names() []string {
	once.Do(load)
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !types[protoreflect.FullName(n)].Descriptor().IsMapEntry() {
			out = append(out, n)
		}
	}
	return out
}

// Lookup returns the message type for a full name, or an UnknownType error.
func Lookup(name string) (protoreflect.MessageType, error) {
	once.Do(load)
	if mt, ok := types[protoreflect.FullName(name)]; ok && !mt.Descriptor().IsMapEntry() {
		return mt, nil
	}
	if name == "" {
		return nil, status.Errorf(status.UnknownType, "empty message type name")
	}
	return nil, status.Errorf(status.UnknownType, "unknown message type %q (see peat types)", clip(name))
}

// Limit returns the maximum encoded (binary) size accepted for a type.
func Limit(full protoreflect.FullName) int {
	if n, ok := icdLimits[full]; ok {
		return n
	}
	if IsICD(full) {
		return DefaultICDLimit
	}
	return DefaultProjectLimit
}

// CheckSize refuses input over the type's limit before any decoding happens.
// json selects the (larger) limit for JSON text.
func CheckSize(full protoreflect.FullName, n int, json bool) error {
	limit := Limit(full)
	if json {
		limit *= JSONFactor
	}
	if n > limit {
		return status.Errorf(status.TooLarge, "%s input is %d bytes, over the %d-byte limit", full, n, limit)
	}
	return nil
}

// clip keeps error messages short when a caller passes a huge garbage name.
func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}
