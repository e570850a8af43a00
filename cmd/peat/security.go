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

func init() {
	helpDocs["key"] = helpDoc{about: "Ed25519 keys in OpenSSL's PEM forms, for signing directives."}
	helpDocs["key generate"] = helpDoc{
		about: "Write a new Ed25519 key pair: the private key as PKCS#8 PEM (mode 0600) and the public key as " +
			"SubjectPublicKeyInfo PEM, as openssl genpkey -algorithm ed25519 and openssl pkey -pubout do. " +
			"Prints the key id. Existing files are never overwritten.",
		usage:   "key generate --private FILE --public FILE",
		example: "  peat key generate --private op.pem --public op.pub",
	}
	helpDocs["artifact"] = helpDoc{about: "Check a downloaded artifact against the directive that names it."}
	helpDocs["artifact verify"] = helpDoc{
		about: "Stream BLOB (- for stdin) and check its size and blob_hash (sha256: or blake3:, and sha256 if set) " +
			"against the directive's artifact. Prints \"verified: <digest> (<n> bytes)\" or \"not verified: <code>: <reason>\".",
		usage:   "artifact verify --directive FILE [--from FORMAT] [--lenient] BLOB",
		example: "  peat artifact verify --directive d.json model.onnx\n  curl -s https://example/model.onnx | peat artifact verify --directive d.bin -",
		exits: `  0  verified
  1  not verified (code and reason on stdout)
  2  error (a file cannot be read): one line "peat: CODE: message" on stderr`,
	}
}

func runKey(e *env, args []string) int {
	if len(args) == 0 {
		printGroupHelp(e.stderr, "key", []string{"generate"})
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printGroupHelp(e.stdout, "key", []string{"generate"})
		return 0
	case "help":
		if len(args) == 1 {
			printGroupHelp(e.stdout, "key", []string{"generate"})
			return 0
		}
		return runKey(e, []string{args[1], "--help"})
	}
	if args[0] != "generate" {
		return e.usage("unknown key command %q (want generate)", args[0])
	}
	fs := e.newFlags("key generate")
	privPath := fs.String("private", "", "file for the private key (PKCS#8 PEM)")
	pubPath := fs.String("public", "", "file for the public key (SPKI PEM)")
	pos, err := e.parse(fs, args[1:])
	if err != nil {
		return e.fail(err)
	}
	if *privPath == "" || *pubPath == "" || len(pos) > 0 {
		return e.usageOf("key generate")
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
	inf := addInputFlags(fs, "the directive")
	add := fs.Bool("add", false, "the input is a signed envelope: add this key's signature to it")
	pos, err := e.parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if *key == "" || len(pos) > 1 {
		return e.usageOf("directive sign")
	}
	r, err := inf.reader(e)
	if err != nil {
		return e.fail(err)
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
		if err := r.read(first(pos), d); err != nil {
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
	pos, err := e.parse(fs, args)
	if err != nil {
		return e.fail(err)
	}
	if len(trust) == 0 || len(pos) > 1 {
		return e.usageOf("directive verify")
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
	if len(args) == 0 {
		printGroupHelp(e.stderr, "artifact", []string{"verify"})
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printGroupHelp(e.stdout, "artifact", []string{"verify"})
		return 0
	case "help":
		if len(args) == 1 {
			printGroupHelp(e.stdout, "artifact", []string{"verify"})
			return 0
		}
		return runArtifact(e, []string{args[1], "--help"})
	}
	if args[0] != "verify" {
		return e.usage("unknown artifact command %q (want verify)", args[0])
	}
	fs := e.newFlags("artifact verify")
	dir := fs.String("directive", "", "the DeploymentDirective naming the artifact")
	inf := addInputFlags(fs, "the directive")
	pos, err := e.parse(fs, args[1:])
	if err != nil {
		return e.fail(err)
	}
	if *dir == "" || len(pos) != 1 {
		return e.usageOf("artifact verify")
	}
	dr, err := inf.reader(e)
	if err != nil {
		return e.fail(err)
	}
	d := &pb.DeploymentDirective{}
	if err := dr.read(*dir, d); err != nil {
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
