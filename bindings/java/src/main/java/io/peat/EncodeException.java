package io.peat;

/** PEAT_E_ENCODE: a value cannot be written in the requested format. */
public class EncodeException extends PeatException {
  private static final long serialVersionUID = 1L;

  public EncodeException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
