package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

func init() {
	register("validate", "validate a message; exit 1 and one CODE<TAB>path<TAB>message line per violation", runValidate)
	register("sanitize", "strip control characters and normalise metadata (changes on stderr)", runSanitize)
	helpDocs["validate"] = helpDoc{
		about: "Validate one message against the ICD's rules (§3.3 sizes, §6 fields, §9 strings). " +
			"Every violation is printed as one line: CODE<TAB>path<TAB>message.",
		usage: "validate --type T [--from FORMAT] [--now RFC3339] [--skew SECONDS] [--allow-unknown-enums] [--lenient] [FILE]",
		example: `  # a node's configuration, format detected
  peat validate --type cap.node.v1.NodeConfig node.json
  # a binary state from stdin, timestamps judged at a fixed time
  peat validate --type cap.node.v1.NodeState --now 2025-11-06T12:00:00Z < state.bin`,
		exits: `  0  valid (nothing printed)
  1  invalid: one CODE<TAB>path<TAB>message line per violation on stdout
  2  error (unknown type, unreadable input): one line "peat: CODE: message" on stderr`,
	}
	helpDocs["sanitize"] = helpDoc{
		about: "Sanitise the strings of one message (ICD §9.2): strip control characters, normalise metadata. " +
			"The clean message goes to stdout, one CODE<TAB>path<TAB>message line per change to stderr.",
		usage: "sanitize --type T [--from FORMAT] [--to FORMAT] [--lenient] [FILE]",
		example: `  peat sanitize --type cap.node.v1.NodeConfig node.json > clean.json
  peat sanitize --type cap.node.v1.NodeConfig --to binary node.bin > clean.bin`,
	}
}

func runValidate(e *env, args []string) int {
	fs := e.newFlags("validate")
	typ := fs.String("type", "", "full message type name (required; peat types lists them)")
	inf := addInputFlags(fs, "FILE")
	now := fs.String("now", "", "RFC 3339 time used as now for timestamp rules (default: the wall clock)")
	skew := fs.Uint64("skew", 300, "allowed future skew of timestamps, in seconds")
	lenientEnums := fs.Bool("allow-unknown-enums", false, "accept enum numbers that are not members (from a newer version)")
	pos, err := e.parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *typ == "" || len(pos) > 1 {
		return e.usageOf("validate")
	}
	r, err := inf.reader(e)
	if err != nil {
		return e.fail(err)
	}
	opts := &validationv1.ValidateOptions{AllowUnknownEnumValues: *lenientEnums}
	if *now != "" {
		t, err := time.Parse(time.RFC3339Nano, *now)
		if err != nil || t.Unix() < 0 {
			return e.usage("--now %q is not an RFC 3339 time after 1970 (e.g. 2025-11-06T12:00:00Z)", *now)
		}
		opts.Now = &commonv1.Timestamp{Seconds: uint64(t.Unix()), Nanos: uint32(t.Nanosecond())}
	}
	fs.Visit(func(fl *flag.Flag) {
		if fl.Name == "skew" {
			opts.MaxFutureSkewSeconds = skew
		}
	})
	mt, err := registry.Lookup(*typ)
	if err != nil {
		return e.fail(err)
	}
	in, f, err := r.readBytes(first(pos), mt)
	if err != nil {
		return e.fail(err)
	}
	ob, err := proto.Marshal(opts)
	if err != nil {
		return e.fail(status.Errorf(status.Internal, "encoding options: %v", err))
	}
	out, err := core.Validate(*typ, f, in, ob)
	if err != nil {
		return e.fail(annotate(first(pos), err))
	}
	rep := &validationv1.ValidationReport{}
	if err := proto.Unmarshal(out, rep); err != nil {
		return e.fail(status.Errorf(status.Internal, "reading report: %v", err))
	}
	for _, v := range rep.Violations {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", v.Code, v.Path, oneLine(v.Message))
	}
	if !rep.Valid {
		return 1
	}
	return 0
}

func runSanitize(e *env, args []string) int {
	m, code := e.readMessageArgs("sanitize", args)
	if m == nil {
		return code
	}
	out, err := core.Sanitize(m.typ, m.from, m.to, m.in)
	if err != nil {
		return e.fail(annotate(m.name, err))
	}
	res := &validationv1.SanitizeResult{}
	if err := proto.Unmarshal(out, res); err != nil {
		return e.fail(status.Errorf(status.Internal, "reading result: %v", err))
	}
	e.writeMessage(res.Message, m.to)
	for _, c := range res.Changes {
		fmt.Fprintf(e.stderr, "%s\t%s\t%s\n", c.Code, c.Path, oneLine(c.Message))
	}
	return 0
}

// oneLine keeps each report line on one line whatever a message holds.
func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(s)
}
