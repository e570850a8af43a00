package rustjson

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/peat-protocol/libpeat/core/status"
)

type encoder struct {
	buf   []byte
	path  pathStack
	depth int
}

func (e *encoder) fail(code, format string, args ...any) error {
	return status.Errorf(status.Encode, format, args...).WithCode(code).AtPath(e.path.String())
}

func (e *encoder) message(m protoreflect.Message) error {
	if e.depth++; e.depth > MaxDepth {
		return e.fail("NESTING_TOO_DEEP", "messages nested deeper than %d levels", MaxDepth)
	}
	defer func() { e.depth-- }()
	md := m.Descriptor()
	fields := md.Fields()
	e.buf = append(e.buf, '{')
	first := true
	key := func(name protoreflect.Name) {
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		e.buf = append(e.buf, '"')
		e.buf = append(e.buf, name...)
		e.buf = append(e.buf, '"', ':')
	}
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if inOneof(fd) {
			continue
		}
		key(fd.Name())
		e.path.push(string(fd.Name()))
		if err := e.field(m, fd); err != nil {
			return err
		}
		e.path.pop()
	}
	oneofs := md.Oneofs()
	for i := 0; i < oneofs.Len(); i++ {
		od := oneofs.Get(i)
		if od.IsSynthetic() {
			continue
		}
		key(od.Name())
		fd := m.WhichOneof(od)
		if fd == nil {
			e.buf = append(e.buf, "null"...)
			continue
		}
		e.path.push(string(fd.Name()))
		e.buf = append(e.buf, `{"`...)
		e.buf = append(e.buf, variantName(fd)...)
		e.buf = append(e.buf, `":`...)
		if err := e.single(fd, m.Get(fd)); err != nil {
			return err
		}
		e.buf = append(e.buf, '}')
		e.path.pop()
	}
	e.buf = append(e.buf, '}')
	return nil
}

func (e *encoder) field(m protoreflect.Message, fd protoreflect.FieldDescriptor) error {
	switch {
	case fd.IsMap():
		return e.mapValue(fd, m.Get(fd).Map())
	case fd.IsList():
		list := m.Get(fd).List()
		e.buf = append(e.buf, '[')
		for i := 0; i < list.Len(); i++ {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.path.pushIndex(i)
			if err := e.single(fd, list.Get(i)); err != nil {
				return err
			}
			e.path.pop()
		}
		e.buf = append(e.buf, ']')
		return nil
	case fd.HasPresence() && !m.Has(fd):
		// Rust Option::None.
		e.buf = append(e.buf, "null"...)
		return nil
	}
	return e.single(fd, m.Get(fd))
}

func (e *encoder) mapValue(fd protoreflect.FieldDescriptor, mp protoreflect.Map) error {
	keys := make([]protoreflect.MapKey, 0, mp.Len())
	mp.Range(func(k protoreflect.MapKey, _ protoreflect.Value) bool {
		keys = append(keys, k)
		return true
	})
	sortKeys(fd.MapKey().Kind(), keys)
	e.buf = append(e.buf, '{')
	for i, k := range keys {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		text := keyText(k)
		e.path.pushKey(text)
		if fd.MapKey().Kind() == protoreflect.StringKind && !utf8.ValidString(text) {
			return e.fail("INVALID_UTF8", "map key is not valid UTF-8")
		}
		e.buf = appendString(e.buf, text)
		e.buf = append(e.buf, ':')
		if err := e.single(fd.MapValue(), mp.Get(k)); err != nil {
			return err
		}
		e.path.pop()
	}
	e.buf = append(e.buf, '}')
	return nil
}

// single writes one value of fd's kind (a list element, a map value or a
// singular field).
func (e *encoder) single(fd protoreflect.FieldDescriptor, v protoreflect.Value) error {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case protoreflect.EnumKind:
		e.buf = strconv.AppendInt(e.buf, int64(v.Enum()), 10)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			// The reference would write null and then refuse to read it back.
			return e.fail("NON_FINITE_FLOAT", "%v cannot be written as rust-json", f)
		}
		bits := 64
		if fd.Kind() == protoreflect.FloatKind {
			bits = 32
		}
		e.buf = AppendFloat(e.buf, f, bits)
	case protoreflect.StringKind:
		s := v.String()
		if !utf8.ValidString(s) {
			return e.fail("INVALID_UTF8", "string is not valid UTF-8")
		}
		e.buf = appendString(e.buf, s)
	case protoreflect.BytesKind:
		e.buf = append(e.buf, '[')
		for i, c := range v.Bytes() {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = strconv.AppendUint(e.buf, uint64(c), 10)
		}
		e.buf = append(e.buf, ']')
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return e.message(v.Message())
	default:
		return e.fail("ENCODE_ERROR", "unsupported field kind %v", fd.Kind())
	}
	return nil
}

// AppendFloat appends f as serde_json writes a finite f64 (bits 64) or f32
// (bits 32): the shortest decimal that reads back to the same value at that
// width, laid out like the ryu crate: plain decimal with ".0" for integral
// values up to 10^16 (f64) / 10^13 (f32), "0.000ddd" down to 1e-5 / 1e-6,
// otherwise scientific without "+" or zero padding ("1e-7", "1.5e300").
func AppendFloat(b []byte, f float64, bits int) []byte {
	if f == 0 {
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	maxKK, minKK := 16, -5
	if bits == 32 {
		maxKK, minKK = 13, -6
	}
	// Shortest round-trip digits from Go (also a Ryū implementation).
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], f, 'e', -1, bits)
	if s[0] == '-' {
		b = append(b, '-')
		s = s[1:]
	}
	ePos := 0
	for ePos < len(s) && s[ePos] != 'e' {
		ePos++
	}
	exp, _ := strconv.Atoi(string(s[ePos+1:]))
	var digits []byte
	for _, c := range s[:ePos] {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	length := len(digits)
	kk := exp + 1 // 10^(kk-1) <= |f| < 10^kk
	k := kk - length
	switch {
	case k >= 0 && kk <= maxKK: // 1234e7 -> 12340000000.0
		b = append(b, digits...)
		for i := 0; i < k; i++ {
			b = append(b, '0')
		}
		b = append(b, '.', '0')
	case kk > 0 && kk <= maxKK: // 1234e-2 -> 12.34
		b = append(b, digits[:kk]...)
		b = append(b, '.')
		b = append(b, digits[kk:]...)
	case kk > minKK && kk <= 0: // 1234e-6 -> 0.001234
		b = append(b, '0', '.')
		for i := 0; i < -kk; i++ {
			b = append(b, '0')
		}
		b = append(b, digits...)
	case length == 1: // 1e30
		b = append(b, digits[0], 'e')
		b = strconv.AppendInt(b, int64(kk-1), 10)
	default: // 1234e30 -> 1.234e33
		b = append(b, digits[0], '.')
		b = append(b, digits[1:]...)
		b = append(b, 'e')
		b = strconv.AppendInt(b, int64(kk-1), 10)
	}
	return b
}

// appendString writes s as a JSON string escaped as serde_json does: only
// '"', '\\' and control characters below U+0020 are escaped (\b \t \n \f \r
// or \u00xx with lower-case hex); everything else is raw UTF-8.
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
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\b':
			b = append(b, '\\', 'b')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\f':
			b = append(b, '\\', 'f')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func keyText(k protoreflect.MapKey) string {
	switch v := k.Interface().(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	}
	return k.String()
}

// sortKeys orders map keys by value (numerically for integer keys), so
// output is deterministic; the reference writes hash-map order.
func sortKeys(kind protoreflect.Kind, keys []protoreflect.MapKey) {
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		switch kind {
		case protoreflect.BoolKind:
			return !a.Bool() && b.Bool()
		case protoreflect.StringKind:
			return a.String() < b.String()
		case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
			protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
			return a.Int() < b.Int()
		default:
			return a.Uint() < b.Uint()
		}
	})
}

// pathStack collects field path segments cheaply; it is formatted only
// when an error is reported.
type pathStack []segment

type segment struct {
	name  string // field name, or map key when isKey
	index int    // list index when name == "" and !isKey
	isKey bool
}

func (p *pathStack) push(name string) { *p = append(*p, segment{name: name}) }
func (p *pathStack) pushIndex(i int)  { *p = append(*p, segment{index: i}) }
func (p *pathStack) pushKey(k string) { *p = append(*p, segment{name: k, isKey: true}) }
func (p *pathStack) pop()             { *p = (*p)[:len(*p)-1] }

// String returns the path as "a.b[2].c", map keys as a["key"].
func (p pathStack) String() string {
	var sb strings.Builder
	for _, s := range p {
		switch {
		case s.isKey:
			sb.WriteString("[" + strconv.Quote(s.name) + "]")
		case s.name == "":
			sb.WriteString("[" + strconv.Itoa(s.index) + "]")
		default:
			if sb.Len() > 0 {
				sb.WriteByte('.')
			}
			sb.WriteString(s.name)
		}
	}
	return sb.String()
}
