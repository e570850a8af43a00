package io.peat;

import io.peat.proto.security.v1.VerifyResult;

/**
 * PEAT_E_NOT_VERIFIED: a signed directive or downloaded bytes did not verify.
 * Thrown by {@link Peat#targetSigned} (the code is the verification's:
 * {@code UNKNOWN_KEY}, {@code BAD_SIGNATURE}, ...), by {@link
 * Peat#requireVerified} (with the full {@link VerifyResult}) and by {@link
 * ArtifactVerifier} ({@code ARTIFACT_TRUNCATED}, {@code ARTIFACT_EXCESS},
 * {@code ARTIFACT_DIGEST_MISMATCH}, {@code ARTIFACT_SHA256_MISMATCH}).
 */
public class NotVerifiedException extends PeatException {
  private static final long serialVersionUID = 1L;

  private final transient VerifyResult result;

  /**
   * An exception for a failed verification.
   *
   * @param statusCode the numeric status (11)
   * @param code the stable code, e.g. "BAD_SIGNATURE" or "ARTIFACT_TRUNCATED"
   * @param message a human-readable explanation
   * @param fieldPath the offending field, or ""
   * @param result the verification result, or null
   */
  public NotVerifiedException(int statusCode, String code, String message, String fieldPath, VerifyResult result) {
    super(statusCode, code, message, fieldPath);
    this.result = result;
  }

  static NotVerifiedException of(VerifyResult result) {
    String message = result.getMessage().isEmpty() ? "the directive did not verify" : result.getMessage();
    return new NotVerifiedException(Status.NOT_VERIFIED.code(), result.getCode(), message, "", result);
  }

  /**
   * The verification result (every signature's outcome), or null when the
   * exception came from a call other than {@link Peat#requireVerified}.
   *
   * @return the result, or null
   */
  public VerifyResult result() {
    return result;
  }
}
