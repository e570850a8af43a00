package io.peat;

/** PEAT_E_INTERNAL or an unknown status: a fault inside libpeat (a recovered panic). */
public class InternalException extends PeatException {
  private static final long serialVersionUID = 1L;

  public InternalException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
