package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"google.golang.org/protobuf/proto"

	pb "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	securityv1 "github.com/peat-protocol/libpeat/core/pb/peat/security/v1"
	"github.com/peat-protocol/libpeat/core/registry"
	"github.com/peat-protocol/libpeat/core/security"
	"github.com/peat-protocol/libpeat/core/status"
)

func init() {
	register("key", "Ed25519 keys in OpenSSL's PEM forms: generate (peat key help)", runKey)
	register("artifact", "check a downloaded blob against a directive: verify (peat artifact help)", runArtifact)
}

const keyUsage = `usage:
  peat key generate --private FILE --public FILE
      writes a new Ed25519 key: PKCS#8 PEM (mode 0600) and SubjectPublicKeyInfo PEM,
      as openssl genpkey -algorithm ed25519 / openssl pkey -pubout do; prints the key id.
      Existing files are never overwritten.`

const artifactUsage = `usage:
  peat artifact verify --directive FILE [--from FORMAT] BLOB
      streams BLOB (- for stdin) and checks its size and blob_hash (and sha256, if set)
      against the directive's artifact: prints "verified: <digest>" (exit 0),
      "not verified: <code>: <reason>" (exit 1), or exits 2 if a file cannot be read`

func runKey(e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stdout, keyUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] != "generate" {
		return e.usage("unknown key command %q (want generate)", args[0])
	}
	fs := e.newFlags("key generate")
	privPath := fs.String("private", "", "file for the private key (PKCS#8 PEM)")
	pubPath := fs.String("public", "", "file for the public key (SPKI PEM)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return e.fail(err)
	}
	if *privPath == "" || *pubPath == "" || len(pos) > 0 {
		return e.usage("usage: peat key generate --private FILE --public FILE")
	}
	pub, priv, err := security.GenerateKey()
	if err != nil {
		return e.fail(err)
	}
	if err := writeNew(*privPath, security.PrivateKeyPEM(priv), 0o600); err != nil {
		return e.fail(err)
	}
	if err := writeNew(*pubPath, security.PublicKeyPEM(pub), 0o644); err != nil {
		return e.fail(err)
	}
	fmt.Fprintln(e.stdout, security.KeyID(pub))
	return 0
}

// writeNew creates path (which must not exist) with text.
func writeNew(path, text string, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return status.Errorf(status.InvalidArgument, "cannot create %s: %v", path, errors.Unwrap(err))
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return status.Errorf(status.InvalidArgument, "cannot write %s: %v", path, err)
	}
	return f.Close()
}

// readKey reads a PEM key file (at most security.MaxPEM bytes).
func (e *env) readKey(path string) ([]byte, error) {
	return e.readInput(path, security.MaxPEM, "a PEM key")
}

func runSign(e *env, args []string) int {
	fs := e.newFlags("directive sign")
	key := fs.String("key", "", "the signer's private key (PKCS#8 PEM)")
	from := fs.String("from", "", "input format: binary, json or rust-json (default: detected)")
	add := fs.Bool("add", false, "the input is a signed envelope: add this key's signature to it")
	pos, err := parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *key == "" || len(pos) > 1 {
		return e.usage("usage: peat directive sign --key PRIVATE.pem [--from FORMAT] [--add] [FILE]")
	}
	pem, err := e.readKey(*key)
	if err != nil {
		return e.fail(err)
	}
	req := &securityv1.SignRequest{PrivateKeyPem: string(pem)}
	if *add {
		in, err := e.readInput(first(pos), registry.DefaultProjectLimit, "a signed envelope")
		if err != nil {
			return e.fail(err)
		}
		req.Subject = &securityv1.SignRequest_Envelope{Envelope: in}
	} else {
		d := &pb.DeploymentDirective{}
		if err := (reader{e: e, from: *from}).read(first(pos), d); err != nil {
			return e.fail(err)
		}
		req.Subject = &securityv1.SignRequest_Directive{Directive: d}
	}
	env, err := security.Sign(req)
	if err != nil {
		return e.fail(err)
	}
	e.stdout.Write(env)
	return 0
}

func runVerify(e *env, args []string) int {
	fs := e.newFlags("directive verify")
	var trust multi
	fs.Var(&trust, "trust", "a trusted public key (SPKI PEM); repeat for several")
	at := fs.String("now", "", "the time to verify at, RFC 3339 (default: the wall clock)")
	maxAge := fs.Uint64("max-age", 0, "refuse a directive issued more than this many seconds before now (0: no limit)")
	threshold := fs.Uint("threshold", 1, "distinct trusted keys that must have signed")
	pos, err := parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if len(trust) == 0 || len(pos) > 1 {
		return e.usage("usage: peat directive verify --trust PUBLIC.pem... [--now RFC3339] [--max-age SECONDS] [--threshold N] [FILE]")
	}
	req := &securityv1.VerifyRequest{Trust: &securityv1.TrustSet{Threshold: uint32(*threshold)}, Now: wallClock()}
	for _, p := range trust {
		pem, err := e.readKey(p)
		if err != nil {
			return e.fail(err)
		}
		req.Trust.Keys = append(req.Trust.Keys, &securityv1.TrustedKey{PublicKeyPem: string(pem)})
	}
	if *at != "" {
		if req.Now, err = parseTime("now", *at); err != nil {
			return e.fail(err)
		}
	}
	if *maxAge > 0 {
		req.MaxAgeSeconds = proto.Uint64(*maxAge)
	}
	if req.Envelope, err = e.readInput(first(pos), registry.DefaultProjectLimit, "a signed envelope"); err != nil {
		return e.fail(err)
	}
	res, err := security.Verify(req)
	if err != nil {
		return e.fail(err)
	}
	if !res.Verified {
		fmt.Fprintf(e.stdout, "not verified: %s: %s\n", res.Code, oneLine(res.Message))
		return 1
	}
	fmt.Fprintf(e.stdout, "verified by %s\n", strings.Join(res.VerifiedKeyIds, ", "))
	return 0
}

func runArtifact(e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stdout, artifactUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] != "verify" {
		return e.usage("unknown artifact command %q (want verify)", args[0])
	}
	fs := e.newFlags("artifact verify")
	dir := fs.String("directive", "", "the DeploymentDirective naming the artifact")
	from := fs.String("from", "", "directive format: binary, json or rust-json (default: detected)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return e.fail(err)
	}
	if *dir == "" || len(pos) != 1 {
		return e.usage("usage: peat artifact verify --directive FILE [--from FORMAT] BLOB")
	}
	d := &pb.DeploymentDirective{}
	if err := (reader{e: e, from: *from}).read(*dir, d); err != nil {
		return e.fail(err)
	}
	v, err := security.NewVerifier(d.GetArtifact())
	if err != nil {
		return e.fail(annotate(*dir, status.From(err).AtPath("artifact."+status.From(err).Path)))
	}
	var r io.Reader = e.stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return e.fail(status.Errorf(status.InvalidArgument, "cannot read %s: %v", pos[0], errors.Unwrap(err)))
		}
		defer f.Close()
		r = f
	}
	br := bufio.NewReaderSize(r, 1<<20)
	buf := make([]byte, 1<<20)
	for {
		n, rerr := br.Read(buf)
		if n > 0 {
			if werr := v.Write(buf[:n]); werr != nil {
				se := status.From(werr)
				fmt.Fprintf(e.stdout, "not verified: %s: %s\n", se.Code, oneLine(se.Message))
				return 1
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return e.fail(status.Errorf(status.InvalidArgument, "cannot read %s: %v", pos[0], rerr))
		}
	}
	res, err := v.Finish()
	if err != nil {
		se := status.From(err)
		fmt.Fprintf(e.stdout, "not verified: %s: %s\n", se.Code, oneLine(se.Message))
		return 1
	}
	fmt.Fprintf(e.stdout, "verified: %s (%d bytes)\n", res.Digest, res.SizeBytes)
	return 0
}
