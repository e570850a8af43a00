package main

import (
	"bytes"
	"flag"
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/status"
)

// inputFlags are the flags of every command that reads messages: --from
// (default: detected), --strict (default on) and --lenient.
type inputFlags struct {
	from    *string
	strict  *bool
	lenient *bool
}

func addInputFlags(fs *flag.FlagSet, what string) *inputFlags {
	return &inputFlags{
		from: fs.String("from", "", "format of "+what+": binary, json or rust-json (default: detected per file: "+
			"input starting with '{' is tried as rust-json and proto3 JSON, anything else as binary)"),
		strict:  fs.Bool("strict", true, "refuse JSON keys that name no field (UNKNOWN_FIELD, with the key's path)"),
		lenient: fs.Bool("lenient", false, "ignore unknown JSON keys (for JSON written by a newer version); same as --strict=false"),
	}
}

// reader returns the reader these flags describe, or a usage error.
func (f *inputFlags) reader(e *env) (reader, error) {
	r := reader{e: e, strict: *f.strict && !*f.lenient}
	if *f.from != "" {
		var err error
		if r.from, err = codec.ParseFormat(*f.from); err != nil {
			return r, err
		}
	}
	return r, nil
}

// reader reads input files in a given or detected format.
type reader struct {
	e      *env
	from   codec.Format // 0: detect
	strict bool
}

// withStrict adds codec.Strict to a text format when strict reading is on.
func (r reader) withStrict(f codec.Format) codec.Format {
	if r.strict && f.IsText() {
		return f | codec.Strict
	}
	return f
}

// readBytes reads the file name (stdin for "" or "-") holding one message of
// type mt and returns its bytes and format (detected when no --from was
// given; strict for JSON unless --lenient).
func (r reader) readBytes(name string, mt protoreflect.MessageType) ([]byte, codec.Format, error) {
	if r.from != 0 {
		limit, what := inputLimit(mt, r.from)
		in, err := r.e.readInput(name, limit, what)
		if err != nil {
			return nil, 0, err
		}
		return in, r.withStrict(r.from), nil
	}
	in, err := r.e.readDetected(name, mt)
	if err != nil {
		return nil, 0, err
	}
	f, err := r.detect(mt.New().Interface(), in)
	if err != nil {
		return nil, 0, annotate(name, err)
	}
	return in, f, nil
}

// read decodes the file name into msg.
func (r reader) read(name string, msg proto.Message) error {
	in, f, err := r.readBytes(name, msg.ProtoReflect().Type())
	if err != nil {
		return err
	}
	proto.Reset(msg)
	return annotate(name, codec.DecodeInto(msg, f, in))
}

// detect finds the format of in by decoding it into msg. Input whose first
// non-blank byte is '{' is tried as rust-json first (it requires every
// scalar key, so JSON that reads as rust-json is rust-json; proto3 JSON,
// which omits defaults, rarely does), then as proto3 JSON, then as binary;
// anything else is tried as binary only. When nothing decodes, the error
// names every format tried and why each failed, the likeliest first (proto3
// JSON, or rust-json for directive types, whose JSON is the reference's);
// its code and path are that format's.
func (r reader) detect(msg proto.Message, in []byte) (codec.Format, error) {
	trimmed := bytes.TrimLeft(in, " \t\r\n")
	order := []codec.Format{codec.Binary}
	if len(trimmed) > 0 && trimmed[0] == '{' {
		order = []codec.Format{codec.RustJSON, codec.JSON, codec.Binary}
	}
	errs := map[codec.Format]*status.Error{}
	for _, f := range order {
		proto.Reset(msg)
		err := codec.DecodeInto(msg, r.withStrict(f), in)
		if err == nil {
			return r.withStrict(f), nil
		}
		se := status.From(err)
		if f == codec.Binary && se.Code == "INVALID_UTF8" {
			// Binary, with a string that is not UTF-8: validate reports it
			// as a violation, the other commands as the error it is.
			return f, nil
		}
		if se.Status == status.TooLarge {
			return 0, se
		}
		errs[f] = se
	}
	if len(order) == 1 {
		first := *errs[codec.Binary]
		first.Message += " (tried binary only: the input does not start with '{', so it is not JSON)"
		return 0, &first
	}
	report := []codec.Format{codec.JSON, codec.RustJSON, codec.Binary}
	if strings.HasPrefix(string(msg.ProtoReflect().Descriptor().FullName()), "peat.directive.v1.") {
		report = []codec.Format{codec.RustJSON, codec.JSON, codec.Binary}
	}
	var parts []string
	for _, f := range report {
		m := errs[f].Message
		if errs[f].Path != "" {
			m += " (at " + errs[f].Path + ")"
		}
		parts = append(parts, fmt.Sprintf("as %s: %s", f, m))
	}
	first := *errs[report[0]]
	first.Path = ""
	first.Message = "not readable in any format; " + strings.Join(parts, "; ")
	return 0, &first
}

// annotate names the file in an error message.
func annotate(name string, err error) error {
	if err == nil {
		return nil
	}
	if name == "" || name == "-" {
		name = "stdin"
	}
	e := *status.From(err)
	e.Message = name + ": " + e.Message
	return &e
}
