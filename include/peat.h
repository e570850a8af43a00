/*
 * peat.h — the C contract of libpeat, the Peat (CAP) protocol core.
 *
 * This header is written by hand and is the stable interface. The header that
 * cgo generates while building libpeat.so is a by-product; a test compiles both
 * in one translation unit so they cannot drift apart.
 *
 * RULES (apply to every function below unless its comment says otherwise)
 *
 *  1. Status. Every operation returns an int32_t status: PEAT_OK (0) or one of
 *     the PEAT_E_* values. Values are never renumbered or reused; new ones may
 *     be added in a minor ABI version, so treat unknown non-zero values as
 *     errors. peat_status_name() gives the stable upper-case name.
 *
 *  2. Inputs are borrowed. A `const uint8_t* in, size_t in_len` pair is read
 *     during the call only and never kept. A NULL pointer with length 0 is an
 *     empty input; a NULL pointer with a non-zero length is PEAT_E_INVALID_ARGUMENT.
 *     Type names are NUL-terminated UTF-8 full protobuf names
 *     ("cap.node.v1.NodeConfig").
 *
 *  3. Outputs are owned by libpeat. Each operation takes a `peat_buf* out`
 *     (must not be NULL). libpeat overwrites *out (it never frees what was
 *     there: free a buffer before reusing its struct). On PEAT_OK, out holds
 *     the result. On any other status, out holds a serialized
 *     peat.api.v1.Error (status, stable code, human message, field path) — or
 *     is empty if even that could not be allocated. Release every buffer with
 *     peat_buf_free(), exactly once; it is NULL-safe and idempotent.
 *
 *  4. Thread safety. Every function may be called from any number of threads
 *     at once. libpeat keeps no per-call state between calls, except in the
 *     objects behind handles (rule 9): replicated documents are passed in and
 *     out as bytes by the peat_doc_* calls, so the caller decides how they
 *     are shared, or held by libpeat between calls as replicas.
 *
 *  5. No crash on bad input. Truncated or garbage bytes, wrong type names,
 *     oversize input, invalid UTF-8, NaN and decompression bombs return an
 *     error status. A Go panic inside libpeat is recovered and returned as
 *     PEAT_E_INTERNAL, and later calls are unaffected: libpeat's only mutable
 *     global state is a few per-type caches (validation plans, which message
 *     types hold floats; filled on first use, guarded by a lock or a
 *     concurrent map, and stored only once fully built) and type registries
 *     written at load time, so a recovered panic leaves nothing half-written.
 *
 *  6. Messages are protobuf. Binary output is deterministic: fields in number
 *     order, map keys sorted, so equal messages give equal bytes. Unknown
 *     fields of newer peers are kept in binary form.
 *
 *  7. Process rules of a Go shared library: load libpeat.so once per process,
 *     never dlclose() it, do not fork() without exec() after loading it, and
 *     set GODEBUG/GOMAXPROCS/GOGC in the environment before the process
 *     starts (GOGC: libpeat's live heap is small, so a host that can spare a
 *     few MB more can raise it, e.g. GOGC=400, for 15-30 % less CPU in small
 *     calls; docs/PERFORMANCE.md).
 *     Signals. libpeat contains the Go runtime, which runs Go code on small
 *     goroutine stacks and gives each thread that runs Go code an alternate
 *     signal stack; a process-directed signal may be delivered to any thread,
 *     the runtime's own included. When libpeat loads, Go installs handlers for
 *     SIGSEGV, SIGBUS, SIGFPE, SIGPIPE and SIGURG (its preemption signal),
 *     saving any existing ones, and adds SA_ONSTACK to the other handlers
 *     already installed. A host that installs signal handlers AFTER loading:
 *     - must install every handler function with sigaction() and SA_ONSTACK
 *       (SIG_IGN and SIG_DFL need nothing). Without it, a signal that lands
 *       on a thread running Go code runs the handler on the goroutine stack,
 *       which overflows: the process aborts with heap corruption under load
 *       (seen with SIGALRM every 200 us during calls from 16 threads;
 *       tests/c/test_signals.c runs such a load with SA_ONSTACK). This
 *       includes a profiler's SIGPROF handler (libpeat never enables Go's
 *       profiler, so there is no Go SIGPROF handler to chain to).
 *     - should not change the handlers of the synchronous signals SIGSEGV,
 *       SIGBUS, SIGFPE (Go turns a fault in Go code into a panic, which
 *       libpeat recovers as PEAT_E_INTERNAL), nor of SIGURG. If it must, it
 *       keeps the old handler that sigaction() returns and calls it for
 *       every signal it does not consume itself, and always for a
 *       synchronous signal raised while Go code runs (the PC is in libpeat).
 *       Go's handler passes signals raised in non-Go code on to the handler
 *       that was installed before libpeat loaded, or to the default action.
 *     - must not change the signal mask of threads the Go runtime created.
 *       Its own threads may block what they like: while they run a libpeat
 *       call, Go unblocks the synchronous signals, SIGPROF and the few it
 *       needs, and restores the thread's mask on return.
 *     - may set SIGPIPE as it likes (SIG_IGN included): libpeat writes to no
 *       file descriptor, so it never raises SIGPIPE, and Go passes a SIGPIPE
 *       raised by the host's writes to the host's handler (or SIG_IGN, or
 *       the default action) as before.
 *     The static library libpeat.a (a Go c-archive, same header) brings the
 *     same Go runtime into the program: it starts in a global constructor,
 *     before main(), with its own threads, and installs handlers for SIGSEGV,
 *     SIGBUS, SIGFPE, SIGPIPE and SIGURG (earlier handlers are saved and
 *     called for faults outside Go code; install yours with SA_ONSTACK);
 *     link it with -lpthread.
 *     Only one Go runtime may be in a process: do not link two Go c-archives
 *     (their runtime symbols clash), nor libpeat.a with another Go library.
 *
 *  8. Limits. Input over its limit is refused before it is decoded, with
 *     PEAT_E_TOO_LARGE: an ICD (cap.*) message over its ICD §3.3 size (as
 *     JSON text, four times that), any libpeat (peat.*) message (requests,
 *     documents, operations, DocInit) over 64 MiB (256 MiB as JSON) unless
 *     its call says less (ValidateOptions: 4 KiB), any byte input over
 *     1 GiB. A type name longer than 512 bytes is PEAT_E_UNKNOWN_TYPE. Calls
 *     that could build a large output state its ceiling below (batches,
 *     compression).
 *
 *  9. Handles (ABI 1.1; replicas 1.2). A few calls keep state between
 *     calls in an object libpeat owns, named by a handle: a uint64_t, never
 *     0, never reused for the life of the process, whose low 8 bits name the
 *     object's kind
 *     (1: artifact verification, 2: replica). A handle is created by its
 *     kind's _new call (replicas also by _open and _clone) and released by
 *     its _free call. Lifetime: from _new until _free; every call on a freed, unknown
 *     or 0 handle returns PEAT_E_INVALID_ARGUMENT (code INVALID_HANDLE), a
 *     handle of another kind WRONG_HANDLE_KIND — a use after free or a
 *     double free is an error or a no-op, never a crash, and never reaches
 *     another object. _free is void, accepts 0 and is idempotent. Threads:
 *     use one handle from one thread at a time (its operations are ordered,
 *     e.g. the chunks of a stream); libpeat also locks each object for the
 *     duration of one call, so concurrent misuse serialises instead of
 *     corrupting it, and different handles run in parallel. A _free that
 *     races a call on the same handle waits for it. At most 65,536 handles
 *     are live per process, all kinds together; _new beyond that is
 *     PEAT_E_TOO_LARGE (code TOO_MANY_HANDLES). Handles are not inherited
 *     across exec() and do not survive an unloaded library (rule 7).
 *
 * ABI VERSION. peat_abi_version() returns (major << 16) | minor. A binding
 * built for major M and minor m works with a library of major M and any minor
 * >= m. PEAT_ABI_MAJOR/PEAT_ABI_MINOR below are the version this header
 * describes.
 *
 * LINKING. `cc app.c $(pkg-config --cflags --libs peat)` links against
 * libpeat.so.1 but does not tell the program where it is: when the prefix's
 * lib directory is not one the dynamic loader searches (/opt/peat/lib, an
 * unpacked release, $HOME/...), the program stops at start with
 * "libpeat.so.1: cannot open shared object file". Pick one:
 *   - rpath (recommended for a private prefix): record the directory in the
 *     program, `$(pkg-config --variable=rpath peat)` (= -Wl,-rpath,<libdir>),
 *     or -Wl,-rpath,'$ORIGIN/../lib' for a program shipped next to lib/;
 *     CMake does this by itself for Peat::peat in the build tree (keep it
 *     at install with INSTALL_RPATH / INSTALL_RPATH_USE_LINK_PATH);
 *   - ldconfig (a system-wide prefix, as root): put <libdir> in a file
 *     under /etc/ld.so.conf.d/ and run ldconfig;
 *   - LD_LIBRARY_PATH=<libdir> in the program's environment (development
 *     and tests only);
 *   - or link libpeat.a (pkg-config peat-static), which needs nothing at run
 *     time (rule 7 for what it brings into the program).
 * examples/c/Makefile and examples/c/roundtrip.c show the rpath way.
 */
#ifndef PEAT_H
#define PEAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PEAT_ABI_MAJOR 1
#define PEAT_ABI_MINOR 2

/* ---- Status codes (int32_t) --------------------------------------------- */
#define PEAT_OK 0
#define PEAT_E_INVALID_ARGUMENT 1   /* NULL pointer, unknown format, bad option  */
#define PEAT_E_UNKNOWN_TYPE 2       /* type name not registered or wrong for call */
#define PEAT_E_DECODE 3             /* input bytes/JSON cannot be decoded        */
#define PEAT_E_ENCODE 4             /* value cannot be written in that format    */
#define PEAT_E_TOO_LARGE 5          /* input over its size limit (ICD §3.3)      */
#define PEAT_E_DECOMPRESS 6         /* bad frame or decompressed size over limit */
#define PEAT_E_MISMATCH 7           /* merge of different entities / ids         */
#define PEAT_E_ILLEGAL_TRANSITION 8 /* deployment status move not allowed        */
#define PEAT_E_UNSUPPORTED 9        /* operation not defined for this type       */
#define PEAT_E_INVALID 10           /* input fails validation where it must pass */
#define PEAT_E_NOT_VERIFIED 11      /* signature or artifact did not verify       */
#define PEAT_E_INTERNAL 100         /* recovered panic or other internal fault   */

/* ---- Formats of a message's bytes ---------------------------------------- */
#define PEAT_FORMAT_BINARY 1    /* protobuf binary wire format                 */
#define PEAT_FORMAT_JSON 2      /* canonical proto3 JSON (lowerCamelCase keys) */
#define PEAT_FORMAT_RUST_JSON 3 /* the Rust reference implementation's JSON    */
/* Strict reading (ABI 1.1): OR into a format that a call reads, e.g.
 * PEAT_FORMAT_JSON | PEAT_FORMAT_FLAG_STRICT, to refuse JSON keys the schema
 * does not know (PEAT_E_DECODE, code UNKNOWN_FIELD, with the key's path)
 * instead of ignoring them for forward compatibility (the default; see
 * docs/COMPATIBILITY.md). Ignored for binary input and for output formats.
 * A library older than ABI 1.1 refuses the value as an unknown format, so a
 * strict request never silently reads leniently. */
#define PEAT_FORMAT_FLAG_STRICT 0x100

/* A buffer allocated by libpeat. Free with peat_buf_free(). */
typedef struct peat_buf {
  uint8_t* data;
  size_t len;
} peat_buf;

/* ---- Library information ------------------------------------------------- */

/* (major << 16) | minor of the ABI this library implements. Never fails. */
uint32_t peat_abi_version(void);

/* Library version, e.g. "0.1.0". Static storage: never free it. */
const char* peat_version(void);

/* Stable name of a status ("OK", "DECODE_ERROR", ...; "UNKNOWN_STATUS" for
 * values this library does not define). Static storage: never free it. */
const char* peat_status_name(int32_t status);

/* Releases a buffer returned by libpeat and sets data=NULL, len=0. NULL-safe
 * (buf may be NULL, buf->data may be NULL) and idempotent. */
void peat_buf_free(peat_buf* buf);

/* ---- Reading an error from C (ABI 1.1) ----------------------------------- */

/* The fields of the peat.api.v1.Error in a buffer, as views into it: each
 * string is a pointer into err->data and a length, NOT NUL-terminated, valid
 * as long as the buffer lives (until peat_buf_free). Never NULL: an absent
 * field is "" with length 0. Print one with printf("%.*s", (int)len, ptr).
 * The struct only grows in a new major ABI version. */
typedef struct peat_error_info {
  int32_t status;      /* the PEAT_E_* the call returned                    */
  const char* code;    /* stable upper-case code, e.g. "DECODE_ERROR"       */
  size_t code_len;
  const char* message; /* for people; not stable, do not parse              */
  size_t message_len;
  const char* path;    /* offending field, e.g. "capabilities[2].confidence";
                          length 0 when no field is concerned               */
  size_t path_len;
} peat_error_info;

/* Fills *out from the error a failed call wrote into err, without a
 * protobuf library and without entering the Go runtime:
 *
 *   peat_error_info e;
 *   if (peat_error_view(&out, &e) == PEAT_OK)
 *     fprintf(stderr, "%.*s at %.*s: %.*s\n", (int)e.code_len, e.code,
 *             (int)e.path_len, e.path, (int)e.message_len, e.message);
 *
 * Returns PEAT_OK, PEAT_E_INVALID_ARGUMENT (out or err NULL, or err->data
 * NULL with a non-zero length) or PEAT_E_DECODE (an empty buffer, as after a
 * failure to allocate even the error, or bytes that are not a well-formed
 * peat.api.v1.Error with a code). Safe on any bytes: it reads only inside
 * [data, data + len), allocates nothing and never fails hard; whenever out is
 * not NULL, *out is written (all empty on failure), so it is always safe to
 * print. It writes no peat_buf: this is the one call outside rule 3.
 * Unknown fields of a newer Error are skipped. Thread-safe (it only reads). */
int32_t peat_error_view(const peat_buf* err, peat_error_info* out);

/* ---- Registry and encoding ----------------------------------------------- */

/* out: peat.api.v1.TypeList with every registered message type, sorted. */
int32_t peat_types(peat_buf* out);

/* Converts one message of `type_name` from format `from` to format `to`
 * (PEAT_FORMAT_*). The input size limit of the type is enforced before
 * decoding. Unknown fields of a newer peer survive binary -> binary; neither
 * JSON form can carry them. Writing rust-json refuses NaN and infinities
 * (PEAT_E_ENCODE, code NON_FINITE_FLOAT), since the reference writes them as
 * null and cannot read them back. out: the message in format `to`. */
int32_t peat_convert(const char* type_name, int32_t from, int32_t to, const uint8_t* in, size_t in_len,
                     peat_buf* out);

/* Wraps `in` (at most 64 MiB, else PEAT_E_TOO_LARGE) in one zstd frame that
 * declares its content size and carries a checksum. out: the frame, at most
 * the input plus zstd's overhead (a few bytes per 128 KiB). */
int32_t peat_compress(const uint8_t* in, size_t in_len, peat_buf* out);

/* Unwraps zstd frames (in: at most 64 MiB; several frames are concatenated,
 * skippable frames skipped). The output ceiling is max_out bytes (0 selects
 * the default, 64 MiB; values above 1 GiB are clamped to 1 GiB). Content
 * sizes declared by the frames are checked against it before anything is
 * decoded, and decoding stops as soon as the output would pass it, so a
 * decompression bomb is refused; the output is decoded straight into `out`,
 * so the call holds about the output and a constant, never a copy.
 * Errors are PEAT_E_DECOMPRESS with a code:
 *   DECOMPRESSED_TOO_LARGE  the content is over max_out;
 *   WINDOW_TOO_LARGE        a frame without a declared content size asks for
 *                           a window over both max_out and 8 MiB, and its
 *                           blocks could produce more than max_out (pass a
 *                           larger max_out, up to 1 GiB, to read it);
 *   CORRUPT_FRAME           a malformed frame: truncated, reserved bits or
 *                           block type, a block over the maximum block size,
 *                           a content size its blocks contradict, bad data,
 *                           a checksum mismatch, trailing bytes;
 *   DICTIONARY_NOT_SUPPORTED  the frame needs a dictionary;
 *   DECOMPRESS_ERROR        the input is not zstd at all (empty, no magic).
 * out: the decompressed bytes. */
int32_t peat_decompress(const uint8_t* in, size_t in_len, uint64_t max_out, peat_buf* out);

/* ---- Validation (ICD §3.3, §6, §9) --------------------------------------- */

/* Validates one message. `options` is an optional serialized
 * peat.validation.v1.ValidateOptions (NULL/0 for defaults: "now" is the wall
 * clock, timestamps may be at most 300 s in the future, unknown enum numbers
 * are rejected) of at most 4 KiB: more is refused before decoding
 * (PEAT_E_TOO_LARGE, code OPTIONS_TOO_LARGE); the message to its type's
 * limit (rule 8). Returns PEAT_OK whenever the message could be decoded,
 * valid or not; out: peat.validation.v1.ValidationReport listing every
 * violation (code, field path, message), sorted by path then code. Binary
 * input whose only defect is invalid UTF-8 in strings is still validated
 * (each bad run read as U+FFFD) and reported as INVALID_STRING at the field.
 * Otherwise undecodable input returns an error status. Codes:
 * docs/VALIDATION.md. */
int32_t peat_validate(const char* type_name, int32_t format, const uint8_t* in, size_t in_len,
                      const uint8_t* options, size_t options_len, peat_buf* out);

/* Validates `count` messages of one type in a single call. msgs[i]/lens[i]
 * describe message i (msgs may be NULL only if count is 0). A message that
 * cannot be decoded does not fail the batch: its report has decoded = false
 * and carries the decode error's code as a violation. Limits, refused with
 * PEAT_E_TOO_LARGE before any message is decoded: at most 65,536 messages
 * (code BATCH_TOO_LARGE) totalling at most 64 MiB (BATCH_INPUT_TOO_LARGE);
 * options as for peat_validate. The output is at most 64 MiB: the reports
 * are built one by one and the call stops with PEAT_E_TOO_LARGE (code
 * OUTPUT_TOO_LARGE) as soon as they would pass it — split such a batch.
 * out: peat.validation.v1.BatchValidationReport with one report per input,
 * in input order, and counts. */
int32_t peat_validate_batch(const char* type_name, int32_t format, const uint8_t* const* msgs,
                            const size_t* lens, size_t count, const uint8_t* options, size_t options_len,
                            peat_buf* out);

/* Returns a sanitised copy (ICD §9.2): control characters stripped from
 * strings, metadata keys and values trimmed (entries whose key becomes empty
 * or collides are dropped), invalid UTF-8 in binary input replaced by U+FFFD.
 * The input is not modified; it is held to its type's limit (rule 8).
 * out: peat.validation.v1.SanitizeResult (the message in format `to`, and
 * the list of changes made). */
int32_t peat_sanitize(const char* type_name, int32_t from, int32_t to, const uint8_t* in, size_t in_len,
                      peat_buf* out);

/* ---- Merge of plain ICD messages (ICD §5) --------------------------------- */

/* Merges two messages of the same type and entity. Commutative, associative
 * and idempotent: merge(a,b) and merge(b,a) give identical bytes (sets in
 * canonical order, last-writer-wins by full timestamp with a deterministic
 * tie-break). Floats are kept bit for bit (-0.0, NaN payloads), as by
 * peat_convert: the winner is returned exactly as its bytes compared.
 * Supported types: cap.node.v1.NodeState/NodeConfig/Node,
 * cap.cell.v1.CellState/Cell, cap.zone.v1.ZoneState/Zone,
 * peat.directive.v1.DeploymentStatus and peat.directive.v1.StatusBoard;
 * another registered type is PEAT_E_UNSUPPORTED (code NOT_MERGEABLE).
 * Different entity ids give PEAT_E_MISMATCH (a NodeState carries no id, so
 * any two NodeStates merge). Semantics: docs/CRDT.md. Each input is held
 * to its type's limit (rule 8).
 * out: the merged message in format `to`. */
int32_t peat_merge(const char* type_name, int32_t from, int32_t to, const uint8_t* a, size_t a_len,
                   const uint8_t* b, size_t b_len, peat_buf* out);

/* Merges `count` (>= 1) messages of one type into one, as if by repeated
 * peat_merge. Limits, refused with PEAT_E_TOO_LARGE before any message is
 * decoded: at most 65,536 messages (code BATCH_TOO_LARGE) totalling at most
 * 64 MiB (BATCH_INPUT_TOO_LARGE); a merged message over 64 MiB is refused
 * (OUTPUT_TOO_LARGE). out: the merged message in format `to`. */
int32_t peat_merge_batch(const char* type_name, int32_t from, int32_t to, const uint8_t* const* msgs,
                         const size_t* lens, size_t count, peat_buf* out);

/* ---- Replicated documents (CRDTs with metadata; peat.crdt.v1) -------------
 * doc_type is "peat.crdt.v1.NodeDoc", "peat.crdt.v1.CellDoc" or
 * "peat.crdt.v1.ZoneDoc". Documents and deltas are binary protobuf. Each
 * input (document, delta, DocInit, Operation) is at most 64 MiB, refused
 * before decoding (PEAT_E_TOO_LARGE; rule 8). */

/* Creates a document. `init` is an optional serialized peat.crdt.v1.DocInit
 * (replica id, timestamp, id, and optionally an ICD message to start from);
 * NULL/0 gives an empty (zero-byte) document. A doc_type that is not a
 * document is PEAT_E_UNKNOWN_TYPE; an initial message of the wrong type is
 * PEAT_E_INVALID_ARGUMENT (code WRONG_INITIAL_TYPE). Create a document once
 * and share it. An initial message's fuel is one last-writer-wins base: two
 * replicas that each create the document from the same message converge to
 * that fuel (100 and 100 merge to 100, not 200); from different messages, the
 * later creation's base wins, and fuel consumed or replenished afterwards is
 * counted once per operation on top of it. out: the document. */
int32_t peat_doc_new(const char* doc_type, const uint8_t* init, size_t init_len, peat_buf* out);

/* Applies one local mutation (a serialized peat.crdt.v1.Operation, which names
 * the acting replica and its timestamp) to a document. The replica must act
 * from its latest copy of the document: a replica id that acts from an older
 * copy (a restart from a stale save) reuses dots, which the next merge
 * refuses (PEAT_E_MISMATCH, DOT_REUSED); after losing state, continue under a
 * fresh replica id. Refused mutations: PEAT_E_INVALID (CELL_FULL, ZONE_FULL:
 * a present config's max_size/max_cells is the limit, 0 included; without a
 * config there is none; INVALID_LEADER), PEAT_E_TOO_LARGE (DOC_TOO_LARGE: the
 * document would materialise above its ICD message's size limit, and larger
 * than before), PEAT_E_UNSUPPORTED (an operation of another document type:
 * OP_NOT_APPLICABLE), PEAT_E_INVALID_ARGUMENT (REPLICA_REQUIRED, NO_MUTATION,
 * EMPTY_ID), PEAT_E_MISMATCH (a config naming another id).
 * out: peat.crdt.v1.ApplyResult {the new document, the delta to ship}. */
int32_t peat_doc_apply(const char* doc_type, const uint8_t* doc, size_t doc_len, const uint8_t* op,
                       size_t op_len, peat_buf* out);

/* Merges document or delta `b` into document or delta `a` (same doc_type).
 * Commutative, associative, idempotent. Documents of different ids are
 * PEAT_E_MISMATCH. A dot (replica, counter) that names two different
 * members or cells is PEAT_E_MISMATCH (code DOT_REUSED, the message names
 * the replica and counter): a replica id acted from an older copy of the
 * document, or created two documents from different initial messages; a
 * replica id must never act from a stale document (recovery: continue under
 * a fresh replica id). out: the merged document. */
int32_t peat_doc_merge(const char* doc_type, const uint8_t* a, size_t a_len, const uint8_t* b, size_t b_len,
                       peat_buf* out);

/* Materialises a document to its plain ICD message (NodeDoc -> cap.node.v1.Node,
 * CellDoc -> cap.cell.v1.CellState, ZoneDoc -> cap.zone.v1.ZoneState) with sets
 * in canonical order, in format `to`; members/cells trimmed to a present
 * config's max_size/max_cells (0 included), no config when none arrived. A
 * message above its type's ICD size limit (a merge of two valid replicas can
 * cross it) is PEAT_E_TOO_LARGE (code MATERIALIZED_TOO_LARGE) instead.
 * out: the ICD message. */
int32_t peat_doc_materialize(const char* doc_type, int32_t to, const uint8_t* doc, size_t doc_len,
                             peat_buf* out);

/* ---- Replicas: documents held open between calls (a handle; rule 9; ABI 1.2)
 * A replica is a document kept decoded inside libpeat, so a sequence of
 * operations, merges and materialisations does not decode and re-encode the
 * whole document on every call (the peat_doc_* calls above, which stay, do).
 * Each call gives exactly the result of the matching peat_doc_* call on the
 * replica's bytes: peat_replica_encode() after any sequence of calls is
 * byte-identical to the document the stateless calls would have produced.
 * A call that fails leaves the replica unchanged. Handle rules, threads and
 * the 65,536-handle ceiling: rule 9 (a replica is one handle, whatever its
 * size). Inputs are at most 64 MiB (rule 8). */

/* Creates a replica of a new document: doc_type and init as peat_doc_new
 * (NULL/0 init: an empty document). On PEAT_OK *handle is the replica (out
 * empty); otherwise *handle is 0 and out holds the error. */
int32_t peat_replica_new(const char* doc_type, const uint8_t* init, size_t init_len, uint64_t* handle,
                         peat_buf* out);

/* Opens a replica from a serialized document or delta of doc_type (as the
 * peat_doc_* calls and peat_replica_encode produce; 0 bytes is the empty
 * document). Bytes that are not a document of the type: PEAT_E_DECODE.
 * *handle as peat_replica_new. */
int32_t peat_replica_open(const char* doc_type, const uint8_t* doc, size_t doc_len, uint64_t* handle,
                          peat_buf* out);

/* A new, independent replica holding the same document (constant time: the
 * two share the unchanged parts; later calls on either never affect the
 * other). *handle as peat_replica_new. */
int32_t peat_replica_clone(uint64_t replica, uint64_t* handle, peat_buf* out);

/* Applies one local mutation (a serialized peat.crdt.v1.Operation) to the
 * replica's document, as peat_doc_apply (same rules and errors).
 * out: the delta to ship to the other replicas (a document of the type). */
int32_t peat_replica_apply(uint64_t replica, const uint8_t* op, size_t op_len, peat_buf* out);

/* Merges a serialized document or delta of the replica's type into it, as
 * peat_doc_merge (same errors: PEAT_E_DECODE, PEAT_E_MISMATCH for another
 * entity or DOT_REUSED). out: empty on PEAT_OK. */
int32_t peat_replica_merge(uint64_t replica, const uint8_t* doc, size_t doc_len, peat_buf* out);

/* Merges the document of replica `other` (unchanged; may be `replica`
 * itself) into `replica`, without bytes. A replica of another document type
 * is PEAT_E_MISMATCH (code DOC_TYPE_MISMATCH); other errors as
 * peat_replica_merge. out: empty on PEAT_OK. */
int32_t peat_replica_merge_replica(uint64_t replica, uint64_t other, peat_buf* out);

/* The plain ICD message of the replica's document in format `to`, as
 * peat_doc_materialize (PEAT_E_TOO_LARGE, MATERIALIZED_TOO_LARGE above the
 * ICD size limit). out: the ICD message. */
int32_t peat_replica_materialize(uint64_t replica, int32_t to, peat_buf* out);

/* The replica's document, serialized (binary protobuf, deterministic; what
 * peat_replica_open and the peat_doc_* calls read). out: the document. */
int32_t peat_replica_encode(uint64_t replica, peat_buf* out);

/* Releases a replica. 0, freed and unknown handles are no-ops. */
void peat_replica_free(uint64_t replica);

/* ---- Deployment directives (peat.directive.v1) ---------------------------
 * Each request is at most 64 MiB, refused before decoding (PEAT_E_TOO_LARGE;
 * rule 8). */

/* Decides whether a node is targeted by a directive. in: serialized
 * peat.directive.v1.TargetRequest (directive, node config, optional node
 * state and resources). out: peat.directive.v1.TargetDecision (targeted, a
 * reason code and a sentence). PEAT_E_INVALID_ARGUMENT without a directive or
 * node config; PEAT_E_INVALID for a directive without a scope. Rules:
 * docs/DIRECTIVES.md. */
int32_t peat_directive_target(const uint8_t* in, size_t in_len, peat_buf* out);

/* Moves a deployment status through the status machine (pending ->
 * downloading -> activating -> active; pending/downloading/activating/active
 * -> failed; active/failed -> rolled_back; download progress never decreases
 * and is capped at 99, as in the seed; reported_at never goes backwards).
 * in: serialized peat.directive.v1.AdvanceRequest (current status, requested
 * transition).
 * out: the new peat.directive.v1.DeploymentStatus. A refused move is
 * PEAT_E_ILLEGAL_TRANSITION with a finer code (ILLEGAL_TRANSITION,
 * PROGRESS_DECREASED, REPORTED_AT_BACKWARDS, FIELD_NOT_ALLOWED, ...); a broken
 * request is PEAT_E_INVALID_ARGUMENT or PEAT_E_INVALID. */
int32_t peat_directive_advance(const uint8_t* in, size_t in_len, peat_buf* out);

/* Summarises a rollout. in: serialized peat.directive.v1.SummarizeRequest
 * (directive, targeted nodes, statuses, now — required: libpeat reads no
 * clock). out: peat.directive.v1.RolloutSummary (counts per state, timed-out
 * nodes, percentages, decision). SUCCEEDED means every targeted node is
 * active; rollback_threshold_percent (0..100, above is PEAT_E_INVALID) only
 * decides ROLLBACK_REQUIRED: fewer active nodes than it, even counting those
 * still working. Table: docs/DIRECTIVES.md. A status of another directive is
 * PEAT_E_MISMATCH. */
int32_t peat_directive_summarize(const uint8_t* in, size_t in_len, peat_buf* out);

/* ---- Directive security (peat.security.v1; docs/SECURITY.md, ABI 1.1) ------
 * Keys are PEM text as OpenSSL writes them: PKCS#8 private keys
 * (`openssl genpkey -algorithm ed25519`), SubjectPublicKeyInfo public keys
 * (`openssl pkey -pubout`). A key id is the lowercase hex SHA-256 of the
 * DER SubjectPublicKeyInfo. Key errors are PEAT_E_INVALID_ARGUMENT with a
 * code: KEY_NOT_PEM, KEY_WRONG_TYPE (RSA, EC, X25519...), KEY_NOT_PRIVATE (a
 * public key where a private one is needed), KEY_NOT_PUBLIC, KEY_ENCRYPTED,
 * KEY_MALFORMED; no error ever quotes private key material. Each request is
 * at most 64 MiB (rule 8). */

/* Generates an Ed25519 key pair from the system's randomness.
 * out: peat.security.v1.KeyPair (private PKCS#8 PEM, public SPKI PEM, key
 * id). The private key is in `out`: free it promptly (peat_buf_free does not
 * zero memory; overwrite it first if that matters to you). */
int32_t peat_key_generate(peat_buf* out);

/* Reads a private or public key PEM (at most 16 KiB). out:
 * peat.security.v1.KeyInfo (key id, public key PEM, whether it was private). */
int32_t peat_key_inspect(const uint8_t* pem, size_t pem_len, peat_buf* out);

/* Signs a directive. in: serialized peat.security.v1.SignRequest (a
 * DeploymentDirective, encoded deterministically by libpeat, or an existing
 * SignedDirective to add a signature to; and a private key PEM). out: the
 * serialized peat.security.v1.SignedDirective. A key that already signed
 * the envelope is PEAT_E_INVALID_ARGUMENT (DUPLICATE_SIGNER); an envelope
 * that is not one is PEAT_E_DECODE (MALFORMED_ENVELOPE). The directive is
 * not validated: validate it first. */
int32_t peat_directive_sign(const uint8_t* in, size_t in_len, peat_buf* out);

/* Verifies a signed directive. in: serialized peat.security.v1.VerifyRequest
 * (envelope bytes, trust set, now — required: libpeat reads no clock —,
 * optional max age and future skew). Returns PEAT_OK whenever the trust set
 * and now are usable, verified or not; out: peat.security.v1.VerifyResult
 * (verified, a code — VERIFIED, MALFORMED_ENVELOPE, UNSUPPORTED_VERSION,
 * NO_SIGNATURES, UNKNOWN_KEY, MALFORMED_SIGNATURE, BAD_SIGNATURE,
 * KEY_NOT_YET_VALID, KEY_EXPIRED, THRESHOLD_NOT_MET, MALFORMED_DIRECTIVE,
 * DIRECTIVE_TOO_OLD, ISSUED_IN_FUTURE —, the key ids that verified, one
 * check per signature, and the directive when verified). A bad trust set
 * is PEAT_E_INVALID_ARGUMENT: EMPTY_TRUST_SET, DUPLICATE_KEY_ID,
 * THRESHOLD_UNREACHABLE, KEY_ID_MISMATCH, INVALID_KEY_WINDOW, a key code;
 * no now: NOW_REQUIRED. */
int32_t peat_directive_verify(const uint8_t* in, size_t in_len, peat_buf* out);

/* Targets a node from a signed directive: verifies it as
 * peat_directive_verify does and, only if verified, decides as
 * peat_directive_target does. in: serialized
 * peat.security.v1.SignedTargetRequest. out:
 * peat.security.v1.SignedTargetDecision (decision, directive, verified key
 * ids). An envelope that does not verify is PEAT_E_NOT_VERIFIED with the
 * verification's code (UNKNOWN_KEY, BAD_SIGNATURE, ...). */
int32_t peat_directive_target_signed(const uint8_t* in, size_t in_len, peat_buf* out);

/* ---- Artifact verification (a handle; rule 9) -----------------------------
 * Checks, chunk by chunk and in constant memory, that downloaded bytes are
 * a directive's artifact: exactly size_bytes bytes whose digest is
 * blob_hash ("sha256:" or "blake3:" + 64 hex digits) and, if set, whose
 * SHA-256 is the artifact's sha256. */

/* Starts a verification. artifact: serialized peat.directive.v1.ArtifactSpec
 * (e.g. the directive's `artifact` field). On PEAT_OK *handle is the new
 * handle (and out an empty buffer); otherwise *handle is 0. A size of 0 is
 * PEAT_E_INVALID_ARGUMENT (INVALID_NUMBER), a malformed hash INVALID_HASH. */
int32_t peat_artifact_new(const uint8_t* artifact, size_t artifact_len, uint64_t* handle, peat_buf* out);

/* Feeds the next chunk (any size up to 1 GiB; 0 bytes is fine). Bytes past
 * size_bytes are refused at once: PEAT_E_NOT_VERIFIED (ARTIFACT_EXCESS),
 * and the verification stays failed. After a failure or a finish:
 * PEAT_E_INVALID_ARGUMENT (ARTIFACT_FINISHED). out: empty on PEAT_OK. */
int32_t peat_artifact_update(uint64_t handle, const uint8_t* chunk, size_t chunk_len, peat_buf* out);

/* Ends the verification. PEAT_OK when the bytes are the artifact; out:
 * peat.security.v1.ArtifactResult (digest, size, algorithm). Otherwise
 * PEAT_E_NOT_VERIFIED with ARTIFACT_TRUNCATED (fewer bytes),
 * ARTIFACT_EXCESS, ARTIFACT_DIGEST_MISMATCH or ARTIFACT_SHA256_MISMATCH.
 * Calling it again returns the same outcome. The handle stays live. */
int32_t peat_artifact_finish(uint64_t handle, peat_buf* out);

/* Releases a verification handle. 0, freed and unknown handles are no-ops. */
void peat_artifact_free(uint64_t handle);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PEAT_H */
