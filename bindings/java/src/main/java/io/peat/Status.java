package io.peat;

/** The status of a libpeat call (PEAT_OK and PEAT_E_* in peat.h). */
public enum Status {
  /** PEAT_OK: success (never thrown). */
  OK(0, "OK"),
  /** PEAT_E_INVALID_ARGUMENT: a NULL argument, unknown format or bad option ({@link InvalidArgumentException}). */
  INVALID_ARGUMENT(1, "INVALID_ARGUMENT"),
  /** PEAT_E_UNKNOWN_TYPE: the type name is not registered or wrong for the call ({@link UnknownTypeException}). */
  UNKNOWN_TYPE(2, "UNKNOWN_TYPE"),
  /** PEAT_E_DECODE: the input bytes or JSON cannot be decoded ({@link DecodeException}). */
  DECODE(3, "DECODE_ERROR"),
  /** PEAT_E_ENCODE: a value cannot be written in the requested format ({@link EncodeException}). */
  ENCODE(4, "ENCODE_ERROR"),
  /** PEAT_E_TOO_LARGE: an input over its size limit, ICD §3.3 ({@link TooLargeException}). */
  TOO_LARGE(5, "MESSAGE_TOO_LARGE"),
  /** PEAT_E_DECOMPRESS: a bad zstd frame or output over its limit ({@link DecompressException}). */
  DECOMPRESS(6, "DECOMPRESS_ERROR"),
  /** PEAT_E_MISMATCH: a merge of different entities or ids ({@link MismatchException}). */
  MISMATCH(7, "MISMATCH"),
  /** PEAT_E_ILLEGAL_TRANSITION: the deployment status machine refused a move ({@link IllegalTransitionException}). */
  ILLEGAL_TRANSITION(8, "ILLEGAL_TRANSITION"),
  /** PEAT_E_UNSUPPORTED: the operation is not defined for this type ({@link UnsupportedException}). */
  UNSUPPORTED(9, "UNSUPPORTED"),
  /** PEAT_E_INVALID: an input that must be valid is not ({@link ValidationException}). */
  INVALID(10, "INVALID_MESSAGE"),
  /** A signature or an artifact did not verify (ABI 1.1). */
  NOT_VERIFIED(11, "NOT_VERIFIED"),
  /** PEAT_E_INTERNAL: a recovered fault inside libpeat; later calls are unaffected ({@link InternalException}). */
  INTERNAL(100, "INTERNAL"),
  /** A status this binding does not know (a newer library); treated as an error ({@link InternalException}). */
  UNKNOWN(-1, "UNKNOWN_STATUS");

  private final int code;
  private final String stableName;

  Status(int code, String stableName) {
    this.code = code;
    this.stableName = stableName;
  }

  /**
   * The numeric status returned by the C call.
   *
   * @return the PEAT_OK or PEAT_E_* number; -1 for {@link #UNKNOWN}
   */
  public int code() {
    return code;
  }

  /**
   * The stable upper-case name, as returned by peat_status_name().
   *
   * @return e.g. "DECODE_ERROR"
   */
  public String stableName() {
    return stableName;
  }

  /**
   * The status with a number.
   *
   * @param code a PEAT_OK or PEAT_E_* number
   * @return its status, or {@link #UNKNOWN}
   */
  public static Status of(int code) {
    for (Status s : values()) {
      if (s.code == code && s != UNKNOWN) {
        return s;
      }
    }
    return UNKNOWN;
  }

  /**
   * The status with a stable name.
   *
   * @param name e.g. "DECODE_ERROR"
   * @return its status, or {@link #UNKNOWN}
   */
  public static Status ofName(String name) {
    for (Status s : values()) {
      if (s.stableName.equals(name)) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
