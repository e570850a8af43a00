package io.peat;

/** PEAT_E_UNSUPPORTED: the operation is not defined for this type. */
public class UnsupportedException extends PeatException {
  private static final long serialVersionUID = 1L;

  public UnsupportedException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
