// Command gobench measures the Go-direct baseline of the benchmark report:
// the byte-level functions of package core (exactly what the C ABI calls),
// on the shared inputs, with testing.Benchmark. Usage: gobench INPUTS OUT.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
)

// Result is one line of build/bench/<lang>.json.
type Result struct {
	Name    string  `json:"name"`
	NsPerOp float64 `json:"ns_per_op"`
	Note    string  `json:"note,omitempty"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gobench INPUTS OUT.json")
		os.Exit(2)
	}
	dir := os.Args[1]
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			fmt.Fprintln(os.Stderr, "gobench:", err)
			os.Exit(1)
		}
		return b
	}
	small, big := read("nodeconfig_small.bin"), read("nodeconfig_50kb.bin")
	csA, csB := read("cellstate8_a.bin"), read("cellstate8_b.bin")
	ns := read("nodestate_small.bin")
	batch := make([][]byte, 1000)
	for i := range batch {
		batch[i] = ns
	}

	var results []Result
	run := func(name string, per int, fn func() error) {
		if err := fn(); err != nil {
			results = append(results, Result{Name: name, NsPerOp: -1, Note: err.Error()})
			return
		}
		r := testing.Benchmark(func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
		results = append(results, Result{Name: name, NsPerOp: float64(r.NsPerOp()) / float64(per)})
		fmt.Fprintf(os.Stderr, "go  %-32s %12.1f ns/op\n", name, float64(r.T.Nanoseconds())/float64(r.N)/float64(per))
	}
	errOf := func(_ []byte, err error) error { return err }
	run("abi_version", 1, func() error { _ = core.ABIVersion(); return nil })
	run("convert_empty_bin_to_bin", 1, func() error {
		return errOf(core.Convert("cap.node.v1.NodeConfig", codec.Binary, codec.Binary, nil))
	})
	run("convert_nodeconfig_bin_to_json", 1, func() error {
		return errOf(core.Convert("cap.node.v1.NodeConfig", codec.Binary, codec.JSON, small))
	})
	run("validate_nodeconfig_small", 1, func() error {
		return errOf(core.Validate("cap.node.v1.NodeConfig", codec.Binary, small, nil))
	})
	run("validate_nodeconfig_50kb", 1, func() error {
		return errOf(core.Validate("cap.node.v1.NodeConfig", codec.Binary, big, nil))
	})
	run("validate_cellstate8", 1, func() error {
		return errOf(core.Validate("cap.cell.v1.CellState", codec.Binary, csA, nil))
	})
	run("validate_batch_1000", 1000, func() error {
		return errOf(core.ValidateBatch("cap.node.v1.NodeState", codec.Binary, batch, nil))
	})
	run("merge_cellstate8", 1, func() error {
		return errOf(core.Merge("cap.cell.v1.CellState", codec.Binary, codec.Binary, csA, csB))
	})
	for _, n := range []string{"10k", "100k"} {
		a, b := read("celldoc_"+n+"_a.bin"), read("celldoc_"+n+"_b.bin")
		run("doc_merge_cell_"+n, 1, func() error { return errOf(core.DocMerge("peat.crdt.v1.CellDoc", a, b)) })
	}
	out, _ := json.MarshalIndent(map[string]any{"language": "go", "results": results}, "", "  ")
	if err := os.WriteFile(os.Args[2], append(out, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gobench:", err)
		os.Exit(1)
	}
}
