package directive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/peat-protocol/libpeat/core/status"
)

// This file holds the small JSON reader and writer behind the rust-json
// codec. They exist because the reference's dialect needs what
// encoding/json does not give: a fixed key order on output, serde_json's
// string escaping, duplicate-key detection, and serde's distinction between
// an absent key, a null value and a value of the wrong type.

// ---- reading ----------------------------------------------------------------

// object is one decoded JSON object: its members by key, and its field path
// (for error messages).
type object struct {
	path    string
	members map[string]json.RawMessage
	used    map[string]bool // keys a reader asked for (get)
	isMap   bool            // a JSON map: every key is data, none is unknown
	doc     *document
}

// document lists every object parsed from one JSON text, in the order they
// were parsed, so that strict reading can name the first key no reader used.
type document struct{ objects []*object }

// unknownKey returns an UNKNOWN_FIELD error for the first key (in parse
// order, then key order) that no reader asked for, or nil.
func (d *document) unknownKey(what string) error {
	for _, o := range d.objects {
		if o.isMap {
			continue
		}
		keys := make([]string, 0, len(o.members))
		for k := range o.members {
			if !o.used[k] {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		sort.Strings(keys)
		where := o.path
		if where == "" {
			where = what
		}
		return status.Errorf(status.Decode, "unknown key %q in %s", keys[0], where).WithCode("UNKNOWN_FIELD").AtPath(join(o.path, keys[0]))
	}
	return nil
}

func decodeErr(path, format string, args ...any) error {
	e := status.Errorf(status.Decode, format, args...)
	if path != "" {
		e = e.AtPath(path)
	}
	return e
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func kind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	return "a number"
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

// parseDocument parses a complete JSON text that must be one object.
func parseDocument(data []byte) (*object, error) {
	if !json.Valid(data) {
		// Let encoding/json say where the syntax error is.
		var v any
		err := json.Unmarshal(data, &v)
		return nil, decodeErr("", "invalid JSON: %v", err)
	}
	return (&object{doc: &document{}}).parse(bytes.TrimSpace(data), "")
}

// parse splits a JSON object (already known to be valid JSON) into its
// members, refusing duplicate keys as serde does. The new object belongs to
// o's document.
func (parent *object) parse(raw json.RawMessage, path string) (*object, error) {
	if len(raw) == 0 || raw[0] != '{' {
		where := path
		if where == "" {
			where = "the document"
		}
		return nil, decodeErr(path, "%s must be a JSON object, got %s", where, kind(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, decodeErr(path, "invalid JSON object: %v", err)
	}
	o := &object{path: path, members: map[string]json.RawMessage{}, used: map[string]bool{}, doc: parent.doc}
	parent.doc.objects = append(parent.doc.objects, o)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, decodeErr(path, "invalid JSON object: %v", err)
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, decodeErr(join(path, key), "invalid JSON value: %v", err)
		}
		if _, dup := o.members[key]; dup {
			return nil, decodeErr(join(path, key), "duplicate key %q", key)
		}
		o.members[key] = v
	}
	return o, nil
}

// get returns a member; ok is false when the key is absent.
func (o *object) get(key string) (json.RawMessage, bool) {
	v, ok := o.members[key]
	o.used[key] = true
	return v, ok
}

func (o *object) missing(key string) error {
	return decodeErr(join(o.path, key), "missing required key %q", key)
}

func (o *object) wrongType(key, want string, raw json.RawMessage) error {
	return decodeErr(join(o.path, key), "%q must be %s, got %s", key, want, kind(raw))
}

func asString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// reqString reads a required string (null is an error, as for a Rust String).
func (o *object) reqString(key string) (string, error) {
	raw, ok := o.get(key)
	if !ok {
		return "", o.missing(key)
	}
	s, ok := asString(raw)
	if !ok {
		return "", o.wrongType(key, "a string", raw)
	}
	return s, nil
}

// optString reads an Option<String>: absent or null is nil.
func (o *object) optString(key string) (*string, error) {
	raw, ok := o.get(key)
	if !ok || isNull(raw) {
		return nil, nil
	}
	s, ok := asString(raw)
	if !ok {
		return nil, o.wrongType(key, "a string or null", raw)
	}
	return &s, nil
}

// defString reads a String with a serde default: absent gives def, null is an error.
func (o *object) defString(key, def string) (string, error) {
	if _, ok := o.get(key); !ok {
		return def, nil
	}
	return o.reqString(key)
}

func (o *object) uintOf(key string, raw json.RawMessage, max uint64, typ string) (uint64, error) {
	s := string(raw)
	if len(s) == 0 || s[0] < '0' || s[0] > '9' {
		if len(s) > 0 && s[0] == '-' {
			return 0, decodeErr(join(o.path, key), "%q must be an unsigned integer (%s), got %s", key, typ, clip(s))
		}
		return 0, o.wrongType(key, "an unsigned integer ("+typ+")", raw)
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil || v > max {
		return 0, decodeErr(join(o.path, key), "%q must be an unsigned integer that fits %s, got %s", key, typ, clip(s))
	}
	return v, nil
}

// reqUint reads a required unsigned integer of at most max.
func (o *object) reqUint(key string, max uint64, typ string) (uint64, error) {
	raw, ok := o.get(key)
	if !ok {
		return 0, o.missing(key)
	}
	return o.uintOf(key, raw, max, typ)
}

// optUint reads an Option<uN>: absent or null is nil.
func (o *object) optUint(key string, max uint64, typ string) (*uint64, error) {
	raw, ok := o.get(key)
	if !ok || isNull(raw) {
		return nil, nil
	}
	v, err := o.uintOf(key, raw, max, typ)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// defUint reads a uN with a serde default: absent gives def, null is an error.
func (o *object) defUint(key string, max uint64, typ string, def uint64) (uint64, error) {
	raw, ok := o.get(key)
	if !ok {
		return def, nil
	}
	return o.uintOf(key, raw, max, typ)
}

// defBool reads a bool with a serde default: absent gives def, null is an error.
func (o *object) defBool(key string, def bool) (bool, error) {
	raw, ok := o.get(key)
	if !ok {
		return def, nil
	}
	switch string(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, o.wrongType(key, "a boolean", raw)
}

// defStrings reads a Vec<String> with a serde default: absent is empty, null is an error.
func (o *object) defStrings(key string) ([]string, error) {
	raw, ok := o.get(key)
	if !ok {
		return nil, nil
	}
	items, err := o.array(key, raw)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, ok := asString(it)
		if !ok {
			return nil, decodeErr(index(join(o.path, key), i), "must be a string, got %s", kind(it))
		}
		out = append(out, s)
	}
	return out, nil
}

func (o *object) array(key string, raw json.RawMessage) ([]json.RawMessage, error) {
	if len(raw) == 0 || raw[0] != '[' {
		return nil, o.wrongType(key, "an array", raw)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, decodeErr(join(o.path, key), "invalid array: %v", err)
	}
	return items, nil
}

// defStringMap reads a HashMap<String, String> with a serde default: absent
// is empty, null is an error.
func (o *object) defStringMap(key string) (map[string]string, error) {
	raw, ok := o.get(key)
	if !ok {
		return nil, nil
	}
	m, err := o.parse(raw, join(o.path, key))
	if err != nil {
		if len(raw) == 0 || raw[0] != '{' {
			return nil, o.wrongType(key, "an object of strings", raw)
		}
		return nil, err
	}
	m.isMap = true
	if len(m.members) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(m.members))
	for k, v := range m.members {
		s, ok := asString(v)
		if !ok {
			return nil, decodeErr(fmt.Sprintf("%s[%q]", join(o.path, key), k), "must be a string, got %s", kind(v))
		}
		out[k] = s
	}
	return out, nil
}

// reqObject reads a required nested object (null is an error).
func (o *object) reqObject(key string) (*object, error) {
	raw, ok := o.get(key)
	if !ok {
		return nil, o.missing(key)
	}
	return o.parse(raw, join(o.path, key))
}

// ---- writing ----------------------------------------------------------------

// writer builds JSON text with keys in the order they are written.
type writer struct {
	b     bytes.Buffer
	first []bool
}

func (w *writer) begin() {
	w.b.WriteByte('{')
	w.first = append(w.first, true)
}

func (w *writer) end() {
	w.b.WriteByte('}')
	w.first = w.first[:len(w.first)-1]
}

func (w *writer) key(k string) {
	top := len(w.first) - 1
	if !w.first[top] {
		w.b.WriteByte(',')
	}
	w.first[top] = false
	writeString(&w.b, k)
	w.b.WriteByte(':')
}

func (w *writer) str(k, v string) {
	w.key(k)
	writeString(&w.b, v)
}

func (w *writer) uint(k string, v uint64) {
	w.key(k)
	w.b.WriteString(strconv.FormatUint(v, 10))
}

func (w *writer) boolean(k string, v bool) {
	w.key(k)
	w.b.WriteString(strconv.FormatBool(v))
}

func (w *writer) strs(k string, vs []string) {
	w.key(k)
	w.b.WriteByte('[')
	for i, v := range vs {
		if i > 0 {
			w.b.WriteByte(',')
		}
		writeString(&w.b, v)
	}
	w.b.WriteByte(']')
}

// strMap writes a map with sorted keys (the reference's HashMap order is random).
func (w *writer) strMap(k string, m map[string]string) {
	w.key(k)
	keys := make([]string, 0, len(m))
	for mk := range m {
		keys = append(keys, mk)
	}
	sort.Strings(keys)
	w.b.WriteByte('{')
	for i, mk := range keys {
		if i > 0 {
			w.b.WriteByte(',')
		}
		writeString(&w.b, mk)
		w.b.WriteByte(':')
		writeString(&w.b, m[mk])
	}
	w.b.WriteByte('}')
}

// writeString escapes like serde_json: only '"', '\\' and control characters
// below U+0020 (short forms where JSON has them, otherwise \u00xx).
func writeString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b.WriteString(s[start:i])
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
