package io.peat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.peat.proto.api.v1.Error;

/**
 * A libpeat call failed. Carries the numeric {@link Status}, the stable
 * {@link #code()} (finer grained than the status, e.g. "INVALID_UTF8") and the
 * offending field path when one is known. Subclasses exist per status, so
 * callers can catch what they handle (e.g. {@link DecodeException}).
 *
 * <pre>{@code
 * try {
 *   NodeConfig config = Peat.fromJson(body, NodeConfig.getDefaultInstance());
 * } catch (DecodeException e) {          // PEAT_E_DECODE: not JSON, not UTF-8, a wrong type, ...
 *   reply(400, e.code() + " at " + e.fieldPath() + ": " + e.getMessage());
 * } catch (PeatException e) {            // any other status
 *   log.error("{} ({}): {}", e.code(), e.status(), e.getMessage());
 * }
 * }</pre>
 *
 * <p>{@link #getMessage()} is {@code "CODE: message"}, followed by {@code
 * " (at path)"} when a field path is known; it is for humans, branch on
 * {@link #code()}.
 *
 * <p>Unchecked: every libpeat call can fail on bad input, and the failure is
 * described by data, not by the call site.
 */
public class PeatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The status class ({@link #status()}). */
  private final Status status;
  /** The numeric status ({@link #statusCode()}). */
  private final int statusCode;
  /** The stable code ({@link #code()}). */
  private final String code;
  /** The offending field's path, or "" ({@link #fieldPath()}). */
  private final String fieldPath;

  /**
   * An exception for a failed call. The subclass matching the status is what
   * the binding throws; this constructor is public for callers that wrap or
   * fake libpeat.
   *
   * @param statusCode the numeric status (PEAT_E_* in peat.h); a number this
   *     binding does not know gives {@link Status#UNKNOWN}
   * @param code the stable code, e.g. "DECODE_ERROR" or "INVALID_UTF8"; null or
   *     empty means the status's stable name
   * @param message a human-readable explanation
   * @param fieldPath the path of the offending field, or "" (null is read as "")
   */
  public PeatException(int statusCode, String code, String message, String fieldPath) {
    super(format(code, message, fieldPath));
    this.statusCode = statusCode;
    this.status = Status.of(statusCode);
    this.code = code == null || code.isEmpty() ? status.stableName() : code;
    this.fieldPath = fieldPath == null ? "" : fieldPath;
  }

  private static String format(String code, String message, String path) {
    StringBuilder b = new StringBuilder();
    b.append(code).append(": ").append(message);
    if (path != null && !path.isEmpty()) {
      b.append(" (at ").append(path).append(')');
    }
    return b.toString();
  }

  /**
   * The status class of the failure.
   *
   * @return the status, {@link Status#UNKNOWN} for a number this binding does not know
   */
  public Status status() {
    return status;
  }

  /**
   * The numeric status returned by the C call (kept even if {@link #status()} is UNKNOWN).
   *
   * @return the PEAT_E_* number
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * The stable upper-case code, e.g. "DECODE_ERROR", "MESSAGE_TOO_LARGE", "INVALID_UTF8".
   *
   * @return the code; never empty (the status's name when libpeat gave no finer code)
   */
  public String code() {
    return code;
  }

  /**
   * The path of the offending field, with proto field names.
   *
   * @return e.g. "capabilities[2].confidence", or "" when unknown
   */
  public String fieldPath() {
    return fieldPath;
  }

  /**
   * Builds the exception for a failed call from its status and the serialized
   * peat.api.v1.Error in the output buffer. Called by the JNI shim.
   */
  static Throwable fromNative(int statusCode, byte[] errorBytes) {
    Error e;
    try {
      e = Error.parseFrom(errorBytes == null ? new byte[0] : errorBytes);
    } catch (InvalidProtocolBufferException x) {
      e = Error.getDefaultInstance();
    }
    String code = e.getCode().isEmpty() ? Status.of(statusCode).stableName() : e.getCode();
    String message = e.getMessage().isEmpty() ? "libpeat call failed" : e.getMessage();
    return create(statusCode, code, message, e.getFieldPath());
  }

  /** The subclass of PeatException that matches the status. */
  static PeatException create(int statusCode, String code, String message, String path) {
    switch (Status.of(statusCode)) {
      case INVALID_ARGUMENT:
        return new InvalidArgumentException(statusCode, code, message, path);
      case UNKNOWN_TYPE:
        return new UnknownTypeException(statusCode, code, message, path);
      case DECODE:
        return new DecodeException(statusCode, code, message, path);
      case ENCODE:
        return new EncodeException(statusCode, code, message, path);
      case TOO_LARGE:
        return new TooLargeException(statusCode, code, message, path);
      case DECOMPRESS:
        return new DecompressException(statusCode, code, message, path);
      case MISMATCH:
        return new MismatchException(statusCode, code, message, path);
      case ILLEGAL_TRANSITION:
        return new IllegalTransitionException(statusCode, code, message, path);
      case UNSUPPORTED:
        return new UnsupportedException(statusCode, code, message, path);
      case INVALID:
        return new ValidationException(statusCode, code, message, path, null);
      case NOT_VERIFIED:
        return new NotVerifiedException(statusCode, code, message, path, null);
      default:
        return new InternalException(statusCode, code, message, path);
    }
  }
}
