package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

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

// now is the CLI's clock (tests replace it).
var now = time.Now

var directiveCommands = []string{"target", "summarize", "advance", "sign", "verify"}

func runDirective(e *env, args []string) int {
	if len(args) == 0 {
		printGroupHelp(e.stderr, "directive", directiveCommands)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printGroupHelp(e.stdout, "directive", directiveCommands)
		return 0
	case "help":
		if len(args) == 1 {
			printGroupHelp(e.stdout, "directive", directiveCommands)
			return 0
		}
		return runDirective(e, []string{args[1], "--help"})
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
	inf := addInputFlags(fs, "every input file")
	pos, err := e.parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *dir == "" || *cfg == "" || len(pos) > 0 {
		return e.usageOf("directive target")
	}
	r, err := inf.reader(e)
	if err != nil {
		return e.fail(err)
	}
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
	inf := addInputFlags(fs, "every input file")
	toS := fs.String("to", "text", "output: text (a table for people, times in RFC 3339), json (proto3 JSON of peat.directive.v1.RolloutSummary) or binary")
	pos, err := e.parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	statuses = append(statuses, pos...)
	if *dir == "" {
		return e.usageOf("directive summarize")
	}
	r, err := inf.reader(e)
	if err != nil {
		return e.fail(err)
	}
	var to codec.Format // 0: text
	if *toS != "text" {
		if to, err = codec.ParseFormat(*toS); err != nil || to == codec.RustJSON {
			return e.usage("--to %q: want text, json or binary (the reference has no JSON form of a rollout summary)", *toS)
		}
	}
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
	if to != 0 {
		b, err := codec.Encode(sum, to)
		if err != nil {
			return e.fail(err)
		}
		e.writeMessage(b, to)
		return 0
	}
	writeSummary(e.stdout, sum)
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
	inf := addInputFlags(fs, "the --status file")
	toS := fs.String("to", "", "output format: binary, json or rust-json (default: the --status file's format, so the output can be advanced again)")
	pos, err := e.parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *file == "" || *state == "" || len(pos) > 0 {
		return e.usageOf("directive advance")
	}
	r, err := inf.reader(e)
	if err != nil {
		return e.fail(err)
	}
	var t codec.Format
	if *toS != "" {
		if t, err = codec.ParseFormat(*toS); err != nil {
			return e.fail(err)
		}
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
	curIn, curF, err := r.readBytes(*file, (&pb.DeploymentStatus{}).ProtoReflect().Type())
	if err != nil {
		return e.fail(err)
	}
	cur := &pb.DeploymentStatus{}
	if err := codec.DecodeInto(cur, curF, curIn); err != nil {
		return e.fail(annotate(*file, err))
	}
	if t == 0 {
		t = curF.Base()
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
