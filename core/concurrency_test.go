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

// TestConcurrentCallsMatchSequentialOnes replays every vector case (all
// areas, no sampling) from 16 goroutines at once: each case is run by
// `runsPerCase` different goroutines, each starting at a different point of
// the list, and must give the bytes it gives alone. `make test` runs it under
// the race detector (test-race), which checks that the operation layer keeps
// no unsynchronised shared state — the thread-safety promise of peat.h.
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
	total := 0
	for area, m := range all {
		for _, c := range m.Cases {
			total++
			st, out, _ := vectors.Exec(area, c)
			runs = append(runs, run{area, c, out, st.Name()})
		}
	}
	require.NotEmpty(t, runs)
	const goroutines, runsPerCase = 16, 2
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := make([]int, len(runs)) // how many goroutines ran each case
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			// Goroutine g takes the cases k with k % (goroutines/runsPerCase)
			// == g % (goroutines/runsPerCase), starting at a different offset.
			stride := goroutines / runsPerCase
			mine := make([]int, 0, len(runs)/stride+1)
			for k := g % stride; k < len(runs); k += stride {
				mine = append(mine, k)
			}
			for j := range mine {
				k := mine[(j+g*7)%len(mine)]
				r := runs[k]
				mu.Lock()
				done[k]++
				mu.Unlock()
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
	// The claim is "every vector": check that each case ran concurrently.
	require.Equal(t, total, len(runs))
	for k, n := range done {
		require.Equalf(t, runsPerCase, n, "%s/%s ran %d times", runs[k].area, runs[k].c.Name, n)
	}
	// The registry and codec are shared too: exercise them directly.
	_, err = core.Types()
	require.NoError(t, err)
	_, err = core.Convert("cap.node.v1.NodeConfig", codec.Binary, codec.JSON, nil)
	require.NoError(t, err)
}
