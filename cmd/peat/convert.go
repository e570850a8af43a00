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
	helpDocs["types"] = helpDoc{
		about:   "List every message type libpeat knows, one full name a line: the 42 ICD types (cap.*) and libpeat's own (peat.*).",
		usage:   "types",
		example: "  peat types | grep '^cap.node'",
	}
	helpDocs["convert"] = helpDoc{
		about: "Convert one message between binary protobuf, canonical proto3 JSON and the Rust reference's JSON (rust-json).",
		usage: "convert --type T [--from FORMAT] [--to FORMAT] [--lenient] [FILE]",
		example: `  # any format to proto3 JSON (the default --to)
  peat convert --type cap.node.v1.NodeConfig node.bin
  # proto3 JSON to binary, from stdin
  peat convert --type cap.node.v1.NodeConfig --to binary < node.json > node.bin
  # a directive to the reference's JSON
  peat convert --type peat.directive.v1.DeploymentDirective --to rust-json d.bin`,
	}
}

func runTypes(e *env, args []string) int {
	fs := e.newFlags("types")
	pos, err := e.parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if len(pos) != 0 {
		return e.usage("types takes no arguments (see peat types --help)")
	}
	for _, n := range registry.Names() {
		fmt.Fprintln(e.stdout, n)
	}
	return 0
}

// formatFlag registers a --to style flag and returns its parser.
func formatFlag(fs interface {
	String(string, string, string) *string
}, name, def, usage string) func() (codec.Format, error) {
	v := fs.String(name, def, usage)
	return func() (codec.Format, error) { return codec.ParseFormat(*v) }
}

// messageArgs are the flags and input shared by convert and sanitize:
// --type, --from, --strict/--lenient, --to and at most one FILE (stdin when
// absent).
type messageArgs struct {
	typ      string
	name     string // the file, for messages
	from, to codec.Format
	in       []byte
}

// readMessageArgs parses them; on failure it has printed the error and
// returns the exit code to use. --to defaults to json for convert and to the
// input's format for sanitize.
func (e *env) readMessageArgs(name string, args []string) (*messageArgs, int) {
	fs := e.newFlags(name)
	typ := fs.String("type", "", "full message type name (required; peat types lists them)")
	inf := addInputFlags(fs, "FILE")
	var toS *string
	if name == "convert" {
		toS = fs.String("to", "json", "output format: binary, json or rust-json")
	} else {
		toS = fs.String("to", "", "output format: binary, json or rust-json (default: the input's format)")
	}
	pos, err := e.parse(fs, args)
	if err != nil {
		return nil, e.fail(err)
	}
	if *typ == "" || len(pos) > 1 {
		return nil, e.usageOf(name)
	}
	r, err := inf.reader(e)
	if err != nil {
		return nil, e.fail(err)
	}
	m := &messageArgs{typ: *typ, name: first(pos)}
	if *toS != "" {
		if m.to, err = codec.ParseFormat(*toS); err != nil {
			return nil, e.fail(err)
		}
	}
	mt, err := registry.Lookup(*typ)
	if err != nil {
		return nil, e.fail(err)
	}
	if m.in, m.from, err = r.readBytes(m.name, mt); err != nil {
		return nil, e.fail(err)
	}
	if m.to == 0 {
		m.to = m.from.Base()
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
	m, code := e.readMessageArgs("convert", args)
	if m == nil {
		return code
	}
	out, err := core.Convert(m.typ, m.from, m.to, m.in)
	if err != nil {
		return e.fail(annotate(m.name, err))
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
