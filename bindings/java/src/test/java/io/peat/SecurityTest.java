package io.peat;

import static io.peat.Fixtures.T0;
import static io.peat.Fixtures.ts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.peat.proto.cap.common.v1.Timestamp;
import io.peat.proto.directive.v1.ArtifactSpec;
import io.peat.proto.directive.v1.ArtifactType;
import io.peat.proto.directive.v1.DeploymentDirective;
import io.peat.proto.directive.v1.DeploymentScope;
import io.peat.proto.security.v1.ArtifactResult;
import io.peat.proto.security.v1.HashAlgorithm;
import io.peat.proto.security.v1.KeyInfo;
import io.peat.proto.security.v1.KeyPair;
import io.peat.proto.security.v1.SignRequest;
import io.peat.proto.security.v1.SignedDirective;
import io.peat.proto.security.v1.SignedTargetDecision;
import io.peat.proto.security.v1.SignedTargetRequest;
import io.peat.proto.security.v1.TrustSet;
import io.peat.proto.security.v1.TrustedKey;
import io.peat.proto.security.v1.VerifyRequest;
import io.peat.proto.security.v1.VerifyResult;
import io.peat.proto.validation.v1.ValidateOptions;
import io.peat.proto.validation.v1.ValidationReport;
import io.peat.proto.validation.v1.Violation;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Directive security through the binding (issue 17): keys made by OpenSSL,
 * signing and verification, targeting only verified directives, path rules,
 * and the artifact verifier resource (streaming, its failures, close and the
 * Cleaner, the handle limit).
 */
class SecurityTest {
  static final String PRIV = Fixtures.key("ed25519.pem");
  static final String PUB = Fixtures.key("ed25519.pub.pem");
  static final String PRIV_B = Fixtures.key("ed25519-b.pem");
  static final String PUB_B = Fixtures.key("ed25519-b.pub.pem");
  /** openssl pkey -pubin -in ed25519.pub.pem -outform DER | sha256sum */
  static final String KEY_ID = Fixtures.key("ed25519.keyid").substring(0, 64);

  /** "abc": the FIPS 180-2 and BLAKE3 test vectors. */
  static final byte[] ABC = Fixtures.ABC;
  static final String SHA256_ABC = Fixtures.SHA256_ABC;
  static final String BLAKE3_ABC = "blake3:6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85";
  /** SHA-256 of one million 'a' (NIST). */
  static final String SHA256_MILLION_A = "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

  /** The verifier's time: 5 minutes after the directive was issued. */
  static final Timestamp NOW = ts(T0 + 300);

  static ArtifactSpec artifact(String hash, long size) {
    return Fixtures.artifact(hash, size);
  }

  static DeploymentDirective directive() {
    return DeploymentDirective.newBuilder()
        .setDirectiveId("d-sec-1")
        .setIssuedAt(ts(T0))
        .setIssuerNodeId("c2")
        .setScope(DeploymentScope.newBuilder().setNodes(DeploymentScope.NodeList.newBuilder().addNodeIds("uav-1")))
        .setArtifact(artifact(SHA256_ABC, 3))
        .build();
  }

  static TrustSet trust(String... publicPems) {
    TrustSet.Builder t = TrustSet.newBuilder();
    for (String pem : publicPems) {
      t.addKeys(TrustedKey.newBuilder().setPublicKeyPem(pem));
    }
    return t.build();
  }

  // ---- keys -------------------------------------------------------------------------------

  @Test
  void opensslKeysInspectToTheirIdAndPublicKey() {
    KeyInfo priv = Peat.inspectKey(PRIV);
    assertEquals(KEY_ID, priv.getKeyId());
    assertEquals(PUB, priv.getPublicKeyPem(), "the public key as openssl pkey -pubout wrote it");
    assertTrue(priv.getIsPrivate());
    KeyInfo pub = Peat.inspectKey(PUB);
    assertEquals(KEY_ID, pub.getKeyId());
    assertFalse(pub.getIsPrivate());
  }

  @Test
  void generatedKeysAreOpensslShapedAndConsistent() {
    KeyPair k = Peat.generateKey();
    assertTrue(k.getPrivateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8");
    assertTrue(k.getPublicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----\n"), "SPKI");
    assertTrue(k.getKeyId().matches("[0-9a-f]{64}"), k.getKeyId());
    assertEquals(k.getKeyId(), Peat.inspectKey(k.getPrivateKeyPem()).getKeyId());
    assertEquals(k.getPublicKeyPem(), Peat.inspectKey(k.getPrivateKeyPem()).getPublicKeyPem());
    assertNotEquals(k.getKeyId(), Peat.generateKey().getKeyId());
    // A generated key signs what its public key verifies.
    byte[] env = Peat.signDirective(directive(), k.getPrivateKeyPem());
    assertTrue(Peat.verifyDirective(env, trust(k.getPublicKeyPem()), NOW).getVerified());
  }

  @Test
  void keysOfOtherKindsAreRefusedWithoutQuotingThem() {
    String rsa = Fixtures.key("rsa.pem");
    for (String[] c : new String[][] {{rsa, "KEY_WRONG_TYPE"}, {Fixtures.key("ec.pem"), "KEY_WRONG_TYPE"},
        {Fixtures.key("x25519.pem"), "KEY_WRONG_TYPE"}, {Fixtures.key("ed25519-encrypted.pem"), "KEY_ENCRYPTED"},
        {"not a key", "KEY_NOT_PEM"}, {"", "KEY_NOT_PEM"}}) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Peat.inspectKey(c[0]), c[1]);
      assertEquals(c[1], e.code());
      assertEquals(Status.INVALID_ARGUMENT, e.status());
    }
    // No base64 of the key in the message (its second PEM line is pure key material).
    String rsaBody = rsa.lines().skip(1).findFirst().orElseThrow();
    assertFalse(assertThrows(InvalidArgumentException.class, () -> Peat.inspectKey(rsa)).getMessage().contains(rsaBody));
    // A public key where a private one is needed, and the other way round.
    InvalidArgumentException signPub = assertThrows(InvalidArgumentException.class,
        () -> Peat.signDirective(directive(), PUB));
    assertEquals("KEY_NOT_PRIVATE", signPub.code());
    InvalidArgumentException trustPriv = assertThrows(InvalidArgumentException.class,
        () -> Peat.verifyDirective(Peat.signDirective(directive(), PRIV), trust(PRIV), NOW));
    assertEquals("KEY_NOT_PUBLIC", trustPriv.code());
    String privBody = PRIV.lines().skip(1).findFirst().orElseThrow();
    assertFalse(trustPriv.getMessage().contains(privBody), trustPriv.getMessage());
  }

  // ---- sign and verify ----------------------------------------------------------------------

  @Test
  void signedWithAnOpensslKeyVerifies() throws Exception {
    byte[] env = Peat.signDirective(directive(), PRIV);
    SignedDirective parsed = SignedDirective.parseFrom(env);
    assertEquals(1, parsed.getVersion());
    assertEquals(KEY_ID, parsed.getSignatures(0).getKeyId());
    assertEquals(64, parsed.getSignatures(0).getSignature().size());
    // The envelope carries the directive's deterministic bytes.
    assertEquals(directive(), DeploymentDirective.parseFrom(parsed.getDirective()));

    VerifyResult r = Peat.verifyDirective(env, trust(PUB), NOW);
    assertTrue(r.getVerified(), r.toString());
    assertEquals("VERIFIED", r.getCode());
    assertEquals(List.of(KEY_ID), r.getVerifiedKeyIdsList());
    assertEquals(directive(), r.getDirective());
    assertEquals(1, r.getThreshold());
    assertEquals("VALID", r.getSignatures(0).getCode());
    // Signing is deterministic (Ed25519): the same directive and key give the same envelope.
    assertArrayEquals(env, Peat.signDirective(directive(), PRIV));
    assertArrayEquals(env, Peat.signDirective(SignRequest.newBuilder().setDirective(directive()).setPrivateKeyPem(PRIV).build()));
  }

  @Test
  void flippingAnyByteOfTheEnvelopeFailsVerification() {
    byte[] env = Peat.signDirective(directive(), PRIV);
    TrustSet trust = trust(PUB);
    assertTrue(Peat.verifyDirective(env, trust, NOW).getVerified());
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < env.length; i++) {
      for (int bit : new int[] {0x01, 0x80}) {
        byte[] bad = env.clone();
        bad[i] ^= (byte) bit;
        VerifyResult r = Peat.verifyDirective(bad, trust, NOW);
        assertFalse(r.getVerified(), "byte " + i + " ^ " + bit + " verified");
        assertNotEquals("VERIFIED", r.getCode());
        assertFalse(r.hasDirective(), "no directive from an envelope that did not verify");
        codes.add(r.getCode());
      }
    }
    // The failures are named: a damaged signature, key id, or envelope structure.
    assertTrue(codes.contains("BAD_SIGNATURE"), codes.toString());
    assertTrue(codes.contains("UNKNOWN_KEY"), codes.toString());
    // Truncations fail too, and never throw.
    for (int n = 0; n < env.length; n++) {
      assertFalse(Peat.verifyDirective(Arrays.copyOf(env, n), trust, NOW).getVerified(), "truncated to " + n);
    }
  }

  @Test
  void aKeyOutsideTheTrustSetFails() {
    byte[] env = Peat.signDirective(directive(), PRIV);
    VerifyResult r = Peat.verifyDirective(env, trust(PUB_B), NOW);
    assertFalse(r.getVerified());
    assertEquals("UNKNOWN_KEY", r.getCode());
    assertEquals(List.of(), r.getVerifiedKeyIdsList());
    assertEquals("UNKNOWN_KEY", r.getSignatures(0).getCode());
    assertEquals(KEY_ID, r.getSignatures(0).getKeyId());

    NotVerifiedException e = assertThrows(NotVerifiedException.class, () -> Peat.requireVerified(
        VerifyRequest.newBuilder().setEnvelope(ByteString.copyFrom(env)).setTrust(trust(PUB_B)).setNow(NOW).build()));
    assertEquals("UNKNOWN_KEY", e.code());
    assertEquals(Status.NOT_VERIFIED, e.status());
    assertEquals(11, e.statusCode());
    assertNotNull(e.result());
    assertEquals(r, e.result());
  }

  @Test
  void thresholdsAndSeveralSigners() {
    byte[] one = Peat.signDirective(directive(), PRIV);
    TrustSet both = trust(PUB, PUB_B).toBuilder().setThreshold(2).build();
    VerifyResult r1 = Peat.verifyDirective(one, both, NOW);
    assertFalse(r1.getVerified());
    assertEquals("THRESHOLD_NOT_MET", r1.getCode());
    assertEquals(List.of(KEY_ID), r1.getVerifiedKeyIdsList());

    byte[] two = Peat.addSignature(one, PRIV_B);
    VerifyResult r2 = Peat.verifyDirective(two, both, NOW);
    assertTrue(r2.getVerified(), r2.toString());
    assertEquals(2, r2.getVerifiedKeyIdsCount());
    assertEquals(2, r2.getThreshold());

    InvalidArgumentException dup = assertThrows(InvalidArgumentException.class, () -> Peat.addSignature(two, PRIV));
    assertEquals("DUPLICATE_SIGNER", dup.code());
    DecodeException notEnvelope = assertThrows(DecodeException.class,
        () -> Peat.addSignature(new byte[] {(byte) 0xff, 0x01}, PRIV));
    assertEquals("MALFORMED_ENVELOPE", notEnvelope.code());
  }

  @Test
  void unusableVerifyRequestsAreInvalidArguments() {
    byte[] env = Peat.signDirective(directive(), PRIV);
    Object[][] cases = {
        {TrustSet.getDefaultInstance(), NOW, "EMPTY_TRUST_SET"},
        {trust(PUB).toBuilder().setThreshold(2).build(), NOW, "THRESHOLD_UNREACHABLE"},
        {trust(PUB, PUB), NOW, "DUPLICATE_KEY_ID"},
        {TrustSet.newBuilder().addKeys(TrustedKey.newBuilder().setPublicKeyPem(PUB).setKeyId("00".repeat(32))).build(),
            NOW, "KEY_ID_MISMATCH"},
        {trust(Fixtures.key("rsa.pub.pem")), NOW, "KEY_WRONG_TYPE"},
    };
    for (Object[] c : cases) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> Peat.verifyDirective(env, (TrustSet) c[0], (Timestamp) c[1]), (String) c[2]);
      assertEquals(c[2], e.code());
    }
    InvalidArgumentException noNow = assertThrows(InvalidArgumentException.class, () -> Peat.verifyDirective(
        VerifyRequest.newBuilder().setEnvelope(ByteString.copyFrom(env)).setTrust(trust(PUB)).build()));
    assertEquals("NOW_REQUIRED", noNow.code());
  }

  @Test
  void ageLimitsAndKeyWindows() {
    byte[] env = Peat.signDirective(directive(), PRIV);
    VerifyRequest.Builder req = VerifyRequest.newBuilder().setEnvelope(ByteString.copyFrom(env)).setTrust(trust(PUB));
    assertEquals("DIRECTIVE_TOO_OLD",
        Peat.verifyDirective(req.clone().setNow(ts(T0 + 7200)).setMaxAgeSeconds(3600).build()).getCode());
    assertEquals("ISSUED_IN_FUTURE", Peat.verifyDirective(req.clone().setNow(ts(T0 - 3600)).build()).getCode());
    TrustSet expired = TrustSet.newBuilder().addKeys(TrustedKey.newBuilder().setPublicKeyPem(PUB)
        .setNotBefore(ts(T0 - 100)).setNotAfter(ts(T0 + 100))).build();
    assertEquals("KEY_EXPIRED", Peat.verifyDirective(env, expired, NOW).getCode());
    assertTrue(Peat.verifyDirective(env, expired, ts(T0 + 50)).getVerified());
  }

  // ---- targeting only verified directives -----------------------------------------------------

  @Test
  void targetSignedDecidesOnlyForVerifiedEnvelopes() {
    byte[] env = Peat.signDirective(directive(), PRIV);
    SignedTargetRequest.Builder req = SignedTargetRequest.newBuilder()
        .setVerify(VerifyRequest.newBuilder().setEnvelope(ByteString.copyFrom(env)).setTrust(trust(PUB)).setNow(NOW))
        .setNodeConfig(Fixtures.nodeConfig("uav-1"));
    SignedTargetDecision yes = Peat.targetSigned(req.build());
    assertTrue(yes.getDecision().getTargeted(), yes.toString());
    assertEquals(directive(), yes.getDirective());
    assertEquals(List.of(KEY_ID), yes.getVerifiedKeyIdsList());
    assertFalse(Peat.targetSigned(req.clone().setNodeConfig(Fixtures.nodeConfig("uav-2")).build())
        .getDecision().getTargeted());

    SignedTargetRequest untrusted = req.clone().setVerify(req.getVerify().toBuilder().setTrust(trust(PUB_B))).build();
    NotVerifiedException e = assertThrows(NotVerifiedException.class, () -> Peat.targetSigned(untrusted));
    assertEquals("UNKNOWN_KEY", e.code());
    assertEquals(Status.NOT_VERIFIED, e.status());
    assertNull(e.result(), "only requireVerified carries a result");
    byte[] bad = env.clone();
    bad[bad.length - 1] ^= 1;
    SignedTargetRequest forged = req.clone().setVerify(req.getVerify().toBuilder().setEnvelope(ByteString.copyFrom(bad)))
        .build();
    assertThrows(NotVerifiedException.class, () -> Peat.targetSigned(forged));
  }

  // ---- path rules (validation) ----------------------------------------------------------------

  static DeploymentDirective withTargetPath(String path) {
    DeploymentDirective d = directive();
    return d.toBuilder().setArtifact(d.getArtifact().toBuilder().setArtifactType(ArtifactType.newBuilder()
        .setConfigPackage(ArtifactType.ConfigPackage.newBuilder().setTargetPath(path)))).build();
  }

  @Test
  void traversalPathsAreInvalidPath() {
    ValidateOptions opts = ValidateOptions.newBuilder().setNow(NOW).build();
    assertTrue(Peat.validate(directive(), opts).getValid(), Peat.validate(directive(), opts).toString());
    for (String path : new String[] {"../../../etc/cron.d", "/opt/peat/../../etc/cron.d", "/opt/./peat", "/opt//peat",
        "/opt\\peat", "opt/peat", "/opt/pe\u0001at"}) {
      ValidationReport r = Peat.validate(withTargetPath(path), opts);
      assertFalse(r.getValid(), path);
      Violation v = r.getViolationsList().stream().filter(x -> x.getCode().equals("INVALID_PATH")).findFirst()
          .orElseThrow(() -> new AssertionError(path + ": " + r));
      assertTrue(v.getPath().endsWith("config_package.target_path"), v.getPath());
    }
    ValidationException e = assertThrows(ValidationException.class,
        () -> Peat.requireValid(withTargetPath("../../../etc/cron.d"), opts));
    assertEquals("INVALID_PATH", e.code());

    ValidateOptions rooted = opts.toBuilder().addAllowedPathRoots("/srv/peat").build();
    ValidationReport outside = Peat.validate(directive(), rooted);
    assertEquals("PATH_NOT_ALLOWED", outside.getViolations(0).getCode(), outside.toString());
    assertTrue(Peat.validate(withTargetPath("/srv/peat/conf"), rooted).getValid());
  }

  // ---- artifact verification ------------------------------------------------------------------

  @Test
  void streamedArtifactsVerifyWithSha256AndBlake3() {
    try (ArtifactVerifier v = new ArtifactVerifier(artifact(SHA256_ABC, 3))) {
      v.update("a".getBytes(StandardCharsets.US_ASCII));
      v.update(new byte[0]);
      v.update("xbcx".getBytes(StandardCharsets.US_ASCII), 1, 2);
      ArtifactResult r = v.finish();
      assertEquals(SHA256_ABC, r.getDigest());
      assertEquals(3, r.getSizeBytes());
      assertEquals(HashAlgorithm.HASH_ALGORITHM_SHA256, r.getAlgorithm());
      assertEquals(r, v.finish(), "finish again: the same outcome");
      InvalidArgumentException after = assertThrows(InvalidArgumentException.class, () -> v.update(ABC));
      assertEquals("ARTIFACT_FINISHED", after.code());
    }
    try (ArtifactVerifier v = new ArtifactVerifier(artifact(BLAKE3_ABC, 3))) {
      v.update(ABC);
      ArtifactResult r = v.finish();
      assertEquals(BLAKE3_ABC, r.getDigest());
      assertEquals(HashAlgorithm.HASH_ALGORITHM_BLAKE3, r.getAlgorithm());
    }
    // The optional sha256 field is checked as well.
    ArtifactSpec both = artifact(BLAKE3_ABC, 3).toBuilder().setSha256(SHA256_ABC.substring(7)).build();
    try (ArtifactVerifier v = new ArtifactVerifier(both)) {
      v.update(ABC);
      assertTrue(v.finish().getSha256Checked());
    }
  }

  /** Feeds bytes to a fresh verifier of the spec and returns the failure of update or finish. */
  static NotVerifiedException failure(ArtifactSpec spec, byte[] bytes) {
    try (ArtifactVerifier v = new ArtifactVerifier(spec)) {
      return assertThrows(NotVerifiedException.class, () -> {
        v.update(bytes);
        v.finish();
      });
    }
  }

  @Test
  void shortLongAndWrongBytesEachHaveTheirCode() {
    for (String hash : new String[] {SHA256_ABC, BLAKE3_ABC}) {
      ArtifactSpec spec = artifact(hash, 3);
      assertEquals("ARTIFACT_TRUNCATED", failure(spec, "ab".getBytes(StandardCharsets.US_ASCII)).code(), hash);
      assertEquals("ARTIFACT_EXCESS", failure(spec, "abcd".getBytes(StandardCharsets.US_ASCII)).code(), hash);
      assertEquals("ARTIFACT_DIGEST_MISMATCH", failure(spec, "abd".getBytes(StandardCharsets.US_ASCII)).code(), hash);
      assertEquals(Status.NOT_VERIFIED, failure(spec, new byte[0]).status());
    }
    ArtifactSpec wrongSha = artifact(BLAKE3_ABC, 3).toBuilder().setSha256("00".repeat(32)).build();
    assertEquals("ARTIFACT_SHA256_MISMATCH", failure(wrongSha, ABC).code());

    // One byte too many is refused by the update that brings it, and the verification stays failed.
    try (ArtifactVerifier v = new ArtifactVerifier(artifact(SHA256_ABC, 3))) {
      v.update(ABC);
      NotVerifiedException e = assertThrows(NotVerifiedException.class, () -> v.update(new byte[] {'d'}));
      assertEquals("ARTIFACT_EXCESS", e.code());
      assertEquals("ARTIFACT_EXCESS", assertThrows(NotVerifiedException.class, v::finish).code());
      assertEquals("ARTIFACT_FINISHED", assertThrows(InvalidArgumentException.class, () -> v.update(ABC)).code());
    }
  }

  @Test
  void badArtifactSpecsAreInvalidArguments() {
    assertEquals("INVALID_HASH", assertThrows(InvalidArgumentException.class,
        () -> new ArtifactVerifier(artifact("sha256:abc", 3))).code());
    assertEquals("INVALID_HASH", assertThrows(InvalidArgumentException.class,
        () -> new ArtifactVerifier(artifact("md5:" + "00".repeat(16), 3))).code());
    assertEquals("INVALID_NUMBER", assertThrows(InvalidArgumentException.class,
        () -> new ArtifactVerifier(artifact(SHA256_ABC, 0))).code());
    assertThrows(DecodeException.class, () -> PeatNative.artifactNew(new byte[] {(byte) 0xff}));
  }

  @Test
  void largeChunksDirectAndReadOnlyBuffersAndStreams() throws Exception {
    byte[] million = new byte[1_000_000];
    Arrays.fill(million, (byte) 'a');
    ArtifactSpec spec = artifact(SHA256_MILLION_A, million.length);
    // One chunk.
    try (ArtifactVerifier v = new ArtifactVerifier(spec)) {
      v.update(million);
      assertEquals(SHA256_MILLION_A, v.finish().getDigest());
    }
    // Uneven chunks through every ByteBuffer kind.
    try (ArtifactVerifier v = new ArtifactVerifier(spec)) {
      ByteBuffer direct = ByteBuffer.allocateDirect(300_000);
      direct.put(million, 0, 300_000).flip();
      direct.position(1); // the buffer's position is honoured ...
      v.update(ByteBuffer.wrap(million, 0, 1)); // (heap, backed by an array)
      v.update(direct);
      assertEquals(300_000, direct.position(), "... and advanced to the limit");
      assertFalse(direct.hasRemaining());
      ByteBuffer readOnly = ByteBuffer.wrap(million, 300_000, 250_000).asReadOnlyBuffer();
      assertFalse(readOnly.hasArray());
      v.update(readOnly);
      assertEquals(550_000, readOnly.position());
      ByteBuffer slice = ByteBuffer.wrap(million).position(550_000).slice(); // array offset != 0
      v.update(slice);
      assertEquals(SHA256_MILLION_A, v.finish().getDigest());
    }
    // A chunk larger than the shim's 1 MiB piece, long by one byte, is refused.
    byte[] big = new byte[3 * (1 << 20) + 5];
    Arrays.fill(big, (byte) 'a');
    try (ArtifactVerifier v = new ArtifactVerifier(artifact(SHA256_MILLION_A, big.length - 1))) {
      assertEquals("ARTIFACT_EXCESS", assertThrows(NotVerifiedException.class, () -> v.update(big)).code());
    }
    try (ArtifactVerifier v = new ArtifactVerifier(artifact(SHA256_MILLION_A, big.length))) {
      v.update(big);
      assertEquals("ARTIFACT_DIGEST_MISMATCH", assertThrows(NotVerifiedException.class, v::finish).code());
    }
    // The same through a direct buffer (read in place, in pieces too).
    ByteBuffer bigDirect = ByteBuffer.allocateDirect(big.length).put(big).flip();
    try (ArtifactVerifier v = new ArtifactVerifier(artifact(SHA256_MILLION_A, big.length - 1))) {
      assertEquals("ARTIFACT_EXCESS", assertThrows(NotVerifiedException.class, () -> v.update(bigDirect)).code());
      assertEquals(0, bigDirect.position(), "a failed update leaves the position");
    }
    try (ArtifactVerifier v = new ArtifactVerifier(artifact(SHA256_MILLION_A, big.length))) {
      v.update(bigDirect);
      assertEquals(big.length, bigDirect.position());
      assertEquals("ARTIFACT_DIGEST_MISMATCH", assertThrows(NotVerifiedException.class, v::finish).code());
    }
    // A whole stream.
    assertEquals(SHA256_MILLION_A, ArtifactVerifier.verify(spec, new ByteArrayInputStream(million)).getDigest());
    assertEquals("ARTIFACT_TRUNCATED", assertThrows(NotVerifiedException.class,
        () -> ArtifactVerifier.verify(spec, new ByteArrayInputStream(million, 1, million.length - 1))).code());
  }

  @Test
  void useAfterCloseIsACleanError() {
    ArtifactVerifier v = new ArtifactVerifier(artifact(SHA256_ABC, 3));
    long h = v.handle();
    assertNotEquals(0, h);
    assertFalse(v.isClosed());
    v.update(ABC);
    v.close();
    assertTrue(v.isClosed());
    v.close(); // idempotent
    assertEquals(0, v.handle());
    assertThrows(IllegalStateException.class, () -> v.update(ABC));
    assertThrows(IllegalStateException.class, () -> v.update(ABC, 0, 1));
    assertThrows(IllegalStateException.class, () -> v.update(ByteBuffer.wrap(ABC)));
    assertThrows(IllegalStateException.class, v::finish);
    assertEquals("ArtifactVerifier{closed}", v.toString());
    // libpeat itself refuses the freed handle (never reused), and a second free is a no-op.
    assertEquals("INVALID_HANDLE", assertThrows(InvalidArgumentException.class, () -> PeatNative.artifactFinish(h)).code());
    assertEquals("INVALID_HANDLE",
        assertThrows(InvalidArgumentException.class, () -> PeatNative.artifactUpdate(h, ABC, 0, 3)).code());
    PeatNative.artifactFree(h);
    // A new verifier gets a new handle.
    try (ArtifactVerifier w = new ArtifactVerifier(artifact(SHA256_ABC, 3))) {
      assertNotEquals(h, w.handle());
      assertEquals(h & 0xff, w.handle() & 0xff, "the same kind in the low 8 bits");
    }
  }

  @Test
  void handlesThatAreNotLiveArtifactHandles() {
    for (long h : new long[] {0, -1, Long.MIN_VALUE, 1L << 40}) {
      PeatException e = assertThrows(InvalidArgumentException.class, () -> PeatNative.artifactFinish(h));
      assertTrue(e.code().equals("INVALID_HANDLE") || e.code().equals("WRONG_HANDLE_KIND"), e.code());
      PeatNative.artifactFree(h);
    }
    try (ArtifactVerifier v = new ArtifactVerifier(artifact(SHA256_ABC, 3))) {
      long otherKind = v.handle() & ~0xffL;
      assertEquals("WRONG_HANDLE_KIND",
          assertThrows(InvalidArgumentException.class, () -> PeatNative.artifactFinish(otherKind)).code());
      PeatNative.artifactFree(otherKind); // a no-op: v still works
      v.update(ABC);
      assertEquals(SHA256_ABC, v.finish().getDigest());
    }
  }

  @Test
  void anUnreachableVerifierIsReleasedByTheCleaner() throws Exception {
    long h = openAndDrop();
    // Until released, libpeat knows the handle (only 2 of 3 bytes came: truncated).
    long deadline = System.nanoTime() + 20_000_000_000L;
    String code = null;
    while (System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
      try {
        PeatNative.artifactFinish(h);
        throw new AssertionError("a truncated artifact verified");
      } catch (NotVerifiedException e) {
        assertEquals("ARTIFACT_TRUNCATED", e.code());
      } catch (InvalidArgumentException e) {
        code = e.code();
        break;
      }
    }
    assertEquals("INVALID_HANDLE", code, "the Cleaner released the handle");
  }

  private static long openAndDrop() {
    ArtifactVerifier v = new ArtifactVerifier(artifact(SHA256_ABC, 3));
    v.update(new byte[] {'a', 'b'});
    return v.handle();
  }

  @Test
  void theHandleLimitIsATooLargeExceptionAndCloseReleases() throws Exception {
    // Let the Cleaner release what earlier tests (the stress test) left to it.
    System.gc();
    Thread.sleep(200);
    List<ArtifactVerifier> open = new ArrayList<>();
    ArtifactSpec spec = artifact(SHA256_ABC, 3);
    TooLargeException limit = null;
    try {
      for (int i = 0; i < 70_000 && limit == null; i++) {
        try {
          open.add(new ArtifactVerifier(spec));
        } catch (TooLargeException e) {
          limit = e;
        }
      }
      assertNotNull(limit, "no limit after " + open.size() + " handles");
      assertEquals("TOO_MANY_HANDLES", limit.code());
      // 65,536 per process, all kinds; other tests keep (almost) none open.
      assertTrue(open.size() > 60_000 && open.size() <= 65_536, "opened " + open.size());
    } finally {
      open.forEach(ArtifactVerifier::close);
    }
    // Closing released them all: as many can be opened again.
    for (int i = 0; i < 65_000; i++) {
      new ArtifactVerifier(spec).close();
    }
    try (ArtifactVerifier v = new ArtifactVerifier(spec)) {
      v.update(ABC);
      assertEquals(SHA256_ABC, v.finish().getDigest());
    }
  }

  @Test
  void verifiersRunInParallelAndCloseRacesAreSafe() throws Exception {
    byte[] chunk = new byte[4000];
    Arrays.fill(chunk, (byte) 'a');
    ArtifactSpec spec = artifact(SHA256_MILLION_A, 1_000_000);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(new Thread(() -> {
        try (ArtifactVerifier v = new ArtifactVerifier(spec)) {
          for (int i = 0; i < 250; i++) {
            v.update(chunk);
          }
          assertEquals(SHA256_MILLION_A, v.finish().getDigest());
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    // One verifier fed by a thread while another closes it: each update either
    // runs, or fails cleanly (closed in Java, or a handle libpeat freed).
    ArtifactVerifier shared = new ArtifactVerifier(spec);
    Random rnd = new Random(1);
    threads.add(new Thread(() -> {
      for (int i = 0; i < 250; i++) {
        try {
          shared.update(chunk);
        } catch (IllegalStateException e) {
          return;
        } catch (InvalidArgumentException e) {
          if (!e.code().equals("INVALID_HANDLE")) {
            failure.compareAndSet(null, e);
          }
          return;
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          return;
        }
      }
    }));
    threads.forEach(Thread::start);
    Thread.sleep(rnd.nextInt(5));
    shared.close();
    for (Thread t : threads) {
      t.join();
    }
    assertNull(failure.get(), () -> String.valueOf(failure.get()));
    assertTrue(shared.isClosed());
    assertSame(IllegalStateException.class, assertThrows(IllegalStateException.class, shared::finish).getClass());
  }
}
