package io.peat;

/** PEAT_E_UNSUPPORTED: the operation is not defined for this type. */
public class UnsupportedException extends PeatException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a failed call, as the binding builds it from libpeat's
   * status and error details.
   *
   * @param statusCode the numeric status (PEAT_E_UNSUPPORTED, 9)
   * @param code the stable code: "UNSUPPORTED"
   * @param message a human-readable explanation (not stable; branch on the code)
   * @param fieldPath the path of the offending field, or "" when none is known
   */
  public UnsupportedException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
