package io.peat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.peat.proto.api.v1.TypeList;
import io.peat.proto.cap.common.v1.Timestamp;
import io.peat.proto.directive.v1.AdvanceRequest;
import io.peat.proto.directive.v1.DeploymentDirective;
import io.peat.proto.directive.v1.DeploymentStatus;
import io.peat.proto.directive.v1.RolloutSummary;
import io.peat.proto.directive.v1.SummarizeRequest;
import io.peat.proto.directive.v1.TargetDecision;
import io.peat.proto.directive.v1.TargetRequest;
import io.peat.proto.directive.v1.Transition;
import io.peat.proto.security.v1.KeyInfo;
import io.peat.proto.security.v1.KeyPair;
import io.peat.proto.security.v1.SignRequest;
import io.peat.proto.security.v1.SignedTargetDecision;
import io.peat.proto.security.v1.SignedTargetRequest;
import io.peat.proto.security.v1.TrustSet;
import io.peat.proto.security.v1.VerifyRequest;
import io.peat.proto.security.v1.VerifyResult;
import io.peat.proto.validation.v1.BatchValidationReport;
import io.peat.proto.validation.v1.SanitizeChange;
import io.peat.proto.validation.v1.SanitizeResult;
import io.peat.proto.validation.v1.ValidateOptions;
import io.peat.proto.validation.v1.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Java entry point of libpeat. Every method is one libpeat call: messages
 * cross as serialized protobuf bytes and come back as protobuf-java messages
 * generated from the same {@code proto/} (packages {@code io.peat.proto.*}).
 * Failures throw a {@link PeatException} subclass carrying the stable code
 * and field path.
 *
 * <pre>{@code
 * // Validate: every violation with a stable code and the field's path.
 * ValidationReport report = Peat.validate(config);
 * for (Violation v : report.getViolationsList()) {
 *   System.out.println(v.getCode() + " at " + v.getPath() + ": " + v.getMessage());
 * }
 * Peat.requireValid(config);                        // or throw ValidationException
 *
 * // Merge two replicas' views of one entity (commutative, associative, idempotent).
 * CellState merged = Peat.merge(local, remote);
 *
 * // Deployment directives: is this node targeted?
 * TargetDecision t = Peat.target(TargetRequest.newBuilder()
 *     .setDirective(directive).setNodeConfig(myConfig).setNodeState(myState).build());
 *
 * // Formats: binary, canonical proto3 JSON, and the Rust reference's JSON.
 * String json = Peat.toJson(config);
 * DeploymentDirective d = Peat.fromRustJson(jsonFromC2, DeploymentDirective.getDefaultInstance());
 * }</pre>
 *
 * <p>Most methods come in two forms: one on protobuf-java messages (the type
 * is the message's), and one on bytes in any {@link Format} with the type
 * given by its full protobuf name (e.g. {@code "cap.node.v1.NodeState"}; see
 * {@link #types()}), which does not parse the bytes in Java.
 *
 * <p>JSON is read leniently by default: a key that names no field is ignored,
 * so JSON written by a newer minor version stays readable. Every argument that
 * says which format to read ({@code from}, {@code format}) also takes a strict
 * format, {@link Format#strict()} (e.g. {@code Format.JSON.strict()}), which
 * refuses such a key with a {@link DecodeException} of code {@code
 * UNKNOWN_FIELD} at the key's path; {@link #fromJsonStrict} and {@link
 * #fromRustJsonStrict} are the strict forms of {@link #fromJson} and {@link
 * #fromRustJson}. Strictness changes nothing for binary input.
 *
 * <p>Thread-safe: every method may be called from any number of threads.
 * Loading this class loads the native libraries once per process.
 *
 * <p>Arguments are checked before they reach C: a null argument (or a null
 * element of a list) throws {@link NullPointerException}; a type name with a
 * NUL character, a negative limit, an empty merge or a strict format as an
 * output format ({@code to}) throws {@link IllegalArgumentException}. Everything else (unknown type names, bad bytes,
 * oversize input) is answered by libpeat with a {@link PeatException}.
 */
public final class Peat {
  /** The ABI major version this binding is built for. */
  public static final int ABI_MAJOR = 1;
  /** The minimum ABI minor version this binding needs. */
  public static final int ABI_MINOR = 2;

  /** decompress's default output limit (64 MiB), as selected by max_out = 0. */
  public static final long DEFAULT_MAX_DECOMPRESSED = 0;

  /** The longest type name libpeat reads, in bytes (longer ones are unknown types). */
  static final int MAX_TYPE_NAME = 512;

  static {
    PeatNative.ensureLoaded();
  }

  private Peat() {}

  // ---- library information ------------------------------------------------

  /**
   * The ABI version of the loaded library (peat_abi_version()); the binding
   * checks it when it loads.
   *
   * @return {@code (major << 16) | minor}, e.g. {@code 0x10001} for 1.1
   */
  public static int abiVersion() {
    return PeatNative.abiVersion();
  }

  /**
   * The loaded library's version.
   *
   * @return e.g. "0.1.0"
   */
  public static String version() {
    return PeatNative.version();
  }

  /**
   * The stable name of a numeric status, as the library defines it (peat_status_name()).
   *
   * @param status a PEAT_OK or PEAT_E_* number
   * @return e.g. "DECODE_ERROR" for 3
   */
  public static String statusName(int status) {
    return PeatNative.statusName(status);
  }

  /**
   * Every message type the library knows: the ICD's ({@code cap.*}) and
   * libpeat's own ({@code peat.*}).
   *
   * @return the full protobuf names, sorted
   */
  public static List<String> types() {
    return parse(PeatNative.types(), TypeList.getDefaultInstance()).getTypesList();
  }

  // ---- conversion -----------------------------------------------------------

  /**
   * Converts one message between formats.
   *
   * @param type the message's full protobuf name, e.g. "cap.node.v1.NodeConfig"
   * @param from the format of {@code in}; {@link Format#strict() strict} to refuse unknown JSON keys
   * @param to the format to write (not a strict one)
   * @param in the message
   * @return the message in format {@code to}
   * @throws IllegalArgumentException when {@code to} is a strict format
   * @throws UnknownTypeException when the type is not one of {@link #types()}
   * @throws DecodeException when {@code in} is not a {@code type} in format {@code from} (code
   *     UNKNOWN_FIELD, at the key's path, for a key that names no field in strict JSON)
   * @throws TooLargeException when {@code in} is over the type's size limit (ICD §3.3)
   * @throws EncodeException when the message cannot be written in format {@code to}
   */
  public static byte[] convert(String type, Format from, Format to, byte[] in) {
    return PeatNative.convert(checkType(type), code(from, "from"), output(to, "to"), Objects.requireNonNull(in, "in"));
  }

  /**
   * The message as canonical proto3 JSON (lowerCamelCase keys), written by libpeat.
   *
   * @param message any message of {@link #types()}
   * @return the JSON text
   * @throws EncodeException when the message cannot be written as JSON
   */
  public static String toJson(Message message) {
    return encode(message, Format.JSON);
  }

  /**
   * The message in the Rust reference implementation's JSON dialect.
   *
   * @param message a message the reference writes (directives, statuses and their parts)
   * @return the JSON text
   * @throws UnsupportedException for a type without a rust-json form of its own
   */
  public static String toRustJson(Message message) {
    return encode(message, Format.RUST_JSON);
  }

  /**
   * Parses proto3 JSON into a message of the prototype's type (with libpeat's
   * size limits and checks), ignoring keys that name no field; see {@link
   * #fromJsonStrict} to refuse them.
   *
   * @param <T> the message class
   * @param json proto3 JSON text
   * @param prototype any message of the type to read, e.g. {@code NodeConfig.getDefaultInstance()}
   * @return the message
   * @throws DecodeException when the text is not JSON of that type
   * @throws TooLargeException when it is over the type's size limit
   */
  public static <T extends Message> T fromJson(String json, T prototype) {
    return decode(Format.JSON, utf8(json, "json"), prototype);
  }

  /**
   * Parses proto3 JSON into a message of the prototype's type, refusing a key
   * that names no field ({@link Format#strict()}), so a typo such as
   * {@code "cellID"} for {@code "cellId"} is an error rather than a missing field.
   *
   * @param <T> the message class
   * @param json proto3 JSON text
   * @param prototype any message of the type to read, e.g. {@code NodeState.getDefaultInstance()}
   * @return the message
   * @throws DecodeException when the text is not JSON of that type; code UNKNOWN_FIELD, with the
   *     key's path (e.g. {@code "capabilities[1].confidance"}), for a key that names no field
   * @throws TooLargeException when it is over the type's size limit
   */
  public static <T extends Message> T fromJsonStrict(String json, T prototype) {
    return decode(Format.JSON.strict(), utf8(json, "json"), prototype);
  }

  /**
   * Parses the Rust reference's JSON into a message of the prototype's type,
   * ignoring keys that name no field (as the reference does); see {@link
   * #fromRustJsonStrict} to refuse them.
   *
   * @param <T> the message class
   * @param json the reference's JSON text
   * @param prototype any message of the type to read, e.g. {@code DeploymentDirective.getDefaultInstance()}
   * @return the message
   * @throws DecodeException when the text is not the reference's JSON of that type
   * @throws UnsupportedException for a type without a rust-json form of its own
   */
  public static <T extends Message> T fromRustJson(String json, T prototype) {
    return decode(Format.RUST_JSON, utf8(json, "json"), prototype);
  }

  /**
   * Parses the Rust reference's JSON into a message of the prototype's type,
   * refusing a key that names no field ({@link Format#strict()}).
   *
   * @param <T> the message class
   * @param json the reference's JSON text
   * @param prototype any message of the type to read, e.g. {@code DeploymentDirective.getDefaultInstance()}
   * @return the message
   * @throws DecodeException when the text is not the reference's JSON of that type; code
   *     UNKNOWN_FIELD, with the key's path, for a key that names no field
   * @throws UnsupportedException for a type without a rust-json form of its own
   */
  public static <T extends Message> T fromRustJsonStrict(String json, T prototype) {
    return decode(Format.RUST_JSON.strict(), utf8(json, "json"), prototype);
  }

  /**
   * Decodes bytes in any format into a message of the prototype's type,
   * through libpeat (its size limits and UTF-8 checks apply to binary input
   * too).
   *
   * @param <T> the message class
   * @param format the format of {@code in}; {@link Format#strict() strict} to refuse unknown JSON keys
   * @param in the message's bytes
   * @param prototype any message of the type to read
   * @return the message
   * @throws DecodeException when the bytes are not a message of that type in that format (code
   *     UNKNOWN_FIELD, at the key's path, for a key that names no field in strict JSON)
   * @throws TooLargeException when they are over the type's size limit
   */
  public static <T extends Message> T decode(Format format, byte[] in, T prototype) {
    int from = code(format, "format");
    Objects.requireNonNull(in, "in");
    byte[] bin = PeatNative.convert(checkType(typeName(prototype)), from, Format.BINARY.code(), in);
    return parse(bin, prototype);
  }

  private static String encode(Message message, Format to) {
    byte[] out = PeatNative.convert(typeName(message), Format.BINARY.code(), to.code(), message.toByteArray());
    return new String(out, StandardCharsets.UTF_8);
  }

  /**
   * Wraps bytes in a zstd frame.
   *
   * @param in the bytes
   * @return the frame
   */
  public static byte[] compress(byte[] in) {
    return PeatNative.compress(Objects.requireNonNull(in, "in"));
  }

  /**
   * Unwraps a zstd frame, refusing output over 64 MiB.
   *
   * @param frame a zstd frame
   * @return the bytes it holds
   * @throws DecompressException when the frame is bad or its output is over 64 MiB
   */
  public static byte[] decompress(byte[] frame) {
    return decompress(frame, DEFAULT_MAX_DECOMPRESSED);
  }

  /**
   * Unwraps a zstd frame, refusing output over a limit.
   *
   * @param frame a zstd frame
   * @param maxOut the most bytes to write; 0 ({@link #DEFAULT_MAX_DECOMPRESSED}) means 64 MiB
   * @return the bytes it holds
   * @throws IllegalArgumentException when maxOut is negative
   * @throws DecompressException when the frame is bad or its output is over the limit
   */
  public static byte[] decompress(byte[] frame, long maxOut) {
    if (maxOut < 0) {
      throw new IllegalArgumentException("maxOut must be >= 0");
    }
    return PeatNative.decompress(Objects.requireNonNull(frame, "frame"), maxOut);
  }

  // ---- validation -------------------------------------------------------------

  /**
   * Validates a message with default options ("now" is the wall clock).
   *
   * @param message any message of {@link #types()}
   * @return the report: valid, and every violation sorted by path then code
   */
  public static ValidationReport validate(Message message) {
    return validate(message, null);
  }

  /**
   * Validates a message with options.
   *
   * @param message any message of {@link #types()}
   * @param options e.g. the "now" to check timestamps against and the allowed path roots;
   *     null for the defaults
   * @return the report: valid, and every violation sorted by path then code
   */
  public static ValidationReport validate(Message message, ValidateOptions options) {
    return validate(typeName(message), Format.BINARY, message.toByteArray(), options);
  }

  /**
   * Validates one message given as bytes. Returns the report whenever the
   * input could be decoded, valid or not; undecodable input throws.
   *
   * @param type the message's full protobuf name, e.g. "cap.node.v1.NodeState"
   * @param format the format of {@code in}; {@link Format#strict() strict} to refuse unknown JSON keys
   * @param in the message
   * @param options validation options, or null for the defaults
   * @return the report
   * @throws UnknownTypeException when the type is not one of {@link #types()}
   * @throws DecodeException when {@code in} cannot be decoded (code UNKNOWN_FIELD, at the key's
   *     path, for a key that names no field in strict JSON)
   * @throws TooLargeException when {@code in} is over the type's size limit (checked before decoding)
   */
  public static ValidationReport validate(String type, Format format, byte[] in, ValidateOptions options) {
    byte[] out = PeatNative.validate(checkType(type), code(format, "format"), Objects.requireNonNull(in, "in"),
        options(options));
    return parse(out, ValidationReport.getDefaultInstance());
  }

  /**
   * Validates a message with default options and throws if it is not valid.
   *
   * @param <T> the message class
   * @param message any message of {@link #types()}
   * @return the message, for chaining
   * @throws ValidationException when it is not valid (code and path of the first violation,
   *     {@link ValidationException#report()} for all)
   */
  public static <T extends Message> T requireValid(T message) {
    return requireValid(message, null);
  }

  /**
   * Validates a message with options and throws if it is not valid.
   *
   * @param <T> the message class
   * @param message any message of {@link #types()}
   * @param options validation options, or null for the defaults
   * @return the message, for chaining
   * @throws ValidationException when it is not valid, carrying the report
   */
  public static <T extends Message> T requireValid(T message, ValidateOptions options) {
    ValidationReport report = validate(message, options);
    if (!report.getValid()) {
      throw ValidationException.of(report);
    }
    return message;
  }

  /**
   * Validates many messages of one type in one call; undecodable ones are reported, not thrown.
   *
   * @param type the messages' full protobuf name
   * @param format the format of every message; {@link Format#strict() strict} to refuse unknown JSON keys
   * @param messages the messages' bytes
   * @param options validation options, or null for the defaults
   * @return one report per message, in order (an undecodable one has {@code decoded == false} and
   *     the decode error as its one violation, e.g. UNKNOWN_FIELD at the key's path in strict JSON)
   * @throws UnknownTypeException when the type is not one of {@link #types()}
   */
  public static BatchValidationReport validateBatch(String type, Format format, List<byte[]> messages,
      ValidateOptions options) {
    byte[] out = PeatNative.validateBatch(checkType(type), code(format, "format"), batch(messages), options(options));
    return parse(out, BatchValidationReport.getDefaultInstance());
  }

  /**
   * Validates many messages of one type (the first one's) in one call.
   *
   * @param messages messages of one type; an empty list gives an empty report
   * @param options validation options, or null for the defaults
   * @return one report per message, in order
   * @throws IllegalArgumentException when the messages are of different types
   */
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

  /**
   * A sanitised copy (ICD §9.2: invalid UTF-8 replaced, control characters removed, whitespace trimmed, ...),
   * with the list of changes.
   *
   * @param type the message's full protobuf name
   * @param from the format of {@code in}; {@link Format#strict() strict} to refuse unknown JSON keys
   * @param to the format of the copy (not a strict one)
   * @param in the message
   * @return the copy as bytes in format {@code to}, and every change made
   * @throws IllegalArgumentException when {@code to} is a strict format
   * @throws UnknownTypeException when the type is not one of {@link #types()}
   * @throws DecodeException when {@code in} cannot be decoded (code UNKNOWN_FIELD, at the key's
   *     path, for a key that names no field in strict JSON)
   */
  public static SanitizeResult sanitize(String type, Format from, Format to, byte[] in) {
    byte[] out = PeatNative.sanitize(checkType(type), code(from, "from"), output(to, "to"),
        Objects.requireNonNull(in, "in"));
    return parse(out, SanitizeResult.getDefaultInstance());
  }

  /**
   * A sanitised copy of a message (ICD §9.2) and the changes made.
   *
   * @param <T> the message class
   * @param message any message of {@link #types()}
   * @return the copy and every change made
   */
  public static <T extends Message> Sanitized<T> sanitize(T message) {
    SanitizeResult r = sanitize(typeName(message), Format.BINARY, Format.BINARY, message.toByteArray());
    return new Sanitized<>(parse(r.getMessage().toByteArray(), message), r.getChangesList());
  }

  /**
   * The result of {@link #sanitize(Message)}.
   *
   * @param <T> the message class
   * @param message the sanitised copy
   * @param changes every change made (path, code such as CONTROL_CHARS_REMOVED, message), empty when none
   */
  public record Sanitized<T extends Message>(T message, List<SanitizeChange> changes) {
    /**
     * Whether sanitising changed nothing.
     *
     * @return true when there are no changes
     */
    public boolean unchanged() {
      return changes.isEmpty();
    }
  }

  // ---- merge of plain ICD messages ------------------------------------------

  /**
   * Merges two messages of the same type and entity (commutative, associative,
   * idempotent): NodeState, NodeConfig, Node, CellState, Cell, ZoneState,
   * Zone, DeploymentStatus and StatusBoard.
   *
   * @param <T> the message class
   * @param a one replica's message
   * @param b another replica's message of the same entity
   * @return the merged message
   * @throws IllegalArgumentException when the messages are of different types
   * @throws MismatchException when they are of different entities (ids)
   * @throws UnsupportedException when the type has no merge
   */
  public static <T extends Message> T merge(T a, T b) {
    String type = typeName(a);
    if (!type.equals(typeName(b))) {
      throw new IllegalArgumentException("merge of " + type + " with " + typeName(b));
    }
    byte[] out = PeatNative.merge(type, 1, 1, a.toByteArray(), b.toByteArray());
    return parse(out, a);
  }

  /**
   * Merges two messages given as bytes.
   *
   * @param type the messages' full protobuf name
   * @param from the format of {@code a} and {@code b}; {@link Format#strict() strict} to refuse unknown
   *     JSON keys
   * @param to the format to write (not a strict one)
   * @param a one replica's message
   * @param b another replica's message of the same entity
   * @return the merged message in format {@code to}
   * @throws IllegalArgumentException when {@code to} is a strict format
   * @throws DecodeException when {@code a} or {@code b} cannot be decoded (code UNKNOWN_FIELD, at
   *     the key's path, for a key that names no field in strict JSON)
   * @throws MismatchException when they are of different entities (ids)
   * @throws UnsupportedException when the type has no merge
   */
  public static byte[] merge(String type, Format from, Format to, byte[] a, byte[] b) {
    return PeatNative.merge(checkType(type), code(from, "from"), output(to, "to"), Objects.requireNonNull(a, "a"),
        Objects.requireNonNull(b, "b"));
  }

  /**
   * Merges one or more messages of one type into one, in a single call.
   *
   * @param <T> the message class
   * @param messages one or more messages of one type and entity
   * @return the merged message
   * @throws IllegalArgumentException when the list is empty or of different types
   * @throws MismatchException when the messages are of different entities
   */
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

  /**
   * Merges one or more messages given as bytes.
   *
   * @param type the messages' full protobuf name
   * @param from the format of the messages; {@link Format#strict() strict} to refuse unknown JSON keys
   * @param to the format to write (not a strict one)
   * @param messages one or more messages of one entity
   * @return the merged message in format {@code to}
   * @throws IllegalArgumentException when the list is empty or {@code to} is a strict format
   * @throws DecodeException when a message cannot be decoded (code UNKNOWN_FIELD, at the key's
   *     path, for a key that names no field in strict JSON)
   * @throws MismatchException when the messages are of different entities
   */
  public static byte[] mergeBatch(String type, Format from, Format to, List<byte[]> messages) {
    byte[][] msgs = batch(messages);
    if (msgs.length == 0) {
      throw new IllegalArgumentException("mergeBatch needs at least one message");
    }
    return PeatNative.mergeBatch(checkType(type), code(from, "from"), output(to, "to"), msgs);
  }

  // ---- deployment directives ----------------------------------------------------

  /**
   * Decides whether a node is targeted by a directive (docs/DIRECTIVES.md).
   * The directive is not verified: use {@link #targetSigned} for signed ones.
   *
   * @param request the directive, and the node's config (required), state (for a
   *     formation scope) and resources (for resource filters)
   * @return targeted or not, with a stable reason code
   * @throws InvalidArgumentException when the directive or the node config is missing
   * @throws ValidationException when the directive cannot be evaluated (e.g. no scope)
   */
  public static TargetDecision target(TargetRequest request) {
    return parse(PeatNative.directiveTarget(request.toByteArray()), TargetDecision.getDefaultInstance());
  }

  /**
   * Moves a deployment status through the status machine.
   *
   * @param request the current status and the transition
   * @return the new status
   * @throws IllegalTransitionException when the move is not allowed (code ILLEGAL_TRANSITION,
   *     PROGRESS_DECREASED, ...)
   * @throws InvalidArgumentException when the current status, the transition or its reported_at is missing
   */
  public static DeploymentStatus advance(AdvanceRequest request) {
    return parse(PeatNative.directiveAdvance(request.toByteArray()), DeploymentStatus.getDefaultInstance());
  }

  /**
   * Moves a deployment status through the status machine.
   *
   * @param current the current status
   * @param transition the state to move to, the progress and the time reported
   * @return the new status
   * @throws IllegalTransitionException when the move is not allowed
   */
  public static DeploymentStatus advance(DeploymentStatus current, Transition transition) {
    return advance(AdvanceRequest.newBuilder().setCurrent(current).setTransition(transition).build());
  }

  /**
   * Summarises a rollout: the nodes' statuses for one directive, counted by
   * state, with the rollout's decision at {@code now}.
   *
   * @param request the directive, the statuses reported and now
   * @return the summary
   * @throws InvalidArgumentException when the directive or now is missing
   * @throws MismatchException when a status is for another directive
   */
  public static RolloutSummary summarize(SummarizeRequest request) {
    return parse(PeatNative.directiveSummarize(request.toByteArray()), RolloutSummary.getDefaultInstance());
  }

  // ---- directive security (docs/SECURITY.md) -----------------------------------

  /**
   * Generates an Ed25519 key pair from the system's randomness: the private
   * key as PKCS#8 PEM (as {@code openssl genpkey -algorithm ed25519} writes
   * it), the public key as SubjectPublicKeyInfo PEM (as {@code openssl pkey
   * -pubout} writes it) and the key id (lowercase hex SHA-256 of the DER
   * public key).
   *
   * @return the key pair; keep its private key secret
   */
  public static KeyPair generateKey() {
    byte[] out = PeatNative.keyGenerate();
    try {
      return parse(out, KeyPair.getDefaultInstance());
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  /**
   * Reads an Ed25519 private (PKCS#8) or public (SubjectPublicKeyInfo) key PEM.
   * Another key type (RSA, EC, X25519), an encrypted key or text that is not
   * PEM throws {@link InvalidArgumentException} with code KEY_WRONG_TYPE,
   * KEY_ENCRYPTED, KEY_NOT_PEM or KEY_MALFORMED; errors never quote the key.
   *
   * @param pem the key's PEM text
   * @return its key id, public key PEM, and whether it was a private key
   */
  public static KeyInfo inspectKey(String pem) {
    byte[] in = utf8(pem, "pem");
    try {
      return parse(PeatNative.keyInspect(in), KeyInfo.getDefaultInstance());
    } finally {
      Arrays.fill(in, (byte) 0);
    }
  }

  /**
   * Signs a directive: libpeat encodes it deterministically and signs the
   * bytes with an Ed25519 private key. The directive is not validated:
   * validate it first ({@link #requireValid(Message)}).
   *
   * @param directive the directive to sign
   * @param privateKeyPem the signer's PKCS#8 PEM private key (never echoed in errors)
   * @return the serialized peat.security.v1.SignedDirective envelope, to send as is
   */
  public static byte[] signDirective(DeploymentDirective directive, String privateKeyPem) {
    Objects.requireNonNull(directive, "directive");
    return signDirective(SignRequest.newBuilder().setDirective(directive).setPrivateKeyPem(
        Objects.requireNonNull(privateKeyPem, "privateKeyPem")).build());
  }

  /**
   * Adds a signature by another key to an envelope (for a trust set whose
   * threshold needs several signers). A key that already signed it throws
   * {@link InvalidArgumentException} (DUPLICATE_SIGNER); bytes that are not
   * an envelope throw {@link DecodeException} (MALFORMED_ENVELOPE).
   *
   * @param envelope a serialized SignedDirective
   * @param privateKeyPem the additional signer's PKCS#8 PEM private key
   * @return the envelope with the signature appended
   */
  public static byte[] addSignature(byte[] envelope, String privateKeyPem) {
    Objects.requireNonNull(envelope, "envelope");
    return signDirective(SignRequest.newBuilder().setEnvelope(ByteString.copyFrom(envelope)).setPrivateKeyPem(
        Objects.requireNonNull(privateKeyPem, "privateKeyPem")).build());
  }

  /**
   * Signs a directive, or adds a signature to an envelope, as a full request.
   *
   * @param request a directive or an envelope, and a private key PEM
   * @return the serialized SignedDirective envelope
   */
  public static byte[] signDirective(SignRequest request) {
    byte[] in = Objects.requireNonNull(request, "request").toByteArray();
    try {
      return PeatNative.directiveSign(in);
    } finally {
      Arrays.fill(in, (byte) 0); // the request holds the private key
    }
  }

  /**
   * Verifies a signed directive against a trust set at the caller's "now".
   * Returns whenever the trust set and now are usable, verified or not: check
   * {@link VerifyResult#getVerified()} and read {@link VerifyResult#getCode()}
   * (VERIFIED, UNKNOWN_KEY, BAD_SIGNATURE, THRESHOLD_NOT_MET, ...). An
   * unusable trust set (empty, duplicate keys, threshold over the keys) or a
   * missing now throws {@link InvalidArgumentException}.
   *
   * @param request the envelope, trust set, now, and optional age limits
   * @return the verdict, the keys that verified, one check per signature,
   *     and the directive when verified
   */
  public static VerifyResult verifyDirective(VerifyRequest request) {
    byte[] in = Objects.requireNonNull(request, "request").toByteArray();
    return parse(PeatNative.directiveVerify(in), VerifyResult.getDefaultInstance());
  }

  /**
   * Verifies a signed directive against a trust set at {@code now}, without
   * an age limit; see {@link #verifyDirective(VerifyRequest)}.
   *
   * @param envelope the serialized SignedDirective, as received
   * @param trust the keys this node accepts directives from, and the threshold
   * @param now the caller's current time (libpeat reads no clock)
   * @return the verdict; the directive is set only when verified
   */
  public static VerifyResult verifyDirective(byte[] envelope, TrustSet trust, Timestamp now) {
    return verifyDirective(VerifyRequest.newBuilder()
        .setEnvelope(ByteString.copyFrom(Objects.requireNonNull(envelope, "envelope")))
        .setTrust(Objects.requireNonNull(trust, "trust"))
        .setNow(Objects.requireNonNull(now, "now"))
        .build());
  }

  /**
   * Verifies a signed directive and throws {@link NotVerifiedException}
   * (code = the verification's code, carrying the full result) unless it
   * verified.
   *
   * @param request the envelope, trust set, now, and optional age limits
   * @return the result of a verified envelope, whose directive is set
   */
  public static VerifyResult requireVerified(VerifyRequest request) {
    VerifyResult result = verifyDirective(request);
    if (!result.getVerified()) {
      throw NotVerifiedException.of(result);
    }
    return result;
  }

  /**
   * Decides whether this node is targeted by a signed directive: verifies the
   * envelope as {@link #verifyDirective(VerifyRequest)} does and only then
   * decides as {@link #target(TargetRequest)} does. An envelope that does not
   * verify throws {@link NotVerifiedException} with the verification's code.
   *
   * @param request the verify request, and the node's config, state and resources
   * @return the decision, the verified directive and the keys that signed it
   */
  public static SignedTargetDecision targetSigned(SignedTargetRequest request) {
    byte[] in = Objects.requireNonNull(request, "request").toByteArray();
    return parse(PeatNative.directiveTargetSigned(in), SignedTargetDecision.getDefaultInstance());
  }

  // ---- helpers -----------------------------------------------------------------------

  private static byte[] utf8(String s, String what) {
    return Objects.requireNonNull(s, what).getBytes(StandardCharsets.UTF_8);
  }

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

  /** An input format's number, strict or not, as libpeat reads it. */
  private static int code(Format format, String what) {
    return Objects.requireNonNull(format, what).code();
  }

  /**
   * An output format's number: a strict format throws IllegalArgumentException
   * (libpeat would ignore the flag; a caller passing it has mixed up the arguments).
   */
  static int output(Format format, String what) {
    return Objects.requireNonNull(format, what).outputCode(what);
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
