package io.peat;

/** PEAT_E_DECOMPRESS: a bad zstd frame, or the output would exceed its limit. */
public class DecompressException extends PeatException {
  private static final long serialVersionUID = 1L;

  public DecompressException(int statusCode, String code, String message, String fieldPath) {
    super(statusCode, code, message, fieldPath);
  }
}
