package main

import (
	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/registry"
)

func init() {
	register("merge", "merge plain ICD messages of one entity (CRDT rules of docs/CRDT.md)", runMerge)
	helpDocs["merge"] = helpDoc{
		about: "Merge two or more messages of one entity by the CRDT rules of docs/CRDT.md. " +
			"The result does not depend on the order of the files, and can be merged again.",
		usage: "merge --type T [--from FORMAT] [--to FORMAT] [--lenient] FILE_A FILE_B [FILE...]",
		example: `  peat merge --type cap.cell.v1.CellState a.json b.json
  peat merge --type cap.node.v1.NodeState --to binary a.bin b.json - < c.bin > merged.bin`,
	}
}

// runMerge merges two or more messages; --to defaults to the input format
// (binary when the files are in different formats), so the output can be
// merged again.
func runMerge(e *env, args []string) int {
	fs := e.newFlags("merge")
	typ := fs.String("type", "", "full message type name (required; peat types lists them)")
	inf := addInputFlags(fs, "each FILE")
	toS := fs.String("to", "", "output format: binary, json or rust-json (default: the inputs' format; binary when they differ)")
	pos, err := e.parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *typ == "" || len(pos) < 2 {
		return e.usageOf("merge")
	}
	r, err := inf.reader(e)
	if err != nil {
		return e.fail(err)
	}
	var to codec.Format
	if *toS != "" {
		if to, err = codec.ParseFormat(*toS); err != nil {
			return e.fail(err)
		}
	}
	mt, err := registry.Lookup(*typ)
	if err != nil {
		return e.fail(err)
	}
	msgs := make([][]byte, len(pos))
	formats := make([]codec.Format, len(pos))
	same := true
	for i, p := range pos {
		if msgs[i], formats[i], err = r.readBytes(p, mt); err != nil {
			return e.fail(err)
		}
		same = same && formats[i] == formats[0]
	}
	from := formats[0]
	if !same {
		// Files in different formats: each goes to binary first.
		for i := range msgs {
			if msgs[i], err = core.Convert(*typ, formats[i], codec.Binary, msgs[i]); err != nil {
				return e.fail(annotate(pos[i], err))
			}
		}
		from = codec.Binary
	}
	if to == 0 {
		to = from.Base()
	}
	out, err := core.MergeBatch(*typ, from, to, msgs)
	if err != nil {
		return e.fail(err)
	}
	e.writeMessage(out, to)
	return 0
}
