package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/directive"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

func init() {
	register("directive", "deployment directives: target, summarize, advance, sign, verify (peat directive help)", runDirective)
}

const directiveUsage = `usage:
  peat directive target --directive FILE --node-config FILE [--node-state FILE] [--resources FILE] [--from FORMAT]
      prints "targeted" (exit 0) or "not targeted: <reason>" (exit 1)
  peat directive summarize --directive FILE --status FILE... [--board FILE...] [--node ID...] [--now RFC3339] [--from FORMAT]
      prints the rollout summary as JSON; targets are the --node ids, or every node that reported
  peat directive advance --status FILE --state STATE [--progress N] [--error MSG] [--instance ID] [--at RFC3339] [--from FORMAT] [--to FORMAT]
      prints the new status (rust-json unless --to says otherwise)
  peat directive sign --key PRIVATE.pem [--from FORMAT] [--add] [FILE]
      writes the binary SignedDirective to stdout (--add: FILE is an envelope to add a signature to)
  peat directive verify --trust PUBLIC.pem... [--now RFC3339] [--max-age SECONDS] [--threshold N] [FILE]
      prints "verified by <key id>" (exit 0) or "not verified: <code>: <reason>" (exit 1)
input formats are detected (binary, proto3 json or rust-json) unless --from gives one`

// now is the CLI's clock (tests replace it).
var now = time.Now

func runDirective(e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stdout, directiveUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "target":
		return runTarget(e, args[1:])
	case "summarize":
		return runSummarize(e, args[1:])
	case "advance":
		return runAdvance(e, args[1:])
	case "sign":
		return runSign(e, args[1:])
	case "verify":
		return runVerify(e, args[1:])
	}
	return e.usage("unknown directive command %q (want target, summarize, advance, sign or verify)", args[0])
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error {
	*m = append(*m, v)
	return nil
}

// reader decodes input files in a given or detected format.
type reader struct {
	e    *env
	from string
}

// read decodes the file name into msg. Without --from, input whose first
// non-blank byte is '{' is read as JSON (rust-json first for directive types,
// proto3 JSON first otherwise), anything else as binary.
func (r reader) read(name string, msg proto.Message) error {
	f := codec.JSON // the format is detected: read up to the (larger) JSON limit
	if r.from != "" {
		var err error
		if f, err = codec.ParseFormat(r.from); err != nil {
			return err
		}
	}
	limit, what := inputLimit(msg.ProtoReflect().Type(), f)
	if r.from == "" {
		what = string(msg.ProtoReflect().Descriptor().FullName()) + " as json (the largest limit of the formats it may be in)"
	}
	in, err := r.e.readInput(name, limit, what)
	if err != nil {
		return err
	}
	if r.from != "" {
		return annotate(name, codec.DecodeInto(msg, f, in))
	}
	trimmed := bytes.TrimLeft(in, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return annotate(name, codec.DecodeInto(msg, codec.Binary, in))
	}
	order := []codec.Format{codec.JSON, codec.RustJSON}
	if strings.HasPrefix(string(msg.ProtoReflect().Descriptor().FullName()), "peat.directive.v1.") {
		order = []codec.Format{codec.RustJSON, codec.JSON}
	}
	var first error
	for _, f := range append(order, codec.Binary) {
		proto.Reset(msg)
		err := codec.DecodeInto(msg, f, in)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	return annotate(name, first)
}

// annotate names the file in an error message.
func annotate(name string, err error) error {
	if err == nil {
		return nil
	}
	if name == "" {
		name = "stdin"
	}
	e := *status.From(err)
	e.Message = name + ": " + e.Message
	return &e
}

func parseTime(flagName, v string) (*commonv1.Timestamp, error) {
	ts, err := directive.ParseTime(v)
	if err != nil {
		return nil, status.Errorf(status.InvalidArgument, "--%s: %v", flagName, err)
	}
	return ts, nil
}

func wallClock() *commonv1.Timestamp {
	t := now()
	return &commonv1.Timestamp{Seconds: uint64(t.Unix()), Nanos: uint32(t.Nanosecond())}
}

func runTarget(e *env, args []string) int {
	fs := e.newFlags("directive target")
	dir := fs.String("directive", "", "DeploymentDirective file")
	cfg := fs.String("node-config", "", "cap.node.v1.NodeConfig file")
	state := fs.String("node-state", "", "cap.node.v1.NodeState file (needed by formation scopes)")
	res := fs.String("resources", "", "peat.directive.v1.NodeResources file (needed by min_* and custom filters)")
	from := fs.String("from", "", "input format: binary, json or rust-json (default: detected)")
	pos, err := parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *dir == "" || *cfg == "" || len(pos) > 0 {
		return e.usage("usage: peat directive target --directive FILE --node-config FILE [--node-state FILE] [--resources FILE]")
	}
	r := reader{e: e, from: *from}
	req := &pb.TargetRequest{Directive: &pb.DeploymentDirective{}, NodeConfig: &nodev1.NodeConfig{}}
	if err := r.read(*dir, req.Directive); err != nil {
		return e.fail(err)
	}
	if err := r.read(*cfg, req.NodeConfig); err != nil {
		return e.fail(err)
	}
	if *state != "" {
		req.NodeState = &nodev1.NodeState{}
		if err := r.read(*state, req.NodeState); err != nil {
			return e.fail(err)
		}
	}
	if *res != "" {
		req.Resources = &pb.NodeResources{}
		if err := r.read(*res, req.Resources); err != nil {
			return e.fail(err)
		}
	}
	in, err := codec.Encode(req, codec.Binary)
	if err != nil {
		return e.fail(err)
	}
	out, err := core.DirectiveTarget(in)
	if err != nil {
		return e.fail(err)
	}
	d := &pb.TargetDecision{}
	if err := proto.Unmarshal(out, d); err != nil {
		return e.fail(status.Errorf(status.Internal, "decoding the decision: %v", err))
	}
	if d.GetTargeted() {
		fmt.Fprintln(e.stdout, "targeted")
		return 0
	}
	fmt.Fprintf(e.stdout, "not targeted: %s\n", d.GetReason())
	return 1
}

func runSummarize(e *env, args []string) int {
	fs := e.newFlags("directive summarize")
	dir := fs.String("directive", "", "DeploymentDirective file")
	var statuses, boards, nodes multi
	fs.Var(&statuses, "status", "DeploymentStatus file (repeatable)")
	fs.Var(&boards, "board", "StatusBoard file (repeatable)")
	fs.Var(&nodes, "node", "targeted node id (repeatable, or comma-separated)")
	nowFlag := fs.String("now", "", "RFC 3339 time to evaluate timeouts at (default: the wall clock)")
	from := fs.String("from", "", "input format: binary, json or rust-json (default: detected)")
	pos, err := parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	statuses = append(statuses, pos...)
	if *dir == "" {
		return e.usage("usage: peat directive summarize --directive FILE --status FILE... [--board FILE...] [--node ID...] [--now RFC3339]")
	}
	r := reader{e: e, from: *from}
	req := &pb.SummarizeRequest{Directive: &pb.DeploymentDirective{}, Now: wallClock()}
	if *nowFlag != "" {
		if req.Now, err = parseTime("now", *nowFlag); err != nil {
			return e.fail(err)
		}
	}
	if err := r.read(*dir, req.Directive); err != nil {
		return e.fail(err)
	}
	for _, name := range statuses {
		s := &pb.DeploymentStatus{}
		if err := r.read(name, s); err != nil {
			return e.fail(err)
		}
		req.Statuses = append(req.Statuses, s)
	}
	for _, name := range boards {
		b := &pb.StatusBoard{}
		if err := r.read(name, b); err != nil {
			return e.fail(err)
		}
		req.Statuses = append(req.Statuses, b.GetStatuses()...)
	}
	for _, n := range nodes {
		for _, id := range strings.Split(n, ",") {
			if id = strings.TrimSpace(id); id != "" {
				req.TargetedNodeIds = append(req.TargetedNodeIds, id)
			}
		}
	}
	in, err := codec.Encode(req, codec.Binary)
	if err != nil {
		return e.fail(err)
	}
	out, err := core.DirectiveSummarize(in)
	if err != nil {
		return e.fail(err)
	}
	sum := &pb.RolloutSummary{}
	if err := proto.Unmarshal(out, sum); err != nil {
		return e.fail(status.Errorf(status.Internal, "decoding the summary: %v", err))
	}
	// Every count is shown, zeros included, so the output reads as a table.
	js, err := protojson.MarshalOptions{EmitUnpopulated: true, UseProtoNames: true}.Marshal(sum)
	if err != nil {
		return e.fail(status.Errorf(status.Encode, "%v", err))
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, js, "", "  "); err != nil {
		return e.fail(status.Errorf(status.Internal, "%v", err))
	}
	pretty.WriteByte('\n')
	e.stdout.Write(pretty.Bytes())
	return 0
}

func runAdvance(e *env, args []string) int {
	fs := e.newFlags("directive advance")
	file := fs.String("status", "", "current DeploymentStatus file")
	state := fs.String("state", "", "target state: pending, downloading, activating, active, failed, rolled_back")
	progress := fs.String("progress", "", "download progress 0..100 (a downloading status keeps at most 99)")
	errMsg := fs.String("error", "", "error message (failed, rolled_back)")
	instance := fs.String("instance", "", "instance id (active)")
	at := fs.String("at", "", "RFC 3339 time of the report (default: the wall clock)")
	from := fs.String("from", "", "input format: binary, json or rust-json (default: detected)")
	to := formatFlag(fs, "to", "rust-json")
	pos, err := parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *file == "" || *state == "" || len(pos) > 0 {
		return e.usage("usage: peat directive advance --status FILE --state STATE [--progress N] [--error MSG] [--instance ID] [--at RFC3339]")
	}
	t, err := to()
	if err != nil {
		return e.fail(err)
	}
	tr := &pb.Transition{ReportedAt: wallClock()}
	if tr.State, err = stateFlag(*state); err != nil {
		return e.fail(err)
	}
	if *at != "" {
		if tr.ReportedAt, err = parseTime("at", *at); err != nil {
			return e.fail(err)
		}
	}
	if *progress != "" {
		p, perr := strconv.ParseUint(*progress, 10, 32)
		if perr != nil {
			return e.usage("--progress: %q is not a number", *progress)
		}
		tr.ProgressPercent = proto.Uint32(uint32(p))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["error"] {
		tr.ErrorMessage = proto.String(*errMsg)
	}
	if set["instance"] {
		tr.InstanceId = proto.String(*instance)
	}
	cur := &pb.DeploymentStatus{}
	if err := (reader{e: e, from: *from}).read(*file, cur); err != nil {
		return e.fail(err)
	}
	in, err := codec.Encode(&pb.AdvanceRequest{Current: cur, Transition: tr}, codec.Binary)
	if err != nil {
		return e.fail(err)
	}
	out, err := core.DirectiveAdvance(in)
	if err != nil {
		return e.fail(err)
	}
	res, err := core.Convert("peat.directive.v1.DeploymentStatus", codec.Binary, t, out)
	if err != nil {
		return e.fail(err)
	}
	e.stdout.Write(res)
	if t.IsText() {
		fmt.Fprintln(e.stdout)
	}
	return 0
}

// stateFlag reads a state in the reference's spelling ("rolled_back").
func stateFlag(v string) (pb.DeploymentState, error) {
	for _, st := range []pb.DeploymentState{directive.Pending, directive.Downloading, directive.Activating,
		directive.Active, directive.Failed, directive.RolledBack} {
		if directive.StateName(st) == v {
			return st, nil
		}
	}
	return 0, status.Errorf(status.InvalidArgument, "--state %q is not one of pending, downloading, activating, active, failed, rolled_back", v)
}
