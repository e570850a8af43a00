// peat.hpp — header-only C++17 binding of libpeat (include/peat.h).
//
// * Every library buffer is owned by a move-only peat::Buffer and released
//   exactly once by its destructor.
// * Every operation returns peat::Result<T>: a value or a peat::Error
//   (status, stable code, message, field path). No exceptions are needed:
//   the header compiles with -fno-exceptions -fno-rtti. When exceptions are
//   enabled, Result::value() and peat::unwrap() throw peat::Exception.
// * Byte-level calls take peat::Bytes (pointer + size, std::string_view,
//   std::string, std::vector<uint8_t>, peat::Buffer). Type names are
//   NUL-terminated (const char* or std::string), as the C ABI needs.
// * Message-level templates accept any protobuf-generated class through its
//   own SerializeToString / ParseFromArray / GetTypeName, so the application
//   keeps its protobuf version; this header never includes protobuf.
// * Directive security (ABI 1.1, docs/SECURITY.md): keys, signed directives,
//   and peat::ArtifactVerifier, a move-only owner of a libpeat handle.
// * Replicas (ABI 1.2): peat::Replica, a move-only owner of a document held
//   open inside libpeat between calls (the same bytes as the doc_* calls).
//
// Thread safety and process rules are those of peat.h: every call may run on
// any number of threads at once (a handle object — ArtifactVerifier, Replica
// — from one thread at a time); load libpeat once, never dlclose() it, do
// not fork() without exec().
#ifndef PEAT_PEAT_HPP
#define PEAT_PEAT_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define PEAT_HPP_EXCEPTIONS 1
#include <stdexcept>
#else
#define PEAT_HPP_EXCEPTIONS 0
#endif

#include "peat.h"

namespace peat {

// Status mirrors the PEAT_* status codes of peat.h. A library of a newer
// minor ABI may return values not listed here: treat any non-Ok as an error.
enum class Status : int32_t {
  Ok = PEAT_OK,
  InvalidArgument = PEAT_E_INVALID_ARGUMENT,
  UnknownType = PEAT_E_UNKNOWN_TYPE,
  Decode = PEAT_E_DECODE,
  Encode = PEAT_E_ENCODE,
  TooLarge = PEAT_E_TOO_LARGE,
  Decompress = PEAT_E_DECOMPRESS,
  Mismatch = PEAT_E_MISMATCH,
  IllegalTransition = PEAT_E_ILLEGAL_TRANSITION,
  Unsupported = PEAT_E_UNSUPPORTED,
  Invalid = PEAT_E_INVALID,
  NotVerified = PEAT_E_NOT_VERIFIED,  // ABI 1.1: a signature or an artifact did not verify
  Internal = PEAT_E_INTERNAL,
};

// Format of a message's bytes (PEAT_FORMAT_*).
enum class Format : int32_t {
  Binary = PEAT_FORMAT_BINARY,
  Json = PEAT_FORMAT_JSON,
  RustJson = PEAT_FORMAT_RUST_JSON,
};

// The strict form of a format a call reads (ABI 1.1, PEAT_FORMAT_FLAG_STRICT):
// a JSON key that names no field is refused (Status::Decode, code
// UNKNOWN_FIELD, with the key's path) instead of ignored. No effect on binary
// input; libpeat ignores it on output formats. Example:
//   peat::convert(type, peat::strict(peat::Format::Json), peat::Format::Binary, json)
constexpr Format strict(Format f) noexcept {
  return static_cast<Format>(static_cast<int32_t>(f) | PEAT_FORMAT_FLAG_STRICT);
}
// Whether f carries the strict flag.
constexpr bool is_strict(Format f) noexcept { return (static_cast<int32_t>(f) & PEAT_FORMAT_FLAG_STRICT) != 0; }

// ---- library information ---------------------------------------------------

inline uint32_t abi_version() noexcept { return peat_abi_version(); }
inline const char* version() noexcept { return peat_version(); }
inline const char* status_name(int32_t s) noexcept { return peat_status_name(s); }
inline const char* status_name(Status s) noexcept { return peat_status_name(static_cast<int32_t>(s)); }

// True when the loaded library implements the ABI this header was written
// for: same major, minor >= PEAT_ABI_MINOR. Check it once at start-up.
inline bool abi_compatible() noexcept {
  const uint32_t v = peat_abi_version();
  // minor >= PEAT_ABI_MINOR, written so that -Wtype-limits stays quiet while
  // PEAT_ABI_MINOR is 0.
  return (v >> 16) == PEAT_ABI_MAJOR && (v & 0xffffu) + 1u > PEAT_ABI_MINOR;
}

// ---- Bytes: a borrowed input ---------------------------------------------------

class Buffer;

// Bytes is a non-owning view of input bytes. It must outlive the call it is
// passed to (libpeat reads inputs during the call only).
class Bytes {
 public:
  constexpr Bytes() noexcept = default;
  Bytes(const void* data, size_t size) noexcept : data_(static_cast<const uint8_t*>(data)), size_(size) {}
  Bytes(std::string_view s) noexcept : data_(reinterpret_cast<const uint8_t*>(s.data())), size_(s.size()) {}
  Bytes(const std::string& s) noexcept : Bytes(std::string_view(s)) {}
  Bytes(const char* s) noexcept : Bytes(s != nullptr ? std::string_view(s) : std::string_view()) {}
  Bytes(const std::vector<uint8_t>& v) noexcept : data_(v.data()), size_(v.size()) {}
  inline Bytes(const Buffer& b) noexcept;

  const uint8_t* data() const noexcept { return data_; }
  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::string_view view() const noexcept { return {reinterpret_cast<const char*>(data_), size_}; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// TypeName is a borrowed NUL-terminated type name ("cap.node.v1.NodeConfig").
// Deliberately not constructible from std::string_view, which may lack the NUL.
// A std::string holding a NUL byte cannot be passed to C intact (libpeat would
// read only the part before it, possibly another valid type): every call
// refuses it with PEAT_E_INVALID_ARGUMENT before calling libpeat.
class TypeName {
 public:
  constexpr TypeName(const char* s) noexcept : s_(s) {}
  TypeName(const std::string& s) noexcept : s_(s.c_str()), nul_at_(s.find('\0')) {}
  constexpr const char* c_str() const noexcept { return s_; }
  // True when the name came from a std::string with a NUL byte inside.
  constexpr bool has_embedded_nul() const noexcept { return nul_at_ != std::string::npos; }
  constexpr size_t embedded_nul_at() const noexcept { return nul_at_; }

 private:
  const char* s_;
  size_t nul_at_ = std::string::npos;
};

// ---- Buffer: an owned output ---------------------------------------------------

// Buffer owns one peat_buf returned by libpeat and frees it with
// peat_buf_free() exactly once. Move-only.
class Buffer {
 public:
  Buffer() noexcept = default;
  ~Buffer() { free(); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& o) noexcept : buf_(o.buf_) { o.buf_ = peat_buf{nullptr, 0}; }
  Buffer& operator=(Buffer&& o) noexcept {
    if (this != &o) {
      free();
      buf_ = o.buf_;
      o.buf_ = peat_buf{nullptr, 0};
    }
    return *this;
  }

  const uint8_t* data() const noexcept { return buf_.data; }
  size_t size() const noexcept { return buf_.len; }
  bool empty() const noexcept { return buf_.len == 0; }
  const uint8_t* begin() const noexcept { return buf_.data; }
  const uint8_t* end() const noexcept { return buf_.data + buf_.len; }
  std::string_view view() const noexcept { return {reinterpret_cast<const char*>(buf_.data), buf_.len}; }
  std::string str() const { return std::string(view()); }

  // The struct to pass as `out` to a C call. Frees what the buffer held
  // first, because libpeat overwrites *out without freeing it.
  peat_buf* reset() noexcept {
    free();
    return &buf_;
  }
  // Gives up ownership; the caller must peat_buf_free() the result.
  peat_buf release() noexcept {
    peat_buf b = buf_;
    buf_ = peat_buf{nullptr, 0};
    return b;
  }

 private:
  // peat_buf_free is a call into the Go runtime (tens of ns): skip it for
  // the empty and moved-from buffers, for which it would do nothing.
  void free() noexcept {
    if (buf_.data != nullptr) peat_buf_free(&buf_);
    buf_ = peat_buf{nullptr, 0};
  }

  peat_buf buf_{nullptr, 0};
};

inline Bytes::Bytes(const Buffer& b) noexcept : data_(b.data()), size_(b.size()) {}

// ---- Error -------------------------------------------------------------------

namespace detail {

// A minimal protobuf wire reader: just enough to decode peat.api.v1.Error
// and peat.api.v1.TypeList without a protobuf runtime.
class WireReader {
 public:
  WireReader(const uint8_t* p, size_t n) noexcept : p_(p), end_(p + n) {}
  bool done() const noexcept { return p_ >= end_; }
  bool varint(uint64_t* v) noexcept {
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) return false;
      const uint8_t b = *p_++;
      r |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *v = r;
        return true;
      }
    }
    return false;
  }
  bool bytes(std::string_view* s) noexcept {
    uint64_t n;
    if (!varint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *s = std::string_view(reinterpret_cast<const char*>(p_), static_cast<size_t>(n));
    p_ += n;
    return true;
  }
  bool skip(uint32_t wire_type) noexcept {
    uint64_t v;
    std::string_view s;
    switch (wire_type) {
      case 0: return varint(&v);
      case 1: return advance(8);
      case 2: return bytes(&s);
      case 5: return advance(4);
      default: return false;  // groups are not used by any peat message
    }
  }

 private:
  bool advance(size_t n) noexcept {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }
  const uint8_t* p_;
  const uint8_t* end_;
};

}  // namespace detail

// Error is a failed call: the status it returned and the peat.api.v1.Error
// libpeat wrote (stable code, human message, field path).
class Error {
 public:
  Error() = default;
  Error(int32_t status, std::string code, std::string message, std::string field_path)
      : status_(status), code_(std::move(code)), message_(std::move(message)), field_path_(std::move(field_path)) {}

  // Decodes the serialized peat.api.v1.Error in `bytes`. If they are empty
  // or unreadable, the code is the status name and the message says so.
  static Error decode(int32_t status, Bytes bytes) {
    Error e;
    e.status_ = status;
    bool ok = !bytes.empty();
    detail::WireReader r(bytes.data(), bytes.size());
    while (ok && !r.done()) {
      uint64_t key, v;
      std::string_view s;
      ok = r.varint(&key);
      if (!ok) break;
      const uint32_t field = static_cast<uint32_t>(key >> 3), wt = static_cast<uint32_t>(key & 7);
      if (field == 1 && wt == 0) {
        ok = r.varint(&v);  // the status the library put in; the returned one wins
      } else if (field >= 2 && field <= 4 && wt == 2) {
        ok = r.bytes(&s);
        if (ok) (field == 2 ? e.code_ : field == 3 ? e.message_ : e.field_path_).assign(s);
      } else {
        ok = r.skip(wt);
      }
    }
    if (e.code_.empty()) e.code_ = peat_status_name(status);
    if (!ok && e.message_.empty()) e.message_ = bytes.empty() ? "no error details" : "unreadable error details";
    return e;
  }

  // The status the call returned. raw_status() keeps values this header
  // does not name.
  Status status() const noexcept { return static_cast<Status>(status_); }
  int32_t raw_status() const noexcept { return status_; }
  const char* status_name() const noexcept { return peat_status_name(status_); }
  // Stable upper-case code, e.g. "DECODE_ERROR", "CELL_FULL".
  const std::string& code() const noexcept { return code_; }
  // Human-readable; not stable, do not parse.
  const std::string& message() const noexcept { return message_; }
  // Offending field ("capabilities[2].confidence"), or empty.
  const std::string& field_path() const noexcept { return field_path_; }

  // "CODE: message (at field_path)".
  std::string to_string() const {
    std::string s = code_;
    if (!message_.empty()) s += ": " + message_;
    if (!field_path_.empty()) s += " (at " + field_path_ + ")";
    return s;
  }

 private:
  int32_t status_ = PEAT_OK;
  std::string code_;
  std::string message_;
  std::string field_path_;
};

#if PEAT_HPP_EXCEPTIONS
// Exception is thrown by the throwing conveniences (Result::value(),
// peat::unwrap) when exceptions are enabled.
class Exception : public std::runtime_error {
 public:
  explicit Exception(Error e) : std::runtime_error(e.to_string()), error_(std::move(e)) {}
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

// NotVerified is the Exception thrown for Status::NotVerified: a signed
// directive that did not verify (target_signed) or bytes that are not the
// artifact (ArtifactVerifier). error().code() says why, e.g. "UNKNOWN_KEY",
// "BAD_SIGNATURE", "ARTIFACT_TRUNCATED", "ARTIFACT_DIGEST_MISMATCH".
class NotVerified : public Exception {
 public:
  explicit NotVerified(Error e) : Exception(std::move(e)) {}
};
#endif

namespace detail {
[[noreturn]] inline void fail(const Error& e) {
#if PEAT_HPP_EXCEPTIONS
  if (e.raw_status() == PEAT_E_NOT_VERIFIED) throw NotVerified(e);
  throw Exception(e);
#else
  std::fprintf(stderr, "peat: value() of a failed Result: %s\n", e.to_string().c_str());
  std::abort();
#endif
}
}  // namespace detail

// ---- Result ----------------------------------------------------------------

// Result<T> holds either a T (ok()) or an Error. Check ok() before value():
// value() of a failed result throws peat::Exception when exceptions are
// enabled (peat::NotVerified for Status::NotVerified) and aborts otherwise.
template <class T>
class Result {
 public:
  Result(T value) : ok_(true) { new (&value_) T(std::move(value)); }
  Result(Error error) : ok_(false), error_(std::move(error)) {}
  Result(const Result& o) : ok_(o.ok_), error_(o.error_) {
    if (ok_) new (&value_) T(o.value_);
  }
  Result(Result&& o) noexcept(std::is_nothrow_move_constructible<T>::value) : ok_(o.ok_), error_(std::move(o.error_)) {
    if (ok_) new (&value_) T(std::move(o.value_));
  }
  Result& operator=(Result o) noexcept(std::is_nothrow_move_constructible<T>::value) {
    destroy();
    ok_ = o.ok_;
    error_ = std::move(o.error_);
    if (ok_) new (&value_) T(std::move(o.value_));
    return *this;
  }
  ~Result() { destroy(); }

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }

  // The error; a default Error (status Ok) when ok().
  const Error& error() const noexcept { return error_; }
  Status status() const noexcept { return ok_ ? Status::Ok : error_.status(); }

  T& value() & {
    if (!ok_) detail::fail(error_);
    return value_;
  }
  const T& value() const& {
    if (!ok_) detail::fail(error_);
    return value_;
  }
  // On a temporary Result the value is moved out and returned by value, so
  // `auto&& v = call().value();` never refers into a destroyed Result.
  // (A reference into the value itself — `call().value().field()` in a
  // range-for — still ends with the full expression, as in all C++ before
  // C++23: keep the Result or the value in a variable first.)
  T value() && {
    if (!ok_) detail::fail(error_);
    return std::move(value_);
  }
  // Unchecked access: only after ok() returned true.
  T& operator*() & noexcept { return value_; }
  const T& operator*() const& noexcept { return value_; }
  T* operator->() noexcept { return &value_; }
  const T* operator->() const noexcept { return &value_; }

 private:
  void destroy() noexcept {
    if (ok_) value_.~T();
    ok_ = false;
  }
  bool ok_;
  union {
    T value_;
  };
  Error error_;
};

#if PEAT_HPP_EXCEPTIONS
// The value of r, or throws peat::Exception (peat::NotVerified for
// Status::NotVerified) with its error.
template <class T>
T unwrap(Result<T>&& r) {
  return std::move(r).value();
}
#endif

namespace detail {
// Turns a status and the filled buffer into a Result.
inline Result<Buffer> finish(int32_t status, Buffer&& out) {
  if (status == PEAT_OK) return Result<Buffer>(std::move(out));
  return Result<Buffer>(Error::decode(status, out));
}
inline int32_t fmt(Format f) noexcept { return static_cast<int32_t>(f); }

// The error for a type name that C would read differently (see TypeName).
inline Error nul_in_name(TypeName t) {
  return Error(PEAT_E_INVALID_ARGUMENT, "INVALID_ARGUMENT",
               "type name has a NUL byte at offset " + std::to_string(t.embedded_nul_at()) +
                   ": libpeat would read only the part before it",
               "");
}

// Pointer/length arrays for the batch calls.
struct Batch {
  explicit Batch(const std::vector<Bytes>& msgs) {
    ptrs.reserve(msgs.size());
    lens.reserve(msgs.size());
    for (const Bytes& m : msgs) {
      ptrs.push_back(m.data());
      lens.push_back(m.size());
    }
  }
  std::vector<const uint8_t*> ptrs;
  std::vector<size_t> lens;
};
}  // namespace detail

// ---- byte-level calls: one C call each ------------------------------------------
// Outputs are those documented in peat.h for the same-named C function.

// Every registered message type: a serialized peat.api.v1.TypeList.
inline Result<Buffer> types() {
  Buffer out;
  const int32_t st = peat_types(out.reset());
  return detail::finish(st, std::move(out));
}

// Every registered message type name, sorted (decodes peat.api.v1.TypeList).
inline Result<std::vector<std::string>> type_names() {
  Result<Buffer> r = types();
  if (!r.ok()) return r.error();
  std::vector<std::string> names;
  detail::WireReader w(r->data(), r->size());
  while (!w.done()) {
    uint64_t key;
    std::string_view s;
    if (!w.varint(&key)) return Error(PEAT_E_DECODE, "DECODE_ERROR", "unreadable TypeList", "");
    if (key == ((1u << 3) | 2u)) {
      if (!w.bytes(&s)) return Error(PEAT_E_DECODE, "DECODE_ERROR", "unreadable TypeList", "");
      names.emplace_back(s);
    } else if (!w.skip(static_cast<uint32_t>(key & 7))) {
      return Error(PEAT_E_DECODE, "DECODE_ERROR", "unreadable TypeList", "");
    }
  }
  return names;
}

inline Result<Buffer> convert(TypeName type, Format from, Format to, Bytes in) {
  if (type.has_embedded_nul()) return detail::nul_in_name(type);
  Buffer out;
  const int32_t st = peat_convert(type.c_str(), detail::fmt(from), detail::fmt(to), in.data(), in.size(), out.reset());
  return detail::finish(st, std::move(out));
}

inline Result<Buffer> compress(Bytes in) {
  Buffer out;
  const int32_t st = peat_compress(in.data(), in.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// max_out = 0 selects the library default (64 MiB).
inline Result<Buffer> decompress(Bytes in, uint64_t max_out = 0) {
  Buffer out;
  const int32_t st = peat_decompress(in.data(), in.size(), max_out, out.reset());
  return detail::finish(st, std::move(out));
}

// out: peat.validation.v1.ValidationReport. options: a serialized
// peat.validation.v1.ValidateOptions, or empty for defaults.
inline Result<Buffer> validate(TypeName type, Format format, Bytes in, Bytes options = {}) {
  if (type.has_embedded_nul()) return detail::nul_in_name(type);
  Buffer out;
  const int32_t st = peat_validate(type.c_str(), detail::fmt(format), in.data(), in.size(), options.data(),
                                   options.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// out: peat.validation.v1.BatchValidationReport. The raw form avoids any
// allocation: msgs[i]/lens[i] is message i.
inline Result<Buffer> validate_batch(TypeName type, Format format, const uint8_t* const* msgs, const size_t* lens,
                                     size_t count, Bytes options = {}) {
  if (type.has_embedded_nul()) return detail::nul_in_name(type);
  Buffer out;
  const int32_t st = peat_validate_batch(type.c_str(), detail::fmt(format), msgs, lens, count, options.data(),
                                         options.size(), out.reset());
  return detail::finish(st, std::move(out));
}
inline Result<Buffer> validate_batch(TypeName type, Format format, const std::vector<Bytes>& msgs,
                                     Bytes options = {}) {
  detail::Batch b(msgs);
  return validate_batch(type, format, b.ptrs.data(), b.lens.data(), msgs.size(), options);
}

// out: peat.validation.v1.SanitizeResult.
inline Result<Buffer> sanitize(TypeName type, Format from, Format to, Bytes in) {
  if (type.has_embedded_nul()) return detail::nul_in_name(type);
  Buffer out;
  const int32_t st = peat_sanitize(type.c_str(), detail::fmt(from), detail::fmt(to), in.data(), in.size(), out.reset());
  return detail::finish(st, std::move(out));
}

inline Result<Buffer> merge(TypeName type, Format from, Format to, Bytes a, Bytes b) {
  if (type.has_embedded_nul()) return detail::nul_in_name(type);
  Buffer out;
  const int32_t st =
      peat_merge(type.c_str(), detail::fmt(from), detail::fmt(to), a.data(), a.size(), b.data(), b.size(), out.reset());
  return detail::finish(st, std::move(out));
}

inline Result<Buffer> merge_batch(TypeName type, Format from, Format to, const uint8_t* const* msgs,
                                  const size_t* lens, size_t count) {
  if (type.has_embedded_nul()) return detail::nul_in_name(type);
  Buffer out;
  const int32_t st = peat_merge_batch(type.c_str(), detail::fmt(from), detail::fmt(to), msgs, lens, count, out.reset());
  return detail::finish(st, std::move(out));
}
inline Result<Buffer> merge_batch(TypeName type, Format from, Format to, const std::vector<Bytes>& msgs) {
  detail::Batch b(msgs);
  return merge_batch(type, from, to, b.ptrs.data(), b.lens.data(), msgs.size());
}

// Replicated documents: doc_type is "peat.crdt.v1.NodeDoc", "...CellDoc" or
// "...ZoneDoc"; documents, deltas, DocInit and Operation are binary protobuf.
inline Result<Buffer> doc_new(TypeName doc_type, Bytes init = {}) {
  if (doc_type.has_embedded_nul()) return detail::nul_in_name(doc_type);
  Buffer out;
  const int32_t st = peat_doc_new(doc_type.c_str(), init.data(), init.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// out: peat.crdt.v1.ApplyResult {new document, delta}.
inline Result<Buffer> doc_apply(TypeName doc_type, Bytes doc, Bytes op) {
  if (doc_type.has_embedded_nul()) return detail::nul_in_name(doc_type);
  Buffer out;
  const int32_t st = peat_doc_apply(doc_type.c_str(), doc.data(), doc.size(), op.data(), op.size(), out.reset());
  return detail::finish(st, std::move(out));
}

inline Result<Buffer> doc_merge(TypeName doc_type, Bytes a, Bytes b) {
  if (doc_type.has_embedded_nul()) return detail::nul_in_name(doc_type);
  Buffer out;
  const int32_t st = peat_doc_merge(doc_type.c_str(), a.data(), a.size(), b.data(), b.size(), out.reset());
  return detail::finish(st, std::move(out));
}

inline Result<Buffer> doc_materialize(TypeName doc_type, Format to, Bytes doc) {
  if (doc_type.has_embedded_nul()) return detail::nul_in_name(doc_type);
  Buffer out;
  const int32_t st = peat_doc_materialize(doc_type.c_str(), detail::fmt(to), doc.data(), doc.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// in: peat.directive.v1.TargetRequest; out: TargetDecision.
inline Result<Buffer> directive_target(Bytes in) {
  Buffer out;
  const int32_t st = peat_directive_target(in.data(), in.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// in: peat.directive.v1.AdvanceRequest; out: DeploymentStatus.
inline Result<Buffer> directive_advance(Bytes in) {
  Buffer out;
  const int32_t st = peat_directive_advance(in.data(), in.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// in: peat.directive.v1.SummarizeRequest; out: RolloutSummary.
inline Result<Buffer> directive_summarize(Bytes in) {
  Buffer out;
  const int32_t st = peat_directive_summarize(in.data(), in.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// ---- directive security (ABI 1.1; docs/SECURITY.md) ------------------------------
// Keys are PEM text exactly as OpenSSL writes them: PKCS#8 private keys
// (`openssl genpkey -algorithm ed25519`), SubjectPublicKeyInfo public keys
// (`openssl pkey -pubout`). A key id is the lowercase hex SHA-256 of the DER
// SubjectPublicKeyInfo. Key errors are Status::InvalidArgument with a code
// (KEY_NOT_PEM, KEY_WRONG_TYPE, KEY_NOT_PRIVATE, KEY_NOT_PUBLIC,
// KEY_ENCRYPTED, KEY_MALFORMED); no error quotes private key material.

// out: peat.security.v1.KeyPair (private PKCS#8 PEM, public SPKI PEM, key
// id). The Buffer holds the private key: destroy it promptly (it is freed,
// not zeroed).
inline Result<Buffer> key_generate() {
  Buffer out;
  const int32_t st = peat_key_generate(out.reset());
  return detail::finish(st, std::move(out));
}

// pem: a private or public key PEM (at most 16 KiB). out:
// peat.security.v1.KeyInfo (key id, public key PEM, whether it was private).
inline Result<Buffer> key_inspect(Bytes pem) {
  Buffer out;
  const int32_t st = peat_key_inspect(pem.data(), pem.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// in: peat.security.v1.SignRequest (a directive, or an envelope to add a
// signature to, and a private key PEM); out: SignedDirective. The directive
// is not validated: validate it first.
inline Result<Buffer> directive_sign(Bytes in) {
  Buffer out;
  const int32_t st = peat_directive_sign(in.data(), in.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// in: peat.security.v1.VerifyRequest (envelope, trust set, now); out:
// VerifyResult. Ok whenever the trust set and now are usable, verified or
// not: read VerifyResult.verified and .code.
inline Result<Buffer> directive_verify(Bytes in) {
  Buffer out;
  const int32_t st = peat_directive_verify(in.data(), in.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// in: peat.security.v1.SignedTargetRequest; out: SignedTargetDecision. An
// envelope that does not verify is Status::NotVerified with the
// verification's code (UNKNOWN_KEY, BAD_SIGNATURE, ...).
inline Result<Buffer> directive_target_signed(Bytes in) {
  Buffer out;
  const int32_t st = peat_directive_target_signed(in.data(), in.size(), out.reset());
  return detail::finish(st, std::move(out));
}

// ArtifactVerifier checks, chunk by chunk and in constant memory, that
// downloaded bytes are a directive's artifact: exactly size_bytes bytes whose
// digest is blob_hash ("sha256:" or "blake3:") and, if set, whose SHA-256 is
// the artifact's sha256. Make one with peat::artifact_new (bytes) or
// peat::artifact_verifier (a generated ArtifactSpec).
//
// It owns one libpeat handle (peat.h rule 9) and frees it with
// peat_artifact_free() exactly once: in close() or the destructor. Move-only.
// A closed or moved-from verifier holds no handle; update() and finish() on
// it fail with Status::InvalidArgument, code INVALID_HANDLE (libpeat's code
// for a freed handle), and close() does nothing. Use a verifier from one
// thread at a time (its chunks are ordered); different verifiers run in
// parallel.
class ArtifactVerifier {
 public:
  // Holds no handle.
  ArtifactVerifier() noexcept = default;
  // Adopts a handle returned by peat_artifact_new (0: none).
  explicit ArtifactVerifier(uint64_t handle) noexcept : handle_(handle) {}
  ~ArtifactVerifier() { close(); }
  ArtifactVerifier(const ArtifactVerifier&) = delete;
  ArtifactVerifier& operator=(const ArtifactVerifier&) = delete;
  ArtifactVerifier(ArtifactVerifier&& o) noexcept : handle_(o.handle_), accepted_(o.accepted_) {
    o.handle_ = 0;
    o.accepted_ = 0;
  }
  ArtifactVerifier& operator=(ArtifactVerifier&& o) noexcept {
    if (this != &o) {
      close();
      handle_ = o.handle_;
      accepted_ = o.accepted_;
      o.handle_ = 0;
      o.accepted_ = 0;
    }
    return *this;
  }

  // Feeds the next chunk (any size up to 1 GiB; empty is fine). Returns the
  // number of bytes accepted so far. Bytes past size_bytes are refused at
  // once: Status::NotVerified, code ARTIFACT_EXCESS, and the verification
  // stays failed. After a failure or finish(): InvalidArgument,
  // ARTIFACT_FINISHED.
  Result<uint64_t> update(Bytes chunk) {
    if (handle_ == 0) return closed();
    Buffer out;
    const int32_t st = peat_artifact_update(handle_, chunk.data(), chunk.size(), out.reset());
    if (st != PEAT_OK) return Error::decode(st, out);
    accepted_ += chunk.size();
    return accepted_;
  }

  // Ends the verification. Ok when the bytes are the artifact; out:
  // peat.security.v1.ArtifactResult (digest, size, algorithm), e.g.
  // peat::parse<ArtifactResult>(v.finish()). Otherwise Status::NotVerified
  // with ARTIFACT_TRUNCATED, ARTIFACT_EXCESS, ARTIFACT_DIGEST_MISMATCH or
  // ARTIFACT_SHA256_MISMATCH. Calling it again gives the same outcome; the
  // handle stays open until close() or destruction.
  Result<Buffer> finish() {
    if (handle_ == 0) return closed();
    Buffer out;
    const int32_t st = peat_artifact_finish(handle_, out.reset());
    return detail::finish(st, std::move(out));
  }

  // Frees the handle now. Idempotent; the destructor does the same.
  void close() noexcept {
    if (handle_ != 0) peat_artifact_free(handle_);
    handle_ = 0;
  }

  // True while the verifier holds a handle (not closed, not moved from).
  bool is_open() const noexcept { return handle_ != 0; }
  explicit operator bool() const noexcept { return handle_ != 0; }
  // The libpeat handle (0 when closed), e.g. for a C call of your own.
  uint64_t handle() const noexcept { return handle_; }
  // Bytes accepted by update() so far.
  uint64_t bytes_accepted() const noexcept { return accepted_; }
  // Gives up ownership; the caller must peat_artifact_free() the result.
  uint64_t release() noexcept {
    const uint64_t h = handle_;
    handle_ = 0;
    return h;
  }

 private:
  static Error closed() {
    return Error(PEAT_E_INVALID_ARGUMENT, "INVALID_HANDLE", "the ArtifactVerifier is closed or was moved from", "");
  }

  uint64_t handle_ = 0;
  uint64_t accepted_ = 0;
};

// Starts an artifact verification. spec: serialized
// peat.directive.v1.ArtifactSpec (e.g. the directive's `artifact` field). A
// size of 0 is InvalidArgument (INVALID_NUMBER), a malformed hash
// INVALID_HASH.
inline Result<ArtifactVerifier> artifact_new(Bytes spec) {
  Buffer out;
  uint64_t handle = 0;
  const int32_t st = peat_artifact_new(spec.data(), spec.size(), &handle, out.reset());
  if (st != PEAT_OK) {
    peat_artifact_free(handle);  // 0 on failure (a no-op); never leak one
    return Error::decode(st, out);
  }
  return ArtifactVerifier(handle);
}

// ---- message-level templates ------------------------------------------------------
// Any protobuf-generated class works (full or lite runtime): the templates
// only use SerializeToString, ParseFromArray and GetTypeName. Messages cross
// the ABI in binary form.

// Serializes m (binary). An unserializable message (a missing proto2
// required field) gives PEAT_E_ENCODE.
template <class M>
Result<std::string> to_bytes(const M& m) {
  std::string s;
  if (!m.SerializeToString(&s)) return Error(PEAT_E_ENCODE, "ENCODE_ERROR", "SerializeToString failed", "");
  return s;
}

// Parses binary bytes into an M.
template <class M>
Result<M> from_bytes(Bytes bytes) {
  M m;
  if (bytes.size() > static_cast<size_t>(INT32_MAX) || !m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return Error(PEAT_E_DECODE, "DECODE_ERROR", "ParseFromArray failed", "");
  return m;
}

// Parses the output of a byte-level call into an M.
template <class M>
Result<M> parse(const Result<Buffer>& r) {
  if (!r.ok()) return r.error();
  return from_bytes<M>(*r);
}

// The full protobuf name of M ("cap.node.v1.NodeConfig").
template <class M>
std::string type_name_of(const M& m) {
  return std::string(m.GetTypeName());
}

namespace detail {
// Serializes every element of msgs and calls f(type name, byte views).
template <class M, class F>
auto with_serialized(const std::vector<M>& msgs, F&& f) -> decltype(f(std::string(), std::vector<Bytes>())) {
  std::vector<std::string> bytes;
  bytes.reserve(msgs.size());
  for (const M& m : msgs) {
    Result<std::string> b = to_bytes(m);
    if (!b.ok()) return b.error();
    bytes.push_back(std::move(*b));
  }
  std::vector<Bytes> views(bytes.begin(), bytes.end());
  return f(type_name_of(M()), views);
}
}  // namespace detail

// Validates m. Report is the generated peat.validation.v1.ValidationReport;
// Options (if given) peat.validation.v1.ValidateOptions.
template <class Report, class M>
Result<Report> validate_message(const M& m) {
  Result<std::string> in = to_bytes(m);
  if (!in.ok()) return in.error();
  return parse<Report>(validate(type_name_of(m), Format::Binary, *in));
}
template <class Report, class M, class Options>
Result<Report> validate_message(const M& m, const Options& options) {
  Result<std::string> in = to_bytes(m), opts = to_bytes(options);
  if (!in.ok()) return in.error();
  if (!opts.ok()) return opts.error();
  return parse<Report>(validate(type_name_of(m), Format::Binary, *in, *opts));
}

// Validates a batch; BatchReport is peat.validation.v1.BatchValidationReport.
template <class BatchReport, class M>
Result<BatchReport> validate_messages(const std::vector<M>& msgs) {
  return detail::with_serialized(msgs, [](const std::string& type, const std::vector<Bytes>& views) {
    return parse<BatchReport>(validate_batch(type, Format::Binary, views));
  });
}

// Sanitises m; SanitizeResult is peat.validation.v1.SanitizeResult (its
// `message` holds the binary sanitised message: parse it with from_bytes<M>).
template <class SanitizeResult, class M>
Result<SanitizeResult> sanitize_message(const M& m) {
  Result<std::string> in = to_bytes(m);
  if (!in.ok()) return in.error();
  return parse<SanitizeResult>(sanitize(type_name_of(m), Format::Binary, Format::Binary, *in));
}

// Merges two messages of a mergeable type (see peat_merge).
template <class M>
Result<M> merge_messages(const M& a, const M& b) {
  Result<std::string> x = to_bytes(a), y = to_bytes(b);
  if (!x.ok()) return x.error();
  if (!y.ok()) return y.error();
  return parse<M>(merge(type_name_of(a), Format::Binary, Format::Binary, *x, *y));
}

template <class M>
Result<M> merge_messages(const std::vector<M>& msgs) {
  return detail::with_serialized(msgs, [](const std::string& type, const std::vector<Bytes>& views) {
    return parse<M>(merge_batch(type, Format::Binary, Format::Binary, views));
  });
}

// Creates a document of type Doc (peat.crdt.v1.NodeDoc/CellDoc/ZoneDoc)
// from a peat.crdt.v1.DocInit.
template <class Doc, class Init>
Result<Doc> new_doc(const Init& init) {
  Result<std::string> in = to_bytes(init);
  if (!in.ok()) return in.error();
  return parse<Doc>(doc_new(type_name_of(Doc()), *in));
}

// Applies a peat.crdt.v1.Operation; ApplyResult is peat.crdt.v1.ApplyResult.
template <class ApplyResult, class Doc, class Op>
Result<ApplyResult> apply_op(const Doc& doc, const Op& op) {
  Result<std::string> d = to_bytes(doc), o = to_bytes(op);
  if (!d.ok()) return d.error();
  if (!o.ok()) return o.error();
  return parse<ApplyResult>(doc_apply(type_name_of(doc), *d, *o));
}

template <class Doc>
Result<Doc> merge_docs(const Doc& a, const Doc& b) {
  Result<std::string> x = to_bytes(a), y = to_bytes(b);
  if (!x.ok()) return x.error();
  if (!y.ok()) return y.error();
  return parse<Doc>(doc_merge(type_name_of(a), *x, *y));
}

// Materialises doc into its ICD message Icd (cap.node.v1.Node,
// cap.cell.v1.CellState or cap.zone.v1.ZoneState).
template <class Icd, class Doc>
Result<Icd> materialize(const Doc& doc) {
  Result<std::string> d = to_bytes(doc);
  if (!d.ok()) return d.error();
  return parse<Icd>(doc_materialize(type_name_of(doc), Format::Binary, *d));
}

// Directive calls: Decision = peat.directive.v1.TargetDecision,
// Status = DeploymentStatus, Summary = RolloutSummary.
template <class Decision, class Request>
Result<Decision> target(const Request& req) {
  Result<std::string> in = to_bytes(req);
  if (!in.ok()) return in.error();
  return parse<Decision>(directive_target(*in));
}
template <class Status_, class Request>
Result<Status_> advance(const Request& req) {
  Result<std::string> in = to_bytes(req);
  if (!in.ok()) return in.error();
  return parse<Status_>(directive_advance(*in));
}
template <class Summary, class Request>
Result<Summary> summarize(const Request& req) {
  Result<std::string> in = to_bytes(req);
  if (!in.ok()) return in.error();
  return parse<Summary>(directive_summarize(*in));
}

// Directive security: KeyPair / KeyInfo / Envelope (SignedDirective) /
// VerifyResult / SignedTargetDecision are the generated peat.security.v1
// classes; requests are SignRequest, VerifyRequest, SignedTargetRequest.
template <class KeyPair>
Result<KeyPair> generate_key() {
  return parse<KeyPair>(key_generate());
}
template <class KeyInfo>
Result<KeyInfo> inspect_key(Bytes pem) {
  return parse<KeyInfo>(key_inspect(pem));
}
template <class Envelope, class Request>
Result<Envelope> sign_directive(const Request& req) {
  Result<std::string> in = to_bytes(req);
  if (!in.ok()) return in.error();
  return parse<Envelope>(directive_sign(*in));
}
// Ok with VerifyResult.verified false for an envelope that does not verify;
// an error only for an unusable request (empty trust set, no now, ...).
template <class VerifyResult, class Request>
Result<VerifyResult> verify_directive(const Request& req) {
  Result<std::string> in = to_bytes(req);
  if (!in.ok()) return in.error();
  return parse<VerifyResult>(directive_verify(*in));
}
// Status::NotVerified (error().code() says why) for an envelope that does
// not verify.
template <class Decision, class Request>
Result<Decision> target_signed(const Request& req) {
  Result<std::string> in = to_bytes(req);
  if (!in.ok()) return in.error();
  return parse<Decision>(directive_target_signed(*in));
}
// A verifier for the artifact a generated peat.directive.v1.ArtifactSpec
// names (e.g. directive.artifact()).
template <class Spec>
Result<ArtifactVerifier> artifact_verifier(const Spec& spec) {
  Result<std::string> in = to_bytes(spec);
  if (!in.ok()) return in.error();
  return artifact_new(*in);
}

// ---- replicas (ABI 1.2): documents held open between calls ---------------------

namespace detail {
// True for a protobuf-generated class (anything with a const
// SerializeToString(std::string*)): keeps the message-level overloads of
// Replica::merge and Replica::open away from Bytes, Buffer and Replica.
template <class M, class = void>
struct is_message : std::false_type {};
template <class M>
struct is_message<M, std::void_t<decltype(std::declval<const M&>().SerializeToString(std::declval<std::string*>()))>>
    : std::true_type {};
}  // namespace detail

// Replica is a replicated document (peat.crdt.v1.NodeDoc, CellDoc or ZoneDoc)
// kept decoded inside libpeat between calls (peat.h, "Replicas"), so a
// sequence of operations, merges and materialisations does not decode and
// re-encode the whole document each time as the stateless doc_* calls do.
// Every call gives exactly the bytes of the matching doc_* call on the
// replica's document: encode() after any sequence of calls is byte-identical
// to the document doc_new/doc_apply/doc_merge would have produced. A call
// that fails leaves the replica unchanged.
//
//   auto r = peat::Replica::create<crdt::CellDoc>(init);     // or create(doc_type, init_bytes)
//   auto delta = r->apply<crdt::CellDoc>(op);                 // ship *delta to the peers
//   r->merge(peer_delta_bytes);                               // or r->merge(other_replica)
//   auto view = r->materialize<cap::cell::v1::CellState>();
//   auto doc = r->encode();                                   // the document's bytes, to store or send
//
// It owns one libpeat handle (peat.h rule 9) and frees it with
// peat_replica_free() exactly once: in close() or the destructor. Move-only
// (moves are noexcept; move assignment frees the handle it held); clone()
// gives an independent replica in constant time. A closed, moved-from or
// default-constructed Replica holds handle 0, which it passes to libpeat
// like any other: every call then fails with libpeat's own answer,
// Status::InvalidArgument, code INVALID_HANDLE (never undefined behaviour),
// and close() does nothing. (An apply() whose operation bytes do not decode
// is Status::Decode first, as in peat.h.) Use a replica from one thread at a
// time; libpeat still serialises the calls on one replica, and different
// replicas run in parallel. At most 65,536 handles live per process (then
// Status::TooLarge, TOO_MANY_HANDLES).
class Replica {
 public:
  // Holds no handle.
  Replica() noexcept = default;
  // Adopts a handle returned by peat_replica_new/open/clone (0: none).
  explicit Replica(uint64_t handle) noexcept : handle_(handle) {}
  ~Replica() { close(); }
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;
  Replica(Replica&& o) noexcept : handle_(o.handle_) { o.handle_ = 0; }
  Replica& operator=(Replica&& o) noexcept {
    if (this != &o) {
      close();
      handle_ = o.handle_;
      o.handle_ = 0;
    }
    return *this;
  }

  // ---- byte level: one C call each

  // A replica of a new document, as doc_new: doc_type "peat.crdt.v1.NodeDoc",
  // "...CellDoc" or "...ZoneDoc"; init a serialized peat.crdt.v1.DocInit, or
  // empty for an empty document. An unknown doc_type is Status::UnknownType.
  static Result<Replica> create(TypeName doc_type, Bytes init = {}) {
    if (doc_type.has_embedded_nul()) return detail::nul_in_name(doc_type);
    Buffer out;
    uint64_t handle = 0;
    const int32_t st = peat_replica_new(doc_type.c_str(), init.data(), init.size(), &handle, out.reset());
    return adopt(st, handle, out);
  }

  // A replica holding a serialized document or delta of doc_type (what
  // encode(), apply() and the doc_* calls produce; empty bytes: the empty
  // document). Bytes that are not a document of the type: Status::Decode.
  static Result<Replica> open(TypeName doc_type, Bytes doc) {
    if (doc_type.has_embedded_nul()) return detail::nul_in_name(doc_type);
    Buffer out;
    uint64_t handle = 0;
    const int32_t st = peat_replica_open(doc_type.c_str(), doc.data(), doc.size(), &handle, out.reset());
    return adopt(st, handle, out);
  }

  // A new, independent replica holding the same document (constant time;
  // later calls on either never affect the other).
  Result<Replica> clone() const {
    Buffer out;
    uint64_t handle = 0;
    const int32_t st = peat_replica_clone(handle_, &handle, out.reset());
    return adopt(st, handle, out);
  }

  // Applies one local mutation (a serialized peat.crdt.v1.Operation), as
  // doc_apply. out: the delta to ship to the other replicas (a document of
  // the replica's type; ApplyResult.delta of doc_apply).
  Result<Buffer> apply(Bytes op) {
    Buffer out;
    const int32_t st = peat_replica_apply(handle_, op.data(), op.size(), out.reset());
    return detail::finish(st, std::move(out));
  }

  // Merges a serialized document or delta of the replica's type into it, as
  // doc_merge (Status::Decode; Status::Mismatch for another entity or
  // DOT_REUSED). out: empty on success.
  Result<Buffer> merge(Bytes doc) {
    Buffer out;
    const int32_t st = peat_replica_merge(handle_, doc.data(), doc.size(), out.reset());
    return detail::finish(st, std::move(out));
  }

  // Merges the document of `other` (unchanged; may be *this) into this
  // replica, without bytes. A replica of another document type is
  // Status::Mismatch, code DOC_TYPE_MISMATCH; a closed `other`
  // INVALID_HANDLE. out: empty on success.
  Result<Buffer> merge(const Replica& other) {
    Buffer out;
    const int32_t st = peat_replica_merge_replica(handle_, other.handle_, out.reset());
    return detail::finish(st, std::move(out));
  }

  // The document's plain ICD message (cap.node.v1.Node, cap.cell.v1.CellState
  // or cap.zone.v1.ZoneState) in format `to`, as doc_materialize.
  Result<Buffer> materialize(Format to) const {
    Buffer out;
    const int32_t st = peat_replica_materialize(handle_, detail::fmt(to), out.reset());
    return detail::finish(st, std::move(out));
  }

  // The document, serialized (binary, deterministic): what open() and the
  // doc_* calls read.
  Result<Buffer> encode() const {
    Buffer out;
    const int32_t st = peat_replica_encode(handle_, out.reset());
    return detail::finish(st, std::move(out));
  }

  // ---- message level: any protobuf-generated class (as new_doc, apply_op, ...)

  // An empty document of type Doc (peat.crdt.v1.NodeDoc/CellDoc/ZoneDoc).
  template <class Doc>
  static Result<Replica> create() {
    return create(type_name_of(Doc()));
  }
  // A new document of type Doc from a peat.crdt.v1.DocInit.
  template <class Doc, class Init>
  static Result<Replica> create(const Init& init) {
    Result<std::string> in = to_bytes(init);
    if (!in.ok()) return in.error();
    return create(type_name_of(Doc()), Bytes(*in));
  }
  // A replica holding doc (a NodeDoc, CellDoc or ZoneDoc message).
  template <class Doc, class = std::enable_if_t<detail::is_message<Doc>::value>>
  static Result<Replica> open(const Doc& doc) {
    Result<std::string> in = to_bytes(doc);
    if (!in.ok()) return in.error();
    return open(type_name_of(doc), Bytes(*in));
  }
  // Applies a peat.crdt.v1.Operation; the delta parsed as Delta (the
  // replica's document class, e.g. peat::crdt::v1::CellDoc).
  template <class Delta, class Op>
  Result<Delta> apply(const Op& op) {
    Result<std::string> in = to_bytes(op);
    if (!in.ok()) return in.error();
    return parse<Delta>(apply(Bytes(*in)));
  }
  // Merges a document or delta message of the replica's type.
  template <class Doc, class = std::enable_if_t<detail::is_message<Doc>::value>>
  Result<Buffer> merge(const Doc& doc) {
    Result<std::string> in = to_bytes(doc);
    if (!in.ok()) return in.error();
    return merge(Bytes(*in));
  }
  // The materialised ICD message as Icd (cap.cell.v1.CellState, ...).
  template <class Icd>
  Result<Icd> materialize() const {
    return parse<Icd>(materialize(Format::Binary));
  }
  // The document as Doc (peat.crdt.v1.CellDoc, ...).
  template <class Doc>
  Result<Doc> encode() const {
    return parse<Doc>(encode());
  }

  // ---- lifetime

  // Frees the handle now. Idempotent; the destructor does the same.
  void close() noexcept {
    if (handle_ != 0) peat_replica_free(handle_);
    handle_ = 0;
  }
  // True while the replica holds a handle (not closed, not moved from).
  bool valid() const noexcept { return handle_ != 0; }
  bool is_open() const noexcept { return handle_ != 0; }  // as ArtifactVerifier::is_open
  explicit operator bool() const noexcept { return handle_ != 0; }
  // The libpeat handle (0 when closed), e.g. for a C call of your own.
  uint64_t handle() const noexcept { return handle_; }
  // Gives up ownership; the caller must peat_replica_free() the result.
  uint64_t release() noexcept {
    const uint64_t h = handle_;
    handle_ = 0;
    return h;
  }

 private:
  static Result<Replica> adopt(int32_t st, uint64_t handle, const Buffer& out) {
    if (st != PEAT_OK) {
      peat_replica_free(handle);  // 0 on failure (a no-op); never leak one
      return Error::decode(st, out);
    }
    return Replica(handle);
  }

  uint64_t handle_ = 0;
};

// The byte-level factories under their C names (same as Replica::create/open).
inline Result<Replica> replica_new(TypeName doc_type, Bytes init = {}) { return Replica::create(doc_type, init); }
inline Result<Replica> replica_open(TypeName doc_type, Bytes doc) { return Replica::open(doc_type, doc); }

}  // namespace peat

#endif  // PEAT_PEAT_HPP
