package validate

// Node paths (ICD §9.2: "sanitize file paths against directory traversal").
//
// A field of kind KindPath names a location on the node's file system where
// the node will write (config_package.target_path is the only one in the
// directive schema; docs/VALIDATION.md § Paths has the audit). Such a path
// must be an absolute POSIX path written in normal form, so that what the
// validator checks is exactly what the node's file system will resolve:
//
//   - it starts with "/" (a relative path would depend on the agent's
//     working directory);
//   - it has no "." or ".." segment and no empty segment ("//", a trailing
//     "/"), so there is nothing left for a normaliser to resolve: "a/./../../b"
//     and "/srv/app/../../etc" are refused, not silently rewritten;
//   - it has no backslash (a separator on Windows and in some archive
//     extractors, which would make "..\\..\\etc" a traversal) and no NUL or
//     other control character (C0, DEL, C1: a NUL truncates the path in C);
//   - it is valid UTF-8, at most 4096 bytes, each segment at most 255 bytes.
//
// The root "/" itself is in normal form. A violation is INVALID_PATH at the
// field. With ValidateOptions.allowed_path_roots, a well-formed path must
// also equal one of the roots or lie below one (segment-wise: "/opt/peat"
// allows "/opt/peat/x" but not "/opt/peatx"); otherwise PATH_NOT_ALLOWED.
//
// NormalizePath is the sanitiser's side: it rewrites only what it can make
// safe without changing meaning (empty and "." segments, a trailing "/");
// a path with "..", a backslash or that is not absolute is left as it is,
// since any rewrite would pick a location the sender did not name.

import (
	"strings"
	"unicode/utf8"
)

// Path limits: PATH_MAX and NAME_MAX of Linux.
const (
	MaxPathLen    = 4096
	MaxSegmentLen = 255
)

// PathProblem returns why p is not an absolute node path in normal form, or
// "" when it is.
func PathProblem(p string) string {
	if p == "" {
		return "a path must not be empty"
	}
	if !utf8.ValidString(p) {
		return "a path must be valid UTF-8"
	}
	if len(p) > MaxPathLen {
		return "a path must be at most 4096 bytes"
	}
	for i, c := range p {
		if IsControl(c) {
			return "control character " + runeName(c) + " at byte " + itoa(i)
		}
		if c == '\\' {
			return "backslash at byte " + itoa(i) + " (use \"/\"; a backslash is a separator for some extractors)"
		}
	}
	if p[0] != '/' {
		return "a path must be absolute (start with \"/\")"
	}
	if p == "/" {
		return ""
	}
	for _, seg := range strings.Split(p[1:], "/") {
		switch seg {
		case "..":
			return "a \"..\" segment (directory traversal)"
		case ".":
			return "a \".\" segment (not in normal form)"
		case "":
			return "an empty segment (\"//\" or a trailing \"/\"; not in normal form)"
		}
		if len(seg) > MaxSegmentLen {
			return "a segment longer than 255 bytes"
		}
	}
	return ""
}

// NormalizePath returns the normal form of p when it can be reached without
// changing which location p names: "." segments, empty segments and a
// trailing "/" are removed. ok is false (and p returned unchanged) when p is
// not absolute or has a ".." segment or a backslash.
func NormalizePath(p string) (normal string, ok bool) {
	if p == "" || p[0] != '/' || strings.ContainsRune(p, '\\') {
		return p, false
	}
	segs := strings.Split(p[1:], "/")
	kept := segs[:0]
	for _, s := range segs {
		switch s {
		case "..":
			return p, false
		case ".", "":
			continue
		}
		kept = append(kept, s)
	}
	return "/" + strings.Join(kept, "/"), true
}

// PathUnder reports whether the normal-form path p equals root or lies below
// it, segment-wise. Both must be in normal form.
func PathUnder(p, root string) bool {
	if root == "/" {
		return strings.HasPrefix(p, "/")
	}
	return p == root || strings.HasPrefix(p, root+"/")
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// checkPath reports INVALID_PATH or PATH_NOT_ALLOWED for a KindPath value.
func (r *Reporter) checkPath(rel, p string) {
	if p == "" { // emptiness is REQUIRED_FIELD's business
		return
	}
	if why := PathProblem(p); why != "" {
		r.Add(InvalidPath, rel, "%q is not an absolute path in normal form: %s", clipPath(p), why)
		return
	}
	if len(r.roots) == 0 {
		return
	}
	for _, root := range r.roots {
		if PathUnder(p, root) {
			return
		}
	}
	r.Add(PathNotAllowed, rel, "%q is not under an allowed root (%s)", clipPath(p), strings.Join(r.roots, ", "))
}

func clipPath(p string) string {
	if len(p) > 64 {
		p = p[:64] + "..."
	}
	return strings.ToValidUTF8(p, "\uFFFD")
}
