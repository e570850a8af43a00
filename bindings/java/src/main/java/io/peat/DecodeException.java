package io.peat;

/** PEAT_E_DECODE: the input bytes or JSON cannot be decoded. */
public class DecodeException extends PeatException {
  private static final long serialVersionUID = 1L;

  public DecodeException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
