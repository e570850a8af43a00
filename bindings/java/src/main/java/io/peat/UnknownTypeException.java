package io.peat;

/** PEAT_E_UNKNOWN_TYPE: the type name is not registered or not valid for the call. */
public class UnknownTypeException extends PeatException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a failed call, as the binding builds it from libpeat's
   * status and error details.
   *
   * @param statusCode the numeric status (PEAT_E_UNKNOWN_TYPE, 2)
   * @param code the stable code: "UNKNOWN_TYPE"
   * @param message a human-readable explanation (not stable; branch on the code)
   * @param fieldPath the path of the offending field, or "" when none is known
   */
  public UnknownTypeException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
