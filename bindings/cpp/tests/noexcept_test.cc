// The result-type API in a translation unit compiled with -fno-exceptions
// -fno-rtti, as flight software is often built. No GoogleTest here (it is
// built with exceptions); checks print one line each and the closing line
// "N passed, N failed".
#include <cstdio>
#include <cstring>
#include <string>

#include "lsan_static.hpp"
#include "peat/peat.hpp"

#if defined(__cpp_exceptions) || defined(__GXX_RTTI)
#error "this translation unit must be compiled with -fno-exceptions -fno-rtti"
#endif

namespace {
int passed = 0, failed = 0;
void check(bool ok, const char* what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    std::fprintf(stderr, "FAILED: %s\n", what);
  }
}
}  // namespace

int main() {
  peat_test_ignore_static_strings();
  check(peat::abi_compatible(), "abi_compatible");

  const char* json = "{\"id\":\"uav-7\",\"platformType\":\"quadrotor\",\"commRangeM\":1500}";
  peat::Result<peat::Buffer> bin = peat::convert("cap.node.v1.NodeConfig", peat::Format::Json, peat::Format::Binary, json);
  check(bin.ok(), "convert json->binary");
  if (!bin.ok()) return 1;
  peat::Result<peat::Buffer> back = peat::convert("cap.node.v1.NodeConfig", peat::Format::Binary, peat::Format::Json, *bin);
  check(back.ok() && back->view() == json, "convert binary->json round trip");

  peat::Result<peat::Buffer> report = peat::validate("cap.node.v1.NodeConfig", peat::Format::Binary, *bin);
  check(report.ok() && report->size() > 0, "validate returns a report");

  peat::Result<peat::Buffer> bad = peat::convert("cap.node.v1.NodeConfig", peat::Format::Binary, peat::Format::Json,
                                                 peat::Bytes("\xff\xff\xff", 3));
  check(!bad.ok(), "garbage fails");
  check(bad.status() == peat::Status::Decode, "garbage is a decode error");
  check(bad.error().code() == "DECODE_ERROR", "error code decoded");
  check(!bad.error().message().empty(), "error message decoded");

  peat::Result<peat::Buffer> unknown = peat::validate("no.such.Type", peat::Format::Binary, peat::Bytes());
  check(!unknown.ok() && unknown.status() == peat::Status::UnknownType, "unknown type");

  peat::Result<std::vector<std::string>> names = peat::type_names();
  check(names.ok() && names->size() >= 42, "type_names");

  // Moving buffers out of results, and a Result reassigned from error to value.
  peat::Buffer owned = std::move(*bin);
  check(owned.size() > 0 && bin->size() == 0, "buffer moved out of result");
  bad = peat::compress(owned);
  check(bad.ok() && bad->size() > 0, "result reassigned");

  // Directive security (ABI 1.1): keys, and the move-only ArtifactVerifier.
  peat::Result<peat::Buffer> pair = peat::key_generate();
  check(pair.ok() && pair->view().find("-----BEGIN PRIVATE KEY-----") != std::string_view::npos, "key_generate");
  peat::Result<peat::Buffer> junk_key = peat::key_inspect("junk");
  check(!junk_key.ok() && junk_key.error().code() == "KEY_NOT_PEM", "key_inspect refuses junk");

  const char* spec_json =
      "{\"blobHash\":\"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\",\"sizeBytes\":\"3\"}";
  peat::Result<peat::Buffer> spec =
      peat::convert("peat.directive.v1.ArtifactSpec", peat::Format::Json, peat::Format::Binary, spec_json);
  check(spec.ok(), "ArtifactSpec json->binary");
  if (!spec.ok()) return 1;
  peat::Result<peat::ArtifactVerifier> v = peat::artifact_new(*spec);
  check(v.ok() && v->is_open(), "artifact_new");
  if (!v.ok()) return 1;
  peat::Result<uint64_t> fed = v->update("abc");
  check(fed.ok() && *fed == 3, "update");
  check(v->finish().ok(), "finish: the bytes are the artifact");
  peat::ArtifactVerifier moved = std::move(*v);
  check(!v->is_open() && moved.is_open(), "move leaves the source closed");
  check(v->update("x").error().code() == "INVALID_HANDLE", "moved-from verifier: INVALID_HANDLE");
  moved.close();
  moved.close();
  check(moved.finish().error().code() == "INVALID_HANDLE", "closed verifier: INVALID_HANDLE");
  peat::Result<peat::ArtifactVerifier> shortv = peat::artifact_new(*spec);
  check(shortv.ok() && shortv->update("ab").ok(), "short stream fed");
  if (!shortv.ok()) return 1;
  peat::Result<peat::Buffer> truncated = shortv->finish();
  check(truncated.status() == peat::Status::NotVerified && truncated.error().code() == "ARTIFACT_TRUNCATED",
        "one byte short: NOT_VERIFIED, ARTIFACT_TRUNCATED");

  // Replicas (ABI 1.2): the move-only peat::Replica, bytes only.
  const char* celldoc = "peat.crdt.v1.CellDoc";
  peat::Result<peat::Buffer> op = peat::convert(
      "peat.crdt.v1.Operation", peat::Format::Json, peat::Format::Binary,
      "{\"replica\":\"r1\",\"timestamp\":{\"seconds\":\"10\"},\"addMember\":{\"nodeId\":\"n1\"}}");
  check(op.ok(), "Operation json->binary");
  if (!op.ok()) return 1;
  peat::Result<peat::Buffer> doc = peat::doc_new(celldoc);
  peat::Result<peat::Replica> rep = peat::Replica::create(celldoc);
  check(doc.ok() && rep.ok() && rep->valid(), "Replica::create");
  if (!doc.ok() || !rep.ok()) return 1;
  peat::Result<peat::Buffer> applied = peat::doc_apply(celldoc, *doc, *op);
  peat::Result<peat::Buffer> delta = rep->apply(*op);
  check(applied.ok() && delta.ok() && delta->size() > 0, "Replica::apply");
  peat::Result<peat::Replica> copy = rep->clone();
  check(copy.ok() && copy->merge(*delta).ok(), "clone + merge(bytes)");
  if (!copy.ok()) return 1;
  peat::Result<peat::Buffer> mat = rep->materialize(peat::Format::Json);
  check(mat.ok() && mat->view().find("\"n1\"") != std::string_view::npos, "Replica::materialize");
  peat::Result<peat::Buffer> enc = rep->encode();
  peat::Result<peat::Replica> reopened = enc.ok() ? peat::Replica::open(celldoc, *enc) : enc.error();
  check(reopened.ok() && reopened->merge(*copy).ok(), "Replica::open + merge(Replica)");
  peat::Result<peat::Replica> zone = peat::Replica::create("peat.crdt.v1.ZoneDoc");
  check(zone.ok() && rep->merge(*zone).error().code() == "DOC_TYPE_MISMATCH", "merge of a ZoneDoc: DOC_TYPE_MISMATCH");
  peat::Result<peat::Replica> junk = peat::Replica::open(celldoc, peat::Bytes("\x0a\xff\xff", 3));
  check(!junk.ok() && junk.status() == peat::Status::Decode, "Replica::open of garbage: Decode");
  peat::Replica held = std::move(*rep);
  check(!rep->valid() && held.valid(), "move leaves the source empty");
  check(rep->encode().error().code() == "INVALID_HANDLE", "moved-from replica: INVALID_HANDLE");
  held.close();
  held.close();
  check(held.apply(*op).error().code() == "INVALID_HANDLE", "closed replica: INVALID_HANDLE");

  std::printf("noexcept_result_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
