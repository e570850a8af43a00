package compress

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// rssCeiling is the ceiling the peak-memory tests decompress at: 256 MiB,
// or the full 1 GiB with PEAT_RSS_FULL=1 (slower; for long test runs).
func rssCeiling() int {
	if os.Getenv("PEAT_RSS_FULL") != "" {
		return MaxDecompressedCap
	}
	return 256 << 20
}

// rssBound is the peak RSS allowed for decompressing size bytes: the output
// plus a quarter, plus a constant for the Go runtime, the test binary, the
// decoder's tables and a streaming window.
func rssBound(size int) int64 { return int64(size) + int64(size)/4 + 48<<20 }

// TestDecompressPeakRSS decompresses frames of exactly the ceiling in a
// child process (declared content size; no declared size with RLE blocks;
// no declared size with compressed blocks) and checks the child's peak
// resident memory. Before issue 13 the buffer doubling alone reached 2-3x
// the output.
func TestDecompressPeakRSS(t *testing.T) {
	if path := os.Getenv("PEAT_RSS_CHILD"); path != "" {
		frame, err := os.ReadFile(path)
		require.NoError(t, err)
		size, _ := strconv.Atoi(os.Getenv("PEAT_RSS_SIZE"))
		out, err := Decompress(frame, uint64(size))
		require.NoError(t, err)
		require.Len(t, out, size)
		reportPeakRSS(t)
		return
	}
	size := rssCeiling()
	frames := map[string][]byte{
		"declared size": rleFrame(size, 0x5a, true),
		"no size, RLE":  rleFrame(size, 0x5a, false),
		"no size, compressed": func() []byte {
			return streamed(t, pattern(size), 0)
		}(),
	}
	for name, frame := range frames {
		rss := childPeakRSS(t, "TestDecompressPeakRSS", frame, size)
		t.Logf("%s: %d-byte frame, %d MiB out, peak RSS %d MiB", name, len(frame), size>>20, rss>>20)
		require.LessOrEqual(t, rss, rssBound(size), "%s: peak RSS %d MiB for %d MiB of output", name, rss>>20, size>>20)
	}
}

// childPeakRSS runs test in a child process of this test binary with the
// frame in a file and returns the peak RSS the child reports.
func childPeakRSS(t *testing.T, test string, frame []byte, size int) int64 {
	t.Helper()
	path := filepath.Join(t.TempDir(), "frame.zst")
	require.NoError(t, os.WriteFile(path, frame, 0o600))
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "PEAT_RSS_CHILD="+path, fmt.Sprintf("PEAT_RSS_SIZE=%d", size))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	m := regexp.MustCompile(`PEAT_PEAK_RSS=(\d+)`).FindSubmatch(out)
	require.NotNil(t, m, "%s", out)
	kb, err := strconv.ParseInt(string(m[1]), 10, 64)
	require.NoError(t, err)
	return kb << 10
}

// reportPeakRSS prints this process's peak resident set (VmHWM). It is read
// in the child itself: the rusage of a child started by fork+exec also
// counts the parent's memory from before the exec.
func reportPeakRSS(t *testing.T) {
	status, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(status)
	require.NotNil(t, m)
	fmt.Printf("PEAT_PEAK_RSS=%s\n", m[1])
}
