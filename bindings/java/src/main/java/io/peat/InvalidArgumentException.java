package io.peat;

/** PEAT_E_INVALID_ARGUMENT: a NULL argument, unknown format or bad option. */
public class InvalidArgumentException extends PeatException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
