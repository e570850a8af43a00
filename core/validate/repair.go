package validate

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// maxRepairDepth matches the decoder's recursion limit (codec.RecursionLimit).
const maxRepairDepth = 64

var errMalformed = errors.New("malformed protobuf wire data")

// RepairUTF8 rewrites binary protobuf data of type md so that every string
// field (at any depth, map keys and values included) holds valid UTF-8:
// each run of invalid bytes becomes one U+FFFD. It returns the rewritten bytes and the
// paths of the strings it changed (Violation.path syntax). Unknown fields and
// all other bytes are copied unchanged. It fails only on malformed wire data.
func RepairUTF8(md protoreflect.MessageDescriptor, data []byte) ([]byte, []string, error) {
	var paths []string
	out, err := repair(md, data, "", 0, &paths)
	return out, paths, err
}

func repair(md protoreflect.MessageDescriptor, b []byte, base string, depth int, paths *[]string) ([]byte, error) {
	if depth > maxRepairDepth {
		return nil, errMalformed
	}
	out := make([]byte, 0, len(b)+8)
	counts := map[protowire.Number]int{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, errMalformed
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			return nil, errMalformed
		}
		whole := b[:n+m]
		b = b[n+m:]
		fd := md.Fields().ByNumber(num)
		if fd == nil || typ != protowire.BytesType ||
			(fd.Kind() != protoreflect.StringKind && fd.Message() == nil) {
			out = append(out, whole...)
			continue
		}
		v, _ := protowire.ConsumeBytes(whole[n:])
		at := Join(base, string(fd.Name()))
		if fd.IsList() {
			at = Index(at, counts[num])
			counts[num]++
		}
		var err error
		switch {
		case fd.IsMap():
			v, err = repairEntry(fd, v, at, depth, paths)
		case fd.Kind() == protoreflect.StringKind:
			if !utf8.Valid(v) {
				*paths = append(*paths, at)
				v = []byte(strings.ToValidUTF8(string(v), "\uFFFD"))
			}
		default:
			v, err = repair(fd.Message(), v, at, depth+1, paths)
		}
		if err != nil {
			return nil, err
		}
		out = protowire.AppendTag(out, num, typ)
		out = protowire.AppendBytes(out, v)
	}
	return out, nil
}

// repairEntry repairs one map entry; its path is field[key].
func repairEntry(fd protoreflect.FieldDescriptor, entry []byte, field string, depth int, paths *[]string) ([]byte, error) {
	kfd := fd.MapKey()
	key, err := entryKey(kfd, entry)
	if err != nil {
		return nil, err
	}
	at := field + "[" + key + "]"
	var sub []string
	out, err := repair(fd.Message(), entry, at, depth+1, &sub)
	if err != nil {
		return nil, err
	}
	for _, p := range sub {
		// The entry's own fields are reported as the entry: key or value.
		switch {
		case p == at+".key":
			*paths = append(*paths, at)
		case p == at+".value":
			*paths = append(*paths, at)
		case strings.HasPrefix(p, at+".value"):
			*paths = append(*paths, at+p[len(at)+len(".value"):])
		default:
			*paths = append(*paths, p)
		}
	}
	return out, nil
}

// entryKey renders the key of a map entry for a path (last key field wins).
func entryKey(kfd protoreflect.FieldDescriptor, b []byte) (string, error) {
	key := ""
	if kfd.Kind() == protoreflect.StringKind {
		key = strconv.Quote("")
	} else {
		key = "0"
	}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return "", errMalformed
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			return "", errMalformed
		}
		if num == 1 {
			v := b[n : n+m]
			switch typ {
			case protowire.BytesType:
				s, _ := protowire.ConsumeBytes(v)
				key = strconv.Quote(strings.ToValidUTF8(string(s), "\uFFFD"))
			case protowire.VarintType:
				x, _ := protowire.ConsumeVarint(v)
				switch kfd.Kind() {
				case protoreflect.Sint32Kind, protoreflect.Sint64Kind:
					key = strconv.FormatInt(protowire.DecodeZigZag(x), 10)
				case protoreflect.BoolKind:
					key = strconv.FormatBool(x != 0)
				case protoreflect.Int32Kind:
					key = strconv.FormatInt(int64(int32(x)), 10)
				case protoreflect.Int64Kind:
					key = strconv.FormatInt(int64(x), 10)
				default:
					key = strconv.FormatUint(x, 10)
				}
			case protowire.Fixed32Type:
				x, _ := protowire.ConsumeFixed32(v)
				if kfd.Kind() == protoreflect.Sfixed32Kind {
					key = strconv.FormatInt(int64(int32(x)), 10)
				} else {
					key = strconv.FormatUint(uint64(x), 10)
				}
			case protowire.Fixed64Type:
				x, _ := protowire.ConsumeFixed64(v)
				if kfd.Kind() == protoreflect.Sfixed64Kind {
					key = strconv.FormatInt(int64(x), 10)
				} else {
					key = strconv.FormatUint(x, 10)
				}
			}
		}
		b = b[n+m:]
	}
	return key, nil
}
