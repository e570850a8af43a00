package io.peat;

import io.peat.proto.directive.v1.ArtifactSpec;
import io.peat.proto.security.v1.ArtifactResult;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks, chunk by chunk and in constant memory, that downloaded bytes are a
 * directive's artifact: exactly {@code size_bytes} bytes whose digest is
 * {@code blob_hash} ({@code sha256:} or {@code blake3:}) and, when set, whose
 * SHA-256 is the artifact's {@code sha256}. Holds one libpeat handle.
 *
 * <pre>{@code
 * try (ArtifactVerifier v = new ArtifactVerifier(directive.getArtifact())) {
 *   for (int n; (n = in.read(buf)) > 0; ) {
 *     v.update(buf, 0, n);             // NotVerifiedException (ARTIFACT_EXCESS) at the first byte too many
 *   }
 *   ArtifactResult ok = v.finish();    // NotVerifiedException: ARTIFACT_TRUNCATED, ARTIFACT_DIGEST_MISMATCH, ...
 * }
 * }</pre>
 *
 * <p>Close it (try-with-resources) to release the handle at once; a verifier
 * that becomes unreachable unclosed is released by a {@link Cleaner}, but
 * libpeat allows at most 65,536 live handles per process ({@link
 * TooLargeException}, code TOO_MANY_HANDLES), so do not rely on it. {@link
 * #close()} is idempotent; any other call after it throws {@link
 * IllegalStateException}.
 *
 * <p>Threads: feed one verifier from one thread at a time (its chunks are
 * ordered). Concurrent misuse cannot corrupt it (libpeat locks the object for
 * each call, and a close waits for a call in progress), and different
 * verifiers run in parallel.
 */
public final class ArtifactVerifier implements AutoCloseable {
  /** The size of the chunks {@link #verify(ArtifactSpec, InputStream)} reads. */
  static final int READ_CHUNK = 1 << 20;

  /** Releases unreachable handles; shared by the package's handle classes ({@link Replica} too): one thread. */
  static final Cleaner CLEANER = Cleaner.create(r -> {
    Thread t = new Thread(r, "peat-cleaner");
    t.setDaemon(true);
    return t;
  });

  /**
   * The handle, shared with the cleaning action; 0 once released. The action
   * must not refer to the verifier, or the verifier would never become
   * unreachable.
   */
  private static final class Handle implements Runnable {
    private final AtomicLong value;

    Handle(long value) {
      this.value = new AtomicLong(value);
    }

    long get() {
      return value.get();
    }

    /** Frees the handle once, whoever calls first: close() or the Cleaner. */
    @Override
    public void run() {
      long h = value.getAndSet(0);
      if (h != 0) {
        PeatNative.artifactFree(h);
      }
    }
  }

  private final Handle handle;
  private final Cleaner.Cleanable cleanable;

  /**
   * Starts a verification of the bytes of one artifact.
   *
   * @param artifact the artifact to expect, e.g. a verified directive's {@code getArtifact()};
   *     a size of 0 or a malformed blob_hash throws {@link InvalidArgumentException}
   *     (INVALID_NUMBER, INVALID_HASH)
   */
  public ArtifactVerifier(ArtifactSpec artifact) {
    long h = PeatNative.artifactNew(Objects.requireNonNull(artifact, "artifact").toByteArray());
    Handle state = new Handle(h);
    Cleaner.Cleanable c;
    try {
      c = CLEANER.register(this, state);
    } catch (Throwable t) {
      state.run();
      throw t;
    }
    this.handle = state;
    this.cleanable = c;
  }

  /**
   * Verifies a whole stream (read to its end in 1 MiB chunks; not closed).
   *
   * @param artifact the artifact to expect
   * @param in the downloaded bytes
   * @return the result when the bytes are the artifact
   * @throws NotVerifiedException when they are not (ARTIFACT_TRUNCATED, ARTIFACT_EXCESS,
   *     ARTIFACT_DIGEST_MISMATCH, ARTIFACT_SHA256_MISMATCH)
   * @throws IOException when reading the stream fails
   */
  public static ArtifactResult verify(ArtifactSpec artifact, InputStream in) throws IOException {
    Objects.requireNonNull(in, "in");
    try (ArtifactVerifier v = new ArtifactVerifier(artifact)) {
      byte[] buf = new byte[READ_CHUNK];
      for (int n; (n = in.read(buf)) >= 0; ) {
        v.update(buf, 0, n);
      }
      return v.finish();
    }
  }

  /**
   * Feeds the next chunk (any size; empty is fine).
   *
   * @param chunk the bytes
   * @throws NotVerifiedException (ARTIFACT_EXCESS) when the bytes pass the artifact's size;
   *     the verification then stays failed
   * @throws InvalidArgumentException (ARTIFACT_FINISHED) after {@link #finish()} or a failure
   */
  public void update(byte[] chunk) {
    update(chunk, 0, Objects.requireNonNull(chunk, "chunk").length);
  }

  /**
   * Feeds {@code len} bytes of {@code chunk} from {@code off}.
   *
   * @param chunk the array holding the bytes
   * @param off the first byte's index
   * @param len the number of bytes
   * @throws IndexOutOfBoundsException when the range is outside the array
   * @throws NotVerifiedException (ARTIFACT_EXCESS) when the bytes pass the artifact's size
   * @throws InvalidArgumentException (ARTIFACT_FINISHED) after {@link #finish()} or a failure
   */
  public void update(byte[] chunk, int off, int len) {
    Objects.checkFromIndexSize(off, len, Objects.requireNonNull(chunk, "chunk").length);
    long h = live();
    try {
      PeatNative.artifactUpdate(h, chunk, off, len);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Feeds the buffer's remaining bytes and advances its position to its
   * limit (when the call succeeds). A direct buffer is read in place, without
   * a copy.
   *
   * @param chunk the bytes between position and limit
   * @throws NotVerifiedException (ARTIFACT_EXCESS) when the bytes pass the artifact's size
   * @throws InvalidArgumentException (ARTIFACT_FINISHED) after {@link #finish()} or a failure
   */
  public void update(ByteBuffer chunk) {
    Objects.requireNonNull(chunk, "chunk");
    int pos = chunk.position();
    int len = chunk.remaining();
    long h = live();
    try {
      if (chunk.isDirect()) {
        PeatNative.artifactUpdateDirect(h, chunk, pos, len);
      } else if (chunk.hasArray()) {
        PeatNative.artifactUpdate(h, chunk.array(), chunk.arrayOffset() + pos, len);
      } else {
        // A read-only heap buffer: copied out in pieces.
        byte[] piece = new byte[Math.min(len, READ_CHUNK)];
        ByteBuffer src = chunk.duplicate();
        do {
          int n = Math.min(piece.length, src.remaining());
          src.get(piece, 0, n);
          PeatNative.artifactUpdate(h, piece, 0, n);
        } while (src.hasRemaining());
      }
    } finally {
      Reference.reachabilityFence(this);
    }
    chunk.position(pos + len);
  }

  /**
   * Ends the verification. Calling it again returns the same outcome; the
   * verifier stays open until {@link #close()}.
   *
   * @return the digest, size and algorithm when the bytes are the artifact
   * @throws NotVerifiedException when they are not: ARTIFACT_TRUNCATED (fewer bytes),
   *     ARTIFACT_EXCESS, ARTIFACT_DIGEST_MISMATCH or ARTIFACT_SHA256_MISMATCH
   */
  public ArtifactResult finish() {
    long h = live();
    try {
      return Peat.parse(PeatNative.artifactFinish(h), ArtifactResult.getDefaultInstance());
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Whether {@link #close()} has been called (or the handle released otherwise).
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return handle.get() == 0;
  }

  /** Releases the libpeat handle. Idempotent; waits for a call in progress on another thread. */
  @Override
  public void close() {
    cleanable.clean();
  }

  /** The live handle, for tests. */
  long handle() {
    return handle.get();
  }

  private long live() {
    long h = handle.get();
    if (h == 0) {
      throw new IllegalStateException("ArtifactVerifier is closed");
    }
    return h;
  }

  /** "ArtifactVerifier{open}" or "ArtifactVerifier{closed}" (never the handle). */
  @Override
  public String toString() {
    return isClosed() ? "ArtifactVerifier{closed}" : "ArtifactVerifier{open}";
  }
}
