package security

// Signed directives.
//
// A SignedDirective carries a directive's binary bytes, exactly as signed,
// and one or more Ed25519 signatures. Each signature covers
//
//	"peat.security.v1.SignedDirective" || 0x00 || uint32be(version) || directive
//
// The context string makes a libpeat signature useless for any other
// protocol that signs with the same key (and the reverse); the version binds
// the signature to the envelope format, so a later format cannot be
// downgraded into this one. The directive bytes are never re-encoded by a
// verifier: they are decoded only after enough signatures verified.
//
// Verification takes a trust set (public keys, each with an optional
// validity window, and a threshold of distinct signers) and the caller's
// "now"; libpeat reads no clock. A signature counts when its key is in the
// trust set, it verifies, and the key is valid at now; each key counts once
// however often it signed. Then the directive's issued_at must lie within
// max_age before now and within the future skew after it. Replay windows,
// revocation and key distribution stay with the application
// (docs/SECURITY.md).

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"sort"
	"time"

	"google.golang.org/protobuf/proto"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	securityv1 "github.com/peat-protocol/libpeat/core/pb/peat/security/v1"
	"github.com/peat-protocol/libpeat/core/status"
)

// Context is the domain-separation string of directive signatures.
const Context = "peat.security.v1.SignedDirective"

// Version is the only envelope version defined.
const Version = 1

// Limits of a trust set and an envelope.
const (
	MaxTrustedKeys = 256
	MaxSignatures  = 256
)

// DefaultFutureSkew is how far after now issued_at may lie by default.
const DefaultFutureSkew = 300 * time.Second

// Verification codes (VerifyResult.code, SignatureCheck.code).
const (
	CodeVerified           = "VERIFIED"
	CodeValid              = "VALID"
	CodeMalformedEnvelope  = "MALFORMED_ENVELOPE"
	CodeUnsupportedVersion = "UNSUPPORTED_VERSION"
	CodeMalformedDirective = "MALFORMED_DIRECTIVE"
	CodeNoSignatures       = "NO_SIGNATURES"
	CodeTooManySignatures  = "TOO_MANY_SIGNATURES"
	CodeUnknownKey         = "UNKNOWN_KEY"
	CodeMalformedSignature = "MALFORMED_SIGNATURE"
	CodeBadSignature       = "BAD_SIGNATURE"
	CodeKeyNotYetValid     = "KEY_NOT_YET_VALID"
	CodeKeyExpired         = "KEY_EXPIRED"
	CodeDuplicateSigner    = "DUPLICATE_SIGNER"
	CodeThresholdNotMet    = "THRESHOLD_NOT_MET"
	CodeDirectiveTooOld    = "DIRECTIVE_TOO_OLD"
	CodeIssuedInFuture     = "ISSUED_IN_FUTURE"
)

// Trust-set and request error codes (status INVALID_ARGUMENT).
const (
	CodeEmptyTrustSet        = "EMPTY_TRUST_SET"
	CodeTooManyKeys          = "TOO_MANY_KEYS"
	CodeDuplicateKeyID       = "DUPLICATE_KEY_ID"
	CodeKeyIDMismatch        = "KEY_ID_MISMATCH"
	CodeInvalidKeyWindow     = "INVALID_KEY_WINDOW"
	CodeThresholdUnreachable = "THRESHOLD_UNREACHABLE"
	CodeNowRequired          = "NOW_REQUIRED"
	CodeInvalidTime          = "INVALID_TIMESTAMP"
)

// Message returns the bytes a signature of version covers.
func Message(version uint32, directive []byte) []byte {
	m := make([]byte, 0, len(Context)+1+4+len(directive))
	m = append(m, Context...)
	m = append(m, 0)
	m = binary.BigEndian.AppendUint32(m, version)
	return append(m, directive...)
}

var deterministic = proto.MarshalOptions{Deterministic: true}

// Sign serves peat_directive_sign: it returns a serialized SignedDirective.
func Sign(req *securityv1.SignRequest) ([]byte, error) {
	if req.GetPrivateKeyPem() == "" {
		return nil, status.Errorf(status.InvalidArgument, "private_key_pem is required").WithCode("REQUIRED_FIELD").AtPath("private_key_pem")
	}
	priv, err := ParsePrivateKeyPEM([]byte(req.GetPrivateKeyPem()))
	if err != nil {
		return nil, status.From(err).AtPath("private_key_pem")
	}
	env := &securityv1.SignedDirective{Version: Version}
	switch s := req.GetSubject().(type) {
	case *securityv1.SignRequest_Directive:
		if env.Directive, err = deterministic.Marshal(s.Directive); err != nil {
			return nil, status.Errorf(status.Encode, "cannot encode the directive: %v", err)
		}
	case *securityv1.SignRequest_Envelope:
		if err := proto.Unmarshal(s.Envelope, env); err != nil {
			return nil, status.Errorf(status.Decode, "the envelope is not a SignedDirective: %v", err).WithCode(CodeMalformedEnvelope).AtPath("envelope")
		}
		if env.Version != Version {
			return nil, status.Errorf(status.Unsupported, "envelope version %d; this library signs version %d", env.Version, Version).WithCode(CodeUnsupportedVersion).AtPath("envelope")
		}
		if len(env.Signatures) >= MaxSignatures {
			return nil, status.Errorf(status.TooLarge, "the envelope already has %d signatures", len(env.Signatures)).WithCode(CodeTooManySignatures)
		}
	default:
		return nil, status.Errorf(status.InvalidArgument, "a directive or an envelope is required").WithCode("REQUIRED_FIELD").AtPath("subject")
	}
	pub := priv.Public().(ed25519.PublicKey)
	id := KeyID(pub)
	for _, s := range env.Signatures {
		if s.KeyId == id {
			return nil, status.Errorf(status.InvalidArgument, "key %s already signed this envelope", id).WithCode(CodeDuplicateSigner)
		}
	}
	sig := ed25519.Sign(priv, Message(env.Version, env.Directive))
	env.Signatures = append(env.Signatures, &securityv1.Signature{KeyId: id, Signature: sig})
	return deterministic.Marshal(env)
}

// trusted is one parsed TrustedKey.
type trusted struct {
	id        string
	pub       ed25519.PublicKey
	notBefore *time.Time
	notAfter  *time.Time
}

// TrustSet is a parsed, checked trust set.
type TrustSet struct {
	keys      map[string]*trusted
	threshold int
}

func badArg(code, path, format string, args ...any) *status.Error {
	return status.Errorf(status.InvalidArgument, format, args...).WithCode(code).AtPath(path)
}

func timeOf(ts *commonv1.Timestamp, path string) (time.Time, error) {
	if ts.GetNanos() > 999_999_999 || ts.GetSeconds() > 1<<62 {
		return time.Time{}, badArg(CodeInvalidTime, path, "timestamp out of range")
	}
	return time.Unix(int64(ts.GetSeconds()), int64(ts.GetNanos())).UTC(), nil
}

// ParseTrustSet checks a trust set: at least one key, each an Ed25519 SPKI
// PEM, no key twice, a pinned key id that matches, a window with not_before
// before not_after, and a threshold the keys can reach.
func ParseTrustSet(ts *securityv1.TrustSet, path string) (*TrustSet, error) {
	n := len(ts.GetKeys())
	if n == 0 {
		return nil, badArg(CodeEmptyTrustSet, path+".keys", "the trust set has no key: nothing could verify")
	}
	if n > MaxTrustedKeys {
		return nil, badArg(CodeTooManyKeys, path+".keys", "the trust set has %d keys, over the limit of %d", n, MaxTrustedKeys)
	}
	out := &TrustSet{keys: map[string]*trusted{}, threshold: int(ts.GetThreshold())}
	if out.threshold == 0 {
		out.threshold = 1
	}
	for i, k := range ts.GetKeys() {
		at := fmt.Sprintf("%s.keys[%d]", path, i)
		pub, err := ParsePublicKeyPEM([]byte(k.GetPublicKeyPem()))
		if err != nil {
			return nil, status.From(err).AtPath(at + ".public_key_pem")
		}
		t := &trusted{id: KeyID(pub), pub: pub}
		if k.GetKeyId() != "" && k.GetKeyId() != t.id {
			return nil, badArg(CodeKeyIDMismatch, at+".key_id", "key_id %q is not the key's id %s", clip(k.GetKeyId()), t.id)
		}
		if _, dup := out.keys[t.id]; dup {
			return nil, badArg(CodeDuplicateKeyID, at, "key %s is in the trust set twice", t.id)
		}
		if k.NotBefore != nil {
			nb, err := timeOf(k.NotBefore, at+".not_before")
			if err != nil {
				return nil, err
			}
			t.notBefore = &nb
		}
		if k.NotAfter != nil {
			na, err := timeOf(k.NotAfter, at+".not_after")
			if err != nil {
				return nil, err
			}
			t.notAfter = &na
		}
		if t.notBefore != nil && t.notAfter != nil && !t.notBefore.Before(*t.notAfter) {
			return nil, badArg(CodeInvalidKeyWindow, at, "not_before is not before not_after: the key could never be valid")
		}
		out.keys[t.id] = t
	}
	if out.threshold > len(out.keys) {
		return nil, badArg(CodeThresholdUnreachable, path+".threshold", "threshold %d is more than the %d trusted keys", out.threshold, len(out.keys))
	}
	return out, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// Verify serves peat_directive_verify. Problems of the request (trust set,
// now) are errors; problems of the envelope are a result with verified =
// false and a code.
func Verify(req *securityv1.VerifyRequest) (*securityv1.VerifyResult, error) {
	trust, err := ParseTrustSet(req.GetTrust(), "trust")
	if err != nil {
		return nil, err
	}
	if req.Now == nil {
		return nil, badArg(CodeNowRequired, "now", "now is required: libpeat reads no clock")
	}
	now, err := timeOf(req.Now, "now")
	if err != nil {
		return nil, err
	}
	skew := DefaultFutureSkew
	if req.MaxFutureSkewSeconds != nil {
		if *req.MaxFutureSkewSeconds > 1<<32 {
			return nil, badArg(CodeInvalidTime, "max_future_skew_seconds", "max_future_skew_seconds is out of range")
		}
		skew = time.Duration(*req.MaxFutureSkewSeconds) * time.Second
	}
	if req.MaxAgeSeconds != nil && *req.MaxAgeSeconds > 1<<40 {
		return nil, badArg(CodeInvalidTime, "max_age_seconds", "max_age_seconds is out of range")
	}
	res := &securityv1.VerifyResult{Threshold: uint32(trust.threshold)}
	fail := func(code, format string, args ...any) (*securityv1.VerifyResult, error) {
		res.Verified = false
		res.Code = code
		res.Message = fmt.Sprintf(format, args...)
		res.Directive = nil
		return res, nil
	}

	env := &securityv1.SignedDirective{}
	if err := proto.Unmarshal(req.GetEnvelope(), env); err != nil {
		return fail(CodeMalformedEnvelope, "the envelope is not a SignedDirective: %v", err)
	}
	if env.Version != Version {
		return fail(CodeUnsupportedVersion, "envelope version %d; this library verifies version %d", env.Version, Version)
	}
	if len(env.Signatures) == 0 {
		return fail(CodeNoSignatures, "the envelope has no signature")
	}
	if len(env.Signatures) > MaxSignatures {
		return fail(CodeTooManySignatures, "the envelope has %d signatures, over the limit of %d", len(env.Signatures), MaxSignatures)
	}
	msg := Message(env.Version, env.Directive)
	signed := map[string]bool{}
	codes := map[string]bool{}
	for i, s := range env.Signatures {
		c := &securityv1.SignatureCheck{Index: uint32(i), KeyId: clip(s.KeyId)}
		k := trust.keys[s.KeyId]
		switch {
		case k == nil:
			c.Code, c.Message = CodeUnknownKey, "no key with this id in the trust set"
		case len(s.Signature) != ed25519.SignatureSize:
			c.Code, c.Message = CodeMalformedSignature, fmt.Sprintf("signature is %d bytes, not %d", len(s.Signature), ed25519.SignatureSize)
		case !ed25519.Verify(k.pub, msg, s.Signature):
			c.Code, c.Message = CodeBadSignature, "the signature does not verify with this key"
		case k.notBefore != nil && now.Before(*k.notBefore):
			c.Code, c.Message = CodeKeyNotYetValid, "the key is valid from "+k.notBefore.Format(time.RFC3339Nano)
		case k.notAfter != nil && !now.Before(*k.notAfter):
			c.Code, c.Message = CodeKeyExpired, "the key was valid until "+k.notAfter.Format(time.RFC3339Nano)
		case signed[k.id]:
			c.Code, c.Message = CodeDuplicateSigner, "this key already signed; it counts once"
		default:
			c.Code, c.Message = CodeValid, "verified"
			signed[k.id] = true
		}
		codes[c.Code] = true
		res.Signatures = append(res.Signatures, c)
	}
	for id := range signed {
		res.VerifiedKeyIds = append(res.VerifiedKeyIds, id)
	}
	sort.Strings(res.VerifiedKeyIds)
	if len(signed) < trust.threshold {
		if len(signed) == 0 && len(codes) == 1 {
			c := res.Signatures[0]
			return fail(c.Code, "signature by key %s: %s", c.KeyId, c.Message)
		}
		return fail(CodeThresholdNotMet, "%d of the %d required distinct trusted keys signed validly", len(signed), trust.threshold)
	}

	d := &directivev1.DeploymentDirective{}
	if err := proto.Unmarshal(env.Directive, d); err != nil {
		return fail(CodeMalformedDirective, "the signed bytes are not a DeploymentDirective: %v", err)
	}
	if d.IssuedAt == nil || d.IssuedAt.Nanos > 999_999_999 || d.IssuedAt.Seconds > 1<<62 {
		return fail(CodeMalformedDirective, "the directive has no valid issued_at")
	}
	issued := time.Unix(int64(d.IssuedAt.Seconds), int64(d.IssuedAt.Nanos)).UTC()
	if issued.Sub(now) > skew {
		return fail(CodeIssuedInFuture, "issued at %s, more than %s after now", issued.Format(time.RFC3339Nano), skew)
	}
	if req.MaxAgeSeconds != nil && now.Sub(issued) > time.Duration(*req.MaxAgeSeconds)*time.Second {
		return fail(CodeDirectiveTooOld, "issued at %s, more than %d s before now", issued.Format(time.RFC3339Nano), *req.MaxAgeSeconds)
	}
	res.Verified = true
	res.Code = CodeVerified
	res.Message = fmt.Sprintf("verified by %d of %d required keys", len(signed), trust.threshold)
	res.Directive = d
	return res, nil
}
