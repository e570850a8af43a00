package core_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/internal/vectors"
)

// TestConcurrentCallsMatchSequentialOnes replays every vector case from 16
// goroutines at once; each must give the bytes it gives alone. `make test`
// runs it under the race detector (test-race), which checks that the
// operation layer keeps no unsynchronised shared state — the thread-safety
// promise of peat.h.
func TestConcurrentCallsMatchSequentialOnes(t *testing.T) {
	all, err := vectors.Load()
	require.NoError(t, err)
	type run struct {
		area string
		c    vectors.Case
		out  []byte
		code string
	}
	var runs []run
	for area, m := range all {
		for i, c := range m.Cases {
			if i%3 != 0 { // a third of the cases keeps the race run short
				continue
			}
			st, out, _ := vectors.Exec(area, c)
			runs = append(runs, run{area, c, out, st.Name()})
		}
	}
	require.NotEmpty(t, runs)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := range runs {
				r := runs[(k+g*7)%len(runs)]
				st, out, _ := vectors.Exec(r.area, r.c)
				if st.Name() != r.code || string(out) != string(r.out) {
					errs <- fmt.Errorf("goroutine %d: %s/%s differs when run concurrently", g, r.area, r.c.Name)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// The registry and codec are shared too: exercise them directly.
	_, err = core.Types()
	require.NoError(t, err)
	_, err = core.Convert("cap.node.v1.NodeConfig", codec.Binary, codec.JSON, nil)
	require.NoError(t, err)
}
