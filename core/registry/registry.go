// Package registry knows every message type libpeat handles, by full protobuf
// name, and the size limit applied to each before it is decoded (ICD §3.3).
package registry

import (
	"sort"
	"strings"
	"sync"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	beaconv1 "github.com/peat-protocol/libpeat/core/pb/cap/beacon/v1"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	compositionv1 "github.com/peat-protocol/libpeat/core/pb/cap/composition/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	rolev1 "github.com/peat-protocol/libpeat/core/pb/cap/role/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
	apiv1 "github.com/peat-protocol/libpeat/core/pb/peat/api/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	securityv1 "github.com/peat-protocol/libpeat/core/pb/peat/security/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Files are the product's schema files: every .proto under proto/ (the ICD's
// cap.* and libpeat's peat.*), and nothing else. The registry holds exactly
// their messages, whatever else a program links into protobuf's global
// registry: the demo scenario's schema (examples/demo) or an application's own
// types are never libpeat types, even in a process that links them.
var Files = []protoreflect.FileDescriptor{
	beaconv1.File_cap_beacon_v1_beacon_proto,
	capabilityv1.File_cap_capability_v1_capability_proto,
	cellv1.File_cap_cell_v1_cell_proto,
	commonv1.File_cap_common_v1_common_proto,
	compositionv1.File_cap_composition_v1_composition_proto,
	nodev1.File_cap_node_v1_node_proto,
	rolev1.File_cap_role_v1_role_proto,
	zonev1.File_cap_zone_v1_zone_proto,
	apiv1.File_peat_api_v1_api_proto,
	crdtv1.File_peat_crdt_v1_crdt_proto,
	directivev1.File_peat_directive_v1_directive_proto,
	securityv1.File_peat_security_v1_security_proto,
	validationv1.File_peat_validation_v1_validation_proto,
}

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
	var add func(ms protoreflect.MessageDescriptors)
	add = func(ms protoreflect.MessageDescriptors) {
		for i := 0; i < ms.Len(); i++ {
			md := ms.Get(i)
			if md.IsMapEntry() { // synthetic, never registered as a type
				continue
			}
			mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName())
			if err != nil {
				panic("registry: " + string(md.FullName()) + " is not linked: " + err.Error())
			}
			types[md.FullName()] = mt
			names = append(names, string(md.FullName()))
			add(md.Messages())
		}
	}
	for _, f := range Files {
		add(f.Messages())
	}
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
