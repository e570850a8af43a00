package directive

import (
	"fmt"
	"strconv"
	"time"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
)

// maxRFC3339Seconds is 9999-12-31T23:59:59Z: later times have no four-digit year.
const maxRFC3339Seconds = 253402300799

// FormatTime writes ts the way the reference (chrono) writes a UTC time:
// RFC 3339 with "Z" and a fraction of 0, 3, 6 or 9 digits, the shortest that
// is exact.
func FormatTime(ts *commonv1.Timestamp) (string, error) {
	if ts.GetNanos() > 999_999_999 {
		return "", fmt.Errorf("nanos %d is outside 0..999999999", ts.GetNanos())
	}
	if ts.GetSeconds() > maxRFC3339Seconds {
		return "", fmt.Errorf("seconds %d is after year 9999", ts.GetSeconds())
	}
	t := time.Unix(int64(ts.GetSeconds()), 0).UTC()
	s := t.Format("2006-01-02T15:04:05")
	n := ts.GetNanos()
	switch {
	case n == 0:
	case n%1_000_000 == 0:
		s += fmt.Sprintf(".%03d", n/1_000_000)
	case n%1_000 == 0:
		s += fmt.Sprintf(".%06d", n/1_000)
	default:
		s += fmt.Sprintf(".%09d", n)
	}
	return s + "Z", nil
}

// ParseTime reads an RFC 3339 time as the reference accepts it: "T" or a
// space between date and time, a fraction of 1 to 9 digits, and "Z", "+hh:mm"
// or "+hhmm" (converted to UTC). Times before 1970 cannot be represented by
// cap.common.v1.Timestamp and are refused.
func ParseTime(s string) (*commonv1.Timestamp, error) {
	bad := func(why string) error { return fmt.Errorf("invalid RFC 3339 time %q: %s", clip(s), why) }
	// YYYY-MM-DDTHH:MM:SS is 19 bytes.
	if len(s) < 20 {
		return nil, bad("too short")
	}
	num := func(from, to int) (int, bool) {
		v := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 7)
	day, ok3 := num(8, 10)
	hour, ok4 := num(11, 13)
	minute, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' {
		return nil, bad("want YYYY-MM-DDTHH:MM:SS")
	}
	if s[10] != 'T' && s[10] != ' ' {
		return nil, bad("want 'T' between date and time")
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return nil, bad("field out of range")
	}
	rest := s[19:]
	nanos := 0
	if rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		digits := rest[1:i]
		if len(digits) == 0 || len(digits) > 9 {
			return nil, bad("fraction must have 1 to 9 digits")
		}
		v, _ := strconv.Atoi(digits)
		for k := len(digits); k < 9; k++ {
			v *= 10
		}
		nanos = v
		rest = rest[i:]
	}
	offset := 0
	switch {
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, okh := numOf(rest[1:3])
		m, okm := numOf(rest[4:6])
		if !okh || !okm || h > 23 || m > 59 {
			return nil, bad("bad offset")
		}
		offset = h*3600 + m*60
	case len(rest) == 5 && (rest[0] == '+' || rest[0] == '-'):
		h, okh := numOf(rest[1:3])
		m, okm := numOf(rest[3:5])
		if !okh || !okm || h > 23 || m > 59 {
			return nil, bad("bad offset")
		}
		offset = h*3600 + m*60
	default:
		return nil, bad("want 'Z' or an offset such as +02:00")
	}
	if rest != "Z" && rest[0] == '-' {
		offset = -offset
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	unix := t.Unix() - int64(offset)
	if unix < 0 {
		return nil, bad("before 1970-01-01T00:00:00Z")
	}
	return &commonv1.Timestamp{Seconds: uint64(unix), Nanos: uint32(nanos)}, nil
}

func numOf(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// CompareTime orders two timestamps by (seconds, nanos); absent is the epoch.
func CompareTime(a, b *commonv1.Timestamp) int {
	switch {
	case a.GetSeconds() < b.GetSeconds():
		return -1
	case a.GetSeconds() > b.GetSeconds():
		return 1
	case a.GetNanos() < b.GetNanos():
		return -1
	case a.GetNanos() > b.GetNanos():
		return 1
	}
	return 0
}

// TimeOf converts a timestamp to a Go time (for RFC 3339 output in the CLI).
func TimeOf(ts *commonv1.Timestamp) time.Time {
	return time.Unix(int64(ts.GetSeconds()), int64(ts.GetNanos())).UTC()
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
