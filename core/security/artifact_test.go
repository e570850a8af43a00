package security_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"lukechampine.com/blake3"

	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	"github.com/peat-protocol/libpeat/core/security"
	"github.com/peat-protocol/libpeat/core/status"
)

func spec(blob []byte, alg string) *directivev1.ArtifactSpec {
	var sum []byte
	if alg == "sha256" {
		s := sha256.Sum256(blob)
		sum = s[:]
	} else {
		s := blake3.Sum256(blob)
		sum = s[:]
	}
	return &directivev1.ArtifactSpec{BlobHash: alg + ":" + hex.EncodeToString(sum), SizeBytes: uint64(len(blob))}
}

func feed(t *testing.T, v *security.Verifier, blob []byte, chunk int) error {
	t.Helper()
	for len(blob) > 0 {
		n := min(chunk, len(blob))
		if err := v.Write(blob[:n]); err != nil {
			return err
		}
		blob = blob[n:]
	}
	_, err := v.Finish()
	return err
}

func TestArtifactVerifier(t *testing.T) {
	blob := []byte(strings.Repeat("peat artifact ", 10000))
	for _, alg := range []string{"sha256", "blake3"} {
		for _, chunk := range []int{1, 7, 4096, len(blob)} {
			v, err := security.NewVerifier(spec(blob, alg))
			require.NoError(t, err)
			require.NoError(t, feed(t, v, blob, chunk), "%s chunk %d", alg, chunk)
			res, err := v.Finish()
			require.NoError(t, err, "finish again gives the same")
			assert.Equal(t, spec(blob, alg).BlobHash, res.Digest)
		}
		check := func(name string, data []byte, s *directivev1.ArtifactSpec, want string) {
			v, err := security.NewVerifier(s)
			require.NoError(t, err)
			err = feed(t, v, data, 1000)
			assert.Equal(t, status.NotVerified, status.Of(err), name)
			assert.Equal(t, want, status.From(err).Code, name)
			_, err2 := v.Finish()
			assert.Equal(t, want, status.From(err2).Code, "%s: the outcome sticks", name)
			assert.Equal(t, security.CodeArtifactFinished, status.From(v.Write([]byte{1})).Code, name)
		}
		check(alg+" one byte short", blob[:len(blob)-1], spec(blob, alg), security.CodeArtifactTruncated)
		check(alg+" one byte long", append([]byte(nil), append(blob, 'x')...), spec(blob, alg), security.CodeArtifactExcess)
		bad := append([]byte(nil), blob...)
		bad[len(bad)/2] ^= 1
		check(alg+" one bit flipped", bad, spec(blob, alg), security.CodeArtifactDigestMismatch)
		s := spec(blob, alg)
		s.Sha256 = ptr(strings.Repeat("0", 64))
		check(alg+" sha256 field differs", blob, s, map[string]string{"sha256": security.CodeArtifactSHA256Mismatch, "blake3": security.CodeArtifactSHA256Mismatch}[alg])
	}
	// blake3 blob hash and a matching sha256 field: both checked.
	s := spec(blob, "blake3")
	sh := sha256.Sum256(blob)
	s.Sha256 = ptr("sha256:" + hex.EncodeToString(sh[:]))
	v, _ := security.NewVerifier(s)
	require.NoError(t, feed(t, v, blob, 999))
	res, _ := v.Finish()
	assert.True(t, res.Sha256Checked)

	for name, s := range map[string]*directivev1.ArtifactSpec{
		"nil": nil, "size 0": {BlobHash: spec(blob, "sha256").BlobHash},
		"bad hash": {BlobHash: "sha256:abc", SizeBytes: 1}, "md5": {BlobHash: "md5:" + strings.Repeat("a", 64), SizeBytes: 1},
		"bad sha256": {BlobHash: spec(blob, "sha256").BlobHash, SizeBytes: 1, Sha256: ptr("xyz")},
	} {
		_, err := security.NewVerifier(s)
		assert.Equal(t, status.InvalidArgument, status.Of(err), name)
	}
}

func ptr[T any](v T) *T { return &v }

// rssBlob is the size the constant-memory test streams: 256 MiB, or 1 GiB
// with PEAT_RSS_FULL=1.
func rssBlob() int {
	if os.Getenv("PEAT_RSS_FULL") != "" {
		return 1 << 30
	}
	return 256 << 20
}

// TestArtifactStreamPeakRSS streams a blob generated on the fly, in 1 MiB
// chunks, through a verifier in a child process and checks the child's
// peak resident memory is a constant (about the runtime plus one chunk),
// not the blob.
func TestArtifactStreamPeakRSS(t *testing.T) {
	if os.Getenv("PEAT_RSS_CHILD") != "" {
		size, _ := strconv.Atoi(os.Getenv("PEAT_RSS_SIZE"))
		alg := os.Getenv("PEAT_RSS_ALG")
		chunk := make([]byte, 1<<20)
		// The expected digest: one pass over the same generated stream.
		gen := func(i int) []byte {
			for j := range chunk {
				chunk[j] = byte(i*31 + j*7)
			}
			return chunk
		}
		var want []byte
		if alg == "sha256" {
			h := sha256.New()
			for i := 0; i < size>>20; i++ {
				h.Write(gen(i))
			}
			want = h.Sum(nil)
		} else {
			h := blake3.New(32, nil)
			for i := 0; i < size>>20; i++ {
				h.Write(gen(i))
			}
			want = h.Sum(nil)
		}
		v, err := security.NewVerifier(&directivev1.ArtifactSpec{BlobHash: alg + ":" + hex.EncodeToString(want), SizeBytes: uint64(size)})
		require.NoError(t, err)
		for i := 0; i < size>>20; i++ {
			require.NoError(t, v.Write(gen(i)))
		}
		_, err = v.Finish()
		require.NoError(t, err)
		b, err := os.ReadFile("/proc/self/status")
		require.NoError(t, err)
		m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(b)
		require.NotNil(t, m)
		fmt.Printf("PEAT_PEAK_RSS=%s\n", m[1])
		return
	}
	size := rssBlob()
	for _, alg := range []string{"sha256", "blake3"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestArtifactStreamPeakRSS$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "PEAT_RSS_CHILD=1", fmt.Sprintf("PEAT_RSS_SIZE=%d", size), "PEAT_RSS_ALG="+alg)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		m := regexp.MustCompile(`PEAT_PEAK_RSS=(\d+)`).FindSubmatch(out)
		require.NotNil(t, m, "%s", out)
		kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
		t.Logf("%s: %d MiB streamed, peak RSS %d MiB", alg, size>>20, kb>>10)
		assert.Less(t, kb<<10, int64(48<<20), "%s: peak RSS must not grow with the blob", alg)
	}
}
