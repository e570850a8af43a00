package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.peat.proto.cap.common.v1.Timestamp;
import io.peat.proto.cap.node.v1.NodeConfig;
import io.peat.proto.directive.v1.DeploymentDirective;
import io.peat.proto.security.v1.ArtifactResult;
import io.peat.proto.security.v1.SignedTargetDecision;
import io.peat.proto.security.v1.SignedTargetRequest;
import io.peat.proto.security.v1.TrustSet;
import io.peat.proto.security.v1.TrustedKey;
import io.peat.proto.security.v1.VerifyRequest;
import io.peat.proto.security.v1.VerifyResult;
import io.peat.proto.validation.v1.ValidateOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of docs/SECURITY.md, run: {@link #example} holds its lines
 * verbatim (between the inputs it names and the checks after it), and {@link
 * #theDocumentShowsThisCode} fails when a line of the document's example is
 * not in this file.
 */
class SecurityDocExampleTest {
  @Test
  void example(@TempDir Path dir) throws Exception {
    // The inputs the example names: OpenSSL-made key files, the blob "abc", a
    // directive naming it, the node's time and configuration.
    Path privateKeyFile = dir.resolve("c2.pem");
    Path publicKeyFile = dir.resolve("c2.pub.pem");
    Path blobFile = dir.resolve("blob");
    Files.writeString(privateKeyFile, SecurityTest.PRIV);
    Files.writeString(publicKeyFile, SecurityTest.PUB);
    Files.write(blobFile, SecurityTest.ABC);
    DeploymentDirective directive = SecurityTest.directive();
    Timestamp now = SecurityTest.NOW;
    NodeConfig myConfig = Fixtures.nodeConfig("uav-1");
    ArtifactResult result;

    // ---- docs/SECURITY.md § Java, verbatim ----
    // C2: sign with a key made by `openssl genpkey -algorithm ed25519` (or Peat.generateKey()).
    byte[] envelope = Peat.signDirective(directive, Files.readString(privateKeyFile));

    // Node: verify with its trust set at its own "now"; act only on a verified directive.
    TrustSet trust = TrustSet.newBuilder()
        .addKeys(TrustedKey.newBuilder().setPublicKeyPem(Files.readString(publicKeyFile)))
        .build();
    VerifyRequest request = VerifyRequest.newBuilder()
        .setEnvelope(ByteString.copyFrom(envelope)).setTrust(trust).setNow(now).setMaxAgeSeconds(3600)
        .build();
    VerifyResult verified = Peat.requireVerified(request);  // NotVerifiedException: UNKNOWN_KEY, BAD_SIGNATURE, ...
    DeploymentDirective d = Peat.requireValid(verified.getDirective(), ValidateOptions.newBuilder()
        .setNow(now).addAllowedPathRoots("/opt/peat").build());  // ValidationException: INVALID_PATH, PATH_NOT_ALLOWED
    SignedTargetDecision t = Peat.targetSigned(SignedTargetRequest.newBuilder()
        .setVerify(request).setNodeConfig(myConfig).build());  // verifies again, then decides
    if (!t.getDecision().getTargeted()) return;

    // Check the download chunk by chunk, in constant memory.
    try (ArtifactVerifier v = new ArtifactVerifier(d.getArtifact());
         InputStream in = Files.newInputStream(blobFile)) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        v.update(buf, 0, n);  // NotVerifiedException ARTIFACT_EXCESS at the first byte too many
      }
      ArtifactResult ok = v.finish();  // NotVerifiedException: ARTIFACT_TRUNCATED, ARTIFACT_DIGEST_MISMATCH, ...
      // ---- end of the example ----
      result = ok;
    }
    assertEquals(directive, d);
    assertEquals(List.of(SecurityTest.KEY_ID), verified.getVerifiedKeyIdsList());
    assertEquals(SecurityTest.SHA256_ABC, result.getDigest());
    assertEquals(3, result.getSizeBytes());
  }

  /** The example stops a node that is not targeted before it downloads anything. */
  @Test
  void exampleReturnsEarlyForAnotherNode() {
    byte[] envelope = Peat.signDirective(SecurityTest.directive(), SecurityTest.PRIV);
    VerifyRequest request = VerifyRequest.newBuilder().setEnvelope(ByteString.copyFrom(envelope))
        .setTrust(SecurityTest.trust(SecurityTest.PUB)).setNow(SecurityTest.NOW).build();
    assertFalse(Peat.targetSigned(SignedTargetRequest.newBuilder().setVerify(request)
        .setNodeConfig(Fixtures.nodeConfig("uav-2")).build()).getDecision().getTargeted());
  }

  @Test
  void theDocumentShowsThisCode() throws Exception {
    String doc = Files.readString(Fixtures.top().resolve("docs/SECURITY.md"));
    Matcher m = Pattern.compile("(?s)### Java\\n.*?```java\\n(.*?)```").matcher(doc);
    assertTrue(m.find(), "docs/SECURITY.md has a ```java block under ### Java");
    String here = Files.readString(Fixtures.top().resolve(
        "bindings/java/src/test/java/io/peat/SecurityDocExampleTest.java"), StandardCharsets.UTF_8);
    List<String> lines = m.group(1).lines().map(String::strip).filter(l -> !l.isEmpty())
        .filter(l -> !l.startsWith("// Inputs:") && !l.startsWith("// now (")).toList();
    assertTrue(lines.size() > 15, lines.toString());
    for (String line : lines) {
      assertTrue(here.contains(line), "docs/SECURITY.md's Java example line is not in this test: " + line);
    }
  }
}
