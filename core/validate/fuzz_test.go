package validate_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/sanitize"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/core/validate"
	"github.com/peat-protocol/libpeat/core/validate/examples"
)

// FuzzValidate decodes arbitrary bytes as any registered type (binary or
// JSON), validates and sanitises them. It checks that nothing panics, that
// failures are *status.Error values, that reports are deterministic, sorted
// and encodable, and that sanitising is idempotent.
// Seeds: testdata/fuzz/FuzzValidate (every example, broken variants).
func FuzzValidate(f *testing.F) {
	// The 42 ICD types first, so seed indices stay stable as project-owned
	// types are added after them.
	names := examples.Types()
	for _, n := range registry.Names() {
		if !registry.IsICD(protoreflect.FullName(n)) {
			names = append(names, n)
		}
	}
	for i, n := range names {
		if js := examples.JSON(n); js != "" {
			b, _ := proto.Marshal(examples.Message(n))
			f.Add(uint16(i), uint8(codec.Binary), b)
			f.Add(uint16(i), uint8(codec.JSON), []byte(js))
		}
	}
	v := validate.New(validate.SystemClock{})
	f.Fuzz(func(t *testing.T, typ uint16, format uint8, data []byte) {
		name := names[int(typ)%len(names)]
		mt, err := registry.Lookup(name)
		require.NoError(t, err)
		fm := codec.Format(1 + format%2)
		msg, repaired, err := validate.Decode(mt, fm, data)
		if err != nil {
			e := status.From(err)
			require.NotEqual(t, status.Internal, e.Status, "%v", err)
			return
		}
		opts := examples.NowOptions()
		a := v.Validate(msg, opts)
		b := v.Validate(msg, opts)
		require.True(t, proto.Equal(a, b), "validation is not deterministic")
		require.Equal(t, len(a.Violations) == 0, a.Valid)
		for i := 1; i < len(a.Violations); i++ {
			p, q := a.Violations[i-1], a.Violations[i]
			require.True(t, p.Path < q.Path || (p.Path == q.Path && p.Code <= q.Code), "unsorted report")
		}
		_, err = codec.Encode(a, codec.Binary)
		require.NoError(t, err, "report must encode")
		rep, err := v.ValidateBytes(mt, fm, data, opts)
		require.NoError(t, err)
		require.Equal(t, len(repaired) > 0 || !a.Valid, !rep.Valid)

		clean, _ := sanitize.Message(msg)
		again, changes := sanitize.Message(clean)
		require.Empty(t, changes, "sanitising is not idempotent")
		require.True(t, proto.Equal(clean, again))
	})
}
