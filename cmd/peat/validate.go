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
}

func runValidate(e *env, args []string) int {
	fs := e.newFlags("validate")
	typ := fs.String("type", "", "full message type name")
	from := formatFlag(fs, "from", "binary")
	now := fs.String("now", "", "RFC 3339 time used as now (default: the wall clock)")
	skew := fs.Uint64("skew", 0, "allowed future skew in seconds (default 300)")
	lenient := fs.Bool("allow-unknown-enums", false, "accept enum numbers that are not members")
	pos, err := parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *typ == "" || len(pos) > 1 {
		return e.usage("usage: peat validate --type T --from binary|json|rust-json [--now RFC3339] [--skew S] [--allow-unknown-enums] [FILE]")
	}
	f, err := from()
	if err != nil {
		return e.fail(err)
	}
	opts := &validationv1.ValidateOptions{AllowUnknownEnumValues: *lenient}
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
	limit, what := inputLimit(mt, f)
	in, err := e.readInput(first(pos), limit, what)
	if err != nil {
		return e.fail(err)
	}
	ob, err := proto.Marshal(opts)
	if err != nil {
		return e.fail(status.Errorf(status.Internal, "encoding options: %v", err))
	}
	out, err := core.Validate(*typ, f, in, ob)
	if err != nil {
		return e.fail(err)
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
	m, code := e.readMessageArgs("sanitize", "binary", args)
	if m == nil {
		return code
	}
	out, err := core.Sanitize(m.typ, m.from, m.to, m.in)
	if err != nil {
		return e.fail(err)
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
