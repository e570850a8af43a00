package io.peat;

/**
 * The format of a message's bytes (PEAT_FORMAT_* in peat.h), and for a format
 * that is read, whether its JSON is read strictly.
 *
 * <p>Three formats, {@link #BINARY}, {@link #JSON} and {@link #RUST_JSON}, read
 * leniently: a JSON key that names no field is ignored, so JSON written by a
 * newer minor version stays readable. {@link #strict()} gives the same format
 * read strictly: such a key is refused with a {@link DecodeException} whose
 * {@link PeatException#code() code} is {@code UNKNOWN_FIELD} and whose
 * {@link PeatException#fieldPath() path} is the key's (e.g. {@code "cellID"} or
 * {@code "capabilities[1].confidance"}), so a typo is an error rather than a
 * silently missing field:
 *
 * <pre>{@code
 * byte[] bin = Peat.convert("cap.node.v1.NodeState", Format.JSON.strict(), Format.BINARY, jsonBytes);
 * NodeState s = Peat.decode(Format.RUST_JSON.strict(), rustJsonBytes, NodeState.getDefaultInstance());
 * }</pre>
 *
 * <p>Strictness is about reading: every argument named {@code from} or
 * {@code format} takes a strict format, and an output argument ({@code to})
 * refuses one with {@link IllegalArgumentException}. It changes nothing for
 * binary input, whose unknown fields are kept ({@code BINARY.strict()} reads as
 * {@code BINARY} does).
 *
 * <p>A value type with exactly six instances: {@code ==} compares formats, as
 * for an enum ({@code Format.JSON.strict() == Format.JSON.strict()}, and
 * {@code Format.JSON.strict() != Format.JSON}). Thread-safe and immutable.
 */
public final class Format {
  /** PEAT_FORMAT_FLAG_STRICT: OR-ed into an input format's number (ABI 1.1). */
  static final int FLAG_STRICT = 0x100;

  /** Protobuf binary wire format. */
  public static final Format BINARY = new Format(1, "binary", "BINARY");
  /** Canonical proto3 JSON (lowerCamelCase keys), read leniently. */
  public static final Format JSON = new Format(2, "json", "JSON");
  /** The JSON dialect of the Rust reference implementation, read leniently. */
  public static final Format RUST_JSON = new Format(3, "rust-json", "RUST_JSON");

  private static final Format[] VALUES = {BINARY, JSON, RUST_JSON};

  private final int code;
  private final String label;
  private final String name;
  /** The lenient format for a strict one, the strict twin for a lenient one. */
  private final Format twin;

  /** A lenient format, with its strict twin. */
  private Format(int code, String label, String name) {
    this.code = code;
    this.label = label;
    this.name = name;
    this.twin = new Format(this);
  }

  /** The strict twin of a lenient format. */
  private Format(Format lenient) {
    this.code = lenient.code | FLAG_STRICT;
    this.label = lenient.label;
    this.name = lenient.name;
    this.twin = lenient;
  }

  /**
   * The same format, read strictly: a JSON key that names no field is refused
   * (code {@code UNKNOWN_FIELD}, with the key's path) instead of ignored. For
   * input arguments only; binary input reads as before.
   *
   * @return the strict format ({@code this} when already strict)
   */
  public Format strict() {
    return isStrict() ? this : twin;
  }

  /**
   * The same format, read leniently (the default): a JSON key that names no
   * field is ignored.
   *
   * @return {@link #BINARY}, {@link #JSON} or {@link #RUST_JSON}
   */
  public Format lenient() {
    return isStrict() ? twin : this;
  }

  /**
   * Whether this format reads JSON strictly.
   *
   * @return true for a format made by {@link #strict()}
   */
  public boolean isStrict() {
    return (code & FLAG_STRICT) != 0;
  }

  /**
   * The PEAT_FORMAT_* number passed to libpeat, with PEAT_FORMAT_FLAG_STRICT
   * (0x100) OR-ed in when strict.
   *
   * @return 1, 2 or 3; or 0x101, 0x102 or 0x103 when strict
   */
  public int code() {
    return code;
  }

  /**
   * The name used by the CLI ({@code --from}, {@code --to}) and the test
   * vectors; a strict format has its lenient format's label.
   *
   * @return "binary", "json" or "rust-json"
   */
  public String label() {
    return label;
  }

  /**
   * The lenient format with a label.
   *
   * @param label "binary", "json" or "rust-json"
   * @return {@link #BINARY}, {@link #JSON} or {@link #RUST_JSON}
   * @throws IllegalArgumentException for any other label
   */
  public static Format parse(String label) {
    for (Format f : VALUES) {
      if (f.label.equals(label)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown format: " + label);
  }

  /**
   * The three lenient formats.
   *
   * @return a new array: {@link #BINARY}, {@link #JSON}, {@link #RUST_JSON}
   */
  public static Format[] values() {
    return VALUES.clone();
  }

  /**
   * The constant's name, for logs.
   *
   * @return "BINARY", "JSON" or "RUST_JSON"; "JSON.strict()" and so on when strict
   */
  @Override
  public String toString() {
    return isStrict() ? name + ".strict()" : name;
  }

  /**
   * This format's number as an output format argument.
   *
   * @param what the argument's name, for the message
   * @return {@link #code()}
   * @throws IllegalArgumentException when the format is strict: strictness is about reading
   */
  int outputCode(String what) {
    if (isStrict()) {
      throw new IllegalArgumentException(what + " is an output format: " + this
          + " applies to reading only; pass " + lenient());
    }
    return code;
  }
}
