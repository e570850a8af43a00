package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// helpDoc is the help of one command or subcommand ("validate",
// "directive target"): printed by --help, -h and peat help COMMAND, with its
// flags (and their defaults) taken from the command's own flag set, so the
// two cannot drift.
type helpDoc struct {
	about   string // one paragraph
	usage   string // the synopsis, without "peat "
	example string // one or more command lines, with a comment each
	exits   string // what 0, 1 and 2 mean for this command
}

var helpDocs = map[string]helpDoc{}

// placeholders name the value of a flag in help (flag's own are "string", "uint").
var placeholders = map[string]string{
	"type": "T", "from": "FORMAT", "to": "FORMAT", "now": "RFC3339", "at": "RFC3339",
	"skew": "SECONDS", "max-age": "SECONDS", "threshold": "N", "progress": "N",
	"directive": "FILE", "node-config": "FILE", "node-state": "FILE", "resources": "FILE",
	"status": "FILE", "board": "FILE", "node": "ID", "state": "STATE", "error": "MSG",
	"instance": "ID", "key": "PRIVATE.pem", "trust": "PUBLIC.pem", "private": "FILE", "public": "FILE",
}

// exitsAnswer and exitsPlain are the two usual exit code texts.
const (
	exitsPlain = `  0  done
  2  error: one line "peat: CODE: message (at path)" on stderr`
	exitsAnswer = `  0  yes (valid, targeted, verified)
  1  no: the answer is on stdout
  2  error: one line "peat: CODE: message (at path)" on stderr`
)

// errHelpShown is returned by parse after printing help: the command
// returns exit code 0 through env.fail.
var errHelpShown = errors.New("help shown")

// printCommandHelp writes the help of a command: about, usage, every flag
// with its default, example and exit codes.
func printCommandHelp(w io.Writer, name string, fs *flag.FlagSet) {
	d := helpDocs[name]
	fmt.Fprintf(w, "%s\n\nUsage:\n  peat %s\n", d.about, d.usage)
	if fs != nil {
		var lines [][2]string
		fs.VisitAll(func(f *flag.Flag) {
			arg, text := flag.UnquoteUsage(f)
			if p, ok := placeholders[f.Name]; ok {
				arg = p
			}
			left := "--" + f.Name
			if arg != "" {
				left += " " + strings.ToUpper(arg)
			}
			if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool {
				left = "--" + f.Name
			}
			if f.DefValue != "" && !strings.Contains(text, "(default") {
				text += " (default " + f.DefValue + ")"
			}
			lines = append(lines, [2]string{left, text})
		})
		if len(lines) > 0 {
			fmt.Fprintln(w, "\nFlags:")
			width := 0
			for _, l := range lines {
				width = max(width, len(l[0]))
			}
			for _, l := range lines {
				fmt.Fprintf(w, "  %-*s  %s\n", width, l[0], l[1])
			}
		}
	}
	if d.example != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", d.example)
	}
	exits := d.exits
	if exits == "" {
		exits = exitsPlain
	}
	fmt.Fprintf(w, "\nExit codes:\n%s\n", exits)
}

// printGroupHelp writes the help of a command with subcommands (directive,
// key, artifact): its subcommands and where their help is.
func printGroupHelp(w io.Writer, group string, subs []string) {
	fmt.Fprintf(w, "%s\n\nUsage:\n  peat %s COMMAND [flags]\n\nCommands:\n", helpDocs[group].about, group)
	for _, s := range subs {
		fmt.Fprintf(w, "  %-10s %s\n", s, firstSentence(helpDocs[group+" "+s].about))
	}
	fmt.Fprintf(w, "\nRun \"peat %s COMMAND --help\" (or \"peat help %s COMMAND\") for a command's flags, examples and exit codes.\n", group, group)
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i]
	}
	return strings.TrimSuffix(s, ".")
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "peat: validate, convert, merge and target Peat (CAP) messages with libpeat's core.")
	fmt.Fprintln(w, "\nUsage:\n  peat COMMAND [flags] [FILE...]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, `
Input: FILE is a path, or - (or nothing) for stdin. --from is optional: each
file's format is detected (binary, proto3 JSON or the Rust reference's JSON),
and a file that decodes in no format is reported with every format tried.
JSON is read strictly (an unknown key is an error, with its path) unless
--lenient is given.

Exit codes: 0 ok, 1 a negative answer (invalid, not targeted, not verified),
2 an error (one line "peat: CODE: message" on stderr).

Run "peat COMMAND --help" or "peat help COMMAND" for a command's flags,
defaults, examples and exit codes.`)
}

// runHelp is "peat help [COMMAND [SUBCOMMAND]]".
func runHelp(e *env, args []string) int {
	if len(args) == 0 {
		printHelp(e.stdout)
		return 0
	}
	if _, ok := commands[args[0]]; !ok || args[0] == "help" {
		return e.usage("unknown command %q (see peat help)", args[0])
	}
	return run(e, append(append([]string{}, args...), "--help"))
}
