package security

// Artifact verification.
//
// A Verifier checks, incrementally, that a stream of bytes is the artifact a
// directive names: exactly size_bytes bytes whose digest is blob_hash
// ("sha256:" or "blake3:" + 64 lowercase hex digits) and, when the artifact
// also carries a sha256, whose SHA-256 is that. It holds only the hash
// states (a few hundred bytes for SHA-256, about 2 KiB for BLAKE3's chunk
// stack), whatever the size of the blob. Bytes past size_bytes are refused
// as soon as they arrive (ARTIFACT_EXCESS), so a node can stop a download
// that runs long; Finish compares size first (ARTIFACT_TRUNCATED), then the
// digests (ARTIFACT_DIGEST_MISMATCH, ARTIFACT_SHA256_MISMATCH) in constant
// time. Once failed or finished, a verifier keeps its outcome: every later
// Finish returns the same, every later Write is refused.

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"regexp"
	"strings"

	"lukechampine.com/blake3"

	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	securityv1 "github.com/peat-protocol/libpeat/core/pb/peat/security/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Artifact codes.
const (
	CodeArtifactExcess         = "ARTIFACT_EXCESS"          // more bytes than size_bytes
	CodeArtifactTruncated      = "ARTIFACT_TRUNCATED"       // fewer bytes than size_bytes at finish
	CodeArtifactDigestMismatch = "ARTIFACT_DIGEST_MISMATCH" // the blob_hash digest differs
	CodeArtifactSHA256Mismatch = "ARTIFACT_SHA256_MISMATCH" // the optional sha256 differs
	CodeArtifactFinished       = "ARTIFACT_FINISHED"        // update after finish or after a failure
)

var (
	blobHash  = regexp.MustCompile(`^(sha256|blake3):[0-9a-f]{64}$`)
	sha256Hex = regexp.MustCompile(`^(sha256:)?[0-9a-f]{64}$`)
)

// Verifier is one streaming artifact check. It is not safe for concurrent
// use; the C ABI's handle table locks each verifier.
type Verifier struct {
	alg     securityv1.HashAlgorithm
	want    []byte
	wantSHA []byte // the optional sha256 field, when the blob hash is not already it
	size    uint64
	n       uint64
	h       hash.Hash
	sha     hash.Hash // for wantSHA
	prefix  string
	done    bool
	outcome *securityv1.ArtifactResult
	err     error
}

// NewVerifier starts a check of the artifact spec: size_bytes (> 0) and a
// well-formed blob_hash are required (INVALID_ARGUMENT, codes INVALID_NUMBER
// and INVALID_HASH, as the validator names them).
func NewVerifier(a *directivev1.ArtifactSpec) (*Verifier, error) {
	if a == nil {
		return nil, badArg("REQUIRED_FIELD", "", "an artifact spec is required")
	}
	if a.GetSizeBytes() == 0 {
		return nil, badArg("INVALID_NUMBER", "size_bytes", "size_bytes is 0: an artifact cannot be empty")
	}
	bh := a.GetBlobHash()
	if !blobHash.MatchString(bh) {
		return nil, badArg("INVALID_HASH", "blob_hash", "blob_hash %q is not \"sha256:\" or \"blake3:\" + 64 lowercase hex digits", clip(bh))
	}
	v := &Verifier{size: a.GetSizeBytes()}
	alg, digest, _ := strings.Cut(bh, ":")
	v.want, _ = hex.DecodeString(digest)
	v.prefix = alg + ":"
	if alg == "sha256" {
		v.alg, v.h = securityv1.HashAlgorithm_HASH_ALGORITHM_SHA256, sha256.New()
	} else {
		v.alg, v.h = securityv1.HashAlgorithm_HASH_ALGORITHM_BLAKE3, blake3.New(32, nil)
	}
	if a.Sha256 != nil {
		s := a.GetSha256()
		if !sha256Hex.MatchString(s) {
			return nil, badArg("INVALID_HASH", "sha256", "sha256 %q is not 64 lowercase hex digits", clip(s))
		}
		v.wantSHA, _ = hex.DecodeString(strings.TrimPrefix(s, "sha256:"))
		if v.alg != securityv1.HashAlgorithm_HASH_ALGORITHM_SHA256 {
			v.sha = sha256.New()
		}
	}
	return v, nil
}

func notVerified(code, format string, args ...any) *status.Error {
	return status.Errorf(status.NotVerified, format, args...).WithCode(code)
}

// Write adds the next chunk. It refuses bytes past size_bytes
// (ARTIFACT_EXCESS; the verifier then stays failed) and any write after
// Finish or a failure (ARTIFACT_FINISHED).
func (v *Verifier) Write(p []byte) error {
	if v.err != nil {
		return status.Errorf(status.InvalidArgument, "the verifier already failed: %s", status.From(v.err).Code).WithCode(CodeArtifactFinished)
	}
	if v.done {
		return status.Errorf(status.InvalidArgument, "the verifier is finished").WithCode(CodeArtifactFinished)
	}
	if uint64(len(p)) > v.size-v.n {
		v.err = notVerified(CodeArtifactExcess, "more than the artifact's %d bytes (%d after this chunk)", v.size, v.n+uint64(len(p)))
		return v.err
	}
	v.n += uint64(len(p))
	v.h.Write(p)
	if v.sha != nil {
		v.sha.Write(p)
	}
	return nil
}

// Finish compares size and digests. It may be called again: it returns the
// same outcome.
func (v *Verifier) Finish() (*securityv1.ArtifactResult, error) {
	if v.err != nil {
		return nil, v.err
	}
	if v.done {
		return v.outcome, nil
	}
	v.done = true
	if v.n < v.size {
		v.err = notVerified(CodeArtifactTruncated, "%d bytes of the artifact's %d (%d missing)", v.n, v.size, v.size-v.n)
		return nil, v.err
	}
	got := v.h.Sum(nil)
	if subtle.ConstantTimeCompare(got, v.want) != 1 {
		v.err = notVerified(CodeArtifactDigestMismatch, "the bytes' %s%s is not the blob_hash", v.prefix, hex.EncodeToString(got))
		return nil, v.err
	}
	checked := false
	if v.wantSHA != nil {
		s := got
		if v.sha != nil {
			s = v.sha.Sum(nil)
		}
		if subtle.ConstantTimeCompare(s, v.wantSHA) != 1 {
			v.err = notVerified(CodeArtifactSHA256Mismatch, "the bytes' sha256 %s is not the artifact's sha256", hex.EncodeToString(s))
			return nil, v.err
		}
		checked = true
	}
	v.outcome = &securityv1.ArtifactResult{Digest: v.prefix + hex.EncodeToString(got), SizeBytes: v.n, Algorithm: v.alg, Sha256Checked: checked}
	return v.outcome, nil
}

// Seen returns the number of bytes accepted so far.
func (v *Verifier) Seen() uint64 { return v.n }
