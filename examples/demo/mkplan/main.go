// Command mkplan writes the demo's plan (plan.json) and the outcome of the Go
// reference run (expected.json) that every language's players must match.
// Usage: mkplan DIR
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/examples/demo/plan"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--rounds" {
		fmt.Println(len(plan.Build().Rounds))
		return
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mkplan DIR")
		os.Exit(2)
	}
	p := plan.Build()
	out, err := plan.Play(p, func(string) {})
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkplan: the Go reference run failed:", err)
		os.Exit(1)
	}
	write := func(name string, v any) {
		b, err := json.MarshalIndent(v, "", "  ")
		if err == nil {
			err = os.WriteFile(filepath.Join(os.Args[1], name), append(b, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkplan:", err)
			os.Exit(1)
		}
	}
	if err := os.MkdirAll(os.Args[1], 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "mkplan:", err)
		os.Exit(1)
	}
	p.Expected = out.Outcome
	bin, err := proto.MarshalOptions{Deterministic: true}.Marshal(p)
	if err == nil {
		err = os.WriteFile(filepath.Join(os.Args[1], "plan.bin"), bin, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkplan:", err)
		os.Exit(1)
	}
	js, _ := protojson.MarshalOptions{Multiline: true}.Marshal(p)
	write("plan.json", json.RawMessage(js))
}
