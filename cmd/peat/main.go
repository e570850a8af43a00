// Command peat is the operators' and tests' command-line client of libpeat's
// core. It is a thin layer over package core: every subcommand reads its
// input, calls one core operation and prints the result.
//
// Exit codes: 0 success; 1 a negative answer (invalid message, node not
// targeted); 2 the input could not be read at all, the type is unknown, or the
// usage is wrong — with one line on stderr that names the error code.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/status"
)

// command is one subcommand. Each area registers its own from its file's init.
type command struct {
	summary string
	run     func(env *env, args []string) int
}

var commands = map[string]command{}

func register(name, summary string, run func(env *env, args []string) int) {
	commands[name] = command{summary: summary, run: run}
}

// env carries the process streams so tests can run subcommands in-process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// fail prints the one-line error report and returns exit code 2 (or 0 after
// help was asked for and printed).
func (e *env) fail(err error) int {
	if errors.Is(err, errHelpShown) {
		return 0
	}
	se := status.From(err)
	msg := strings.ReplaceAll(se.Message, "\n", " ")
	if se.Path != "" {
		msg += " (at " + se.Path + ")"
	}
	fmt.Fprintf(e.stderr, "peat: %s: %s\n", se.Code, msg)
	return 2
}

// usage reports bad usage as an INVALID_ARGUMENT error (exit 2).
func (e *env) usage(format string, args ...any) int {
	return e.fail(status.Errorf(status.InvalidArgument, format, args...))
}

// usageOf reports bad usage of a command with its synopsis and where its
// help is.
func (e *env) usageOf(name string) int {
	return e.usage("usage: peat %s (see peat %s --help)", helpDocs[name].usage, name)
}

// open returns the named file, or stdin when name is "" or "-", with the
// name to show in messages.
func (e *env) open(name string) (io.Reader, string, func(), error) {
	if name == "" || name == "-" {
		return e.stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, "", nil, status.Errorf(status.InvalidArgument, "cannot read %s: %v", name, errors.Unwrap(err))
	}
	return f, name, func() { f.Close() }, nil
}

// readInput reads the named file, or stdin when name is "" or "-", reading
// at most limit+1 bytes: input over limit is refused (MESSAGE_TOO_LARGE)
// without being read any further. what names the limit in the message.
func (e *env) readInput(name string, limit int, what string) ([]byte, error) {
	r, shown, done, err := e.open(name)
	if err != nil {
		return nil, err
	}
	defer done()
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, status.Errorf(status.InvalidArgument, "cannot read %s: %v", shown, err)
	}
	if len(b) > limit {
		return nil, status.Errorf(status.TooLarge, "%s is over the %d-byte limit of %s (stopped reading there)", shown, limit, what)
	}
	return b, nil
}

// readDetected reads one message of type mt whose format is to be detected:
// up to the binary limit + 1 bytes, and on up to the JSON limit + 1 only
// when the input starts like JSON (with '{').
func (e *env) readDetected(name string, mt protoreflect.MessageType) ([]byte, error) {
	full := mt.Descriptor().FullName()
	bin, js := registry.Limit(full), registry.Limit(full)*registry.JSONFactor
	r, shown, done, err := e.open(name)
	if err != nil {
		return nil, err
	}
	defer done()
	lr := io.LimitReader(r, int64(js)+1)
	b, err := io.ReadAll(io.LimitReader(lr, int64(bin)+1))
	if err == nil && len(b) > bin {
		if t := bytes.TrimLeft(b, " \t\r\n"); len(t) == 0 || t[0] != '{' {
			return nil, status.Errorf(status.TooLarge, "%s is over the %d-byte limit of %s as binary (it does not start with '{', so it is not JSON; stopped reading there)", shown, bin, full)
		}
		var rest []byte
		rest, err = io.ReadAll(lr)
		b = append(b, rest...)
	}
	if err != nil {
		return nil, status.Errorf(status.InvalidArgument, "cannot read %s: %v", shown, err)
	}
	if len(b) > js {
		return nil, status.Errorf(status.TooLarge, "%s is over the %d-byte limit of %s as json (stopped reading there)", shown, js, full)
	}
	return b, nil
}

// inputLimit is what the CLI reads of one message of type mt in format f:
// the type's limit, times registry.JSONFactor for the text formats (the
// limit that decoding then applies, ICD §3.3).
func inputLimit(mt protoreflect.MessageType, f codec.Format) (int, string) {
	full := mt.Descriptor().FullName()
	if f.IsText() {
		return registry.Limit(full) * registry.JSONFactor, fmt.Sprintf("%s as %s", full, f)
	}
	return registry.Limit(full), fmt.Sprintf("%s as %s", full, f)
}

// newFlags makes a flag set that reports errors instead of exiting.
func (e *env) newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("peat "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses flags allowing them after positional arguments too
// ("peat merge a.bin b.bin --type T"). -h, -help and --help print the
// command's help on stdout and return errHelpShown (exit 0 through fail).
func (e *env) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printCommandHelp(e.stdout, strings.TrimPrefix(fs.Name(), "peat "), fs)
				return nil, errHelpShown
			}
			return nil, status.Errorf(status.InvalidArgument, "%v (see %s --help)", err, fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func run(e *env, args []string) int {
	if len(args) == 0 {
		printHelp(e.stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printHelp(e.stdout)
		return 0
	case "help":
		return runHelp(e, args[1:])
	}
	c, ok := commands[args[0]]
	if !ok {
		return e.usage("unknown command %q (see peat help)", args[0])
	}
	return c.run(e, args[1:])
}

func main() {
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}
