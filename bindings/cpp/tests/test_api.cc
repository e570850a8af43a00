// The wrapper itself: information calls, Buffer ownership, Result/Error,
// conversion, compression and the throwing conveniences.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "lsan_static.hpp"
#include "peat/api/v1/api.pb.h"
#include "support.hpp"

namespace {

// See lsan_static.hpp: runs before any test, in every build.
const bool static_strings_ignored = peat_test_ignore_static_strings();

const char* kNodeConfig = "cap.node.v1.NodeConfig";

TEST(Info, AbiVersionMatchesHeader) {
  EXPECT_TRUE(static_strings_ignored);
  EXPECT_TRUE(peat::abi_compatible());
  EXPECT_EQ(peat::abi_version() >> 16, static_cast<uint32_t>(PEAT_ABI_MAJOR));
  EXPECT_GE(peat::abi_version() & 0xffff, static_cast<uint32_t>(PEAT_ABI_MINOR));
  EXPECT_GT(std::string(peat::version()).size(), 0u);
  EXPECT_STREQ(peat::status_name(peat::Status::Decode), "DECODE_ERROR");
  EXPECT_STREQ(peat::status_name(peat::Status::Ok), "OK");
  EXPECT_STREQ(peat::status_name(4242), "UNKNOWN_STATUS");
}

// value() of a temporary Result moves the value out: `auto&& v = f().value()`
// never refers into the destroyed Result.
static_assert(std::is_same<decltype(std::declval<peat::Result<peat::Buffer>>().value()), peat::Buffer>::value,
              "value() && returns the value, not a reference into the temporary");
static_assert(std::is_same<decltype(std::declval<peat::Result<peat::Buffer>&>().value()), peat::Buffer&>::value,
              "value() & returns a reference");

TEST(Buffer, IsMoveOnlyAndFreesOnce) {
  static_assert(!std::is_copy_constructible<peat::Buffer>::value, "Buffer must not be copyable");
  static_assert(!std::is_copy_assignable<peat::Buffer>::value, "Buffer must not be copyable");
  static_assert(std::is_nothrow_move_constructible<peat::Buffer>::value, "Buffer moves must not throw");
  peat::Result<peat::Buffer> r = peat::types();
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  peat::Buffer a = std::move(r).value();
  const uint8_t* data = a.data();
  const size_t size = a.size();
  ASSERT_NE(data, nullptr);
  ASSERT_GT(size, 0u);
  peat::Buffer b(std::move(a));
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(b.data(), data);
  EXPECT_EQ(b.size(), size);
  peat::Buffer c;
  c = std::move(b);
  EXPECT_EQ(c.data(), data);
  c = std::move(c);  // self-move keeps the buffer
  EXPECT_EQ(c.data(), data);
  peat_buf raw = c.release();
  EXPECT_EQ(c.data(), nullptr);
  EXPECT_EQ(raw.data, data);
  peat_buf_free(&raw);
  EXPECT_EQ(raw.data, nullptr);
}

TEST(Buffer, ResetFreesThePreviousContent) {
  peat::Buffer buf;
  ASSERT_EQ(peat_types(buf.reset()), PEAT_OK);
  ASSERT_GT(buf.size(), 0u);
  // A second call through reset() must not leak the first buffer (the ASan
  // build checks this) and must leave a fresh result.
  ASSERT_EQ(peat_compress(nullptr, 0, buf.reset()), PEAT_OK);
  EXPECT_GT(buf.size(), 0u);
}

TEST(Types, ListsEveryIcdAndProjectType) {
  peat::Result<std::vector<std::string>> names = peat::type_names();
  ASSERT_TRUE(names.ok()) << names.error().to_string();
  EXPECT_TRUE(std::is_sorted(names->begin(), names->end()));
  for (const char* t : {"cap.node.v1.NodeConfig", "cap.cell.v1.CellState", "cap.zone.v1.ZoneState",
                        "cap.composition.v1.ApplyCompositionResponse", "peat.api.v1.Error"}) {
    EXPECT_NE(std::find(names->begin(), names->end(), t), names->end()) << t;
  }
  // The built-in wire reader agrees with libprotobuf's decoding of TypeList.
  peat::Result<peat::api::v1::TypeList> list = peat::parse<peat::api::v1::TypeList>(peat::types());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(static_cast<size_t>(list->types_size()), names->size());
  for (size_t i = 0; i < names->size(); i++) EXPECT_EQ(list->types(static_cast<int>(i)), (*names)[i]);
}

TEST(Convert, StrictJsonRefusesUnknownKeysWithTheirPath) {
  static_assert(peat::is_strict(peat::strict(peat::Format::Json)), "strict() sets the flag");
  static_assert(!peat::is_strict(peat::Format::Json), "plain formats are lenient");
  static_assert(static_cast<int32_t>(peat::strict(peat::Format::RustJson)) == (PEAT_FORMAT_RUST_JSON | 0x100),
                "the flag is PEAT_FORMAT_FLAG_STRICT");
  const std::string typo = R"({"id":"n1","platfromType":"UAV"})";
  auto strict = peat::convert(kNodeConfig, peat::strict(peat::Format::Json), peat::Format::Binary, typo);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error().status(), peat::Status::Decode);
  EXPECT_EQ(strict.error().code(), "UNKNOWN_FIELD");
  EXPECT_EQ(strict.error().field_path(), "platfromType");
  auto lenient = peat::convert(kNodeConfig, peat::Format::Json, peat::Format::Binary, typo);
  ASSERT_TRUE(lenient.ok()) << lenient.error().to_string();
  auto clean = peat::convert(kNodeConfig, peat::Format::Json, peat::Format::Binary, std::string(R"({"id":"n1"})"));
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(lenient.value().str(), clean.value().str());
  // Binary input is unaffected by the flag.
  auto bin = peat::convert(kNodeConfig, peat::strict(peat::Format::Binary), peat::Format::Binary, clean.value());
  ASSERT_TRUE(bin.ok()) << bin.error().to_string();
  EXPECT_EQ(bin.value().str(), clean.value().str());
}

TEST(Convert, JsonBinaryRoundTripIsByteIdentical) {
  const std::string bin = peat_test::node_config_bin();
  peat::Result<peat::Buffer> json = peat::convert(kNodeConfig, peat::Format::Binary, peat::Format::Json, bin);
  ASSERT_TRUE(json.ok()) << json.error().to_string();
  EXPECT_NE(json->view().find("\"platformType\":\"quadrotor\""), std::string_view::npos);
  peat::Result<peat::Buffer> back = peat::convert(kNodeConfig, peat::Format::Json, peat::Format::Binary, *json);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->str(), bin);
  // The same call through every input form of Bytes.
  const std::vector<uint8_t> vec(bin.begin(), bin.end());
  for (peat::Bytes in : {peat::Bytes(bin), peat::Bytes(std::string_view(bin)), peat::Bytes(vec),
                         peat::Bytes(bin.data(), bin.size()), peat::Bytes(*back)}) {
    peat::Result<peat::Buffer> r = peat::convert(std::string(kNodeConfig), peat::Format::Binary, peat::Format::Json, in);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->view(), json->view());
  }
}

TEST(Bytes, NullCStringIsEmpty) {
  const peat::Bytes b(static_cast<const char*>(nullptr));
  EXPECT_EQ(b.data(), nullptr);
  EXPECT_TRUE(b.empty());
  const peat::Bytes lit("abc");
  EXPECT_EQ(lit.size(), 3u);
}

TEST(Convert, EmptyInputIsTheDefaultMessage) {
  peat::Result<peat::Buffer> r = peat::convert(kNodeConfig, peat::Format::Binary, peat::Format::Binary, peat::Bytes());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->empty());
}

TEST(Compress, RoundTripsAndRefusesOverLimit) {
  const std::string payload(100000, 'x');
  peat::Result<peat::Buffer> frame = peat::compress(payload);
  ASSERT_TRUE(frame.ok());
  EXPECT_LT(frame->size(), payload.size() / 10);
  peat::Result<peat::Buffer> back = peat::decompress(*frame);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->view(), payload);
  peat::Result<peat::Buffer> bomb = peat::decompress(*frame, 1000);
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.status(), peat::Status::Decompress);
  EXPECT_EQ(bomb.error().code(), "DECOMPRESSED_TOO_LARGE");
}

TEST(Error, CarriesStatusCodeMessageAndPath) {
  peat::Result<peat::Buffer> r =
      peat::convert(kNodeConfig, peat::Format::Json, peat::Format::Binary, R"({"id":"x","commRangeM":"far"})");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.status(), peat::Status::Decode);
  EXPECT_EQ(r.error().raw_status(), PEAT_E_DECODE);
  EXPECT_STREQ(r.error().status_name(), "DECODE_ERROR");
  EXPECT_EQ(r.error().code(), "DECODE_ERROR");
  EXPECT_FALSE(r.error().message().empty());
  EXPECT_NE(r.error().to_string().find("DECODE_ERROR: "), std::string::npos);
}

TEST(Error, DecodeMatchesLibprotobuf) {
  peat::api::v1::Error e;
  e.set_status(PEAT_E_TOO_LARGE);
  e.set_code("MESSAGE_TOO_LARGE");
  e.set_message("NodeConfig is 60000 bytes, limit 51200");
  e.set_field_path("capabilities[3].metadata_json");
  std::string bytes = e.SerializeAsString();
  bytes += std::string("\xa8\x06\x01", 3);  // an unknown varint field 101 of a newer library
  const peat::Error got = peat::Error::decode(PEAT_E_TOO_LARGE, bytes);
  EXPECT_EQ(got.status(), peat::Status::TooLarge);
  EXPECT_EQ(got.code(), e.code());
  EXPECT_EQ(got.message(), e.message());
  EXPECT_EQ(got.field_path(), e.field_path());
  EXPECT_EQ(got.to_string(), "MESSAGE_TOO_LARGE: NodeConfig is 60000 bytes, limit 51200 (at capabilities[3].metadata_json)");
}

TEST(Error, EmptyOrTruncatedDetailsFallBackToStatusName) {
  const peat::Error empty = peat::Error::decode(PEAT_E_INTERNAL, peat::Bytes());
  EXPECT_EQ(empty.code(), "INTERNAL");
  EXPECT_EQ(empty.message(), "no error details");
  const peat::Error truncated = peat::Error::decode(PEAT_E_DECODE, std::string("\x12\x40\x41", 3));
  EXPECT_EQ(truncated.code(), "DECODE_ERROR");
  EXPECT_EQ(truncated.message(), "unreadable error details");
  const peat::Error unknown = peat::Error::decode(777, peat::Bytes());
  EXPECT_EQ(unknown.raw_status(), 777);
  EXPECT_EQ(unknown.code(), "UNKNOWN_STATUS");
}

TEST(Result, CopiesAndMovesValuesAndErrors) {
  peat::Result<std::string> ok(std::string("value"));
  peat::Result<std::string> copy = ok;
  EXPECT_EQ(*copy, "value");
  peat::Result<std::string> err(peat::Error(PEAT_E_MISMATCH, "ENTITY_MISMATCH", "ids differ", "id"));
  copy = err;
  ASSERT_FALSE(copy.ok());
  EXPECT_EQ(copy.error().code(), "ENTITY_MISMATCH");
  copy = std::move(ok);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy.value(), "value");
  EXPECT_EQ(copy.error().raw_status(), PEAT_OK);
  EXPECT_EQ(copy->size(), 5u);
}

TEST(Throwing, ValueOfFailedResultThrowsPeatException) {
  peat::Result<peat::Buffer> r = peat::convert("no.such.Type", peat::Format::Binary, peat::Format::Json, "");
  try {
    (void)r.value();
    FAIL() << "value() of a failed result did not throw";
  } catch (const peat::Exception& e) {
    EXPECT_EQ(e.error().status(), peat::Status::UnknownType);
    EXPECT_NE(std::string(e.what()).find(e.error().code()), std::string::npos);
  }
  EXPECT_THROW(peat::unwrap(peat::decompress("not a zstd frame")), peat::Exception);
  peat::Buffer frame = peat::unwrap(peat::compress("abc"));
  EXPECT_EQ(peat::unwrap(peat::decompress(frame)).view(), "abc");
}

}  // namespace
