package io.peat;

/**
 * The low-level layer: one native method per C entry point of peat.h. Each
 * returns the output buffer's bytes on PEAT_OK and throws the
 * {@link PeatException} subclass for the status otherwise. Formats are
 * PEAT_FORMAT_* numbers, PEAT_FORMAT_FLAG_STRICT included ({@link
 * Format#code()}), passed to libpeat unchanged; a null byte[] is an empty
 * input. Loading this class
 * loads the native libraries (see {@link NativeLoader}).
 */
final class PeatNative {
  static {
    NativeLoader.load();
  }

  private PeatNative() {}

  /** Forces the class (and so the native libraries) to load. */
  static void ensureLoaded() {}

  static native int abiVersion();

  /** The ABI version of the peat.h the shim was compiled against. */
  static native int headerAbiVersion();

  static native String version();

  static native String statusName(int status);

  static native byte[] types();

  static native byte[] convert(String type, int from, int to, byte[] in);

  static native byte[] compress(byte[] in);

  static native byte[] decompress(byte[] in, long maxOut);

  static native byte[] validate(String type, int format, byte[] in, byte[] options);

  static native byte[] validateBatch(String type, int format, byte[][] msgs, byte[] options);

  static native byte[] sanitize(String type, int from, int to, byte[] in);

  static native byte[] merge(String type, int from, int to, byte[] a, byte[] b);

  static native byte[] mergeBatch(String type, int from, int to, byte[][] msgs);

  static native byte[] docNew(String docType, byte[] init);

  static native byte[] docApply(String docType, byte[] doc, byte[] op);

  static native byte[] docMerge(String docType, byte[] a, byte[] b);

  static native byte[] docMaterialize(String docType, int to, byte[] doc);

  static native byte[] directiveTarget(byte[] in);

  static native byte[] directiveAdvance(byte[] in);

  static native byte[] directiveSummarize(byte[] in);

  // ---- directive security (ABI 1.1) ----

  static native byte[] keyGenerate();

  static native byte[] keyInspect(byte[] pem);

  static native byte[] directiveSign(byte[] in);

  static native byte[] directiveVerify(byte[] in);

  static native byte[] directiveTargetSigned(byte[] in);

  // ---- artifact verification: the handle is the uint64_t's bits in a long ----

  /** A new artifact-verification handle (never 0); throws on a bad ArtifactSpec. */
  static native long artifactNew(byte[] spec);

  /** Feeds chunk[off, off + len) (the range is checked; a wrong one is IllegalArgumentException). */
  static native void artifactUpdate(long handle, byte[] chunk, int off, int len);

  /** Feeds [off, off + len) of a direct ByteBuffer in place (a heap buffer is IllegalArgumentException). */
  static native void artifactUpdateDirect(long handle, java.nio.ByteBuffer buffer, int off, int len);

  static native byte[] artifactFinish(long handle);

  /** Releases a handle; 0, freed and unknown handles are no-ops. */
  static native void artifactFree(long handle);

  // ---- replicas: documents held open between calls (ABI 1.2; a handle as above) ----

  /** A new replica of a new document (init null or empty: the empty document). */
  static native long replicaNew(String docType, byte[] init);

  /** A replica of a serialized document or delta (null or empty: the empty document). */
  static native long replicaOpen(String docType, byte[] doc);

  /** A new, independent replica holding the same document. */
  static native long replicaClone(long replica);

  /** Applies a serialized Operation; returns the delta (a serialized document of the replica's type). */
  static native byte[] replicaApply(long replica, byte[] op);

  /** Merges a serialized document or delta of the replica's type. */
  static native void replicaMerge(long replica, byte[] doc);

  /** Merges the document of replica {@code other} (may be {@code replica} itself). */
  static native void replicaMergeReplica(long replica, long other);

  static native byte[] replicaMaterialize(long replica, int to);

  static native byte[] replicaEncode(long replica);

  /** Releases a replica; 0, freed and unknown handles are no-ops. */
  static native void replicaFree(long replica);
}
