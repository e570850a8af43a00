package io.peat;

/** PEAT_E_UNKNOWN_TYPE: the type name is not registered or not valid for the call. */
public class UnknownTypeException extends PeatException {
  private static final long serialVersionUID = 1L;

  public UnknownTypeException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
