// Command peat is the operators' and tests' command-line client of libpeat's
// core. It is a thin layer over package core: every subcommand reads its
// input, calls one core operation and prints the result.
//
// Exit codes: 0 success; 1 a negative answer (invalid message, node not
// targeted); 2 the input could not be read at all, the type is unknown, or the
// usage is wrong — with one line on stderr that names the error code.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

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

// fail prints the one-line error report and returns exit code 2.
func (e *env) fail(err error) int {
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

// readInput reads the named file, or stdin when name is "" or "-".
func (e *env) readInput(name string) ([]byte, error) {
	if name == "" || name == "-" {
		b, err := io.ReadAll(io.LimitReader(e.stdin, maxInput+1))
		if err != nil {
			return nil, status.Errorf(status.InvalidArgument, "reading stdin: %v", err)
		}
		if len(b) > maxInput {
			return nil, status.Errorf(status.TooLarge, "stdin is over %d bytes", maxInput)
		}
		return b, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, status.Errorf(status.InvalidArgument, "cannot read %s: %v", name, errors.Unwrap(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err != nil {
		return nil, status.Errorf(status.InvalidArgument, "cannot read %s: %v", name, err)
	}
	if len(b) > maxInput {
		return nil, status.Errorf(status.TooLarge, "%s is over %d bytes", name, maxInput)
	}
	return b, nil
}

// maxInput bounds what the CLI reads from one file (type limits are checked later).
const maxInput = 256 << 20

// newFlags makes a flag set that reports errors instead of exiting.
func (e *env) newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("peat "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses flags allowing them after positional arguments too
// ("peat merge a.bin b.bin --type T").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, status.Errorf(status.InvalidArgument, "%v", err)
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
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printHelp(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		return e.usage("unknown command %q (see peat help)", args[0])
	}
	return c.run(e, args[1:])
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "usage: peat COMMAND [flags] [FILE...]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nexit codes: 0 ok, 1 negative answer (invalid / not targeted), 2 error (code on stderr)")
}

func main() {
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}
