/*
 * peat_jni.c — the JNI shim of the Java binding (class io.peat.PeatNative).
 *
 * Each native method copies its Java arguments into C memory, makes exactly
 * one peat_* call, and either returns the output buffer as a new byte[] or
 * throws the exception built by io.peat.PeatException.fromNative(status,
 * errorBytes). No protocol logic lives here: a format argument is passed as
 * the jint it came as (PEAT_FORMAT_FLAG_STRICT included, io.peat.Format.code()).
 *
 * Inputs are copied (GetByteArrayRegion) rather than pinned: a libpeat call
 * may run for a while and must never hold the JVM's GC locker.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "peat.h"

#define EXPORT __attribute__((visibility("default")))
#define FN(name) Java_io_peat_PeatNative_##name

/* Inputs up to this size are copied to the stack instead of the heap. */
#define STACK_BYTES 2048
/* Type names are short ASCII; longer ones go to the heap. */
#define STACK_NAME 256

static jclass exception_class;   /* io.peat.PeatException (global ref) */
static jmethodID from_native;    /* static Throwable fromNative(int, byte[]) */

EXPORT jint JNI_OnLoad(JavaVM* vm, void* reserved) {
  (void)reserved;
  JNIEnv* env;
  if ((*vm)->GetEnv(vm, (void**)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  jclass local = (*env)->FindClass(env, "io/peat/PeatException");
  if (local == NULL) return JNI_ERR;
  exception_class = (jclass)(*env)->NewGlobalRef(env, local);
  (*env)->DeleteLocalRef(env, local);
  if (exception_class == NULL) return JNI_ERR;
  from_native = (*env)->GetStaticMethodID(env, exception_class, "fromNative", "(I[B)Ljava/lang/Throwable;");
  if (from_native == NULL) return JNI_ERR;
  return JNI_VERSION_1_8;
}

static void throw_oom(JNIEnv* env, const char* what) {
  jclass c = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
  if (c != NULL) (*env)->ThrowNew(env, c, what);
}

static void throw_illegal(JNIEnv* env, const char* what) {
  jclass c = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
  if (c != NULL) (*env)->ThrowNew(env, c, what);
}

/* ---- arguments ------------------------------------------------------------ */

/* A byte[] argument copied into C memory. A null array is an empty input
 * (NULL, 0), as in peat.h rule 2. */
typedef struct {
  uint8_t stack[STACK_BYTES];
  uint8_t* data;
  size_t len;
  int heap;
} bytes_arg;

/* Returns 0, or -1 with a Java exception pending. */
static int bytes_get(JNIEnv* env, jbyteArray array, bytes_arg* a) {
  a->data = NULL;
  a->len = 0;
  a->heap = 0;
  if (array == NULL) return 0;
  jsize n = (*env)->GetArrayLength(env, array);
  if (n == 0) return 0;
  if (n <= STACK_BYTES) {
    a->data = a->stack;
  } else {
    a->data = malloc((size_t)n);
    if (a->data == NULL) {
      throw_oom(env, "peat: cannot copy input");
      return -1;
    }
    a->heap = 1;
  }
  a->len = (size_t)n;
  (*env)->GetByteArrayRegion(env, array, 0, n, (jbyte*)a->data);
  return 0;
}

static void bytes_release(bytes_arg* a) {
  if (a->heap) free(a->data);
  a->heap = 0;
  a->data = NULL;
}

/* A type name as NUL-terminated (modified) UTF-8. A null string becomes a
 * NULL pointer, which libpeat answers with PEAT_E_INVALID_ARGUMENT. */
typedef struct {
  char stack[STACK_NAME];
  char* s;
  int heap;
} name_arg;

static int name_get(JNIEnv* env, jstring str, name_arg* a) {
  a->s = NULL;
  a->heap = 0;
  if (str == NULL) return 0;
  jsize chars = (*env)->GetStringLength(env, str);
  jsize n = (*env)->GetStringUTFLength(env, str);
  /* GetStringUTFLength overflows to a negative jsize for strings whose
   * modified UTF-8 exceeds 2 GiB (JDK 17); Peat.java refuses long names
   * first, and this keeps the shim safe on its own. */
  if (chars < 0 || n < 0) {
    throw_illegal(env, "peat: type name too long");
    return -1;
  }
  if (n < STACK_NAME) {
    a->s = a->stack;
  } else {
    a->s = malloc((size_t)n + 1);
    if (a->s == NULL) {
      throw_oom(env, "peat: cannot copy type name");
      return -1;
    }
    a->heap = 1;
  }
  (*env)->GetStringUTFRegion(env, str, 0, chars, a->s);
  a->s[n] = '\0';
  return 0;
}

static void name_release(name_arg* a) {
  if (a->heap) free(a->s);
  a->heap = 0;
  a->s = NULL;
}

/* A byte[][] argument flattened into one heap block plus pointer/length arrays. */
typedef struct {
  const uint8_t** ptrs;
  size_t* lens;
  uint8_t* block;
  size_t count;
} batch_arg;

static int batch_get(JNIEnv* env, jobjectArray arrays, batch_arg* b) {
  memset(b, 0, sizeof *b);
  if (arrays == NULL) return 0;
  jsize count = (*env)->GetArrayLength(env, arrays);
  if (count == 0) return 0;
  b->ptrs = calloc((size_t)count, sizeof *b->ptrs);
  b->lens = calloc((size_t)count, sizeof *b->lens);
  if (b->ptrs == NULL || b->lens == NULL) goto oom;
  size_t total = 0;
  for (jsize i = 0; i < count; i++) {
    jbyteArray e = (jbyteArray)(*env)->GetObjectArrayElement(env, arrays, i);
    if ((*env)->ExceptionCheck(env)) goto fail;
    b->lens[i] = e == NULL ? 0 : (size_t)(*env)->GetArrayLength(env, e);
    total += b->lens[i];
    (*env)->DeleteLocalRef(env, e);
  }
  b->block = malloc(total == 0 ? 1 : total);
  if (b->block == NULL) goto oom;
  size_t off = 0;
  for (jsize i = 0; i < count; i++) {
    jbyteArray e = (jbyteArray)(*env)->GetObjectArrayElement(env, arrays, i);
    if ((*env)->ExceptionCheck(env)) goto fail;
    /* The arrays are the caller's: re-check the length in case it changed. */
    size_t n = e == NULL ? 0 : (size_t)(*env)->GetArrayLength(env, e);
    if (n != b->lens[i]) n = n < b->lens[i] ? n : b->lens[i];
    b->lens[i] = n;
    if (n > 0) (*env)->GetByteArrayRegion(env, e, 0, (jsize)n, (jbyte*)(b->block + off));
    b->ptrs[i] = b->block + off;
    off += n;
    (*env)->DeleteLocalRef(env, e);
  }
  b->count = (size_t)count;
  return 0;
oom:
  throw_oom(env, "peat: cannot copy batch");
fail:
  free(b->ptrs);
  free(b->lens);
  free(b->block);
  memset(b, 0, sizeof *b);
  return -1;
}

static void batch_release(batch_arg* b) {
  free(b->ptrs);
  free(b->lens);
  free(b->block);
  memset(b, 0, sizeof *b);
}

/* ---- results -------------------------------------------------------------- */

static jbyteArray to_java(JNIEnv* env, const peat_buf* buf) {
  if (buf->len > (size_t)INT32_MAX) {
    throw_oom(env, "peat: output larger than a Java array");
    return NULL;
  }
  jbyteArray a = (*env)->NewByteArray(env, (jsize)buf->len);
  if (a != NULL && buf->len > 0) (*env)->SetByteArrayRegion(env, a, 0, (jsize)buf->len, (const jbyte*)buf->data);
  return a;
}

/* Turns a call's status and output into the Java result: the output bytes on
 * PEAT_OK, otherwise NULL with a PeatException pending. Frees the buffer. */
static jbyteArray finish(JNIEnv* env, int32_t rc, peat_buf* buf) {
  jbyteArray result = NULL;
  if (rc == PEAT_OK) {
    result = to_java(env, buf);
  } else {
    jbyteArray err = to_java(env, buf);
    if (err != NULL) {
      jthrowable t = (jthrowable)(*env)->CallStaticObjectMethod(env, exception_class, from_native, (jint)rc, err);
      if (t != NULL && !(*env)->ExceptionCheck(env)) (*env)->Throw(env, t);
      if (t != NULL) (*env)->DeleteLocalRef(env, t);
      (*env)->DeleteLocalRef(env, err);
    }
  }
  peat_buf_free(buf);
  return result;
}

/* ---- library information -------------------------------------------------- */

EXPORT jint JNICALL FN(abiVersion)(JNIEnv* env, jclass cls) {
  (void)env;
  (void)cls;
  return (jint)peat_abi_version();
}

EXPORT jint JNICALL FN(headerAbiVersion)(JNIEnv* env, jclass cls) {
  (void)env;
  (void)cls;
  return (jint)((PEAT_ABI_MAJOR << 16) | PEAT_ABI_MINOR);
}

EXPORT jstring JNICALL FN(version)(JNIEnv* env, jclass cls) {
  (void)cls;
  return (*env)->NewStringUTF(env, peat_version());
}

EXPORT jstring JNICALL FN(statusName)(JNIEnv* env, jclass cls, jint status) {
  (void)cls;
  return (*env)->NewStringUTF(env, peat_status_name((int32_t)status));
}

EXPORT jbyteArray JNICALL FN(types)(JNIEnv* env, jclass cls) {
  (void)cls;
  peat_buf out = {0};
  int32_t rc = peat_types(&out);
  return finish(env, rc, &out);
}

/* ---- calls shaped (in) / (type, in) / (type, a, b) ------------------------ */

typedef int32_t (*in_call)(const uint8_t*, size_t, peat_buf*);

static jbyteArray call_in(JNIEnv* env, in_call fn, jbyteArray in) {
  bytes_arg a;
  if (bytes_get(env, in, &a) != 0) return NULL;
  peat_buf out = {0};
  int32_t rc = fn(a.data, a.len, &out);
  bytes_release(&a);
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(convert)(JNIEnv* env, jclass cls, jstring type, jint from, jint to, jbyteArray in) {
  (void)cls;
  name_arg t;
  bytes_arg a;
  if (name_get(env, type, &t) != 0) return NULL;
  if (bytes_get(env, in, &a) != 0) {
    name_release(&t);
    return NULL;
  }
  peat_buf out = {0};
  int32_t rc = peat_convert(t.s, (int32_t)from, (int32_t)to, a.data, a.len, &out);
  bytes_release(&a);
  name_release(&t);
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(compress)(JNIEnv* env, jclass cls, jbyteArray in) {
  (void)cls;
  return call_in(env, peat_compress, in);
}

EXPORT jbyteArray JNICALL FN(decompress)(JNIEnv* env, jclass cls, jbyteArray in, jlong max_out) {
  (void)cls;
  bytes_arg a;
  if (bytes_get(env, in, &a) != 0) return NULL;
  peat_buf out = {0};
  int32_t rc = peat_decompress(a.data, a.len, (uint64_t)max_out, &out);
  bytes_release(&a);
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(validate)(JNIEnv* env, jclass cls, jstring type, jint format, jbyteArray in,
                                       jbyteArray options) {
  (void)cls;
  name_arg t;
  bytes_arg a, o;
  if (name_get(env, type, &t) != 0) return NULL;
  if (bytes_get(env, in, &a) != 0) {
    name_release(&t);
    return NULL;
  }
  if (bytes_get(env, options, &o) != 0) {
    bytes_release(&a);
    name_release(&t);
    return NULL;
  }
  peat_buf out = {0};
  int32_t rc = peat_validate(t.s, (int32_t)format, a.data, a.len, o.data, o.len, &out);
  bytes_release(&o);
  bytes_release(&a);
  name_release(&t);
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(validateBatch)(JNIEnv* env, jclass cls, jstring type, jint format, jobjectArray msgs,
                                            jbyteArray options) {
  (void)cls;
  name_arg t;
  batch_arg b;
  bytes_arg o;
  if (name_get(env, type, &t) != 0) return NULL;
  if (batch_get(env, msgs, &b) != 0) {
    name_release(&t);
    return NULL;
  }
  if (bytes_get(env, options, &o) != 0) {
    batch_release(&b);
    name_release(&t);
    return NULL;
  }
  peat_buf out = {0};
  int32_t rc = peat_validate_batch(t.s, (int32_t)format, b.ptrs, b.lens, b.count, o.data, o.len, &out);
  bytes_release(&o);
  batch_release(&b);
  name_release(&t);
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(sanitize)(JNIEnv* env, jclass cls, jstring type, jint from, jint to, jbyteArray in) {
  (void)cls;
  name_arg t;
  bytes_arg a;
  if (name_get(env, type, &t) != 0) return NULL;
  if (bytes_get(env, in, &a) != 0) {
    name_release(&t);
    return NULL;
  }
  peat_buf out = {0};
  int32_t rc = peat_sanitize(t.s, (int32_t)from, (int32_t)to, a.data, a.len, &out);
  bytes_release(&a);
  name_release(&t);
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(merge)(JNIEnv* env, jclass cls, jstring type, jint from, jint to, jbyteArray a_in,
                                    jbyteArray b_in) {
  (void)cls;
  name_arg t;
  bytes_arg a, b;
  if (name_get(env, type, &t) != 0) return NULL;
  if (bytes_get(env, a_in, &a) != 0) {
    name_release(&t);
    return NULL;
  }
  if (bytes_get(env, b_in, &b) != 0) {
    bytes_release(&a);
    name_release(&t);
    return NULL;
  }
  peat_buf out = {0};
  int32_t rc = peat_merge(t.s, (int32_t)from, (int32_t)to, a.data, a.len, b.data, b.len, &out);
  bytes_release(&b);
  bytes_release(&a);
  name_release(&t);
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(mergeBatch)(JNIEnv* env, jclass cls, jstring type, jint from, jint to,
                                         jobjectArray msgs) {
  (void)cls;
  name_arg t;
  batch_arg b;
  if (name_get(env, type, &t) != 0) return NULL;
  if (batch_get(env, msgs, &b) != 0) {
    name_release(&t);
    return NULL;
  }
  peat_buf out = {0};
  int32_t rc = peat_merge_batch(t.s, (int32_t)from, (int32_t)to, b.ptrs, b.lens, b.count, &out);
  batch_release(&b);
  name_release(&t);
  return finish(env, rc, &out);
}

/* ---- replicated documents -------------------------------------------------- */

EXPORT jbyteArray JNICALL FN(docNew)(JNIEnv* env, jclass cls, jstring type, jbyteArray init) {
  (void)cls;
  name_arg t;
  bytes_arg a;
  if (name_get(env, type, &t) != 0) return NULL;
  if (bytes_get(env, init, &a) != 0) {
    name_release(&t);
    return NULL;
  }
  peat_buf out = {0};
  int32_t rc = peat_doc_new(t.s, a.data, a.len, &out);
  bytes_release(&a);
  name_release(&t);
  return finish(env, rc, &out);
}

typedef int32_t (*two_call)(const char*, const uint8_t*, size_t, const uint8_t*, size_t, peat_buf*);

static jbyteArray call_two(JNIEnv* env, two_call fn, jstring type, jbyteArray a_in, jbyteArray b_in) {
  name_arg t;
  bytes_arg a, b;
  if (name_get(env, type, &t) != 0) return NULL;
  if (bytes_get(env, a_in, &a) != 0) {
    name_release(&t);
    return NULL;
  }
  if (bytes_get(env, b_in, &b) != 0) {
    bytes_release(&a);
    name_release(&t);
    return NULL;
  }
  peat_buf out = {0};
  int32_t rc = fn(t.s, a.data, a.len, b.data, b.len, &out);
  bytes_release(&b);
  bytes_release(&a);
  name_release(&t);
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(docApply)(JNIEnv* env, jclass cls, jstring type, jbyteArray doc, jbyteArray op) {
  (void)cls;
  return call_two(env, peat_doc_apply, type, doc, op);
}

EXPORT jbyteArray JNICALL FN(docMerge)(JNIEnv* env, jclass cls, jstring type, jbyteArray a, jbyteArray b) {
  (void)cls;
  return call_two(env, peat_doc_merge, type, a, b);
}

EXPORT jbyteArray JNICALL FN(docMaterialize)(JNIEnv* env, jclass cls, jstring type, jint to, jbyteArray doc) {
  (void)cls;
  name_arg t;
  bytes_arg a;
  if (name_get(env, type, &t) != 0) return NULL;
  if (bytes_get(env, doc, &a) != 0) {
    name_release(&t);
    return NULL;
  }
  peat_buf out = {0};
  int32_t rc = peat_doc_materialize(t.s, (int32_t)to, a.data, a.len, &out);
  bytes_release(&a);
  name_release(&t);
  return finish(env, rc, &out);
}

/* ---- deployment directives ------------------------------------------------- */

EXPORT jbyteArray JNICALL FN(directiveTarget)(JNIEnv* env, jclass cls, jbyteArray in) {
  (void)cls;
  return call_in(env, peat_directive_target, in);
}

EXPORT jbyteArray JNICALL FN(directiveAdvance)(JNIEnv* env, jclass cls, jbyteArray in) {
  (void)cls;
  return call_in(env, peat_directive_advance, in);
}

EXPORT jbyteArray JNICALL FN(directiveSummarize)(JNIEnv* env, jclass cls, jbyteArray in) {
  (void)cls;
  return call_in(env, peat_directive_summarize, in);
}

/* ---- directive security (ABI 1.1) ----------------------------------------- */

EXPORT jbyteArray JNICALL FN(keyGenerate)(JNIEnv* env, jclass cls) {
  (void)cls;
  peat_buf out = {0};
  int32_t rc = peat_key_generate(&out);
  /* The output holds a private key: overwrite it before it is released. */
  jbyteArray result = NULL;
  if (rc == PEAT_OK) {
    result = to_java(env, &out);
    if (out.data != NULL) memset(out.data, 0, out.len);
    peat_buf_free(&out);
    return result;
  }
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(keyInspect)(JNIEnv* env, jclass cls, jbyteArray pem) {
  (void)cls;
  return call_in(env, peat_key_inspect, pem);
}

EXPORT jbyteArray JNICALL FN(directiveSign)(JNIEnv* env, jclass cls, jbyteArray in) {
  (void)cls;
  return call_in(env, peat_directive_sign, in);
}

EXPORT jbyteArray JNICALL FN(directiveVerify)(JNIEnv* env, jclass cls, jbyteArray in) {
  (void)cls;
  return call_in(env, peat_directive_verify, in);
}

EXPORT jbyteArray JNICALL FN(directiveTargetSigned)(JNIEnv* env, jclass cls, jbyteArray in) {
  (void)cls;
  return call_in(env, peat_directive_target_signed, in);
}

/* ---- artifact verification (a handle, peat.h rule 9) ------------------------
 * The handle crosses as a jlong holding the uint64_t's bits; Java never
 * interprets it. */

/* The largest piece of a Java array copied into C memory for one
 * peat_artifact_update call: a chunk of any size is fed in pieces of at most
 * this many bytes, so the shim's memory stays constant (a streaming hash sees
 * the same bytes whatever the piece boundaries). */
#define UPDATE_PIECE ((size_t)1 << 20)

EXPORT jlong JNICALL FN(artifactNew)(JNIEnv* env, jclass cls, jbyteArray spec) {
  (void)cls;
  bytes_arg a;
  if (bytes_get(env, spec, &a) != 0) return 0;
  uint64_t handle = 0;
  peat_buf out = {0};
  int32_t rc = peat_artifact_new(a.data, a.len, &handle, &out);
  bytes_release(&a);
  if (rc == PEAT_OK) {
    peat_buf_free(&out);
    return (jlong)handle;
  }
  finish(env, rc, &out);
  return 0;
}

/* Feeds bytes [off, off+len) of a byte[]; Java has checked the range. */
EXPORT void JNICALL FN(artifactUpdate)(JNIEnv* env, jclass cls, jlong handle, jbyteArray chunk, jint off, jint len) {
  (void)cls;
  if (chunk == NULL || off < 0 || len < 0 || (jlong)off + (jlong)len > (jlong)(*env)->GetArrayLength(env, chunk)) {
    throw_illegal(env, "peat: chunk range outside the array");
    return;
  }
  uint8_t stack[STACK_BYTES];
  uint8_t* piece = stack;
  size_t cap = STACK_BYTES;
  if ((size_t)len > STACK_BYTES) {
    cap = (size_t)len < UPDATE_PIECE ? (size_t)len : UPDATE_PIECE;
    piece = malloc(cap);
    if (piece == NULL) {
      throw_oom(env, "peat: cannot copy chunk");
      return;
    }
  }
  size_t done = 0, total = (size_t)len;
  int32_t rc = PEAT_OK;
  peat_buf out = {0};
  do { /* at least one call, so a 0-byte chunk still reaches libpeat (and a closed handle fails) */
    size_t n = total - done < cap ? total - done : cap;
    if (n > 0) (*env)->GetByteArrayRegion(env, chunk, off + (jsize)done, (jsize)n, (jbyte*)piece);
    rc = peat_artifact_update((uint64_t)handle, piece, n, &out);
    done += n;
    if (rc != PEAT_OK) break;
    peat_buf_free(&out);
  } while (done < total);
  if (piece != stack) free(piece);
  if (rc != PEAT_OK) {
    finish(env, rc, &out);
  } else {
    peat_buf_free(&out);
  }
}

/* Feeds bytes [off, off+len) of a direct ByteBuffer, read in place (its
 * memory is outside the Java heap and never moves). */
EXPORT void JNICALL FN(artifactUpdateDirect)(JNIEnv* env, jclass cls, jlong handle, jobject buffer, jint off,
                                             jint len) {
  (void)cls;
  uint8_t* base = buffer == NULL ? NULL : (uint8_t*)(*env)->GetDirectBufferAddress(env, buffer);
  jlong cap = buffer == NULL ? -1 : (*env)->GetDirectBufferCapacity(env, buffer);
  if (base == NULL || cap < 0 || off < 0 || len < 0 || (jlong)off + (jlong)len > cap) {
    throw_illegal(env, "peat: not a direct buffer, or range outside it");
    return;
  }
  size_t done = 0, total = (size_t)len;
  int32_t rc = PEAT_OK;
  peat_buf out = {0};
  do { /* in pieces, as for a byte[]: the same calls whichever form the bytes come in */
    size_t n = total - done < UPDATE_PIECE ? total - done : UPDATE_PIECE;
    rc = peat_artifact_update((uint64_t)handle, base + off + done, n, &out);
    done += n;
    if (rc != PEAT_OK) break;
    peat_buf_free(&out);
  } while (done < total);
  if (rc != PEAT_OK) {
    finish(env, rc, &out);
  } else {
    peat_buf_free(&out);
  }
}

EXPORT jbyteArray JNICALL FN(artifactFinish)(JNIEnv* env, jclass cls, jlong handle) {
  (void)cls;
  peat_buf out = {0};
  int32_t rc = peat_artifact_finish((uint64_t)handle, &out);
  return finish(env, rc, &out);
}

EXPORT void JNICALL FN(artifactFree)(JNIEnv* env, jclass cls, jlong handle) {
  (void)env;
  (void)cls;
  peat_artifact_free((uint64_t)handle);
}

/* ---- replicas: documents held open between calls (a handle, ABI 1.2) ------
 * The handle crosses as a jlong holding the uint64_t's bits, as for artifact
 * verifiers. Inputs are copied, never pinned (see the top of this file). */

/* The result of a call that creates a handle: the handle on PEAT_OK (out is
 * empty and freed), otherwise 0 with a PeatException pending. */
static jlong finish_handle(JNIEnv* env, int32_t rc, uint64_t handle, peat_buf* out) {
  if (rc == PEAT_OK) {
    peat_buf_free(out);
    return (jlong)handle;
  }
  finish(env, rc, out);
  return 0;
}

/* The result of a call whose output is empty on PEAT_OK. */
static void finish_void(JNIEnv* env, int32_t rc, peat_buf* out) {
  if (rc == PEAT_OK) {
    peat_buf_free(out);
  } else {
    finish(env, rc, out);
  }
}

typedef int32_t (*replica_make)(const char*, const uint8_t*, size_t, uint64_t*, peat_buf*);

static jlong replica_make_call(JNIEnv* env, replica_make fn, jstring type, jbyteArray in) {
  name_arg t;
  bytes_arg a;
  if (name_get(env, type, &t) != 0) return 0;
  if (bytes_get(env, in, &a) != 0) {
    name_release(&t);
    return 0;
  }
  uint64_t handle = 0;
  peat_buf out = {0};
  int32_t rc = fn(t.s, a.data, a.len, &handle, &out);
  bytes_release(&a);
  name_release(&t);
  return finish_handle(env, rc, handle, &out);
}

EXPORT jlong JNICALL FN(replicaNew)(JNIEnv* env, jclass cls, jstring type, jbyteArray init) {
  (void)cls;
  return replica_make_call(env, peat_replica_new, type, init);
}

EXPORT jlong JNICALL FN(replicaOpen)(JNIEnv* env, jclass cls, jstring type, jbyteArray doc) {
  (void)cls;
  return replica_make_call(env, peat_replica_open, type, doc);
}

EXPORT jlong JNICALL FN(replicaClone)(JNIEnv* env, jclass cls, jlong replica) {
  (void)cls;
  uint64_t handle = 0;
  peat_buf out = {0};
  int32_t rc = peat_replica_clone((uint64_t)replica, &handle, &out);
  return finish_handle(env, rc, handle, &out);
}

EXPORT jbyteArray JNICALL FN(replicaApply)(JNIEnv* env, jclass cls, jlong replica, jbyteArray op) {
  (void)cls;
  bytes_arg a;
  if (bytes_get(env, op, &a) != 0) return NULL;
  peat_buf out = {0};
  int32_t rc = peat_replica_apply((uint64_t)replica, a.data, a.len, &out);
  bytes_release(&a);
  return finish(env, rc, &out);
}

EXPORT void JNICALL FN(replicaMerge)(JNIEnv* env, jclass cls, jlong replica, jbyteArray doc) {
  (void)cls;
  bytes_arg a;
  if (bytes_get(env, doc, &a) != 0) return;
  peat_buf out = {0};
  int32_t rc = peat_replica_merge((uint64_t)replica, a.data, a.len, &out);
  bytes_release(&a);
  finish_void(env, rc, &out);
}

EXPORT void JNICALL FN(replicaMergeReplica)(JNIEnv* env, jclass cls, jlong replica, jlong other) {
  (void)cls;
  peat_buf out = {0};
  int32_t rc = peat_replica_merge_replica((uint64_t)replica, (uint64_t)other, &out);
  finish_void(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(replicaMaterialize)(JNIEnv* env, jclass cls, jlong replica, jint to) {
  (void)cls;
  peat_buf out = {0};
  int32_t rc = peat_replica_materialize((uint64_t)replica, (int32_t)to, &out);
  return finish(env, rc, &out);
}

EXPORT jbyteArray JNICALL FN(replicaEncode)(JNIEnv* env, jclass cls, jlong replica) {
  (void)cls;
  peat_buf out = {0};
  int32_t rc = peat_replica_encode((uint64_t)replica, &out);
  return finish(env, rc, &out);
}

EXPORT void JNICALL FN(replicaFree)(JNIEnv* env, jclass cls, jlong replica) {
  (void)env;
  (void)cls;
  peat_replica_free((uint64_t)replica);
}
