package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cliSigned = `{"directive_id":"d-1","issued_at":"2025-11-06T12:00:00Z","issuer_node_id":"c2","scope":{"type":"broadcast"},"artifact":{"blob_hash":"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","size_bytes":3,"artifact_type":{"type":"config_package","target_path":"/opt/peat/conf"}},"capabilities":[],"config":null}`

func fixturePath(name string) string {
	return filepath.Join("..", "..", "core", "security", "testdata", name)
}

func TestDirectiveSignVerifyCLI(t *testing.T) {
	d := writeTemp(t, "d.json", []byte(cliSigned))
	code, env, errOut := peat(t, nil, "directive", "sign", "--key", fixturePath("ed25519.pem"), d)
	require.Equal(t, 0, code, errOut)
	envFile := writeTemp(t, "env.bin", []byte(env))
	id, _ := os.ReadFile(fixturePath("ed25519.keyid"))

	code, out, errOut := peat(t, nil, "directive", "verify", "--trust", fixturePath("ed25519.pub.pem"), "--now", "2025-11-06T12:01:00Z", envFile)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "verified by "+strings.TrimSpace(string(id))+"\n", out)

	code, out, _ = peat(t, nil, "directive", "verify", "--trust", fixturePath("ed25519-b.pub.pem"), "--now", "2025-11-06T12:01:00Z", envFile)
	assert.Equal(t, 1, code)
	assert.True(t, strings.HasPrefix(out, "not verified: UNKNOWN_KEY: "), out)

	// Any flipped byte: exit 1, never 0 (and never a crash).
	for i := 0; i < len(env); i++ {
		b := []byte(env)
		b[i] ^= 0x20
		code, out, _ = peat(t, b, "directive", "verify", "--trust", fixturePath("ed25519.pub.pem"), "--now", "2025-11-06T12:01:00Z")
		require.Equal(t, 1, code, "byte %d: %s", i, out)
	}

	// Two signers and a threshold.
	code, env2, errOut := peat(t, nil, "directive", "sign", "--add", "--key", fixturePath("ed25519-b.pem"), envFile)
	require.Equal(t, 0, code, errOut)
	code, out, errOut = peat(t, []byte(env2), "directive", "verify", "--trust", fixturePath("ed25519.pub.pem"),
		"--trust", fixturePath("ed25519-b.pub.pem"), "--threshold", "2", "--now", "2025-11-06T12:01:00Z", "-")
	require.Equal(t, 0, code, errOut+out)

	// Errors: exit 2 with the code on stderr.
	for name, args := range map[string][]string{
		"unreadable envelope": {"directive", "verify", "--trust", fixturePath("ed25519.pub.pem"), filepath.Join(t.TempDir(), "none")},
		"no trust":            {"directive", "verify", envFile},
		"private as trust":    {"directive", "verify", "--trust", fixturePath("ed25519.pem"), envFile},
		"rsa signing key":     {"directive", "sign", "--key", fixturePath("rsa.pem"), d},
		"public signing key":  {"directive", "sign", "--key", fixturePath("ed25519.pub.pem"), d},
		"threshold too big":   {"directive", "verify", "--trust", fixturePath("ed25519.pub.pem"), "--threshold", "2", envFile},
	} {
		code, _, errOut := peat(t, nil, args...)
		assert.Equal(t, 2, code, name)
		assert.NotContains(t, errOut, "MC4CAQAw", "%s: no key material in errors", name)
	}
}

func TestArtifactVerifyCLI(t *testing.T) {
	d := writeTemp(t, "d.json", []byte(cliSigned))
	for blob, want := range map[string]int{"abc": 0, "ab": 1, "abcd": 1, "abd": 1} {
		code, out, errOut := peat(t, nil, "artifact", "verify", "--directive", d, writeTemp(t, "blob", []byte(blob)))
		assert.Equal(t, want, code, "%q: %s%s", blob, out, errOut)
	}
	code, out, _ := peat(t, []byte("abcd"), "artifact", "verify", "--directive", d, "-")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "ARTIFACT_EXCESS")
	code, _, _ = peat(t, nil, "artifact", "verify", "--directive", d, filepath.Join(t.TempDir(), "none"))
	assert.Equal(t, 2, code)
}

func TestKeyGenerateCLI(t *testing.T) {
	dir := t.TempDir()
	priv, pub := filepath.Join(dir, "k.pem"), filepath.Join(dir, "k.pub.pem")
	code, out, errOut := peat(t, nil, "key", "generate", "--private", priv, "--public", pub)
	require.Equal(t, 0, code, errOut)
	assert.Len(t, strings.TrimSpace(out), 64)
	st, err := os.Stat(priv)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	code, _, _ = peat(t, nil, "key", "generate", "--private", priv, "--public", pub)
	assert.Equal(t, 2, code, "never overwrites a key")
	if _, err := exec.LookPath("openssl"); err == nil {
		der, err := exec.Command("openssl", "pkey", "-in", priv, "-pubout", "-outform", "DER").Output()
		require.NoError(t, err, "openssl reads the generated private key")
		assert.Equal(t, strings.TrimSpace(out), sha256Hex(der))
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
