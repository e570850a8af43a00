package io.peat;

/** PEAT_E_ILLEGAL_TRANSITION: the deployment status machine refused a move. */
public class IllegalTransitionException extends PeatException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a failed call, as the binding builds it from libpeat's
   * status and error details.
   *
   * @param statusCode the numeric status (PEAT_E_ILLEGAL_TRANSITION, 8)
   * @param code the stable code: "ILLEGAL_TRANSITION" or a finer one such as "PROGRESS_DECREASED"
   * @param message a human-readable explanation (not stable; branch on the code)
   * @param fieldPath the path of the offending field, or "" when none is known
   */
  public IllegalTransitionException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
