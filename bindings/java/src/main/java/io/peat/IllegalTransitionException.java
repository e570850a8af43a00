package io.peat;

/** PEAT_E_ILLEGAL_TRANSITION: the deployment status machine refused a move. */
public class IllegalTransitionException extends PeatException {
  private static final long serialVersionUID = 1L;

  public IllegalTransitionException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
