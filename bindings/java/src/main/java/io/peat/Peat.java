package io.peat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.peat.proto.api.v1.TypeList;
import io.peat.proto.directive.v1.AdvanceRequest;
import io.peat.proto.directive.v1.DeploymentStatus;
import io.peat.proto.directive.v1.RolloutSummary;
import io.peat.proto.directive.v1.SummarizeRequest;
import io.peat.proto.directive.v1.TargetDecision;
import io.peat.proto.directive.v1.TargetRequest;
import io.peat.proto.directive.v1.Transition;
import io.peat.proto.validation.v1.BatchValidationReport;
import io.peat.proto.validation.v1.SanitizeChange;
import io.peat.proto.validation.v1.SanitizeResult;
import io.peat.proto.validation.v1.ValidateOptions;
import io.peat.proto.validation.v1.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The Java entry point of libpeat. Every method is one libpeat call: messages
 * cross as serialized protobuf bytes and come back as protobuf-java messages
 * generated from the same {@code proto/}. Failures throw a {@link
 * PeatException} subclass carrying the stable code and field path.
 *
 * <p>Thread-safe: every method may be called from any number of threads.
 * Loading this class loads the native libraries once per process.
 *
 * <p>Arguments are checked before they reach C: a null argument (or a null
 * element of a list) throws {@link NullPointerException}; a type name with a
 * NUL character, a negative limit or an empty merge throws {@link
 * IllegalArgumentException}. Everything else (unknown type names, bad bytes,
 * oversize input) is answered by libpeat with a {@link PeatException}.
 */
public final class Peat {
  /** The ABI major version this binding is built for. */
  public static final int ABI_MAJOR = 1;
  /** The minimum ABI minor version this binding needs. */
  public static final int ABI_MINOR = 1;

  /** decompress's default output limit (64 MiB), as selected by max_out = 0. */
  public static final long DEFAULT_MAX_DECOMPRESSED = 0;

  /** The longest type name libpeat reads, in bytes (longer ones are unknown types). */
  static final int MAX_TYPE_NAME = 512;

  static {
    PeatNative.ensureLoaded();
  }

  private Peat() {}

  // ---- library information ------------------------------------------------

  /** {@code (major << 16) | minor} of the loaded library's ABI. */
  public static int abiVersion() {
    return PeatNative.abiVersion();
  }

  /** The loaded library's version, e.g. "0.1.0". */
  public static String version() {
    return PeatNative.version();
  }

  /** The stable name of a numeric status, as the library defines it. */
  public static String statusName(int status) {
    return PeatNative.statusName(status);
  }

  /** Every message type the library knows, sorted by full name. */
  public static List<String> types() {
    return parse(PeatNative.types(), TypeList.getDefaultInstance()).getTypesList();
  }

  // ---- conversion -----------------------------------------------------------

  /** Converts one message of {@code type} (full protobuf name) between formats. */
  public static byte[] convert(String type, Format from, Format to, byte[] in) {
    return PeatNative.convert(checkType(type), code(from, "from"), code(to, "to"), Objects.requireNonNull(in, "in"));
  }

  /** The message as canonical proto3 JSON, written by libpeat. */
  public static String toJson(Message message) {
    return encode(message, Format.JSON);
  }

  /** The message in the Rust reference implementation's JSON dialect. */
  public static String toRustJson(Message message) {
    return encode(message, Format.RUST_JSON);
  }

  /** Parses proto3 JSON into a message of the prototype's type (with libpeat's size limits and checks). */
  public static <T extends Message> T fromJson(String json, T prototype) {
    return decode(Format.JSON, Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8), prototype);
  }

  /** Parses the Rust reference's JSON into a message of the prototype's type. */
  public static <T extends Message> T fromRustJson(String json, T prototype) {
    return decode(Format.RUST_JSON, Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8), prototype);
  }

  /** Decodes bytes in any format into a message of the prototype's type, through libpeat. */
  public static <T extends Message> T decode(Format format, byte[] in, T prototype) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(in, "in");
    String type = typeName(prototype);
    byte[] bin = format == Format.BINARY ? PeatNative.convert(type, 1, 1, in) : convert(type, format, Format.BINARY, in);
    return parse(bin, prototype);
  }

  private static String encode(Message message, Format to) {
    byte[] out = PeatNative.convert(typeName(message), Format.BINARY.code(), to.code(), message.toByteArray());
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Wraps bytes in a zstd frame. */
  public static byte[] compress(byte[] in) {
    return PeatNative.compress(Objects.requireNonNull(in, "in"));
  }

  /** Unwraps a zstd frame, refusing output over 64 MiB. */
  public static byte[] decompress(byte[] frame) {
    return decompress(frame, DEFAULT_MAX_DECOMPRESSED);
  }

  /** Unwraps a zstd frame, refusing output over maxOut bytes (0: 64 MiB). */
  public static byte[] decompress(byte[] frame, long maxOut) {
    if (maxOut < 0) {
      throw new IllegalArgumentException("maxOut must be >= 0");
    }
    return PeatNative.decompress(Objects.requireNonNull(frame, "frame"), maxOut);
  }

  // ---- validation -------------------------------------------------------------

  /** Validates a message with default options ("now" is the wall clock). */
  public static ValidationReport validate(Message message) {
    return validate(message, null);
  }

  /** Validates a message; options may be null. */
  public static ValidationReport validate(Message message, ValidateOptions options) {
    return validate(typeName(message), Format.BINARY, message.toByteArray(), options);
  }

  /**
   * Validates one message given as bytes. Returns the report whenever the
   * input could be decoded, valid or not; undecodable input throws.
   */
  public static ValidationReport validate(String type, Format format, byte[] in, ValidateOptions options) {
    byte[] out = PeatNative.validate(checkType(type), code(format, "format"), Objects.requireNonNull(in, "in"),
        options(options));
    return parse(out, ValidationReport.getDefaultInstance());
  }

  /** Validates a message and throws {@link ValidationException} (with the report) if it is not valid. */
  public static <T extends Message> T requireValid(T message) {
    return requireValid(message, null);
  }

  /** Validates a message with options and throws {@link ValidationException} if it is not valid. */
  public static <T extends Message> T requireValid(T message, ValidateOptions options) {
    ValidationReport report = validate(message, options);
    if (!report.getValid()) {
      throw ValidationException.of(report);
    }
    return message;
  }

  /** Validates many messages of one type in one call; undecodable ones are reported, not thrown. */
  public static BatchValidationReport validateBatch(String type, Format format, List<byte[]> messages,
      ValidateOptions options) {
    byte[] out = PeatNative.validateBatch(checkType(type), code(format, "format"), batch(messages), options(options));
    return parse(out, BatchValidationReport.getDefaultInstance());
  }

  /** Validates many messages of one type (the first one's) in one call. */
  public static BatchValidationReport validateBatch(List<? extends Message> messages, ValidateOptions options) {
    if (Objects.requireNonNull(messages, "messages").isEmpty()) {
      return BatchValidationReport.getDefaultInstance();
    }
    String type = sameType(messages);
    byte[][] msgs = new byte[messages.size()][];
    for (int i = 0; i < msgs.length; i++) {
      msgs[i] = messages.get(i).toByteArray();
    }
    return parse(PeatNative.validateBatch(type, Format.BINARY.code(), msgs, options(options)),
        BatchValidationReport.getDefaultInstance());
  }

  /** A sanitised copy (ICD §9.2) as bytes in format {@code to}, with the list of changes. */
  public static SanitizeResult sanitize(String type, Format from, Format to, byte[] in) {
    byte[] out = PeatNative.sanitize(checkType(type), code(from, "from"), code(to, "to"), Objects.requireNonNull(in, "in"));
    return parse(out, SanitizeResult.getDefaultInstance());
  }

  /** A sanitised copy of a message and the changes made. */
  public static <T extends Message> Sanitized<T> sanitize(T message) {
    SanitizeResult r = sanitize(typeName(message), Format.BINARY, Format.BINARY, message.toByteArray());
    return new Sanitized<>(parse(r.getMessage().toByteArray(), message), r.getChangesList());
  }

  /** The result of {@link #sanitize(Message)}. */
  public record Sanitized<T extends Message>(T message, List<SanitizeChange> changes) {
    /** True when sanitising changed nothing. */
    public boolean unchanged() {
      return changes.isEmpty();
    }
  }

  // ---- merge of plain ICD messages ------------------------------------------

  /** Merges two messages of the same type and entity (commutative, associative, idempotent). */
  public static <T extends Message> T merge(T a, T b) {
    String type = typeName(a);
    if (!type.equals(typeName(b))) {
      throw new IllegalArgumentException("merge of " + type + " with " + typeName(b));
    }
    byte[] out = PeatNative.merge(type, 1, 1, a.toByteArray(), b.toByteArray());
    return parse(out, a);
  }

  /** Merges two messages given as bytes. */
  public static byte[] merge(String type, Format from, Format to, byte[] a, byte[] b) {
    return PeatNative.merge(checkType(type), code(from, "from"), code(to, "to"), Objects.requireNonNull(a, "a"),
        Objects.requireNonNull(b, "b"));
  }

  /** Merges one or more messages of one type into one, in a single call. */
  public static <T extends Message> T mergeAll(List<T> messages) {
    if (Objects.requireNonNull(messages, "messages").isEmpty()) {
      throw new IllegalArgumentException("mergeAll needs at least one message");
    }
    String type = sameType(messages);
    byte[][] msgs = new byte[messages.size()][];
    for (int i = 0; i < msgs.length; i++) {
      msgs[i] = messages.get(i).toByteArray();
    }
    return parse(PeatNative.mergeBatch(type, 1, 1, msgs), messages.get(0));
  }

  /** Merges one or more messages given as bytes. */
  public static byte[] mergeBatch(String type, Format from, Format to, List<byte[]> messages) {
    byte[][] msgs = batch(messages);
    if (msgs.length == 0) {
      throw new IllegalArgumentException("mergeBatch needs at least one message");
    }
    return PeatNative.mergeBatch(checkType(type), code(from, "from"), code(to, "to"), msgs);
  }

  // ---- deployment directives ----------------------------------------------------

  /** Decides whether a node is targeted by a directive. */
  public static TargetDecision target(TargetRequest request) {
    return parse(PeatNative.directiveTarget(request.toByteArray()), TargetDecision.getDefaultInstance());
  }

  /** Moves a deployment status; throws {@link IllegalTransitionException} if the move is not allowed. */
  public static DeploymentStatus advance(AdvanceRequest request) {
    return parse(PeatNative.directiveAdvance(request.toByteArray()), DeploymentStatus.getDefaultInstance());
  }

  /** Moves a deployment status; throws {@link IllegalTransitionException} if the move is not allowed. */
  public static DeploymentStatus advance(DeploymentStatus current, Transition transition) {
    return advance(AdvanceRequest.newBuilder().setCurrent(current).setTransition(transition).build());
  }

  /** Summarises a rollout. */
  public static RolloutSummary summarize(SummarizeRequest request) {
    return parse(PeatNative.directiveSummarize(request.toByteArray()), RolloutSummary.getDefaultInstance());
  }

  // ---- helpers -----------------------------------------------------------------------

  static String typeName(Message m) {
    return Objects.requireNonNull(m, "message").getDescriptorForType().getFullName();
  }

  /**
   * A type-name argument, checked before it reaches C: null throws
   * NullPointerException; a NUL character (a C string cannot hold one, and
   * JNI would pass it on as the bytes C0 80) throws IllegalArgumentException.
   * A name longer than libpeat reads gets the UnknownTypeException libpeat
   * gives for it, without copying a huge string through JNI.
   */
  static String checkType(String type) {
    Objects.requireNonNull(type, "type");
    int nul = type.indexOf('\0');
    if (nul >= 0) {
      throw new IllegalArgumentException("type name contains a NUL character at index " + nul);
    }
    if (type.length() > MAX_TYPE_NAME) {
      // Every char is at least one UTF-8 byte, so the name is over the limit.
      throw PeatException.create(Status.UNKNOWN_TYPE.code(), Status.UNKNOWN_TYPE.stableName(),
          "type name is longer than " + MAX_TYPE_NAME + " bytes", "");
    }
    return type;
  }

  private static int code(Format format, String what) {
    return Objects.requireNonNull(format, what).code();
  }

  /** The messages of a batch call; a null list or element throws NullPointerException. */
  private static byte[][] batch(List<byte[]> messages) {
    byte[][] msgs = Objects.requireNonNull(messages, "messages").toArray(new byte[0][]);
    for (int i = 0; i < msgs.length; i++) {
      if (msgs[i] == null) {
        throw new NullPointerException("messages[" + i + "] is null");
      }
    }
    return msgs;
  }

  private static String sameType(List<? extends Message> messages) {
    String type = typeName(messages.get(0));
    for (Message m : messages) {
      if (!typeName(m).equals(type)) {
        throw new IllegalArgumentException("messages of different types: " + type + " and " + typeName(m));
      }
    }
    return type;
  }

  private static byte[] options(ValidateOptions options) {
    return options == null ? null : options.toByteArray();
  }

  /** Parses libpeat's binary output into the prototype's type. */
  @SuppressWarnings("unchecked")
  static <T extends Message> T parse(byte[] bytes, T prototype) {
    try {
      return (T) prototype.getParserForType().parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      // libpeat wrote bytes this binding's classes cannot read: a version skew.
      throw new DecodeException(Status.DECODE.code(), "DECODE_ERROR",
          "cannot parse libpeat output as " + typeName(prototype) + ": " + e.getMessage(), "");
    }
  }
}
