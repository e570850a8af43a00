package vectors

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

// TestEveryVectorPassesInGo replays every committed case through the Go
// operation layer, as each binding replays it through the C ABI.
func TestEveryVectorPassesInGo(t *testing.T) {
	all, err := Load()
	require.NoError(t, err)
	areas := make([]string, 0, len(all))
	for a := range all {
		areas = append(areas, a)
	}
	sort.Strings(areas)
	total := 0
	for _, area := range areas {
		m := all[area]
		for _, c := range m.Cases {
			total++
			t.Run(area+"/"+c.Name, func(t *testing.T) {
				st, out, err := Exec(area, c)
				if st == status.OK && err != nil {
					t.Fatalf("case could not run: %v", err)
				}
				require.Equal(t, c.Expect.Status, st.Name(), "status (error: %v)", err)
				if st != status.OK {
					if c.Expect.Code != "" {
						assert.Equal(t, c.Expect.Code, status.From(err).Code)
					}
					return
				}
				if c.Expect.Output != "" {
					want, rerr := os.ReadFile(filepath.Join(Dir(area), c.Expect.Output))
					require.NoError(t, rerr)
					assert.True(t, bytes.Equal(want, out), "output differs from %s", c.Expect.Output)
				}
				if c.Expect.Valid != nil {
					valid, viols := decodeReport(t, out)
					assert.Equal(t, *c.Expect.Valid, valid)
					assert.Equal(t, c.Expect.Violations, viols)
				}
				if c.Expect.Targeted != nil {
					assert.Equal(t, *c.Expect.Targeted, boolField(t, "peat.directive.v1.TargetDecision", out, "targeted"))
				}
			})
		}
	}
	t.Logf("%d vector cases in %d areas", total, len(areas))
}

func decodeMsg(t *testing.T, typ string, b []byte) protoreflect.Message {
	mt, err := registry.Lookup(typ)
	require.NoError(t, err)
	m := mt.New().Interface()
	require.NoError(t, proto.Unmarshal(b, m))
	return m.ProtoReflect()
}

func boolField(t *testing.T, typ string, b []byte, name string) bool {
	m := decodeMsg(t, typ, b)
	fd := m.Descriptor().Fields().ByName(protoreflect.Name(name))
	require.NotNil(t, fd, "%s has no field %s", typ, name)
	return m.Get(fd).Bool()
}

func decodeReport(t *testing.T, b []byte) (bool, []Violation) {
	m := decodeMsg(t, "peat.validation.v1.ValidationReport", b)
	fields := m.Descriptor().Fields()
	valid := m.Get(fields.ByName("valid")).Bool()
	list := m.Get(fields.ByName("violations")).List()
	var out []Violation
	for i := 0; i < list.Len(); i++ {
		v := list.Get(i).Message()
		vf := v.Descriptor().Fields()
		out = append(out, Violation{Code: v.Get(vf.ByName("code")).String(), Path: v.Get(vf.ByName("path")).String()})
	}
	return valid, out
}
