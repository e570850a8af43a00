package directive

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// FuzzRustJSON: any input either fails with a typed *status.Error or reads
// into a message that writes back to text that reads to the same message. `go test` runs the seeds; `go test -fuzz` explores.
func FuzzRustJSON(f *testing.F) {
	f.Add(referenceDirective)
	f.Add(referenceStatus)
	f.Add(strings.Replace(referenceDirective, `{"type":"broadcast"}`, `{"type":"nodes","node_ids":["a","b"]}`, 1))
	f.Add(strings.Replace(referenceDirective, `{"type":"broadcast"}`, `{"type":"capability","min_memory_mb":1,"required_capabilities":["x"],"custom":{"k":"v"}}`, 1))
	f.Add(strings.Replace(referenceDirective, `"config":null`, `"config":{"a":[1,2.5,"x",null,true]}`, 1))
	f.Add(`{"statuses":[` + referenceStatus + `]}`)
	f.Add(`{"directive_id":"d","issued_at":"2025-11-06 12:00:00.5+02:00"}`)
	f.Add(`{`)
	f.Fuzz(func(t *testing.T, doc string) {
		for _, msg := range []proto.Message{&pb.DeploymentDirective{}, &pb.DeploymentStatus{}, &pb.StatusBoard{}} {
			err := UnmarshalRustJSON([]byte(doc), msg)
			if err != nil {
				if status.From(err).Status == status.Internal {
					t.Fatalf("untyped error: %v", err)
				}
				continue
			}
			out, err := MarshalRustJSON(msg)
			if err != nil {
				t.Fatalf("what was read cannot be written: %v", err)
			}
			again := msg.ProtoReflect().New().Interface()
			if err := UnmarshalRustJSON(out, again); err != nil {
				t.Fatalf("re-read of %s: %v", out, err)
			}
			if !proto.Equal(msg, again) {
				t.Fatalf("round trip changed the message:\n%s", out)
			}
		}
	})
}
