// Package rustjson reads and writes the Rust reference implementation's JSON
// dialect ("serde on prost") for ICD messages. See docs/COMPATIBILITY.md.
package rustjson

import (
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core/status"
)

// Marshal writes msg in the reference's JSON dialect.
func Marshal(msg proto.Message) ([]byte, error) {
	return nil, status.Errorf(status.Unsupported, "rust-json output is not available yet")
}

// Unmarshal reads the reference's JSON dialect into msg.
func Unmarshal(data []byte, msg proto.Message) error {
	return status.Errorf(status.Unsupported, "rust-json input is not available yet")
}
