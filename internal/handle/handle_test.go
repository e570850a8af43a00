package handle

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/peat-protocol/libpeat/core/status"
)

func TestHandleLifecycle(t *testing.T) {
	tb := New(2)
	h, err := tb.Put(1, "a")
	require.NoError(t, err)
	assert.NotZero(t, h)
	assert.Equal(t, Kind(1), Kind(h&0xff))
	require.NoError(t, tb.With(h, 1, func(v any) error { assert.Equal(t, "a", v); return nil }))
	assert.Equal(t, CodeWrongKind, status.From(tb.With(h, 2, func(any) error { return nil })).Code)
	assert.False(t, tb.Free(h, 2), "a free of the wrong kind is a no-op")
	assert.True(t, tb.Free(h, 1))
	assert.False(t, tb.Free(h, 1), "double free is a no-op")
	assert.False(t, tb.Free(0, 1))
	assert.Equal(t, CodeInvalidHandle, status.From(tb.With(h, 1, func(any) error { return nil })).Code)
	assert.Equal(t, CodeInvalidHandle, status.From(tb.With(0, 0, func(any) error { return nil })).Code)
	h2, _ := tb.Put(1, "b")
	assert.NotEqual(t, h, h2, "numbers are never reused")
	_, _ = tb.Put(1, "c")
	_, err = tb.Put(1, "d")
	assert.Equal(t, CodeTooManyHandles, status.From(err).Code)
}

func TestHandleConcurrentUseAndFree(t *testing.T) {
	tb := New(100)
	h, _ := tb.Put(3, new(int))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				_ = tb.With(h, 3, func(v any) error { *(v.(*int))++; return nil })
			}
		}()
	}
	wg.Add(1)
	go func() { defer wg.Done(); tb.Free(h, 3) }()
	wg.Wait()
	assert.Equal(t, 0, tb.Live())
}
