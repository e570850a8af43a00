package directive

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/peat-protocol/libpeat/core/status"
)

// This file holds the small JSON reader and writer behind the rust-json
// codec. They exist because the reference's dialect needs what
// encoding/json does not give: a fixed key order on output, serde_json's
// string escaping, duplicate-key detection, and serde's distinction between
// an absent key, a null value and a value of the wrong type.

// ---- reading ----------------------------------------------------------------

// The reader scans the input once (scan), recording every value as a node in
// a flat, pre-order list; objects are then opened lazily, as the readers ask
// for them, so that duplicate keys, and the order in which strict reading
// meets objects, are exactly what they were with a decoder per object.
// Strings are decoded only when read, without copying when they have no
// escapes.

// node is one JSON value: its first byte (kind), its span in the input, and
// the index of the node after its subtree. Members of an object also carry
// their key's span.
type node struct {
	start, end       int32 // the value's bytes (strings include their quotes)
	next             int32 // the node after this value's subtree
	keyStart, keyEnd int32 // a member's key, quotes included
	kind             byte  // 'n', 't', 'f', '"', '0' (number), '[', '{'
	plain            bool  // a string with no escape and only valid UTF-8
	keyPlain         bool
}

// member is one key of an opened object and whether a reader asked for it.
type member struct {
	key  string
	node int32
	used bool
}

// object is one opened JSON object: its members in order, and its field path
// (for error messages).
type object struct {
	path    string
	members []member
	isMap   bool // a JSON map: every key is data, none is unknown
	doc     *document
}

// document is one scanned JSON text and every object opened from it, in the
// order they were opened, so that strict reading can name the first key no
// reader used.
type document struct {
	data    []byte
	nodes   []node
	objects []object // in the order opened; never grows past its capacity
	members []member // the slab the objects' members are cut from
}

// unknownKey returns an UNKNOWN_FIELD error for the first key (in parse
// order, then key order) that no reader asked for, or nil.
func (d *document) unknownKey(what string) error {
	for i := range d.objects {
		o := &d.objects[i]
		if o.isMap {
			continue
		}
		first, found := "", false
		for _, m := range o.members {
			if !m.used && (!found || m.key < first) {
				first, found = m.key, true
			}
		}
		if !found {
			continue
		}
		where := o.path
		if where == "" {
			where = what
		}
		return status.Errorf(status.Decode, "unknown key %q in %s", first, where).WithCode("UNKNOWN_FIELD").AtPath(join(o.path, first))
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

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// val is a value of the document (absent: idx < 0).
type val struct {
	d   *document
	idx int32
}

func (v val) n() *node     { return &v.d.nodes[v.idx] }
func (v val) raw() []byte  { n := v.n(); return v.d.data[n.start:n.end] }
func (v val) isNull() bool { return v.n().kind == 'n' }

func (v val) kind() string {
	switch v.n().kind {
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

// parseDocument scans a complete JSON text that must be one object.
func parseDocument(data []byte) (*object, error) {
	d := &document{data: data, nodes: make([]node, 0, len(data)/12+4)}
	s := scanner{data: data, d: d}
	s.space()
	ok := s.value(0)
	if ok {
		s.space()
		ok = s.i == len(data)
	}
	if ok {
		// Every object is opened at most once, and every member belongs to one.
		d.objects = make([]object, 0, s.objects)
		d.members = make([]member, 0, s.members)
	}
	if !ok || len(data) > math.MaxInt32-1 {
		// Let encoding/json say where the syntax error is.
		var v any
		err := json.Unmarshal(data, &v)
		if err == nil { // not expected: the scanner accepts what encoding/json accepts
			err = errors.New("input too large")
		}
		return nil, decodeErr("", "invalid JSON: %v", err)
	}
	return (&object{doc: d}).parse(val{d, 0}, "")
}

// maxDepth is encoding/json's limit on nesting.
const maxDepth = 10000

// scanner checks JSON syntax exactly as encoding/json does (invalid UTF-8 in
// strings is accepted, as there) while recording the nodes.
type scanner struct {
	data             []byte
	i                int
	d                *document
	objects, members int // counts, to size the document's slabs
}

func (s *scanner) space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// value scans one value at s.i (no leading space) and appends its nodes.
func (s *scanner) value(depth int) bool {
	if s.i >= len(s.data) {
		return false
	}
	idx := len(s.d.nodes)
	s.d.nodes = append(s.d.nodes, node{start: int32(s.i), keyStart: -1})
	c := s.data[s.i]
	var ok bool
	var k byte
	plain := false
	switch {
	case c == '{':
		k = '{'
		ok = s.object(depth + 1)
	case c == '[':
		k = '['
		ok = s.array(depth + 1)
	case c == '"':
		k = '"'
		plain, ok = s.str()
	case c == 't':
		k = 't'
		ok = s.lit("true")
	case c == 'f':
		k = 'f'
		ok = s.lit("false")
	case c == 'n':
		k = 'n'
		ok = s.lit("null")
	case c == '-' || (c >= '0' && c <= '9'):
		k = '0'
		ok = s.number()
	}
	if !ok {
		return false
	}
	n := &s.d.nodes[idx]
	n.kind, n.plain, n.end, n.next = k, plain, int32(s.i), int32(len(s.d.nodes))
	return true
}

func (s *scanner) lit(w string) bool {
	if len(s.data)-s.i < len(w) || string(s.data[s.i:s.i+len(w)]) != w {
		return false
	}
	s.i += len(w)
	return true
}

func (s *scanner) digits() int {
	st := s.i
	for s.i < len(s.data) && s.data[s.i] >= '0' && s.data[s.i] <= '9' {
		s.i++
	}
	return s.i - st
}

func (s *scanner) number() bool {
	if s.data[s.i] == '-' {
		s.i++
	}
	if s.i >= len(s.data) {
		return false
	}
	if s.data[s.i] == '0' {
		s.i++
	} else if s.digits() == 0 {
		return false
	}
	if s.i < len(s.data) && s.data[s.i] == '.' {
		s.i++
		if s.digits() == 0 {
			return false
		}
	}
	if s.i < len(s.data) && (s.data[s.i] == 'e' || s.data[s.i] == 'E') {
		s.i++
		if s.i < len(s.data) && (s.data[s.i] == '+' || s.data[s.i] == '-') {
			s.i++
		}
		if s.digits() == 0 {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// str scans a string at s.i; plain reports no escapes and valid UTF-8.
func (s *scanner) str() (plain, ok bool) {
	s.i++
	plain = true
	ascii := true
	start := s.i
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '"':
			if plain && !ascii {
				plain = utf8.Valid(s.data[start:s.i])
			}
			s.i++
			return plain, true
		case c < 0x20:
			return false, false
		case c == '\\':
			plain = false
			s.i++
			if s.i >= len(s.data) {
				return false, false
			}
			switch s.data[s.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i++
			case 'u':
				if len(s.data)-s.i < 5 || !isHex(s.data[s.i+1]) || !isHex(s.data[s.i+2]) || !isHex(s.data[s.i+3]) || !isHex(s.data[s.i+4]) {
					return false, false
				}
				s.i += 5
			default:
				return false, false
			}
		default:
			if c >= 0x80 {
				ascii = false
			}
			s.i++
		}
	}
	return false, false
}

func (s *scanner) object(depth int) bool {
	if depth > maxDepth {
		return false
	}
	s.objects++
	s.i++
	s.space()
	if s.i < len(s.data) && s.data[s.i] == '}' {
		s.i++
		return true
	}
	for {
		if s.i >= len(s.data) || s.data[s.i] != '"' {
			return false
		}
		ks := s.i
		kp, ok := s.str()
		if !ok {
			return false
		}
		ke := s.i
		s.space()
		if s.i >= len(s.data) || s.data[s.i] != ':' {
			return false
		}
		s.i++
		s.space()
		idx := len(s.d.nodes)
		if !s.value(depth) {
			return false
		}
		n := &s.d.nodes[idx]
		n.keyStart, n.keyEnd, n.keyPlain = int32(ks), int32(ke), kp
		s.members++
		s.space()
		if s.i >= len(s.data) {
			return false
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.space()
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

func (s *scanner) array(depth int) bool {
	if depth > maxDepth {
		return false
	}
	s.i++
	s.space()
	if s.i < len(s.data) && s.data[s.i] == ']' {
		s.i++
		return true
	}
	for {
		if !s.value(depth) {
			return false
		}
		s.space()
		if s.i >= len(s.data) {
			return false
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.space()
		case ']':
			s.i++
			return true
		default:
			return false
		}
	}
}

// knownKeys interns the keys the readers ask for, so that reading them
// allocates nothing.
var knownKeys = map[string]string{}

func init() {
	for _, k := range []string{"directive_id", "issued_at", "issuer_node_id", "issuer_formation_id", "scope", "artifact",
		"capabilities", "config", "options", "type", "formation_id", "node_ids", "min_gpu_memory_mb", "min_memory_mb",
		"min_storage_mb", "required_capabilities", "custom", "blob_hash", "size_bytes", "artifact_type", "sha256", "name",
		"version", "execution_providers", "runtime", "ports", "env", "arch", "args", "target_path", "wasi_capabilities",
		"container_port", "host_port", "protocol", "priority", "timeout_seconds", "replace_existing",
		"rollback_threshold_percent", "auto_activate", "node_id", "reported_at", "state", "progress_percent",
		"error_message", "instance_id", "statuses"} {
		knownKeys[k] = k
	}
}

// decodeString decodes the JSON string q (quotes included, syntax already
// checked) as encoding/json does: invalid UTF-8 and lone surrogates become
// U+FFFD.
func decodeString(q []byte, plain, intern bool) string {
	b := q[1 : len(q)-1]
	if plain {
		if intern {
			if k, ok := knownKeys[string(b)]; ok {
				return k
			}
		}
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		c := b[i]
		if c == '\\' {
			switch b[i+1] {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r := hex4(b[i+2 : i+6])
				i += 6
				if utf16.IsSurrogate(r) {
					if i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
						if r2 := utf16.DecodeRune(r, hex4(b[i+2:i+6])); r2 != utf8.RuneError {
							out = utf8.AppendRune(out, r2)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
				continue
			default: // '"', '\\', '/'
				out = append(out, b[i+1])
			}
			i += 2
			continue
		}
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		i += size
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}

func hex4(h []byte) rune {
	var r rune
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// parse opens an object value, refusing duplicate keys as serde does. The
// new object belongs to parent's document.
func (parent *object) parse(v val, path string) (*object, error) {
	d := parent.doc
	if v.n().kind != '{' {
		where := path
		if where == "" {
			where = "the document"
		}
		return nil, decodeErr(path, "%s must be a JSON object, got %s", where, v.kind())
	}
	n := 0
	end := v.n().next
	for c := v.idx + 1; c < end; c = d.nodes[c].next {
		n++
	}
	if len(d.objects) == cap(d.objects) || len(d.members)+n > cap(d.members) {
		// An object opened twice: not done by the readers, but stay correct.
		d.objects = append(make([]object, 0, 2*cap(d.objects)+1), d.objects...)
		d.members = make([]member, 0, 2*cap(d.members)+n)
	}
	d.objects = append(d.objects, object{path: path, members: d.members[len(d.members) : len(d.members) : len(d.members)+n], doc: d})
	o := &d.objects[len(d.objects)-1]
	d.members = d.members[:len(d.members)+n]
	var seen map[string]struct{}
	if n > 8 {
		seen = make(map[string]struct{}, n)
	}
	for c := v.idx + 1; c < end; c = d.nodes[c].next {
		cn := &d.nodes[c]
		key := decodeString(d.data[cn.keyStart:cn.keyEnd], cn.keyPlain, true)
		dup := false
		if seen != nil {
			_, dup = seen[key]
			seen[key] = struct{}{}
		} else {
			for _, m := range o.members {
				if m.key == key {
					dup = true
					break
				}
			}
		}
		if dup {
			return nil, decodeErr(join(path, key), "duplicate key %q", key)
		}
		o.members = append(o.members, member{key: key, node: c})
	}
	return o, nil
}

// get returns a member; ok is false when the key is absent.
func (o *object) get(key string) (val, bool) {
	for i := range o.members {
		if o.members[i].key == key {
			o.members[i].used = true
			return val{o.doc, o.members[i].node}, true
		}
	}
	return val{o.doc, -1}, false
}

func (o *object) missing(key string) error {
	return decodeErr(join(o.path, key), "missing required key %q", key)
}

func (o *object) wrongType(key, want string, v val) error {
	return decodeErr(join(o.path, key), "%q must be %s, got %s", key, want, v.kind())
}

func asString(v val) (string, bool) {
	n := v.n()
	if n.kind != '"' {
		return "", false
	}
	return decodeString(v.d.data[n.start:n.end], n.plain, false), true
}

// reqString reads a required string (null is an error, as for a Rust String).
func (o *object) reqString(key string) (string, error) {
	v, ok := o.get(key)
	if !ok {
		return "", o.missing(key)
	}
	s, ok := asString(v)
	if !ok {
		return "", o.wrongType(key, "a string", v)
	}
	return s, nil
}

// optString reads an Option<String>: absent or null is nil.
func (o *object) optString(key string) (*string, error) {
	v, ok := o.get(key)
	if !ok || v.isNull() {
		return nil, nil
	}
	s, ok := asString(v)
	if !ok {
		return nil, o.wrongType(key, "a string or null", v)
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

func (o *object) uintOf(key string, v val, max uint64, typ string) (uint64, error) {
	raw := v.raw()
	if v.n().kind != '0' || raw[0] == '-' {
		if raw[0] == '-' {
			return 0, decodeErr(join(o.path, key), "%q must be an unsigned integer (%s), got %s", key, typ, clip(string(raw)))
		}
		return 0, o.wrongType(key, "an unsigned integer ("+typ+")", v)
	}
	var x uint64
	ok := true
	for _, c := range raw {
		d := uint64(c - '0')
		if c < '0' || c > '9' || x > (math.MaxUint64-d)/10 {
			ok = false // a fraction, an exponent, or above u64
			break
		}
		x = x*10 + d
	}
	if !ok || x > max {
		return 0, decodeErr(join(o.path, key), "%q must be an unsigned integer that fits %s, got %s", key, typ, clip(string(raw)))
	}
	return x, nil
}

// reqUint reads a required unsigned integer of at most max.
func (o *object) reqUint(key string, max uint64, typ string) (uint64, error) {
	v, ok := o.get(key)
	if !ok {
		return 0, o.missing(key)
	}
	return o.uintOf(key, v, max, typ)
}

// optUint reads an Option<uN>: absent or null is nil.
func (o *object) optUint(key string, max uint64, typ string) (*uint64, error) {
	v, ok := o.get(key)
	if !ok || v.isNull() {
		return nil, nil
	}
	x, err := o.uintOf(key, v, max, typ)
	if err != nil {
		return nil, err
	}
	return &x, nil
}

// defUint reads a uN with a serde default: absent gives def, null is an error.
func (o *object) defUint(key string, max uint64, typ string, def uint64) (uint64, error) {
	v, ok := o.get(key)
	if !ok {
		return def, nil
	}
	return o.uintOf(key, v, max, typ)
}

// defBool reads a bool with a serde default: absent gives def, null is an error.
func (o *object) defBool(key string, def bool) (bool, error) {
	v, ok := o.get(key)
	if !ok {
		return def, nil
	}
	switch v.n().kind {
	case 't':
		return true, nil
	case 'f':
		return false, nil
	}
	return false, o.wrongType(key, "a boolean", v)
}

// defStrings reads a Vec<String> with a serde default: absent is empty, null is an error.
func (o *object) defStrings(key string) ([]string, error) {
	v, ok := o.get(key)
	if !ok {
		return nil, nil
	}
	items, err := o.array(key, v)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, ok := asString(it)
		if !ok {
			return nil, decodeErr(index(join(o.path, key), i), "must be a string, got %s", it.kind())
		}
		out = append(out, s)
	}
	return out, nil
}

func (o *object) array(key string, v val) ([]val, error) {
	n := v.n()
	if n.kind != '[' {
		return nil, o.wrongType(key, "an array", v)
	}
	var items []val
	for c := v.idx + 1; c < n.next; c = v.d.nodes[c].next {
		items = append(items, val{v.d, c})
	}
	return items, nil
}

// defStringMap reads a HashMap<String, String> with a serde default: absent
// is empty, null is an error.
func (o *object) defStringMap(key string) (map[string]string, error) {
	v, ok := o.get(key)
	if !ok {
		return nil, nil
	}
	m, err := o.parse(v, join(o.path, key))
	if err != nil {
		if v.n().kind != '{' {
			return nil, o.wrongType(key, "an object of strings", v)
		}
		return nil, err
	}
	m.isMap = true
	if len(m.members) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(m.members))
	for _, mb := range m.members {
		it := val{o.doc, mb.node}
		s, ok := asString(it)
		if !ok {
			return nil, decodeErr(fmt.Sprintf("%s[%q]", join(o.path, key), mb.key), "must be a string, got %s", it.kind())
		}
		out[mb.key] = s
	}
	return out, nil
}

// reqObject reads a required nested object (null is an error).
func (o *object) reqObject(key string) (*object, error) {
	v, ok := o.get(key)
	if !ok {
		return nil, o.missing(key)
	}
	return o.parse(v, join(o.path, key))
}

// ---- writing ----------------------------------------------------------------

// writer builds JSON text, appending to one slice, with keys in the order
// they are written.
type writer struct {
	b      []byte
	first  []bool // per open object: no key written yet
	firstA [8]bool
}

func newWriter() *writer {
	w := &writer{b: make([]byte, 0, 512)}
	w.first = w.firstA[:0]
	return w
}

func (w *writer) byte(c byte)  { w.b = append(w.b, c) }
func (w *writer) raw(s string) { w.b = append(w.b, s...) }

func (w *writer) begin() {
	w.b = append(w.b, '{')
	w.first = append(w.first, true)
}

func (w *writer) end() {
	w.b = append(w.b, '}')
	w.first = w.first[:len(w.first)-1]
}

func (w *writer) key(k string) {
	top := len(w.first) - 1
	if !w.first[top] {
		w.b = append(w.b, ',')
	}
	w.first[top] = false
	w.b = appendString(w.b, k)
	w.b = append(w.b, ':')
}

func (w *writer) str(k, v string) {
	w.key(k)
	w.b = appendString(w.b, v)
}

func (w *writer) uint(k string, v uint64) {
	w.key(k)
	w.b = strconv.AppendUint(w.b, v, 10)
}

func (w *writer) boolean(k string, v bool) {
	w.key(k)
	w.b = strconv.AppendBool(w.b, v)
}

func (w *writer) strs(k string, vs []string) {
	w.key(k)
	w.b = append(w.b, '[')
	for i, v := range vs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendString(w.b, v)
	}
	w.b = append(w.b, ']')
}

// strMap writes a map with sorted keys (the reference's HashMap order is random).
func (w *writer) strMap(k string, m map[string]string) {
	w.key(k)
	keys := make([]string, 0, len(m))
	for mk := range m {
		keys = append(keys, mk)
	}
	sort.Strings(keys)
	w.b = append(w.b, '{')
	for i, mk := range keys {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendString(w.b, mk)
		w.b = append(w.b, ':')
		w.b = appendString(w.b, m[mk])
	}
	w.b = append(w.b, '}')
}

// appendString escapes like serde_json: only '"', '\\' and control characters
// below U+0020 (short forms where JSON has them, otherwise \u00xx).
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			b = append(b, `\u00`...)
			b = append(b, hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
