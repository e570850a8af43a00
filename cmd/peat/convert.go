package main

import (
	"fmt"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/registry"
)

func init() {
	register("types", "list every registered message type", runTypes)
	register("convert", "convert a message between binary, json and rust-json", runConvert)
}

func runTypes(e *env, args []string) int {
	if len(args) != 0 {
		return e.usage("types takes no arguments")
	}
	for _, n := range registry.Names() {
		fmt.Fprintln(e.stdout, n)
	}
	return 0
}

// formatFlags registers --from/--to style flags and returns their parsers.
func formatFlag(fs interface {
	String(string, string, string) *string
}, name, def string) func() (codec.Format, error) {
	v := fs.String(name, def, "binary, json or rust-json")
	return func() (codec.Format, error) { return codec.ParseFormat(*v) }
}

func runConvert(e *env, args []string) int {
	fs := e.newFlags("convert")
	typ := fs.String("type", "", "full message type name")
	from := formatFlag(fs, "from", "binary")
	to := formatFlag(fs, "to", "json")
	pos, err := parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *typ == "" || len(pos) > 1 {
		return e.usage("usage: peat convert --type T --from binary|json|rust-json --to binary|json|rust-json [FILE]")
	}
	f, err := from()
	if err != nil {
		return e.fail(err)
	}
	t, err := to()
	if err != nil {
		return e.fail(err)
	}
	if _, err := registry.Lookup(*typ); err != nil {
		return e.fail(err)
	}
	in, err := e.readInput(first(pos))
	if err != nil {
		return e.fail(err)
	}
	out, err := core.Convert(*typ, f, t, in)
	if err != nil {
		return e.fail(err)
	}
	e.stdout.Write(out)
	if t.IsText() {
		fmt.Fprintln(e.stdout)
	}
	return 0
}

func first(pos []string) string {
	if len(pos) == 0 {
		return ""
	}
	return pos[0]
}
