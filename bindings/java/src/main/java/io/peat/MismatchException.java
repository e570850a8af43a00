package io.peat;

/** PEAT_E_MISMATCH: a merge of different entities or ids. */
public class MismatchException extends PeatException {
  private static final long serialVersionUID = 1L;

  public MismatchException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
