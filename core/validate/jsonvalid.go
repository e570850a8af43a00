package validate

// validJSON reports whether s is one JSON value (RFC 8259) with optional
// surrounding white space: exactly the inputs encoding/json.Valid accepts,
// without its allocations (the []byte copy of the string and the scanner).
// Like encoding/json it checks bytes, not UTF-8 (invalid UTF-8 inside a
// string literal is accepted), and refuses nesting deeper than 10,000
// arrays and objects. jsonvalid_test.go compares the two on generated and
// fuzzed inputs.
func validJSON(s string) bool {
	// kinds[d] bit: the container at depth d is an object (1) or an array (0).
	var kinds [jsonMaxDepth/64 + 1]uint64
	depth := 0
	i := skipJSONSpace(s, 0)
	for {
		// A value starts at i.
		if i >= len(s) {
			return false
		}
		c := s[i]
		switch {
		case c == '{' || c == '[':
			if depth == jsonMaxDepth {
				return false
			}
			if c == '{' {
				kinds[depth>>6] |= 1 << (depth & 63)
			} else {
				kinds[depth>>6] &^= 1 << (depth & 63)
			}
			depth++
			i = skipJSONSpace(s, i+1)
			if i < len(s) && (c == '{' && s[i] == '}' || c == '[' && s[i] == ']') {
				depth--
				i++
				break // an empty container is a complete value
			}
			if c == '{' {
				var ok bool
				if i, ok = jsonMember(s, i); !ok {
					return false
				}
			}
			continue // the first value of the container
		case c == '"':
			var ok bool
			if i, ok = jsonString(s, i); !ok {
				return false
			}
		case c == '-' || ('0' <= c && c <= '9'):
			var ok bool
			if i, ok = jsonNumber(s, i); !ok {
				return false
			}
		case c == 't':
			if !hasPrefixAt(s, i, "true") {
				return false
			}
			i += 4
		case c == 'f':
			if !hasPrefixAt(s, i, "false") {
				return false
			}
			i += 5
		case c == 'n':
			if !hasPrefixAt(s, i, "null") {
				return false
			}
			i += 4
		default:
			return false
		}
		// A value ends at i: close containers until one continues.
		for {
			i = skipJSONSpace(s, i)
			if depth == 0 {
				return i == len(s)
			}
			if i >= len(s) {
				return false
			}
			object := kinds[(depth-1)>>6]>>((depth-1)&63)&1 == 1
			c := s[i]
			if c == ',' {
				i = skipJSONSpace(s, i+1)
				if object {
					var ok bool
					if i, ok = jsonMember(s, i); !ok {
						return false
					}
				}
				break
			}
			if object && c == '}' || !object && c == ']' {
				depth--
				i++
				continue
			}
			return false
		}
	}
}

// jsonMaxDepth is encoding/json's nesting limit.
const jsonMaxDepth = 10000

func skipJSONSpace(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func hasPrefixAt(s string, i int, lit string) bool {
	return len(s)-i >= len(lit) && s[i:i+len(lit)] == lit
}

// jsonMember reads `"key" :` and the white space after it, from i (at the
// key); it returns the start of the member's value.
func jsonMember(s string, i int) (int, bool) {
	if i >= len(s) || s[i] != '"' {
		return i, false
	}
	i, ok := jsonString(s, i)
	if !ok {
		return i, false
	}
	i = skipJSONSpace(s, i)
	if i >= len(s) || s[i] != ':' {
		return i, false
	}
	return skipJSONSpace(s, i+1), true
}

// jsonString reads a string literal from i (at its opening quote) and
// returns the index after its closing quote.
func jsonString(s string, i int) (int, bool) {
	for i++; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return i + 1, true
		case c < 0x20:
			return i, false
		case c == '\\':
			i++
			if i >= len(s) {
				return i, false
			}
			switch s[i] {
			case 'b', 'f', 'n', 'r', 't', '\\', '/', '"':
			case 'u':
				if len(s)-i <= 4 {
					return i, false
				}
				for k := i + 1; k < i+5; k++ {
					if h := s[k]; !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return i, false
					}
				}
				i += 4
			default:
				return i, false
			}
		}
	}
	return i, false
}

// jsonNumber reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? from i.
func jsonNumber(s string, i int) (int, bool) {
	if s[i] == '-' {
		i++
	}
	switch {
	case i >= len(s):
		return i, false
	case s[i] == '0':
		i++
	case '1' <= s[i] && s[i] <= '9':
		i = jsonDigits(s, i+1)
	default:
		return i, false
	}
	if i < len(s) && s[i] == '.' {
		j := jsonDigits(s, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := jsonDigits(s, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

func jsonDigits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}
