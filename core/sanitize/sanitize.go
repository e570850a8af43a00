// Package sanitize implements ICD §9.2: it returns a copy of a message with
// control characters stripped from strings and metadata (map<string, string>)
// keys and values normalised, and lists every change it made. The characters
// removed are exactly those the validator rejects (INVALID_STRING), so a
// sanitised message never fails that rule for control characters.
package sanitize

import (
	"sort"
	"strconv"
	"strings"
	"unicode"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/merge"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"
	"github.com/peat-protocol/libpeat/core/validate"
)

// Change codes (SanitizeChange.code). Stable; documented in docs/VALIDATION.md.
const (
	InvalidUTF8Replaced  = "INVALID_UTF8_REPLACED"  // invalid UTF-8 became U+FFFD (binary input)
	ControlCharsRemoved  = "CONTROL_CHARS_REMOVED"  // control characters deleted
	WhitespaceTrimmed    = "WHITESPACE_TRIMMED"     // metadata key or value trimmed
	MetadataEntryDropped = "METADATA_ENTRY_DROPPED" // empty or colliding metadata key removed
	PathNormalized       = "PATH_NORMALIZED"        // a node path rewritten into normal form (validate/paths.go)
)

// maxDepth bounds recursion for messages built in Go (decoded input is
// already limited to 64 levels).
const maxDepth = 100

// Message returns a sanitised deep copy of msg and the changes made, sorted.
// msg is not modified.
func Message(msg proto.Message) (proto.Message, []*validationv1.SanitizeChange) {
	out := merge.Clone(msg) // keeps -0.0, as convert and merge do
	s := &sanitizer{}
	s.message(out.ProtoReflect(), "", 0)
	return out, Sort(s.changes)
}

// Sort orders changes by path, then code (byte-wise).
func Sort(cs []*validationv1.SanitizeChange) []*validationv1.SanitizeChange {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Path != cs[j].Path {
			return cs[i].Path < cs[j].Path
		}
		return cs[i].Code < cs[j].Code
	})
	return cs
}

type sanitizer struct {
	changes []*validationv1.SanitizeChange
}

func (s *sanitizer) add(path, code, msg string) {
	s.changes = append(s.changes, &validationv1.SanitizeChange{Path: path, Code: code, Message: msg})
}

func (s *sanitizer) message(m protoreflect.Message, base string, depth int) {
	if depth > maxDepth {
		return
	}
	fds := m.Descriptor().Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if !m.Has(fd) {
			continue
		}
		at := validate.Join(base, string(fd.Name()))
		kind, keyKind := validate.KindsOf(fd)
		switch {
		case fd.IsMap():
			s.mapField(fd, m.Mutable(fd).Map(), at, kind, keyKind, depth)
		case fd.IsList():
			l := m.Mutable(fd).List()
			for j := 0; j < l.Len(); j++ {
				p := validate.Index(at, j)
				if fd.Message() != nil {
					s.message(l.Get(j).Message(), p, depth+1)
				} else if fd.Kind() == protoreflect.StringKind {
					if v, ok := s.text(l.Get(j).String(), kind, false, p, ""); ok {
						l.Set(j, protoreflect.ValueOfString(v))
					}
				}
			}
		case fd.Message() != nil:
			s.message(m.Mutable(fd).Message(), at, depth+1)
		case fd.Kind() == protoreflect.StringKind:
			if v, ok := s.text(m.Get(fd).String(), kind, false, at, ""); ok {
				m.Set(fd, protoreflect.ValueOfString(v))
			}
		}
	}
}

// text cleans one string; ok reports whether it changed.
// what names the string in messages ("key", "value" or "").
func (s *sanitizer) text(v string, kind validate.StringKind, trim bool, path, what string) (string, bool) {
	if what != "" {
		what = what + ": "
	}
	out := v
	if strings.IndexFunc(out, kind.Disallowed) >= 0 {
		removed := 0
		out = strings.Map(func(r rune) rune {
			if kind.Disallowed(r) {
				removed++
				return -1
			}
			return r
		}, out)
		s.add(path, ControlCharsRemoved, what+strconv.Itoa(removed)+" control character(s) removed")
	}
	if trim {
		if t := strings.TrimFunc(out, unicode.IsSpace); t != out {
			out = t
			s.add(path, WhitespaceTrimmed, what+"leading/trailing white space removed")
		}
	}
	if kind == validate.KindPath && out != "" {
		// Only rewrites that keep the named location: a traversal or a
		// relative path is left for validation to refuse.
		if n, ok := validate.NormalizePath(out); ok && n != out {
			out = n
			s.add(path, PathNormalized, what+"path normalised to "+strconv.Quote(n))
		}
	}
	return out, out != v
}

type entry struct {
	mk        protoreflect.MapKey
	orig, key string
	val       protoreflect.Value
}

// mapField cleans string keys (and, for metadata, trims keys and values);
// entries whose key becomes empty or collides with another are dropped.
func (s *sanitizer) mapField(fd protoreflect.FieldDescriptor, mp protoreflect.Map, at string,
	kind, keyKind validate.StringKind, depth int) {
	metadata := fd.MapKey().Kind() == protoreflect.StringKind && fd.MapValue().Kind() == protoreflect.StringKind
	var entries []entry
	mp.Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
		entries = append(entries, entry{mk: k, orig: k.String(), val: v})
		return true
	})
	sort.Slice(entries, func(i, j int) bool { return entries[i].orig < entries[j].orig })
	stringKeys := fd.MapKey().Kind() == protoreflect.StringKind
	rekey := false
	for i := range entries {
		e := &entries[i]
		p := validate.Key(at, e.orig)
		if !stringKeys {
			p = at + "[" + e.orig + "]"
		}
		e.key = e.orig
		if stringKeys {
			if k, ok := s.text(e.orig, keyKind, metadata, p, "key"); ok {
				e.key, rekey = k, true
			}
		}
		switch {
		case fd.MapValue().Message() != nil:
			s.message(e.val.Message(), p, depth+1)
		case fd.MapValue().Kind() == protoreflect.StringKind:
			if v, ok := s.text(e.val.String(), kind, metadata, p, "value"); ok {
				e.val = protoreflect.ValueOfString(v)
				mp.Set(e.mk, e.val)
			}
		}
	}
	if !rekey {
		return
	}
	// Keep, for each cleaned key, the entry whose key was already clean, else
	// the one with the smallest original key; drop the rest.
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if a.key != b.key {
			return a.key < b.key
		}
		if (a.key == a.orig) != (b.key == b.orig) {
			return a.key == a.orig
		}
		return a.orig < b.orig
	})
	for _, e := range entries {
		mp.Clear(e.mk)
	}
	for i, e := range entries {
		p := validate.Key(at, e.orig)
		switch {
		case e.key == "":
			s.add(p, MetadataEntryDropped, "key is empty after sanitising")
		case i > 0 && entries[i-1].key == e.key:
			s.add(p, MetadataEntryDropped, "key collides with "+strconv.Quote(e.key)+" after sanitising")
		default:
			mp.Set(protoreflect.ValueOfString(e.key).MapKey(), e.val)
		}
	}
}
