package io.peat;

/** PEAT_E_TOO_LARGE: the input is over its size limit (ICD §3.3). */
public class TooLargeException extends PeatException {
  private static final long serialVersionUID = 1L;

  public TooLargeException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
