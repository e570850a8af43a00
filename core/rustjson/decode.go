package rustjson

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/status"
)

// decoder reads strict RFC 8259 JSON (as serde_json does: no comments, no
// trailing commas, no NaN literals, no lone surrogates, no raw control
// characters in strings) straight into a protoreflect message.
type decoder struct {
	data   []byte
	pos    int
	depth  int
	path   pathStack
	strict bool // refuse unknown keys (UnmarshalOptions.Strict)
}

func (d *decoder) fail(code, format string, args ...any) error {
	return status.Errorf(status.Decode, format, args...).WithCode(code).AtPath(d.path.String())
}

func (d *decoder) syntax(what string) error {
	if d.pos >= len(d.data) {
		return d.fail("DECODE_ERROR", "rust-json: %s (unexpected end of input)", what)
	}
	return d.fail("DECODE_ERROR", "rust-json: %s at byte %d", what, d.pos)
}

// expected reports a JSON value of the wrong type, in serde's words.
func (d *decoder) expected(want string) error {
	if d.pos >= len(d.data) {
		return d.syntax("expected " + want)
	}
	return d.fail("INVALID_TYPE", "rust-json: invalid type: %s, expected %s", d.describe(), want)
}

// describe names the JSON value at the current position.
func (d *decoder) describe() string {
	switch c := d.data[d.pos]; {
	case c == '{':
		return "map"
	case c == '[':
		return "sequence"
	case c == '"':
		return "string"
	case c == 'n':
		return "null"
	case c == 't' || c == 'f':
		return "boolean"
	case c == '-' || ('0' <= c && c <= '9'):
		return "number"
	}
	return fmt.Sprintf("character %q", d.data[d.pos])
}

func (d *decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// literal consumes word (true, false, null) if it is next.
func (d *decoder) literal(word string) bool {
	if len(d.data)-d.pos >= len(word) && string(d.data[d.pos:d.pos+len(word)]) == word {
		d.pos += len(word)
		return true
	}
	return false
}

func (d *decoder) enter() error {
	if d.depth++; d.depth > MaxDepth {
		return d.fail("NESTING_TOO_DEEP", "rust-json: nested deeper than %d levels", MaxDepth)
	}
	return nil
}

// object iterates the members of a JSON object, calling each with the key
// positioned at the start of its value (whitespace skipped).
func (d *decoder) object(each func(key string) error) error {
	if d.peek() != '{' {
		return errNotObject
	}
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++
	d.ws()
	if d.peek() == '}' {
		d.pos++
		d.depth--
		return nil
	}
	for {
		if d.peek() != '"' {
			return d.syntax("expected an object key")
		}
		key, err := d.str()
		if err != nil {
			return err
		}
		d.ws()
		if d.peek() != ':' {
			return d.syntax("expected ':'")
		}
		d.pos++
		d.ws()
		if err := each(key); err != nil {
			return err
		}
		d.ws()
		switch d.peek() {
		case ',':
			d.pos++
			d.ws()
		case '}':
			d.pos++
			d.depth--
			return nil
		default:
			return d.syntax("expected ',' or '}'")
		}
	}
}

// array iterates the elements of a JSON array.
func (d *decoder) array(each func(i int) error) error {
	if d.peek() != '[' {
		return errNotArray
	}
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++
	d.ws()
	if d.peek() == ']' {
		d.pos++
		d.depth--
		return nil
	}
	for i := 0; ; i++ {
		if err := each(i); err != nil {
			return err
		}
		d.ws()
		switch d.peek() {
		case ',':
			d.pos++
			d.ws()
		case ']':
			d.pos++
			d.depth--
			return nil
		default:
			return d.syntax("expected ',' or ']'")
		}
	}
}

var (
	errNotObject = &status.Error{Status: status.Decode, Code: "not-object"}
	errNotArray  = &status.Error{Status: status.Decode, Code: "not-array"}
)

// skip reads and discards any JSON value (the value of an unknown key),
// checking its syntax as serde's IgnoredAny does.
func (d *decoder) skip() error {
	switch c := d.peek(); {
	case c == '{':
		return d.object(func(string) error { return d.skip() })
	case c == '[':
		return d.array(func(int) error { return d.skip() })
	case c == '"':
		_, err := d.str()
		return err
	case c == '-' || ('0' <= c && c <= '9'):
		_, _, err := d.number()
		return err
	case d.literal("true"), d.literal("false"), d.literal("null"):
		return nil
	}
	return d.syntax("expected a JSON value")
}

// str reads a JSON string (the current byte is '"').
func (d *decoder) str() (string, error) {
	d.pos++
	start := d.pos
	// Fast path: no escapes.
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			raw := d.data[start:d.pos]
			d.pos++
			if !utf8.Valid(raw) {
				return "", d.fail("INVALID_UTF8", "rust-json: string is not valid UTF-8")
			}
			return string(raw), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", d.syntax("control character in string")
		}
		d.pos++
	}
	out := append([]byte(nil), d.data[start:d.pos]...)
	for {
		if d.pos >= len(d.data) {
			return "", d.syntax("unterminated string")
		}
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			if !utf8.Valid(out) {
				return "", d.fail("INVALID_UTF8", "rust-json: string is not valid UTF-8")
			}
			return string(out), nil
		case c < 0x20:
			return "", d.syntax("control character in string")
		case c != '\\':
			out = append(out, c)
			d.pos++
			continue
		}
		d.pos++
		if d.pos >= len(d.data) {
			return "", d.syntax("unterminated escape")
		}
		esc := d.data[d.pos]
		d.pos++
		switch esc {
		case '"', '\\', '/':
			out = append(out, esc)
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
			r, ok := d.hex4()
			if !ok {
				return "", d.syntax("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				// Only a high surrogate followed by \u low surrogate is valid.
				if r >= 0xDC00 || !d.literal(`\u`) {
					return "", d.syntax("lone surrogate in \\u escape")
				}
				r2, ok := d.hex4()
				if !ok || r2 < 0xDC00 || r2 > 0xDFFF {
					return "", d.syntax("lone surrogate in \\u escape")
				}
				r = utf16.DecodeRune(r, r2)
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", d.syntax("invalid escape")
		}
	}
}

func (d *decoder) hex4() (rune, bool) {
	if len(d.data)-d.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range d.data[d.pos : d.pos+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	d.pos += 4
	return r, true
}

// number reads a JSON number and returns its text and whether it is an
// integer literal (no fraction, no exponent).
func (d *decoder) number() (string, bool, error) {
	start := d.pos
	if d.peek() == '-' {
		d.pos++
	}
	switch c := d.peek(); {
	case c == '0':
		d.pos++
	case '1' <= c && c <= '9':
		for d.pos < len(d.data) && isDigit(d.data[d.pos]) {
			d.pos++
		}
	default:
		return "", false, d.syntax("invalid number")
	}
	integer := true
	if d.peek() == '.' {
		integer = false
		d.pos++
		if !isDigit(d.peek()) {
			return "", false, d.syntax("invalid number")
		}
		for d.pos < len(d.data) && isDigit(d.data[d.pos]) {
			d.pos++
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		integer = false
		d.pos++
		if c := d.peek(); c == '+' || c == '-' {
			d.pos++
		}
		if !isDigit(d.peek()) {
			return "", false, d.syntax("invalid number")
		}
		for d.pos < len(d.data) && isDigit(d.data[d.pos]) {
			d.pos++
		}
	}
	return string(d.data[start:d.pos]), integer, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// message reads a JSON object into m.
func (d *decoder) message(m protoreflect.Message) error {
	md := m.Descriptor()
	fields := md.Fields()
	var seenBuf [32]bool
	seen := seenBuf[:0]
	if fields.Len() <= len(seenBuf) {
		seen = seenBuf[:fields.Len()]
	} else {
		seen = make([]bool, fields.Len())
	}
	var seenOneof map[protoreflect.Name]bool // allocated only for oneofs
	err := d.object(func(key string) error {
		name := protoreflect.Name(key)
		fd := fields.ByName(name)
		if fd != nil && !inOneof(fd) {
			if seen[fd.Index()] {
				return d.fail("DUPLICATE_FIELD", "rust-json: duplicate field `%s`", key)
			}
			seen[fd.Index()] = true
			d.path.push(key)
			defer d.path.pop()
			return d.field(m, fd)
		}
		if od := md.Oneofs().ByName(name); od != nil && !od.IsSynthetic() {
			if seenOneof[name] {
				return d.fail("DUPLICATE_FIELD", "rust-json: duplicate field `%s`", key)
			}
			if seenOneof == nil {
				seenOneof = map[protoreflect.Name]bool{}
			}
			seenOneof[name] = true
			return d.oneof(m, od)
		}
		// Unknown keys are ignored (no deny_unknown_fields in the reference)
		// unless the caller asked for strict reading.
		if d.strict {
			d.path.push(key)
			defer d.path.pop()
			return d.fail("UNKNOWN_FIELD", "rust-json: unknown field `%s` in %s", key, md.FullName())
		}
		return d.skip()
	})
	if err == errNotObject {
		return d.expected("struct " + string(md.Name()))
	}
	if err != nil {
		return err
	}
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if !seen[i] && required(fd) && !inOneof(fd) {
			d.path.push(string(fd.Name()))
			err := d.fail("MISSING_FIELD", "rust-json: missing field `%s` in %s", fd.Name(), md.FullName())
			d.path.pop()
			return err
		}
	}
	return nil
}

func (d *decoder) field(m protoreflect.Message, fd protoreflect.FieldDescriptor) error {
	switch {
	case fd.IsMap():
		return d.mapValue(fd, m.Mutable(fd).Map())
	case fd.IsList():
		list := m.Mutable(fd).List()
		err := d.array(func(i int) error {
			d.path.pushIndex(i)
			defer d.path.pop()
			if fd.Message() != nil {
				v := list.NewElement()
				if err := d.messageValue(v.Message()); err != nil {
					return err
				}
				list.Append(v)
				return nil
			}
			v, err := d.scalar(fd)
			if err != nil {
				return err
			}
			list.Append(v)
			return nil
		})
		if err == errNotArray {
			return d.expected("a sequence")
		}
		return err
	case fd.HasPresence() && d.literal("null"):
		return nil // Rust Option::None
	case fd.Message() != nil:
		return d.messageValue(m.Mutable(fd).Message())
	}
	v, err := d.scalar(fd)
	if err != nil {
		return err
	}
	m.Set(fd, v)
	return nil
}

func (d *decoder) messageValue(m protoreflect.Message) error {
	return d.message(m)
}

func (d *decoder) oneof(m protoreflect.Message, od protoreflect.OneofDescriptor) error {
	if d.literal("null") {
		return nil
	}
	d.path.push(string(od.Name()))
	defer d.path.pop()
	n := 0
	err := d.object(func(key string) error {
		if n++; n > 1 {
			return d.fail("INVALID_TYPE", "rust-json: oneof `%s` holds more than one variant", od.Name())
		}
		var fd protoreflect.FieldDescriptor
		for i := 0; i < od.Fields().Len(); i++ {
			if variantName(od.Fields().Get(i)) == key {
				fd = od.Fields().Get(i)
			}
		}
		if fd == nil {
			return d.fail("UNKNOWN_VARIANT", "rust-json: unknown variant `%s` of oneof `%s`", key, od.Name())
		}
		if fd.Message() != nil {
			return d.messageValue(m.Mutable(fd).Message())
		}
		v, err := d.scalar(fd)
		if err != nil {
			return err
		}
		m.Set(fd, v)
		return nil
	})
	if err == errNotObject {
		return d.expected("enum " + string(od.Name()))
	}
	if err == nil && n == 0 {
		return d.fail("INVALID_TYPE", "rust-json: oneof `%s` holds no variant", od.Name())
	}
	return err
}

func (d *decoder) mapValue(fd protoreflect.FieldDescriptor, mp protoreflect.Map) error {
	kfd, vfd := fd.MapKey(), fd.MapValue()
	err := d.object(func(key string) error {
		d.path.pushKey(key)
		defer d.path.pop()
		k, err := d.mapKey(kfd, key)
		if err != nil {
			return err
		}
		// A repeated key replaces the earlier value (Rust HashMap insert).
		if vfd.Message() != nil {
			v := mp.NewValue()
			if err := d.messageValue(v.Message()); err != nil {
				return err
			}
			mp.Set(k, v)
			return nil
		}
		v, err := d.scalar(vfd)
		if err != nil {
			return err
		}
		mp.Set(k, v)
		return nil
	})
	if err == errNotObject {
		return d.expected("a map")
	}
	return err
}

func (d *decoder) mapKey(fd protoreflect.FieldDescriptor, key string) (protoreflect.MapKey, error) {
	bad := func() (protoreflect.MapKey, error) {
		return protoreflect.MapKey{}, d.fail("INVALID_TYPE", "rust-json: map key %q is not a %v", key, fd.Kind())
	}
	switch fd.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(key).MapKey(), nil
	case protoreflect.BoolKind:
		switch key {
		case "true":
			return protoreflect.ValueOfBool(true).MapKey(), nil
		case "false":
			return protoreflect.ValueOfBool(false).MapKey(), nil
		}
		return bad()
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		n, err := strconv.ParseInt(key, 10, 32)
		if err != nil || !plainInt(key) {
			return bad()
		}
		return protoreflect.ValueOfInt32(int32(n)).MapKey(), nil
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		n, err := strconv.ParseInt(key, 10, 64)
		if err != nil || !plainInt(key) {
			return bad()
		}
		return protoreflect.ValueOfInt64(n).MapKey(), nil
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		n, err := strconv.ParseUint(key, 10, 32)
		if err != nil || !plainInt(key) {
			return bad()
		}
		return protoreflect.ValueOfUint32(uint32(n)).MapKey(), nil
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		n, err := strconv.ParseUint(key, 10, 64)
		if err != nil || !plainInt(key) {
			return bad()
		}
		return protoreflect.ValueOfUint64(n).MapKey(), nil
	}
	return bad()
}

// plainInt refuses the "+5" that strconv accepts.
func plainInt(s string) bool { return s != "" && s[0] != '+' }

// scalar reads one non-message value of fd's kind.
func (d *decoder) scalar(fd protoreflect.FieldDescriptor) (protoreflect.Value, error) {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		switch {
		case d.literal("true"):
			return protoreflect.ValueOfBool(true), nil
		case d.literal("false"):
			return protoreflect.ValueOfBool(false), nil
		}
		return protoreflect.Value{}, d.expected("a boolean")
	case protoreflect.EnumKind:
		n, err := d.integer(math.MinInt32, math.MaxInt32, "i32")
		return protoreflect.ValueOfEnum(protoreflect.EnumNumber(n)), err
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		n, err := d.integer(math.MinInt32, math.MaxInt32, "i32")
		return protoreflect.ValueOfInt32(int32(n)), err
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		n, err := d.integer(math.MinInt64, math.MaxInt64, "i64")
		return protoreflect.ValueOfInt64(n), err
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		n, err := d.unsigned(math.MaxUint32, "u32")
		return protoreflect.ValueOfUint32(uint32(n)), err
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		n, err := d.unsigned(math.MaxUint64, "u64")
		return protoreflect.ValueOfUint64(n), err
	case protoreflect.FloatKind:
		f, err := d.float("f32")
		if err != nil {
			return protoreflect.Value{}, err
		}
		// serde reads an f64 and narrows it; refuse what becomes infinite.
		f32 := float32(f)
		if math.IsInf(float64(f32), 0) {
			return protoreflect.Value{}, d.fail("OUT_OF_RANGE", "rust-json: %v is out of range for f32", f)
		}
		return protoreflect.ValueOfFloat32(f32), nil
	case protoreflect.DoubleKind:
		f, err := d.float("f64")
		return protoreflect.ValueOfFloat64(f), err
	case protoreflect.StringKind:
		if d.peek() != '"' {
			return protoreflect.Value{}, d.expected("a string")
		}
		s, err := d.str()
		return protoreflect.ValueOfString(s), err
	case protoreflect.BytesKind:
		var b []byte
		err := d.array(func(i int) error {
			n, err := d.unsigned(255, "u8")
			b = append(b, byte(n))
			return err
		})
		if err == errNotArray {
			return protoreflect.Value{}, d.expected("a sequence of u8")
		}
		if b == nil {
			b = []byte{}
		}
		return protoreflect.ValueOfBytes(b), err
	}
	return protoreflect.Value{}, d.fail("INVALID_TYPE", "rust-json: unsupported field kind %v", fd.Kind())
}

// numberText reads a JSON number or reports the wrong JSON type.
func (d *decoder) numberText(want string) (string, bool, error) {
	if c := d.peek(); c != '-' && !isDigit(c) {
		return "", false, d.expected(want)
	}
	return d.number()
}

func (d *decoder) integer(lo, hi int64, want string) (int64, error) {
	text, integer, err := d.numberText(want)
	if err != nil {
		return 0, err
	}
	// serde_json reads "-0" as the float -0.0, like any fraction or exponent.
	if !integer || text == "-0" {
		return 0, d.fail("INVALID_TYPE", "rust-json: invalid type: floating point `%s`, expected %s", text, want)
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, d.fail("OUT_OF_RANGE", "rust-json: invalid value: integer `%s`, expected %s", text, want)
	}
	return n, nil
}

func (d *decoder) unsigned(hi uint64, want string) (uint64, error) {
	text, integer, err := d.numberText(want)
	if err != nil {
		return 0, err
	}
	if !integer || text == "-0" {
		return 0, d.fail("INVALID_TYPE", "rust-json: invalid type: floating point `%s`, expected %s", text, want)
	}
	if text[0] == '-' {
		return 0, d.fail("OUT_OF_RANGE", "rust-json: invalid value: integer `%s`, expected %s", text, want)
	}
	n, err := strconv.ParseUint(text, 10, 64)
	if err != nil || n > hi {
		return 0, d.fail("OUT_OF_RANGE", "rust-json: invalid value: integer `%s`, expected %s", text, want)
	}
	return n, nil
}

func (d *decoder) float(want string) (float64, error) {
	text, _, err := d.numberText(want)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, d.fail("OUT_OF_RANGE", "rust-json: number `%s` out of range for %s", clip(text), want)
	}
	return f, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
