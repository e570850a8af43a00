package io.peat;

/** PEAT_E_INVALID_ARGUMENT: a NULL argument, unknown format or bad option. */
public class InvalidArgumentException extends PeatException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a failed call, as the binding builds it from libpeat's
   * status and error details.
   *
   * @param statusCode the numeric status (PEAT_E_INVALID_ARGUMENT, 1)
   * @param code the stable code: "INVALID_ARGUMENT" or a finer one such as "KEY_WRONG_TYPE"
   * @param message a human-readable explanation (not stable; branch on the code)
   * @param fieldPath the path of the offending field, or "" when none is known
   */
  public InvalidArgumentException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
