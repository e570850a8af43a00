package validate

import "time"

//go:generate go tool mockgen -source=clock.go -destination=clock_mock_test.go -package=validate_test

// Clock supplies "now" when the caller's options do not.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
