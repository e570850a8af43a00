package io.peat;

/** PEAT_E_DECOMPRESS: a bad zstd frame, or the output would exceed its limit. */
public class DecompressException extends PeatException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception for a failed call, as the binding builds it from libpeat's
   * status and error details.
   *
   * @param statusCode the numeric status (PEAT_E_DECOMPRESS, 6)
   * @param code the stable code: "DECOMPRESS_ERROR"
   * @param message a human-readable explanation (not stable; branch on the code)
   * @param fieldPath the path of the offending field, or "" when none is known
   */
  public DecompressException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
