package io.peat;

/** PEAT_E_DECODE: the input bytes or JSON cannot be decoded. */
public class DecodeException extends PeatException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a failed call, as the binding builds it from libpeat's
   * status and error details.
   *
   * @param statusCode the numeric status (PEAT_E_DECODE, 3)
   * @param code the stable code: "DECODE_ERROR" or a finer one such as "INVALID_UTF8"
   * @param message a human-readable explanation (not stable; branch on the code)
   * @param fieldPath the path of the offending field, or "" when none is known
   */
  public DecodeException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
