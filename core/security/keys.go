// Package security holds libpeat's directive security (docs/SECURITY.md):
// Ed25519 keys in OpenSSL's PEM forms, signed directive envelopes, trust
// sets, and streaming artifact verification.
//
// Keys. A private key is PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), exactly
// what `openssl genpkey -algorithm ed25519` writes; a public key is
// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"), what `openssl pkey
// -pubout` writes. Go's crypto/x509 reads and writes both, so keys move
// between OpenSSL, Go, Python's cryptography and Java's KeyFactory with no
// conversion. A key id is the lowercase hex SHA-256 of the DER
// SubjectPublicKeyInfo: reproducible with `openssl pkey -pubin -outform DER |
// sha256sum`, bound to the algorithm (the SPKI names it), and always derived
// by libpeat from the key itself, never taken from the wire. Errors about a
// private key never include its bytes, nor the messages of the parsers that
// read them.
package security

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"

	"github.com/peat-protocol/libpeat/core/status"
)

// Key error codes (status INVALID_ARGUMENT).
const (
	CodeKeyNotPEM     = "KEY_NOT_PEM"     // no PEM block, or text around the one block
	CodeKeyWrongType  = "KEY_WRONG_TYPE"  // an RSA, EC or other non-Ed25519 key
	CodeKeyNotPrivate = "KEY_NOT_PRIVATE" // a public key where a private one is needed
	CodeKeyNotPublic  = "KEY_NOT_PUBLIC"  // a private key where a public one is needed
	CodeKeyEncrypted  = "KEY_ENCRYPTED"   // an encrypted PKCS#8 key: decrypt it first
	CodeKeyMalformed  = "KEY_MALFORMED"   // a PEM block whose DER is not a valid key
)

// MaxPEM bounds one key's PEM text (an Ed25519 key is under 200 bytes).
const MaxPEM = 16 << 10

func keyErr(code, format string, args ...any) *status.Error {
	return status.Errorf(status.InvalidArgument, format, args...).WithCode(code)
}

// onePEM returns the single PEM block of text; only white space may surround it.
func onePEM(text []byte, what string) (*pem.Block, error) {
	if len(text) > MaxPEM {
		return nil, keyErr(CodeKeyNotPEM, "%s is %d bytes, over the %d-byte limit of a PEM key", what, len(text), MaxPEM)
	}
	block, rest := pem.Decode(text)
	if block == nil {
		return nil, keyErr(CodeKeyNotPEM, "%s is not PEM text (no \"-----BEGIN ...-----\" block)", what)
	}
	consumed := bytes.TrimSpace(text[:len(text)-len(rest)])
	if len(bytes.TrimSpace(rest)) != 0 || !bytes.HasPrefix(consumed, []byte("-----BEGIN "+block.Type+"-----")) {
		return nil, keyErr(CodeKeyNotPEM, "%s has text outside its one PEM block", what)
	}
	if len(block.Headers) != 0 {
		return nil, keyErr(CodeKeyEncrypted, "%s has PEM headers (an OpenSSL-encrypted key?); decrypt it first", what)
	}
	return block, nil
}

// ParsePrivateKeyPEM reads a PKCS#8 PEM Ed25519 private key.
func ParsePrivateKeyPEM(text []byte) (ed25519.PrivateKey, error) {
	block, err := onePEM(text, "the private key")
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case "PRIVATE KEY":
	case "PUBLIC KEY":
		return nil, keyErr(CodeKeyNotPrivate, "a public key was given where a private key is needed")
	case "ENCRYPTED PRIVATE KEY":
		return nil, keyErr(CodeKeyEncrypted, "the private key is encrypted; decrypt it first (openssl pkey -in KEY -out PLAIN)")
	case "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY":
		return nil, keyErr(CodeKeyWrongType, "a %q block is not an Ed25519 PKCS#8 key", block.Type)
	default:
		return nil, keyErr(CodeKeyNotPEM, "a %q PEM block is not a private key (want \"PRIVATE KEY\")", clipType(block.Type))
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil { // the parser's message is not repeated: it could quote key bytes
		return nil, keyErr(CodeKeyMalformed, "the private key's DER is not a valid PKCS#8 key")
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, keyErr(CodeKeyWrongType, "the private key is %s, not Ed25519", keyKind(k))
	}
	return priv, nil
}

// ParsePublicKeyPEM reads a SubjectPublicKeyInfo PEM Ed25519 public key.
func ParsePublicKeyPEM(text []byte) (ed25519.PublicKey, error) {
	block, err := onePEM(text, "the public key")
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case "PUBLIC KEY":
	case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY":
		return nil, keyErr(CodeKeyNotPublic, "a private key was given where a public key is needed (export it with openssl pkey -pubout)")
	case "RSA PUBLIC KEY":
		return nil, keyErr(CodeKeyWrongType, "an RSA public key is not Ed25519")
	default:
		return nil, keyErr(CodeKeyNotPEM, "a %q PEM block is not a public key (want \"PUBLIC KEY\")", clipType(block.Type))
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		if isKnownNonEd25519(block.Bytes) {
			return nil, keyErr(CodeKeyWrongType, "the public key is not Ed25519")
		}
		return nil, keyErr(CodeKeyMalformed, "the public key's DER is not a valid SubjectPublicKeyInfo")
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, keyErr(CodeKeyWrongType, "the public key is %s, not Ed25519", keyKind(k))
	}
	return pub, nil
}

// isKnownNonEd25519 reports a syntactically fine SPKI of an algorithm Go
// does not parse (X25519, Ed448, ...): its DER starts like an SPKI.
func isKnownNonEd25519(der []byte) bool { return len(der) > 2 && der[0] == 0x30 }

func keyKind(k any) string {
	switch k.(type) {
	case ed25519.PrivateKey, ed25519.PublicKey:
		return "Ed25519"
	}
	switch t := typeName(k); t {
	case "*rsa.PrivateKey", "*rsa.PublicKey":
		return "RSA"
	case "*ecdsa.PrivateKey", "*ecdsa.PublicKey":
		return "EC (ECDSA)"
	case "*ecdh.PrivateKey", "*ecdh.PublicKey":
		return "X25519/ECDH"
	default:
		return "another key type"
	}
}

func clipType(t string) string {
	if len(t) > 40 {
		return t[:40] + "..."
	}
	return t
}

// KeyID returns the key id of pub: lowercase hex SHA-256 of its DER SPKI.
func KeyID(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil { // only for a key of the wrong length, which callers never hold
		panic(err)
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// PublicKeyPEM returns the SPKI PEM of pub, as `openssl pkey -pubout` writes it.
func PublicKeyPEM(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// PrivateKeyPEM returns the PKCS#8 PEM of priv, as `openssl genpkey
// -algorithm ed25519` writes it.
func PrivateKeyPEM(priv ed25519.PrivateKey) string {
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// GenerateKey makes a new Ed25519 key pair from crypto/rand.
func GenerateKey() (ed25519.PublicKey, ed25519.PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, status.Errorf(status.Internal, "cannot read randomness: %v", err)
	}
	return pub, priv, nil
}

// InspectKey reads a private or public key PEM and returns its public key
// and whether it was private.
func InspectKey(text []byte) (ed25519.PublicKey, bool, error) {
	block, err := onePEM(text, "the key")
	if err != nil {
		return nil, false, err
	}
	if block.Type == "PUBLIC KEY" || block.Type == "RSA PUBLIC KEY" {
		pub, err := ParsePublicKeyPEM(text)
		return pub, false, err
	}
	priv, err := ParsePrivateKeyPEM(text)
	if err != nil {
		return nil, false, err
	}
	return priv.Public().(ed25519.PublicKey), true, nil
}

func typeName(k any) string { return fmt.Sprintf("%T", k) }
