package io.peat;

/** PEAT_E_INTERNAL or an unknown status: a fault inside libpeat (a recovered panic). */
public class InternalException extends PeatException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a failed call, as the binding builds it from libpeat's
   * status and error details.
   *
   * @param statusCode the numeric status (PEAT_E_INTERNAL, 100)
   * @param code the stable code: "INTERNAL"
   * @param message a human-readable explanation (not stable; branch on the code)
   * @param fieldPath the path of the offending field, or "" when none is known
   */
  public InternalException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
