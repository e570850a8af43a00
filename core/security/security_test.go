package security_test

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	securityv1 "github.com/peat-protocol/libpeat/core/pb/peat/security/v1"
	"github.com/peat-protocol/libpeat/core/security"
	"github.com/peat-protocol/libpeat/core/status"
)

const now = 1762387200 // 2025-11-06T00:00:00Z

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func code(err error) string { return status.From(err).Code }

func TestKeysFromOpenSSL(t *testing.T) {
	priv, err := security.ParsePrivateKeyPEM(fixture(t, "ed25519.pem"))
	require.NoError(t, err)
	pub, err := security.ParsePublicKeyPEM(fixture(t, "ed25519.pub.pem"))
	require.NoError(t, err)
	assert.Equal(t, pub, priv.Public())
	assert.Equal(t, strings.TrimSpace(string(fixture(t, "ed25519.keyid"))), security.KeyID(pub), "key id = sha256 of the DER SPKI")
	assert.Equal(t, string(fixture(t, "ed25519.pub.pem")), security.PublicKeyPEM(pub), "the same PEM as openssl pkey -pubout")
	assert.Equal(t, string(fixture(t, "ed25519.pem")), security.PrivateKeyPEM(priv), "the same PEM as openssl genpkey")
}

func TestBadKeys(t *testing.T) {
	privFix := string(fixture(t, "ed25519.pem"))
	for name, c := range map[string]struct {
		text    string
		private bool
		code    string
	}{
		"rsa private":       {string(fixture(t, "rsa.pem")), true, security.CodeKeyWrongType},
		"ec private":        {string(fixture(t, "ec.pem")), true, security.CodeKeyWrongType},
		"x25519 private":    {string(fixture(t, "x25519.pem")), true, security.CodeKeyWrongType},
		"rsa public":        {string(fixture(t, "rsa.pub.pem")), false, security.CodeKeyWrongType},
		"ec public":         {string(fixture(t, "ec.pub.pem")), false, security.CodeKeyWrongType},
		"x25519 public":     {string(fixture(t, "x25519.pub.pem")), false, security.CodeKeyWrongType},
		"public as private": {string(fixture(t, "ed25519.pub.pem")), true, security.CodeKeyNotPrivate},
		"private as public": {privFix, false, security.CodeKeyNotPublic},
		"encrypted":         {string(fixture(t, "ed25519-encrypted.pem")), true, security.CodeKeyEncrypted},
		"empty":             {"", true, security.CodeKeyNotPEM},
		"garbage":           {"hello", false, security.CodeKeyNotPEM},
		"trailing text":     {privFix + "junk\n", true, security.CodeKeyNotPEM},
		"leading text":      {"junk\n" + privFix, true, security.CodeKeyNotPEM},
		"two keys":          {privFix + privFix, true, security.CodeKeyNotPEM},
		"bad der":           {"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", true, security.CodeKeyMalformed},
		"bad public der":    {"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", false, security.CodeKeyMalformed},
		"certificate":       {"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", false, security.CodeKeyNotPEM},
		"oversize":          {strings.Repeat("x", security.MaxPEM+1), true, security.CodeKeyNotPEM},
	} {
		var err error
		if c.private {
			_, err = security.ParsePrivateKeyPEM([]byte(c.text))
		} else {
			_, err = security.ParsePublicKeyPEM([]byte(c.text))
		}
		require.Error(t, err, name)
		assert.Equal(t, status.InvalidArgument, status.Of(err), name)
		assert.Equal(t, c.code, code(err), name)
		assertNoSecret(t, err.Error(), name)
	}
}

// assertNoSecret: no error text carries any base64 line of a fixture's
// private key, nor its raw seed.
func assertNoSecret(t *testing.T, msg, name string) {
	t.Helper()
	for _, f := range []string{"ed25519.pem", "rsa.pem", "ec.pem", "x25519.pem", "ed25519-encrypted.pem"} {
		for _, line := range strings.Split(string(fixture(t, f)), "\n") {
			if len(line) > 16 && !strings.HasPrefix(line, "-----") {
				assert.NotContains(t, msg, line[:16], "%s: error echoes key material of %s", name, f)
			}
		}
	}
	priv, _ := security.ParsePrivateKeyPEM(fixture(t, "ed25519.pem"))
	assert.False(t, bytes.Contains([]byte(msg), priv.Seed()), name)
}

func directive(issued uint64) *directivev1.DeploymentDirective {
	return &directivev1.DeploymentDirective{DirectiveId: "d-1", IssuedAt: &commonv1.Timestamp{Seconds: issued}, IssuerNodeId: "c2",
		Scope: &directivev1.DeploymentScope{Target: &directivev1.DeploymentScope_Broadcast_{Broadcast: &directivev1.DeploymentScope_Broadcast{}}},
		Artifact: &directivev1.ArtifactSpec{BlobHash: "sha256:" + strings.Repeat("a", 64), SizeBytes: 10,
			ArtifactType: &directivev1.ArtifactType{Kind: &directivev1.ArtifactType_ConfigPackage_{
				ConfigPackage: &directivev1.ArtifactType_ConfigPackage{TargetPath: "/opt/peat/conf"}}}}}
}

func sign(t testing.TB, d *directivev1.DeploymentDirective, keys ...string) []byte {
	t.Helper()
	var env []byte
	for i, k := range keys {
		req := &securityv1.SignRequest{PrivateKeyPem: string(fixture(t, k))}
		if i == 0 {
			req.Subject = &securityv1.SignRequest_Directive{Directive: d}
		} else {
			req.Subject = &securityv1.SignRequest_Envelope{Envelope: env}
		}
		var err error
		env, err = security.Sign(req)
		require.NoError(t, err)
	}
	return env
}

func trust(t testing.TB, threshold uint32, pubs ...string) *securityv1.TrustSet {
	ts := &securityv1.TrustSet{Threshold: threshold}
	for _, p := range pubs {
		ts.Keys = append(ts.Keys, &securityv1.TrustedKey{PublicKeyPem: string(fixture(t, p))})
	}
	return ts
}

func verify(t testing.TB, env []byte, ts *securityv1.TrustSet, mut ...func(*securityv1.VerifyRequest)) *securityv1.VerifyResult {
	t.Helper()
	req := &securityv1.VerifyRequest{Envelope: env, Trust: ts, Now: &commonv1.Timestamp{Seconds: now}}
	for _, m := range mut {
		m(req)
	}
	res, err := security.Verify(req)
	require.NoError(t, err)
	return res
}

func TestSignVerify(t *testing.T) {
	d := directive(now - 60)
	env := sign(t, d, "ed25519.pem")
	res := verify(t, env, trust(t, 0, "ed25519.pub.pem"))
	require.True(t, res.Verified, res.Message)
	assert.Equal(t, security.CodeVerified, res.Code)
	assert.Equal(t, []string{strings.TrimSpace(string(fixture(t, "ed25519.keyid")))}, res.VerifiedKeyIds)
	assert.True(t, proto.Equal(d, res.Directive))

	// A key outside the trust set.
	res = verify(t, env, trust(t, 0, "ed25519-b.pub.pem"))
	assert.False(t, res.Verified)
	assert.Equal(t, security.CodeUnknownKey, res.Code)
	assert.Nil(t, res.Directive)

	// Two signers, threshold 2; one of them only: THRESHOLD_NOT_MET.
	both := sign(t, d, "ed25519.pem", "ed25519-b.pem")
	assert.True(t, verify(t, both, trust(t, 2, "ed25519.pub.pem", "ed25519-b.pub.pem")).Verified)
	res = verify(t, env, trust(t, 2, "ed25519.pub.pem", "ed25519-b.pub.pem"))
	assert.Equal(t, security.CodeThresholdNotMet, res.Code)

	// The same key twice counts once.
	e := &securityv1.SignedDirective{}
	require.NoError(t, proto.Unmarshal(env, e))
	e.Signatures = append(e.Signatures, e.Signatures[0])
	dup, _ := proto.Marshal(e)
	res = verify(t, dup, trust(t, 2, "ed25519.pub.pem", "ed25519-b.pub.pem"))
	assert.Equal(t, security.CodeThresholdNotMet, res.Code)
	assert.Equal(t, security.CodeDuplicateSigner, res.Signatures[1].Code)

	// Signing twice with one key is refused.
	_, err := security.Sign(&securityv1.SignRequest{Subject: &securityv1.SignRequest_Envelope{Envelope: env}, PrivateKeyPem: string(fixture(t, "ed25519.pem"))})
	assert.Equal(t, security.CodeDuplicateSigner, code(err))
}

func TestEveryFlippedByteFails(t *testing.T) {
	env := sign(t, directive(now-60), "ed25519.pem")
	ts := trust(t, 0, "ed25519.pub.pem")
	for i := range env {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(env)
			bad[i] ^= bit
			res := verify(t, bad, ts)
			assert.False(t, res.Verified, "byte %d bit %#x", i, bit)
			assert.NotEmpty(t, res.Code)
		}
	}
	for n := 0; n < len(env); n++ {
		assert.False(t, verify(t, env[:n], ts).Verified, "truncated to %d", n)
	}
}

func TestVerifyReasons(t *testing.T) {
	ts := trust(t, 0, "ed25519.pub.pem")
	env := sign(t, directive(now-3600), "ed25519.pem")
	e := &securityv1.SignedDirective{}
	require.NoError(t, proto.Unmarshal(env, e))
	with := func(f func(*securityv1.SignedDirective)) []byte {
		c := proto.Clone(e).(*securityv1.SignedDirective)
		f(c)
		b, _ := proto.Marshal(c)
		return b
	}
	for name, c := range map[string]struct {
		env  []byte
		ts   *securityv1.TrustSet
		mut  func(*securityv1.VerifyRequest)
		code string
	}{
		"garbage":       {[]byte{0xff, 0xff}, ts, nil, security.CodeMalformedEnvelope},
		"version 2":     {with(func(c *securityv1.SignedDirective) { c.Version = 2 }), ts, nil, security.CodeUnsupportedVersion},
		"version 0":     {with(func(c *securityv1.SignedDirective) { c.Version = 0 }), ts, nil, security.CodeUnsupportedVersion},
		"no signatures": {with(func(c *securityv1.SignedDirective) { c.Signatures = nil }), ts, nil, security.CodeNoSignatures},
		"short sig":     {with(func(c *securityv1.SignedDirective) { c.Signatures[0].Signature = c.Signatures[0].Signature[:63] }), ts, nil, security.CodeMalformedSignature},
		"long sig":      {with(func(c *securityv1.SignedDirective) { c.Signatures[0].Signature = append(c.Signatures[0].Signature, 0) }), ts, nil, security.CodeMalformedSignature},
		"other bytes":   {with(func(c *securityv1.SignedDirective) { c.Directive = append(c.Directive, 0x08, 0x01) }), ts, nil, security.CodeBadSignature},
		"too old":       {env, ts, func(r *securityv1.VerifyRequest) { r.MaxAgeSeconds = proto.Uint64(3599) }, security.CodeDirectiveTooOld},
		"old enough":    {env, ts, func(r *securityv1.VerifyRequest) { r.MaxAgeSeconds = proto.Uint64(3600) }, security.CodeVerified},
		"future":        {sign(t, directive(now+301), "ed25519.pem"), ts, nil, security.CodeIssuedInFuture},
		"expired":       {env, &securityv1.TrustSet{Keys: []*securityv1.TrustedKey{{PublicKeyPem: string(fixture(t, "ed25519.pub.pem")), NotAfter: &commonv1.Timestamp{Seconds: now}}}}, nil, security.CodeKeyExpired},
		"not yet":       {env, &securityv1.TrustSet{Keys: []*securityv1.TrustedKey{{PublicKeyPem: string(fixture(t, "ed25519.pub.pem")), NotBefore: &commonv1.Timestamp{Seconds: now + 1}}}}, nil, security.CodeKeyNotYetValid},
		"in window":     {env, &securityv1.TrustSet{Keys: []*securityv1.TrustedKey{{PublicKeyPem: string(fixture(t, "ed25519.pub.pem")), NotBefore: &commonv1.Timestamp{Seconds: now}, NotAfter: &commonv1.Timestamp{Seconds: now + 1}}}}, nil, security.CodeVerified},
	} {
		res := verify(t, c.env, c.ts, func(r *securityv1.VerifyRequest) {
			if c.mut != nil {
				c.mut(r)
			}
		})
		assert.Equal(t, c.code, res.Code, name)
		assert.Equal(t, c.code == security.CodeVerified, res.Verified, name)
	}
	// A signature by an outside key over a directive that is not one:
	// signatures are checked before the directive is decoded.
	notDir := with(func(c *securityv1.SignedDirective) { c.Directive = []byte{0xff} })
	assert.Equal(t, security.CodeBadSignature, verify(t, notDir, ts).Code)
}

func TestBadTrustSets(t *testing.T) {
	env := sign(t, directive(now), "ed25519.pem")
	pub := string(fixture(t, "ed25519.pub.pem"))
	for name, c := range map[string]struct {
		ts   *securityv1.TrustSet
		code string
	}{
		"empty":        {&securityv1.TrustSet{}, security.CodeEmptyTrustSet},
		"threshold":    {trust(t, 2, "ed25519.pub.pem"), security.CodeThresholdUnreachable},
		"duplicate":    {trust(t, 0, "ed25519.pub.pem", "ed25519.pub.pem"), security.CodeDuplicateKeyID},
		"pin mismatch": {&securityv1.TrustSet{Keys: []*securityv1.TrustedKey{{PublicKeyPem: pub, KeyId: strings.Repeat("0", 64)}}}, security.CodeKeyIDMismatch},
		"private key":  {&securityv1.TrustSet{Keys: []*securityv1.TrustedKey{{PublicKeyPem: string(fixture(t, "ed25519.pem"))}}}, security.CodeKeyNotPublic},
		"rsa":          {trust(t, 0, "rsa.pub.pem"), security.CodeKeyWrongType},
		"window":       {&securityv1.TrustSet{Keys: []*securityv1.TrustedKey{{PublicKeyPem: pub, NotBefore: &commonv1.Timestamp{Seconds: 5}, NotAfter: &commonv1.Timestamp{Seconds: 5}}}}, security.CodeInvalidKeyWindow},
	} {
		_, err := security.Verify(&securityv1.VerifyRequest{Envelope: env, Trust: c.ts, Now: &commonv1.Timestamp{Seconds: now}})
		assert.Equal(t, status.InvalidArgument, status.Of(err), name)
		assert.Equal(t, c.code, code(err), name)
		assertNoSecret(t, err.Error(), name)
	}
	_, err := security.Verify(&securityv1.VerifyRequest{Envelope: env, Trust: trust(t, 0, "ed25519.pub.pem")})
	assert.Equal(t, security.CodeNowRequired, code(err))
	pinned := &securityv1.TrustSet{Keys: []*securityv1.TrustedKey{{PublicKeyPem: pub, KeyId: strings.TrimSpace(string(fixture(t, "ed25519.keyid")))}}}
	assert.True(t, verify(t, env, pinned).Verified)
}

func TestSignErrorsNeverEchoTheKey(t *testing.T) {
	priv := string(fixture(t, "ed25519.pem"))
	for _, k := range []string{priv[:len(priv)-30], strings.Replace(priv, "MC4", "XC4", 1), string(fixture(t, "ed25519.pub.pem")), string(fixture(t, "rsa.pem"))} {
		_, err := security.Sign(&securityv1.SignRequest{Subject: &securityv1.SignRequest_Directive{Directive: directive(now)}, PrivateKeyPem: k})
		require.Error(t, err)
		assertNoSecret(t, err.Error(), "sign")
	}
}

// TestOpenSSLInterop: a fresh key made by openssl signs through libpeat; the
// Ed25519 signature is deterministic, so openssl's own signature of the
// domain-separated message must be the same bytes; and openssl's key id
// recipe gives libpeat's id.
func TestOpenSSLInterop(t *testing.T) {
	// make test installs openssl (tools/apt-ensure.sh, test-go's test-deps).
	_, err := exec.LookPath("openssl")
	require.NoError(t, err, "openssl is needed for the interop test: tools/apt-ensure.sh openssl")
	dir := t.TempDir()
	run := func(args ...string) []byte {
		out, err := exec.Command("openssl", args...).Output()
		require.NoError(t, err, "openssl %v", args)
		return out
	}
	key, pubf, msgf := filepath.Join(dir, "k.pem"), filepath.Join(dir, "k.pub.pem"), filepath.Join(dir, "msg")
	run("genpkey", "-algorithm", "ed25519", "-out", key)
	run("pkey", "-in", key, "-pubout", "-out", pubf)
	keyPEM, _ := os.ReadFile(key)
	pubPEM, _ := os.ReadFile(pubf)
	env, err := security.Sign(&securityv1.SignRequest{Subject: &securityv1.SignRequest_Directive{Directive: directive(now)}, PrivateKeyPem: string(keyPEM)})
	require.NoError(t, err)
	res := verify(t, env, &securityv1.TrustSet{Keys: []*securityv1.TrustedKey{{PublicKeyPem: string(pubPEM)}}})
	require.True(t, res.Verified)
	der := run("pkey", "-pubin", "-in", pubf, "-outform", "DER")
	pub, _ := security.ParsePublicKeyPEM(pubPEM)
	assert.Equal(t, security.KeyID(pub), sha256hex(der))

	e := &securityv1.SignedDirective{}
	require.NoError(t, proto.Unmarshal(env, e))
	require.NoError(t, os.WriteFile(msgf, security.Message(e.Version, e.Directive), 0o600))
	sig := run("pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", msgf)
	assert.Equal(t, sig, e.Signatures[0].Signature, "openssl and libpeat sign the same message with the same bytes")
	// And openssl verifies libpeat's signature.
	sigf := filepath.Join(dir, "sig")
	require.NoError(t, os.WriteFile(sigf, e.Signatures[0].Signature, 0o600))
	assert.Contains(t, string(run("pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", pubf, "-in", msgf, "-sigfile", sigf)), "Signature Verified Successfully")
	assert.True(t, ed25519.Verify(pub, security.Message(1, e.Directive), sig))
}

func FuzzVerifyEnvelope(f *testing.F) {
	env := sign(f, directive(now), "ed25519.pem")
	f.Add(env)
	f.Add(sign(f, directive(now), "ed25519.pem", "ed25519-b.pem"))
	f.Add([]byte{})
	f.Add(env[:len(env)/2])
	ts := trust(f, 1, "ed25519.pub.pem", "ed25519-b.pub.pem")
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := security.Verify(&securityv1.VerifyRequest{Envelope: b, Trust: ts, Now: &commonv1.Timestamp{Seconds: now}})
		if err != nil {
			t.Fatalf("an envelope problem must be a result, not an error: %v", err)
		}
		if res.Verified != (res.Code == security.CodeVerified) || (res.Verified && res.Directive == nil) {
			t.Fatalf("inconsistent result %v", res)
		}
	})
}

func FuzzParseKeyPEM(f *testing.F) {
	for _, n := range []string{"ed25519.pem", "ed25519.pub.pem", "rsa.pem", "ec.pub.pem", "ed25519-encrypted.pem", "x25519.pem"} {
		f.Add(fixture(f, n))
	}
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n\n-----END PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if priv, err := security.ParsePrivateKeyPEM(b); err == nil && len(priv) != ed25519.PrivateKeySize {
			t.Fatal("bad private key accepted")
		} else if err != nil && status.Of(err) != status.InvalidArgument {
			t.Fatalf("status %v", status.Of(err))
		}
		if pub, err := security.ParsePublicKeyPEM(b); err == nil && len(pub) != ed25519.PublicKeySize {
			t.Fatal("bad public key accepted")
		} else if err != nil && status.Of(err) != status.InvalidArgument {
			t.Fatalf("status %v", status.Of(err))
		}
		_, _, _ = security.InspectKey(b)
	})
}
