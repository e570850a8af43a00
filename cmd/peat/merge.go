package main

import (
	"fmt"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/registry"
)

func init() {
	register("merge", "merge plain ICD messages of one entity (CRDT rules of docs/CRDT.md)", runMerge)
}

const mergeUsage = "usage: peat merge --type T [--from binary|json|rust-json] [--to binary|json|rust-json] FILE_A FILE_B [FILE...]"

// runMerge merges two or more messages; --to defaults to --from, so the
// output can be merged again. The result does not depend on the file order.
func runMerge(e *env, args []string) int {
	fs := e.newFlags("merge")
	typ := fs.String("type", "", "full message type name")
	fromS := fs.String("from", "binary", "binary, json or rust-json")
	toS := fs.String("to", "", "binary, json or rust-json (default: --from)")
	pos, err := parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *typ == "" || len(pos) < 2 {
		return e.usage(mergeUsage)
	}
	if *toS == "" {
		*toS = *fromS
	}
	from, err := codec.ParseFormat(*fromS)
	if err != nil {
		return e.fail(err)
	}
	to, err := codec.ParseFormat(*toS)
	if err != nil {
		return e.fail(err)
	}
	mt, err := registry.Lookup(*typ)
	if err != nil {
		return e.fail(err)
	}
	limit, what := inputLimit(mt, from)
	msgs := make([][]byte, len(pos))
	for i, p := range pos {
		if msgs[i], err = e.readInput(p, limit, what); err != nil {
			return e.fail(err)
		}
	}
	out, err := core.MergeBatch(*typ, from, to, msgs)
	if err != nil {
		return e.fail(err)
	}
	e.stdout.Write(out)
	if to.IsText() {
		fmt.Fprintln(e.stdout)
	}
	return 0
}
