package validate

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// StringKind says what a string field holds; it selects the length limit and
// which control characters are allowed (ICD §9.1, §9.2).
type StringKind uint8

const (
	// KindAuto lets the validator derive the kind from the field (the default).
	KindAuto StringKind = iota
	// KindID is an identifier: fields named id, *_id, *_ids, and id lists
	// such as members and cells. No control characters; 128 bytes.
	KindID
	// KindName is a short label: name, platform_type, mos. No control
	// characters; 256 bytes.
	KindName
	// KindText is free text (descriptions, reasons, error messages). Tab, line
	// feed and carriage return allowed; 4096 bytes.
	KindText
	// KindJSON is JSON text (*_json fields): like KindText, 16384 bytes, and
	// it must parse as JSON when not empty.
	KindJSON
	// KindMetadataKey is a key of a map<string, string>: no control
	// characters, not empty; 128 bytes.
	KindMetadataKey
	// KindMetadataValue is a value of a map<string, string>: like KindText,
	// 1024 bytes.
	KindMetadataValue
	// KindPath is a location on the node's file system: an absolute POSIX
	// path in normal form (paths.go: INVALID_PATH, PATH_NOT_ALLOWED); no
	// control characters; 4096 bytes.
	KindPath
)

// MaxLen returns the length limit of k in bytes of UTF-8.
func (k StringKind) MaxLen() int {
	switch k {
	case KindID, KindMetadataKey:
		return 128
	case KindName:
		return 256
	case KindJSON:
		return 16384
	case KindMetadataValue:
		return 1024
	default:
		return 4096
	}
}

// String returns the documented name of k.
func (k StringKind) String() string {
	switch k {
	case KindID:
		return "identifier"
	case KindName:
		return "name"
	case KindText:
		return "text"
	case KindJSON:
		return "JSON text"
	case KindMetadataKey:
		return "metadata key"
	case KindMetadataValue:
		return "metadata value"
	case KindPath:
		return "path"
	}
	return "auto"
}

// AllowsLineBreaks reports whether tab, LF and CR are allowed in strings of k.
func (k StringKind) AllowsLineBreaks() bool {
	return k == KindText || k == KindJSON || k == KindMetadataValue
}

// IsControl reports whether r is a control character (Unicode category Cc:
// U+0000–U+001F, U+007F–U+009F).
func IsControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

// Disallowed reports whether r may not appear in a string of kind k.
func (k StringKind) Disallowed(r rune) bool {
	if !IsControl(r) {
		return false
	}
	return !(k.AllowsLineBreaks() && (r == '\t' || r == '\n' || r == '\r'))
}

// kindOf derives the kind of a singular or repeated string field from its name.
func kindOf(fd protoreflect.FieldDescriptor) StringKind {
	name := string(fd.Name())
	switch {
	case name == "id" || strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "_ids"):
		return KindID
	case name == "name" || strings.HasSuffix(name, "_name") || name == "platform_type" ||
		strings.HasSuffix(name, "mos") || name == "calculation_method":
		return KindName
	case strings.HasSuffix(name, "_json"):
		return KindJSON
	}
	return KindText
}

// isStringMap reports whether fd is a map<string, string>, which the validator
// and the sanitiser treat as metadata (keys and values normalised).
func isStringMap(fd protoreflect.FieldDescriptor) bool {
	return fd.IsMap() && fd.MapKey().Kind() == protoreflect.StringKind && fd.MapValue().Kind() == protoreflect.StringKind
}

// checkString reports control characters, invalid UTF-8, over-long strings and
// malformed JSON text. It does not check emptiness.
func checkString(r *Reporter, rel string, kind StringKind, s string) {
	if len(s) > kind.MaxLen() {
		r.Add(StringTooLong, rel, "%s is %d bytes, over the %d-byte limit", kind, len(s), kind.MaxLen())
	}
	bad := false
	for i, c := range s {
		if c == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				r.Add(InvalidString, rel, "%s: invalid UTF-8 at byte %d", kind, i)
				return
			}
		}
		if kind.Disallowed(c) {
			r.Add(InvalidString, rel, "%s: control character %s at byte %d", kind, runeName(c), i)
			bad = true
			break
		}
	}
	if !bad && kind == KindJSON && s != "" && !validJSON(s) {
		r.Add(InvalidString, rel, "%s: not valid JSON", kind)
	}
	if kind == KindPath {
		r.checkPath(rel, s)
	}
}

func runeName(c rune) string { return fmt.Sprintf("U+%04X", c) }
