// Bad arguments and bad bytes through every call of the wrapper: each gives
// a failed Result with a decoded error, never a crash (the ASan/UBSan build
// runs the same tests).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "peat/validation/v1/validation.pb.h"
#include "support.hpp"

namespace {

using peat::Bytes;
using peat::Format;
using peat::Result;
using peat::Status;

const std::string kGarbage("\xff\xff\xff\xff\xff\xff\xff\xff", 8);
const std::string kTruncated("\x0a\x05ua", 4);  // field 1, length 5, only 2 bytes
const std::string kBadUtf8("\x0a\x02\xc3\x28", 4);
const Bytes kNullWithLength(nullptr, 5);

void expect_error(const Result<peat::Buffer>& r, Status want, const char* what) {
  ASSERT_FALSE(r.ok()) << what << ": call succeeded";
  EXPECT_EQ(r.status(), want) << what << ": " << r.error().to_string();
  EXPECT_FALSE(r.error().code().empty()) << what;
  EXPECT_FALSE(r.error().message().empty()) << what;
}

TEST(BadInput, NullPointerWithLengthIsInvalidArgumentEverywhere) {
  const char* t = "cap.node.v1.NodeConfig";
  const char* d = "peat.crdt.v1.CellDoc";
  const Bytes ok_bytes("");
  expect_error(peat::convert(t, Format::Binary, Format::Json, kNullWithLength), Status::InvalidArgument, "convert");
  expect_error(peat::compress(kNullWithLength), Status::InvalidArgument, "compress");
  expect_error(peat::decompress(kNullWithLength), Status::InvalidArgument, "decompress");
  expect_error(peat::validate(t, Format::Binary, kNullWithLength), Status::InvalidArgument, "validate");
  expect_error(peat::validate(t, Format::Binary, ok_bytes, kNullWithLength), Status::InvalidArgument,
               "validate options");
  expect_error(peat::sanitize(t, Format::Binary, Format::Binary, kNullWithLength), Status::InvalidArgument,
               "sanitize");
  expect_error(peat::merge("cap.cell.v1.CellState", Format::Binary, Format::Binary, kNullWithLength, ok_bytes),
               Status::InvalidArgument, "merge a");
  expect_error(peat::merge("cap.cell.v1.CellState", Format::Binary, Format::Binary, ok_bytes, kNullWithLength),
               Status::InvalidArgument, "merge b");
  expect_error(peat::doc_new(d, kNullWithLength), Status::InvalidArgument, "doc_new");
  expect_error(peat::doc_apply(d, kNullWithLength, ok_bytes), Status::InvalidArgument, "doc_apply");
  expect_error(peat::doc_merge(d, ok_bytes, kNullWithLength), Status::InvalidArgument, "doc_merge");
  expect_error(peat::doc_materialize(d, Format::Binary, kNullWithLength), Status::InvalidArgument,
               "doc_materialize");
  expect_error(peat::directive_target(kNullWithLength), Status::InvalidArgument, "directive_target");
  expect_error(peat::directive_advance(kNullWithLength), Status::InvalidArgument, "directive_advance");
  expect_error(peat::directive_summarize(kNullWithLength), Status::InvalidArgument, "directive_summarize");
}

TEST(BadInput, NullTypeNameIsRefused) {
  Result<peat::Buffer> r = peat::convert(static_cast<const char*>(nullptr), Format::Binary, Format::Json, "");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status() == Status::InvalidArgument || r.status() == Status::UnknownType) << r.error().to_string();
}

TEST(BadInput, BatchArraysMustBePresentForNonZeroCount) {
  expect_error(peat::validate_batch("cap.node.v1.NodeState", Format::Binary, nullptr, nullptr, 3),
               Status::InvalidArgument, "validate_batch");
  expect_error(peat::merge_batch("cap.cell.v1.CellState", Format::Binary, Format::Binary, nullptr, nullptr, 2),
               Status::InvalidArgument, "merge_batch");
  // merge_batch needs at least one message.
  Result<peat::Buffer> none = peat::merge_batch("cap.cell.v1.CellState", Format::Binary, Format::Binary,
                                                std::vector<Bytes>{});
  EXPECT_FALSE(none.ok());
}

TEST(BadInput, UnknownTypeAndWrongTypeForCall) {
  expect_error(peat::convert("cap.node.v1.NoSuchThing", Format::Binary, Format::Json, ""), Status::UnknownType,
               "convert unknown");
  expect_error(peat::validate("", Format::Binary, ""), Status::UnknownType, "validate empty name");
  expect_error(peat::doc_new("cap.node.v1.NodeConfig"), Status::UnknownType, "doc_new of an ICD type");
  Result<peat::Buffer> m = peat::merge("cap.beacon.v1.Beacon", Format::Binary, Format::Binary, "", "");
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(m.status() == Status::Unsupported || m.status() == Status::UnknownType) << m.error().to_string();
}

TEST(BadInput, UnknownFormatIsInvalidArgument) {
  expect_error(peat::convert("cap.node.v1.NodeConfig", static_cast<Format>(0), Format::Json, ""),
               Status::InvalidArgument, "format 0");
  expect_error(peat::convert("cap.node.v1.NodeConfig", Format::Binary, static_cast<Format>(99), ""),
               Status::InvalidArgument, "format 99");
}

TEST(BadInput, GarbageTruncatedAndInvalidUtf8AreDecodeErrors) {
  for (const std::string* in : {&kGarbage, &kTruncated, &kBadUtf8}) {
    expect_error(peat::convert("cap.node.v1.NodeConfig", Format::Binary, Format::Json, *in), Status::Decode,
                 "convert");
    expect_error(peat::directive_target(*in), Status::Decode, "directive_target");
  }
  for (const std::string* in : {&kGarbage, &kTruncated}) {
    expect_error(peat::validate("cap.node.v1.NodeConfig", Format::Binary, *in), Status::Decode, "validate");
  }
  // Validation repairs invalid UTF-8 in binary input to report it as a
  // violation of the field (docs/VALIDATION.md), instead of failing.
  peat::Result<peat::validation::v1::ValidationReport> utf8 =
      peat::parse<peat::validation::v1::ValidationReport>(peat::validate("cap.node.v1.NodeConfig", Format::Binary, kBadUtf8));
  ASSERT_TRUE(utf8.ok()) << utf8.error().to_string();
  EXPECT_FALSE(utf8->valid());
  bool flagged = false;
  for (const auto& v : utf8->violations()) flagged |= v.code() == "INVALID_STRING" && v.path() == "id";
  EXPECT_TRUE(flagged) << utf8->DebugString();
  expect_error(peat::convert("cap.node.v1.NodeConfig", Format::Json, Format::Binary, "{\"id\":"), Status::Decode,
               "truncated JSON");
  expect_error(peat::convert("cap.node.v1.NodeConfig", Format::Json, Format::Binary, "{\"commRangeM\":NaN}"),
               Status::Decode, "NaN literal");
  expect_error(peat::decompress(kGarbage), Status::Decompress, "decompress garbage");
}

TEST(BadInput, OversizeInputIsRefusedBeforeDecoding) {
  // NodeConfig is limited to 50 KB (ICD §3.3): a 60 KB string field.
  std::string big = "\x0a";
  const size_t n = 60 * 1024;
  big += static_cast<char>(0x80 | (n & 0x7f));
  big += static_cast<char>(0x80 | ((n >> 7) & 0x7f));
  big += static_cast<char>(n >> 14);
  big += std::string(n, 'a');
  Result<peat::Buffer> r = peat::convert("cap.node.v1.NodeConfig", Format::Binary, Format::Json, big);
  expect_error(r, Status::TooLarge, "oversize NodeConfig");
  EXPECT_EQ(r.error().code(), "MESSAGE_TOO_LARGE");
}

TEST(BadInput, HugeRepeatedFieldOfGarbageDoesNotCrash) {
  // 40 KB of zero-length repeated capabilities: decodable, within the limit.
  std::string many;
  for (int i = 0; i < 20000; i++) many += std::string("\x1a\x00", 2);
  Result<peat::Buffer> r = peat::convert("cap.node.v1.NodeConfig", Format::Binary, Format::Binary, many);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->size(), many.size());
}

TEST(BadInput, TypeNameWithEmbeddedNulIsRefusedBeforeC) {
  // C would read "cap.node.v1.NodeConfig" and convert as that type.
  const std::string trailing("cap.node.v1.NodeConfig\0.Evil", 28);
  const std::string leading("\0cap.node.v1.NodeConfig", 23);
  const std::string cell("peat.crdt.v1.CellDoc\0", 21);
  const std::string bin = "\x0a\x01n";  // NodeConfig{id: "n"}
  std::vector<Bytes> one{Bytes(bin)};
  for (const std::string* t : {&trailing, &leading}) {
    expect_error(peat::convert(*t, Format::Binary, Format::Json, bin), Status::InvalidArgument, "convert");
    expect_error(peat::validate(*t, Format::Binary, bin), Status::InvalidArgument, "validate");
    expect_error(peat::validate_batch(*t, Format::Binary, one), Status::InvalidArgument, "validate_batch");
    expect_error(peat::sanitize(*t, Format::Binary, Format::Binary, bin), Status::InvalidArgument, "sanitize");
    expect_error(peat::merge(*t, Format::Binary, Format::Binary, bin, bin), Status::InvalidArgument, "merge");
    expect_error(peat::merge_batch(*t, Format::Binary, Format::Binary, one), Status::InvalidArgument,
                 "merge_batch");
  }
  expect_error(peat::doc_new(cell), Status::InvalidArgument, "doc_new");
  expect_error(peat::doc_apply(cell, "", ""), Status::InvalidArgument, "doc_apply");
  expect_error(peat::doc_merge(cell, "", ""), Status::InvalidArgument, "doc_merge");
  expect_error(peat::doc_materialize(cell, Format::Binary, ""), Status::InvalidArgument, "doc_materialize");
  Result<peat::Buffer> r = peat::convert(trailing, Format::Binary, Format::Json, bin);
  EXPECT_EQ(r.error().code(), "INVALID_ARGUMENT");
  EXPECT_NE(r.error().message().find("offset 22"), std::string::npos) << r.error().message();
  // The same name without the NUL, and a const char* (which cannot hold
  // one), still work.
  EXPECT_TRUE(peat::convert(std::string("cap.node.v1.NodeConfig"), Format::Binary, Format::Json, bin).ok());
  EXPECT_TRUE(peat::convert(trailing.c_str(), Format::Binary, Format::Json, bin).ok());
}

TEST(BadInput, NegativeAndHugeSizesAreRefusedWithoutReading) {
  const char one = 'x';
  // A negative length converted to size_t is over the 1 GiB ABI limit:
  // refused before a byte is read.
  const Bytes negative(&one, static_cast<size_t>(-1));
  expect_error(peat::convert("cap.node.v1.NodeConfig", Format::Binary, Format::Json, negative), Status::TooLarge,
               "convert of SIZE_MAX bytes");
  expect_error(peat::compress(negative), Status::TooLarge, "compress of SIZE_MAX bytes");
  expect_error(peat::validate("cap.node.v1.NodeConfig", Format::Binary, "", negative), Status::TooLarge,
               "validate options of SIZE_MAX bytes");
  // A batch count over the 16M-message limit is refused before the arrays
  // are read (they hold a single element here).
  const uint8_t* ptrs[1] = {reinterpret_cast<const uint8_t*>(&one)};
  const size_t lens[1] = {1};
  expect_error(peat::validate_batch("cap.node.v1.NodeState", Format::Binary, ptrs, lens, static_cast<size_t>(-1)),
               Status::TooLarge, "validate_batch count SIZE_MAX");
  expect_error(peat::merge_batch("cap.cell.v1.CellState", Format::Binary, Format::Binary, ptrs, lens, size_t{1} << 40),
               Status::TooLarge, "merge_batch count 2^40");
  // One element of a batch with a NULL pointer and a length.
  std::vector<Bytes> batch{Bytes(""), kNullWithLength};
  expect_error(peat::validate_batch("cap.node.v1.NodeState", Format::Binary, batch), Status::InvalidArgument,
               "batch element NULL with length");
}

TEST(BadInput, OutOfRangeFormatsAndLimits) {
  expect_error(peat::convert("cap.node.v1.NodeConfig", static_cast<Format>(-1), Format::Json, ""),
               Status::InvalidArgument, "format -1");
  expect_error(peat::validate("cap.node.v1.NodeConfig", static_cast<Format>(INT32_MIN), ""), Status::InvalidArgument,
               "format INT32_MIN");
  expect_error(peat::doc_materialize("peat.crdt.v1.CellDoc", static_cast<Format>(4), ""), Status::InvalidArgument,
               "materialize format 4");
  // A huge max_out is clamped to 1 GiB, never misread.
  Result<peat::Buffer> frame = peat::compress("hello");
  ASSERT_TRUE(frame.ok());
  Result<peat::Buffer> back = peat::decompress(*frame, UINT64_MAX);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->view(), "hello");
  Result<peat::Buffer> tight = peat::decompress(*frame, 1);
  expect_error(tight, Status::Decompress, "max_out 1");
  // An empty batch is fine for validation, not for merge (it needs one message).
  Result<peat::Buffer> empty = peat::validate_batch("cap.node.v1.NodeState", Format::Binary, std::vector<Bytes>{});
  EXPECT_TRUE(empty.ok()) << empty.error().to_string();
  EXPECT_STREQ(peat::status_name(INT32_MIN), "UNKNOWN_STATUS");
}

}  // namespace
