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

// messageArgs are the flags and input shared by convert and sanitize:
// --type, --from, --to and at most one FILE (stdin when absent).
type messageArgs struct {
	typ      string
	from, to codec.Format
	in       []byte
}

// readMessageArgs parses them; on failure it has printed the error and
// returns the exit code to use.
func (e *env) readMessageArgs(name, defTo string, args []string) (*messageArgs, int) {
	fs := e.newFlags(name)
	typ := fs.String("type", "", "full message type name")
	from := formatFlag(fs, "from", "binary")
	to := formatFlag(fs, "to", defTo)
	pos, err := parse(fs, args)
	if err != nil {
		return nil, e.fail(err)
	}
	if *typ == "" || len(pos) > 1 {
		return nil, e.usage("usage: peat %s --type T --from binary|json|rust-json --to binary|json|rust-json [FILE]", name)
	}
	m := &messageArgs{typ: *typ}
	if m.from, err = from(); err != nil {
		return nil, e.fail(err)
	}
	if m.to, err = to(); err != nil {
		return nil, e.fail(err)
	}
	mt, err := registry.Lookup(*typ)
	if err != nil {
		return nil, e.fail(err)
	}
	limit, what := inputLimit(mt, m.from)
	if m.in, err = e.readInput(first(pos), limit, what); err != nil {
		return nil, e.fail(err)
	}
	return m, 0
}

// writeMessage prints a message, with a final newline for the JSON forms.
func (e *env) writeMessage(b []byte, f codec.Format) {
	e.stdout.Write(b)
	if f.IsText() {
		fmt.Fprintln(e.stdout)
	}
}

func runConvert(e *env, args []string) int {
	m, code := e.readMessageArgs("convert", "json", args)
	if m == nil {
		return code
	}
	out, err := core.Convert(m.typ, m.from, m.to, m.in)
	if err != nil {
		return e.fail(err)
	}
	e.writeMessage(out, m.to)
	return 0
}

func first(pos []string) string {
	if len(pos) == 0 {
		return ""
	}
	return pos[0]
}
