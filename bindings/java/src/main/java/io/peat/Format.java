package io.peat;

/** The format of a message's bytes (PEAT_FORMAT_* in peat.h). */
public enum Format {
  /** Protobuf binary wire format. */
  BINARY(1, "binary"),
  /** Canonical proto3 JSON (lowerCamelCase keys). */
  JSON(2, "json"),
  /** The JSON dialect of the Rust reference implementation. */
  RUST_JSON(3, "rust-json");

  private final int code;
  private final String label;

  Format(int code, String label) {
    this.code = code;
    this.label = label;
  }

  /**
   * The PEAT_FORMAT_* number passed to libpeat.
   *
   * @return 1, 2 or 3
   */
  public int code() {
    return code;
  }

  /**
   * The name used by the CLI ({@code --from}, {@code --to}) and the test vectors.
   *
   * @return "binary", "json" or "rust-json"
   */
  public String label() {
    return label;
  }

  /**
   * The format with a label.
   *
   * @param label "binary", "json" or "rust-json"
   * @return the format
   * @throws IllegalArgumentException for any other label
   */
  public static Format parse(String label) {
    for (Format f : values()) {
      if (f.label.equals(label)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown format: " + label);
  }
}
