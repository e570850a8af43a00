package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDecompressPeakRSS runs peat_decompress's work at the ceiling in a child
// process and checks the child's peak resident memory: the output is
// decoded straight into the malloc'ed block handed to the caller, so the
// peak is that block plus a constant — not a Go buffer plus its growth plus
// a copy into C (4.2 GB at the 1 GiB ceiling before issue 13). 256 MiB by
// default; PEAT_RSS_FULL=1 checks the full 1 GiB ceiling.
func TestDecompressPeakRSS(t *testing.T) {
	if path := os.Getenv("PEAT_RSS_CHILD"); path != "" {
		frame, err := os.ReadFile(path)
		require.NoError(t, err)
		size, _ := strconv.Atoi(os.Getenv("PEAT_RSS_SIZE"))
		out, err := decompress(frame, uint64(size))
		require.NoError(t, err)
		require.Equal(t, size, len(out))
		require.Equal(t, byte(0x5a), out[size-1])
		cAlloc{}.Free(out)
		status, err := os.ReadFile("/proc/self/status")
		require.NoError(t, err)
		m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(status)
		require.NotNil(t, m)
		fmt.Printf("PEAT_PEAK_RSS=%s\n", m[1])
		return
	}
	size := 256 << 20
	if os.Getenv("PEAT_RSS_FULL") != "" {
		size = 1 << 30
	}
	for _, withFCS := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "frame.zst")
		require.NoError(t, os.WriteFile(path, rleFrame(size, 0x5a, withFCS), 0o600))
		cmd := exec.Command(os.Args[0], "-test.run=^TestDecompressPeakRSS$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "PEAT_RSS_CHILD="+path, fmt.Sprintf("PEAT_RSS_SIZE=%d", size))
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		m := regexp.MustCompile(`PEAT_PEAK_RSS=(\d+)`).FindSubmatch(out)
		require.NotNil(t, m, "%s", out)
		kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
		rss, bound := kb<<10, int64(size)+int64(size)/4+48<<20
		t.Logf("content size declared: %v; %d MiB out, peak RSS %d MiB", withFCS, size>>20, rss>>20)
		require.LessOrEqual(t, rss, bound, "peak RSS %d MiB for %d MiB of output", rss>>20, size>>20)
	}
}

// rleFrame builds a zstd frame of size bytes of v from RLE blocks (4 bytes
// per 128 KiB), with or without its content size; 8 MiB window.
func rleFrame(size int, v byte, withFCS bool) []byte {
	b := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x68}
	if withFCS {
		b[4] = 0x80 // a 4-byte Frame_Content_Size follows the window
		b = binary.LittleEndian.AppendUint32(b, uint32(size))
	}
	for left := size; left > 0; {
		n := min(left, 128<<10)
		left -= n
		bh := uint32(1)<<1 | uint32(n)<<3 // RLE block
		if left == 0 {
			bh |= 1
		}
		b = append(b, byte(bh), byte(bh>>8), byte(bh>>16), v)
	}
	return b
}
