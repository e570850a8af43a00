package io.peat;

/** PEAT_E_TOO_LARGE: the input is over its size limit (ICD §3.3). */
public class TooLargeException extends PeatException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a failed call, as the binding builds it from libpeat's
   * status and error details.
   *
   * @param statusCode the numeric status (PEAT_E_TOO_LARGE, 5)
   * @param code the stable code: "MESSAGE_TOO_LARGE" or a finer one such as "TOO_MANY_HANDLES"
   * @param message a human-readable explanation (not stable; branch on the code)
   * @param fieldPath the path of the offending field, or "" when none is known
   */
  public TooLargeException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
