package core

import (
	"github.com/peat-protocol/libpeat/core/codec"
	"github.com/peat-protocol/libpeat/core/directive"
	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	securityv1 "github.com/peat-protocol/libpeat/core/pb/peat/security/v1"
	"github.com/peat-protocol/libpeat/core/security"
	"github.com/peat-protocol/libpeat/core/status"
	"github.com/peat-protocol/libpeat/internal/handle"
)

// KeyGenerate returns a serialized peat.security.v1.KeyPair: a new Ed25519
// key in PKCS#8 and SPKI PEM, and its key id.
func KeyGenerate() ([]byte, error) {
	pub, priv, err := security.GenerateKey()
	if err != nil {
		return nil, err
	}
	return encodeResult(&securityv1.KeyPair{PrivateKeyPem: security.PrivateKeyPEM(priv),
		PublicKeyPem: security.PublicKeyPEM(pub), KeyId: security.KeyID(pub)})
}

// KeyInspect takes a private or public key PEM and returns a serialized
// peat.security.v1.KeyInfo (key id, public key PEM, whether it was private).
func KeyInspect(pemText []byte) ([]byte, error) {
	pub, private, err := security.InspectKey(pemText)
	if err != nil {
		return nil, err
	}
	return encodeResult(&securityv1.KeyInfo{KeyId: security.KeyID(pub), PublicKeyPem: security.PublicKeyPEM(pub), IsPrivate: private})
}

// DirectiveSign takes a serialized peat.security.v1.SignRequest and returns
// the serialized SignedDirective.
func DirectiveSign(in []byte) ([]byte, error) {
	req := &securityv1.SignRequest{}
	if err := decodeRequest(in, req); err != nil {
		return nil, err
	}
	return security.Sign(req)
}

// DirectiveVerify takes a serialized peat.security.v1.VerifyRequest and
// returns a serialized VerifyResult (verified or not, and why).
func DirectiveVerify(in []byte) ([]byte, error) {
	req := &securityv1.VerifyRequest{}
	if err := decodeRequest(in, req); err != nil {
		return nil, err
	}
	res, err := security.Verify(req)
	if err != nil {
		return nil, err
	}
	return encodeResult(res)
}

// DirectiveTargetSigned takes a serialized peat.security.v1.SignedTargetRequest:
// it verifies the envelope and, only if it verified, targets its directive.
// An envelope that does not verify is status NOT_VERIFIED with the verify
// result's code. It returns a serialized SignedTargetDecision.
func DirectiveTargetSigned(in []byte) ([]byte, error) {
	req := &securityv1.SignedTargetRequest{}
	if err := decodeRequest(in, req); err != nil {
		return nil, err
	}
	if req.Verify == nil {
		return nil, status.Errorf(status.InvalidArgument, "the request has no verify request").WithCode("REQUIRED_FIELD").AtPath("verify")
	}
	res, err := security.Verify(req.Verify)
	if err != nil {
		return nil, status.From(err).AtPath(joinPath("verify", status.From(err).Path))
	}
	if !res.Verified {
		return nil, status.Errorf(status.NotVerified, "the envelope is not verified: %s", res.Message).WithCode(res.Code).AtPath("verify.envelope")
	}
	d, err := directive.Target(&directivev1.TargetRequest{Directive: res.Directive, NodeConfig: req.NodeConfig,
		NodeState: req.NodeState, Resources: req.Resources})
	if err != nil {
		return nil, err
	}
	return encodeResult(&securityv1.SignedTargetDecision{Decision: d, Directive: res.Directive, VerifiedKeyIds: res.VerifiedKeyIds})
}

func joinPath(a, b string) string {
	if b == "" {
		return a
	}
	return a + "." + b
}

// Stateful handles (include/peat.h rule 9). Kinds are the low byte of a
// handle; 0 is never used so that a zeroed handle is never of any kind.
const (
	KindArtifact handle.Kind = 1
	// MaxHandles bounds the live handles of the process, all kinds together.
	MaxHandles = 1 << 16
)

var handles = handle.New(MaxHandles)

// ArtifactNew starts an artifact verification. in is a serialized
// peat.directive.v1.ArtifactSpec; the result is its handle.
func ArtifactNew(in []byte) (uint64, error) {
	spec := &directivev1.ArtifactSpec{}
	if err := codec.DecodeInto(spec, codec.Binary, in); err != nil {
		return 0, err
	}
	v, err := security.NewVerifier(spec)
	if err != nil {
		return 0, err
	}
	return handles.Put(KindArtifact, v)
}

// ArtifactUpdate feeds the next chunk to the verification h.
func ArtifactUpdate(h uint64, chunk []byte) error {
	return handles.With(h, KindArtifact, func(v any) error { return v.(*security.Verifier).Write(chunk) })
}

// ArtifactFinish ends the verification h: a serialized ArtifactResult when
// the bytes are the artifact, else status NOT_VERIFIED with
// ARTIFACT_TRUNCATED, ARTIFACT_EXCESS, ARTIFACT_DIGEST_MISMATCH or
// ARTIFACT_SHA256_MISMATCH. The handle stays live until ArtifactFree.
func ArtifactFinish(h uint64) ([]byte, error) {
	var out []byte
	err := handles.With(h, KindArtifact, func(v any) error {
		res, err := v.(*security.Verifier).Finish()
		if err != nil {
			return err
		}
		out, err = encodeResult(res)
		return err
	})
	return out, err
}

// ArtifactFree releases h; 0, a freed or unknown handle are no-ops.
func ArtifactFree(h uint64) { handles.Free(h, KindArtifact) }

// LiveHandles returns the number of live handles (for tests).
func LiveHandles() int { return handles.Live() }
