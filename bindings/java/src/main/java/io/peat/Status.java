package io.peat;

/** The status of a libpeat call (PEAT_OK and PEAT_E_* in peat.h). */
public enum Status {
  OK(0, "OK"),
  INVALID_ARGUMENT(1, "INVALID_ARGUMENT"),
  UNKNOWN_TYPE(2, "UNKNOWN_TYPE"),
  DECODE(3, "DECODE_ERROR"),
  ENCODE(4, "ENCODE_ERROR"),
  TOO_LARGE(5, "MESSAGE_TOO_LARGE"),
  DECOMPRESS(6, "DECOMPRESS_ERROR"),
  MISMATCH(7, "MISMATCH"),
  ILLEGAL_TRANSITION(8, "ILLEGAL_TRANSITION"),
  UNSUPPORTED(9, "UNSUPPORTED"),
  INVALID(10, "INVALID_MESSAGE"),
  /** A signature or an artifact did not verify (ABI 1.1). */
  NOT_VERIFIED(11, "NOT_VERIFIED"),
  INTERNAL(100, "INTERNAL"),
  /** A status this binding does not know (a newer library); treated as an error. */
  UNKNOWN(-1, "UNKNOWN_STATUS");

  private final int code;
  private final String stableName;

  Status(int code, String stableName) {
    this.code = code;
    this.stableName = stableName;
  }

  /** The numeric status returned by the C call. */
  public int code() {
    return code;
  }

  /** The stable upper-case name, as returned by peat_status_name(). */
  public String stableName() {
    return stableName;
  }

  /** The status with this number, or {@link #UNKNOWN}. */
  public static Status of(int code) {
    for (Status s : values()) {
      if (s.code == code && s != UNKNOWN) {
        return s;
      }
    }
    return UNKNOWN;
  }

  /** The status with this stable name ("DECODE_ERROR"), or {@link #UNKNOWN}. */
  public static Status ofName(String name) {
    for (Status s : values()) {
      if (s.stableName.equals(name)) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
