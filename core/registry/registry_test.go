package registry

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/status"
)

func TestAll42ICDMessagesAreRegistered(t *testing.T) {
	var icd []string
	for _, n := range Names() {
		if strings.HasPrefix(n, "cap.") {
			icd = append(icd, n)
		}
	}
	assert.Len(t, icd, 42, "the eight ICD packages hold 42 messages: %v", icd)
	for _, n := range []string{"cap.common.v1.Uuid", "cap.node.v1.NodeConfig", "cap.cell.v1.CellMembershipChange",
		"cap.composition.v1.ApplyCompositionResponse", "peat.api.v1.Error"} {
		_, err := Lookup(n)
		assert.NoError(t, err, n)
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, n := range []string{"", "cap.node.v1.Nope", "node.v1.NodeConfig", strings.Repeat("x", 10000),
		"cap.role.v1.RoleAssignmentRequest.PreferredRolesEntry"} {
		_, err := Lookup(n)
		require.Error(t, err)
		assert.Equal(t, status.UnknownType, status.Of(err), n)
		assert.Less(t, len(err.Error()), 300)
	}
}

func TestLimits(t *testing.T) {
	assert.Equal(t, 10*1024, Limit("cap.beacon.v1.Beacon"))
	assert.Equal(t, 50*1024, Limit("cap.node.v1.NodeConfig"))
	assert.Equal(t, 100*1024, Limit("cap.cell.v1.CellState"))
	assert.Equal(t, 500*1024, Limit("cap.zone.v1.ZoneState"))
	assert.Equal(t, 100*1024, Limit("cap.composition.v1.CompositionResult"))
	assert.Equal(t, DefaultICDLimit, Limit("cap.common.v1.Uuid"))
	assert.Equal(t, DefaultProjectLimit, Limit(protoreflect.FullName("peat.api.v1.Error")))
	assert.NoError(t, CheckSize("cap.beacon.v1.Beacon", 10*1024, false))
	err := CheckSize("cap.beacon.v1.Beacon", 10*1024+1, false)
	assert.Equal(t, status.TooLarge, status.Of(err))
	assert.NoError(t, CheckSize("cap.beacon.v1.Beacon", 10*1024+1, true))
}

// The registry's files are exactly the .proto files under proto/ (what is
// installed, packaged and generated for every binding), and that set holds no
// demo schema: peat.demo.v1 belongs to examples/demo (issue 14, item 7).
func TestFilesAreExactlyTheProductProtos(t *testing.T) {
	var onDisk []string
	root := filepath.Join("..", "..", "proto")
	require.NoError(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".proto") {
			rel, _ := filepath.Rel(root, p)
			onDisk = append(onDisk, filepath.ToSlash(rel))
		}
		return err
	}))
	var linked []string
	for _, f := range Files {
		linked = append(linked, f.Path())
	}
	sort.Strings(onDisk)
	sort.Strings(linked)
	assert.Equal(t, onDisk, linked, "registry.Files must list every proto/ file, and only those")
	for _, p := range onDisk {
		assert.False(t, strings.Contains(p, "demo"), "a demo schema in the product's proto/: %s", p)
	}
	for _, n := range Names() {
		assert.False(t, strings.HasPrefix(n, "peat.demo."), "demo type %s registered", n)
	}
	_, err := Lookup("peat.demo.v1.Plan")
	assert.Equal(t, status.UnknownType, status.Of(err))
}
