// Directive security through peat.hpp (ABI 1.1, docs/SECURITY.md): keys
// made by OpenSSL (core/security/testdata), signing and verifying with the
// system protobuf's generated peat.security.v1 classes, targeting from a
// signed envelope, path rules, and peat::ArtifactVerifier (streaming
// sha256/blake3 checks; RAII, move-only, use after close).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "cap/node/v1/node.pb.h"
#include "peat/directive/v1/directive.pb.h"
#include "peat/security/v1/security.pb.h"
#include "peat/validation/v1/validation.pb.h"
#include "support.hpp"

namespace {

namespace dir = peat::directive::v1;
namespace sec = peat::security::v1;
namespace val = peat::validation::v1;

constexpr int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z, the mission clock

// SHA-256 / BLAKE3 of "abc", and SHA-256 of one million 'a' (NIST).
const char* const kSha256Abc = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const char* const kBlake3Abc = "blake3:6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85";
const char* const kSha256MillionA = "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

// The OpenSSL-made fixtures (core/security/testdata/README.md).
std::string fixture(const std::string& name) {
  return peat_test::read_file(std::string(PEAT_SECURITY_FIXTURES) + "/" + name);
}
std::string fixture_key_id() {
  std::string id = fixture("ed25519.keyid");  // `... -outform DER | sha256sum`
  return id.substr(0, 64);
}

dir::DeploymentDirective config_directive(const std::string& target_path) {
  dir::DeploymentDirective d;
  d.set_directive_id("dep-7");
  d.mutable_issued_at()->set_seconds(kNow - 60);
  d.set_issuer_node_id("c2-main");
  d.mutable_scope()->mutable_nodes()->add_node_ids("uav-1");
  auto* art = d.mutable_artifact();
  art->set_blob_hash(kSha256Abc);
  art->set_size_bytes(3);
  art->mutable_artifact_type()->mutable_config_package()->set_target_path(target_path);
  return d;
}

sec::SignRequest sign_request(const dir::DeploymentDirective& d, const std::string& private_pem) {
  sec::SignRequest r;
  *r.mutable_directive() = d;
  r.set_private_key_pem(private_pem);
  return r;
}

sec::VerifyRequest verify_request(const std::string& envelope, const std::vector<std::string>& public_pems,
                                  uint32_t threshold = 0) {
  sec::VerifyRequest r;
  r.set_envelope(envelope);
  for (const std::string& pem : public_pems) r.mutable_trust()->add_keys()->set_public_key_pem(pem);
  r.mutable_trust()->set_threshold(threshold);
  r.mutable_now()->set_seconds(kNow);
  return r;
}

// The envelope bytes of config_directive signed with the fixture key.
std::string signed_envelope() {
  peat::Result<std::string> req =
      peat::to_bytes(sign_request(config_directive("/opt/peat/conf"), fixture("ed25519.pem")));
  if (!req.ok()) throw std::runtime_error(req.error().to_string());
  peat::Result<peat::Buffer> env = peat::directive_sign(*req);
  if (!env.ok()) throw std::runtime_error(env.error().to_string());
  return env->str();
}

// ---- keys ----------------------------------------------------------------------

TEST(SecurityKeys, OpenSSLFixturesInspectToTheirKeyIdAndPublicKey) {
  auto info = peat::inspect_key<sec::KeyInfo>(fixture("ed25519.pem"));
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->key_id(), fixture_key_id());
  EXPECT_EQ(info->public_key_pem(), fixture("ed25519.pub.pem"));  // what `openssl pkey -pubout` wrote
  EXPECT_TRUE(info->is_private());
  auto pub = peat::inspect_key<sec::KeyInfo>(fixture("ed25519.pub.pem"));
  ASSERT_TRUE(pub.ok()) << pub.error().to_string();
  EXPECT_EQ(pub->key_id(), fixture_key_id());
  EXPECT_FALSE(pub->is_private());
}

TEST(SecurityKeys, GeneratedPairIsOpenSSLShapedAndInspectsToItsOwnId) {
  auto pair = peat::generate_key<sec::KeyPair>();
  ASSERT_TRUE(pair.ok()) << pair.error().to_string();
  EXPECT_EQ(pair->private_key_pem().rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
  EXPECT_EQ(pair->public_key_pem().rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  ASSERT_EQ(pair->key_id().size(), 64u);
  auto info = peat::inspect_key<sec::KeyInfo>(pair->private_key_pem());
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->key_id(), pair->key_id());
  EXPECT_EQ(info->public_key_pem(), pair->public_key_pem());
  auto other = peat::generate_key<sec::KeyPair>();
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->key_id(), pair->key_id());
}

TEST(SecurityKeys, KeysOfOtherTypesAndKindsAreCodedErrorsThatQuoteNoKeyMaterial) {
  struct Case {
    std::string pem;
    const char* code;
  };
  const std::vector<Case> cases = {
      {fixture("rsa.pem"), "KEY_WRONG_TYPE"},          {fixture("ec.pem"), "KEY_WRONG_TYPE"},
      {fixture("x25519.pem"), "KEY_WRONG_TYPE"},       {fixture("ed25519-encrypted.pem"), "KEY_ENCRYPTED"},
      {"not a key", "KEY_NOT_PEM"},                    {"", "KEY_NOT_PEM"},
  };
  for (const Case& c : cases) {
    auto r = peat::key_inspect(c.pem);
    ASSERT_FALSE(r.ok()) << c.code;
    EXPECT_EQ(r.status(), peat::Status::InvalidArgument) << c.code;
    EXPECT_EQ(r.error().code(), c.code) << r.error().to_string();
  }
  // A null pointer with a length is refused by libpeat, not dereferenced.
  auto null = peat::key_inspect(peat::Bytes(nullptr, 5));
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(null.status(), peat::Status::InvalidArgument);

  // A public key where a private one is needed, and the reverse; the private
  // key's base64 never appears in the error.
  const std::string priv = fixture("ed25519.pem"), pub = fixture("ed25519.pub.pem");
  auto sign_pub = peat::sign_directive<sec::SignedDirective>(sign_request(config_directive("/opt/peat/conf"), pub));
  ASSERT_FALSE(sign_pub.ok());
  EXPECT_EQ(sign_pub.error().code(), "KEY_NOT_PRIVATE");
  auto trust_priv = peat::verify_directive<sec::VerifyResult>(verify_request(signed_envelope(), {priv}));
  ASSERT_FALSE(trust_priv.ok());
  EXPECT_EQ(trust_priv.status(), peat::Status::InvalidArgument);
  EXPECT_EQ(trust_priv.error().code(), "KEY_NOT_PUBLIC");
  const std::string secret_line = priv.substr(std::strlen("-----BEGIN PRIVATE KEY-----\n"), 40);
  EXPECT_EQ(trust_priv.error().to_string().find(secret_line), std::string::npos);
}

// ---- signing and verifying ------------------------------------------------------

TEST(SecuritySign, DirectiveSignedWithAnOpenSSLKeyVerifies) {
  const dir::DeploymentDirective d = config_directive("/opt/peat/conf");
  auto env = peat::sign_directive<sec::SignedDirective>(sign_request(d, fixture("ed25519.pem")));
  ASSERT_TRUE(env.ok()) << env.error().to_string();
  EXPECT_EQ(env->version(), 1u);
  ASSERT_EQ(env->signatures_size(), 1);
  EXPECT_EQ(env->signatures(0).key_id(), fixture_key_id());
  EXPECT_EQ(env->signatures(0).signature().size(), 64u);

  auto res =
      peat::verify_directive<sec::VerifyResult>(verify_request(env->SerializeAsString(), {fixture("ed25519.pub.pem")}));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_TRUE(res->verified()) << res->DebugString();
  EXPECT_EQ(res->code(), "VERIFIED");
  ASSERT_EQ(res->verified_key_ids_size(), 1);
  EXPECT_EQ(res->verified_key_ids(0), fixture_key_id());
  EXPECT_EQ(res->threshold(), 1u);
  EXPECT_EQ(res->directive().SerializeAsString(), d.SerializeAsString());
}

TEST(SecuritySign, FlippingAnyByteOfTheEnvelopeFailsVerification) {
  std::string env = signed_envelope();
  const std::vector<std::string> trust = {fixture("ed25519.pub.pem")};
  ASSERT_GT(env.size(), 64u);
  for (size_t i = 0; i < env.size(); i++) {
    env[i] = static_cast<char>(env[i] ^ 0x01);
    auto res = peat::verify_directive<sec::VerifyResult>(verify_request(env, trust));
    env[i] = static_cast<char>(env[i] ^ 0x01);
    ASSERT_TRUE(res.ok()) << "byte " << i << ": " << res.error().to_string();
    EXPECT_FALSE(res->verified()) << "byte " << i << " flipped still verifies";
    EXPECT_NE(res->code(), "VERIFIED") << "byte " << i;
  }
  // Unflipped, it still verifies (the loop restored every byte).
  auto res = peat::verify_directive<sec::VerifyResult>(verify_request(env, trust));
  ASSERT_TRUE(res.ok());
  EXPECT_TRUE(res->verified());
  // Truncated envelopes are a result, not an error.
  for (size_t n : {size_t(0), size_t(1), env.size() / 2, env.size() - 1}) {
    auto cut = peat::verify_directive<sec::VerifyResult>(verify_request(env.substr(0, n), trust));
    ASSERT_TRUE(cut.ok()) << n;
    EXPECT_FALSE(cut->verified()) << n;
  }
}

TEST(SecuritySign, KeyOutsideTheTrustSetIsUnknownKey) {
  auto res =
      peat::verify_directive<sec::VerifyResult>(verify_request(signed_envelope(), {fixture("ed25519-b.pub.pem")}));
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_FALSE(res->verified());
  EXPECT_EQ(res->code(), "UNKNOWN_KEY");
  ASSERT_EQ(res->signatures_size(), 1);
  EXPECT_EQ(res->signatures(0).code(), "UNKNOWN_KEY");
  EXPECT_FALSE(res->has_directive());  // the directive is given only when verified
}

TEST(SecuritySign, ThresholdOfTwoNeedsTwoDistinctSigners) {
  const std::vector<std::string> both = {fixture("ed25519.pub.pem"), fixture("ed25519-b.pub.pem")};
  const std::string one = signed_envelope();
  auto res = peat::verify_directive<sec::VerifyResult>(verify_request(one, both, 2));
  ASSERT_TRUE(res.ok());
  EXPECT_FALSE(res->verified());
  EXPECT_EQ(res->code(), "THRESHOLD_NOT_MET");

  sec::SignRequest add;
  add.set_envelope(one);
  add.set_private_key_pem(fixture("ed25519-b.pem"));
  auto two = peat::sign_directive<sec::SignedDirective>(add);
  ASSERT_TRUE(two.ok()) << two.error().to_string();
  ASSERT_EQ(two->signatures_size(), 2);
  res = peat::verify_directive<sec::VerifyResult>(verify_request(two->SerializeAsString(), both, 2));
  ASSERT_TRUE(res.ok());
  EXPECT_TRUE(res->verified()) << res->DebugString();
  EXPECT_EQ(res->verified_key_ids_size(), 2);

  add.set_envelope(two->SerializeAsString());
  add.set_private_key_pem(fixture("ed25519.pem"));
  auto again = peat::sign_directive<sec::SignedDirective>(add);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status(), peat::Status::InvalidArgument);
  EXPECT_EQ(again.error().code(), "DUPLICATE_SIGNER");
}

TEST(SecuritySign, ExpiredKeyAndOldDirectiveDoNotVerify) {
  sec::VerifyRequest req = verify_request(signed_envelope(), {fixture("ed25519.pub.pem")});
  req.mutable_trust()->mutable_keys(0)->mutable_not_after()->set_seconds(kNow - 1);
  auto expired = peat::verify_directive<sec::VerifyResult>(req);
  ASSERT_TRUE(expired.ok()) << expired.error().to_string();
  EXPECT_FALSE(expired->verified());
  EXPECT_EQ(expired->code(), "KEY_EXPIRED");

  req = verify_request(signed_envelope(), {fixture("ed25519.pub.pem")});
  req.set_max_age_seconds(30);  // issued 60 s before now
  auto old = peat::verify_directive<sec::VerifyResult>(req);
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->verified());
  EXPECT_EQ(old->code(), "DIRECTIVE_TOO_OLD");
}

TEST(SecuritySign, UnusableVerifyRequestsAreInvalidArgumentWithACode) {
  const std::string env = signed_envelope();
  const std::string pub = fixture("ed25519.pub.pem");
  struct Case {
    sec::VerifyRequest req;
    const char* code;
  };
  std::vector<Case> cases = {
      {verify_request(env, {}), "EMPTY_TRUST_SET"},
      {verify_request(env, {pub}, 2), "THRESHOLD_UNREACHABLE"},
      {verify_request(env, {pub, pub}), "DUPLICATE_KEY_ID"},
      {verify_request(env, {pub}), "NOW_REQUIRED"},
      {verify_request(env, {pub}), "KEY_ID_MISMATCH"},
  };
  cases[3].req.clear_now();
  cases[4].req.mutable_trust()->mutable_keys(0)->set_key_id(std::string(64, '0'));
  for (const Case& c : cases) {
    auto r = peat::verify_directive<sec::VerifyResult>(c.req);
    ASSERT_FALSE(r.ok()) << c.code;
    EXPECT_EQ(r.status(), peat::Status::InvalidArgument) << c.code;
    EXPECT_EQ(r.error().code(), c.code) << r.error().to_string();
  }
  auto garbage = peat::directive_verify(std::string("\xff", 1));
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status(), peat::Status::Decode);
  sec::SignRequest add;
  add.set_envelope(std::string("\xff\xff\xff", 3));  // not an envelope
  add.set_private_key_pem(fixture("ed25519.pem"));
  auto not_env = peat::sign_directive<sec::SignedDirective>(add);
  ASSERT_FALSE(not_env.ok());
  EXPECT_EQ(not_env.status(), peat::Status::Decode);
  EXPECT_EQ(not_env.error().code(), "MALFORMED_ENVELOPE");
}

sec::SignedTargetRequest target_request(const std::string& envelope, const std::string& trusted_pub) {
  sec::SignedTargetRequest r;
  *r.mutable_verify() = verify_request(envelope, {trusted_pub});
  r.mutable_node_config()->set_id("uav-1");
  r.mutable_node_config()->set_platform_type("quadrotor");
  return r;
}

TEST(SecurityTarget, OnlyAVerifiedEnvelopeIsTargeted) {
  auto ok =
      peat::target_signed<sec::SignedTargetDecision>(target_request(signed_envelope(), fixture("ed25519.pub.pem")));
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_TRUE(ok->decision().targeted()) << ok->DebugString();
  EXPECT_EQ(ok->directive().directive_id(), "dep-7");
  ASSERT_EQ(ok->verified_key_ids_size(), 1);
  EXPECT_EQ(ok->verified_key_ids(0), fixture_key_id());

  auto refused =
      peat::target_signed<sec::SignedTargetDecision>(target_request(signed_envelope(), fixture("ed25519-b.pub.pem")));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status(), peat::Status::NotVerified);
  EXPECT_EQ(refused.error().code(), "UNKNOWN_KEY");
  EXPECT_STREQ(refused.error().status_name(), "NOT_VERIFIED");
  EXPECT_STREQ(peat::status_name(peat::Status::NotVerified), "NOT_VERIFIED");

  // The throwing conveniences raise peat::NotVerified (a peat::Exception).
  try {
    (void)refused.value();
    FAIL() << "value() of a NotVerified result did not throw";
  } catch (const peat::NotVerified& e) {
    EXPECT_EQ(e.error().code(), "UNKNOWN_KEY");
    EXPECT_EQ(e.error().status(), peat::Status::NotVerified);
  }
  EXPECT_THROW(peat::unwrap(std::move(refused)), peat::Exception);
  // Other statuses stay a plain peat::Exception.
  auto bad = peat::key_inspect("junk");
  try {
    (void)bad.value();
    FAIL() << "value() of a failed result did not throw";
  } catch (const peat::NotVerified&) {
    FAIL() << "an InvalidArgument error was thrown as NotVerified";
  } catch (const peat::Exception& e) {
    EXPECT_EQ(e.error().code(), "KEY_NOT_PEM");
  }
}

// ---- path rules ------------------------------------------------------------------

TEST(SecurityPaths, TraversalInTargetPathIsInvalidPath) {
  const char* const field = "artifact.artifact_type.config_package.target_path";
  for (const char* p : {"../../../etc/cron.d", "/opt/peat/../../etc/cron.d", "/opt/peat/a/./../../b", "/opt//peat",
                        "/opt\\peat", "opt/peat", "/opt/pe\x01at"}) {
    auto report = peat::validate_message<val::ValidationReport>(config_directive(p));
    ASSERT_TRUE(report.ok()) << report.error().to_string();
    EXPECT_FALSE(report->valid()) << p;
    bool found = false;
    for (const auto& v : report->violations()) found |= v.code() == "INVALID_PATH" && v.path() == field;
    EXPECT_TRUE(found) << p << "\n" << report->DebugString();
  }
  auto fine = peat::validate_message<val::ValidationReport>(config_directive("/opt/peat/conf"));
  ASSERT_TRUE(fine.ok());
  EXPECT_TRUE(fine->valid()) << fine->DebugString();

  // A node's allowed roots: a well-formed path outside them is PATH_NOT_ALLOWED.
  val::ValidateOptions roots;
  roots.add_allowed_path_roots("/opt/peat");
  auto outside = peat::validate_message<val::ValidationReport>(config_directive("/opt/peatx/conf"), roots);
  ASSERT_TRUE(outside.ok()) << outside.error().to_string();
  ASSERT_EQ(outside->violations_size(), 1) << outside->DebugString();
  EXPECT_EQ(outside->violations(0).code(), "PATH_NOT_ALLOWED");
  EXPECT_EQ(outside->violations(0).path(), field);
  auto inside = peat::validate_message<val::ValidationReport>(config_directive("/opt/peat/conf"), roots);
  ASSERT_TRUE(inside.ok());
  EXPECT_TRUE(inside->valid()) << inside->DebugString();

  // Sanitise reports the normal form and never rewrites a traversal.
  auto clean = peat::sanitize_message<val::SanitizeResult>(config_directive("/opt//peat/./conf/"));
  ASSERT_TRUE(clean.ok()) << clean.error().to_string();
  auto cleaned = peat::from_bytes<dir::DeploymentDirective>(clean->message());
  ASSERT_TRUE(cleaned.ok());
  EXPECT_EQ(cleaned->artifact().artifact_type().config_package().target_path(), "/opt/peat/conf");
  bool normalized = false;
  for (const auto& c : clean->changes()) normalized |= c.code() == "PATH_NORMALIZED" && c.path() == field;
  EXPECT_TRUE(normalized) << clean->DebugString();
  auto kept = peat::sanitize_message<val::SanitizeResult>(config_directive("/opt/peat/../../etc"));
  ASSERT_TRUE(kept.ok());
  auto kept_d = peat::from_bytes<dir::DeploymentDirective>(kept->message());
  ASSERT_TRUE(kept_d.ok());
  EXPECT_EQ(kept_d->artifact().artifact_type().config_package().target_path(), "/opt/peat/../../etc");
}

// ---- artifact verification ---------------------------------------------------------

dir::ArtifactSpec spec(const std::string& hash, uint64_t size) {
  dir::ArtifactSpec s;
  s.set_blob_hash(hash);
  s.set_size_bytes(size);
  return s;
}

peat::ArtifactVerifier verifier(const std::string& hash, uint64_t size) {
  auto v = peat::artifact_verifier(spec(hash, size));
  if (!v.ok()) throw std::runtime_error(v.error().to_string());
  return std::move(*v);
}

static_assert(!std::is_copy_constructible_v<peat::ArtifactVerifier>, "ArtifactVerifier is move-only");
static_assert(!std::is_copy_assignable_v<peat::ArtifactVerifier>, "ArtifactVerifier is move-only");
static_assert(std::is_nothrow_move_constructible_v<peat::ArtifactVerifier>, "moves never throw");
static_assert(std::is_nothrow_move_assignable_v<peat::ArtifactVerifier>, "moves never throw");
static_assert(std::is_nothrow_destructible_v<peat::ArtifactVerifier>, "destruction never throws");
// A raw handle (or any integer) is adopted only explicitly.
static_assert(!std::is_convertible_v<uint64_t, peat::ArtifactVerifier>, "no implicit adoption of a handle");
static_assert(!std::is_convertible_v<int, peat::Bytes>, "an integer is not bytes");

TEST(SecurityArtifact, Sha256AndBlake3StreamsVerify) {
  for (const char* hash : {kSha256Abc, kBlake3Abc}) {
    peat::ArtifactVerifier v = verifier(hash, 3);
    ASSERT_TRUE(v.is_open());
    auto a = v.update("a");
    ASSERT_TRUE(a.ok()) << a.error().to_string();
    EXPECT_EQ(*a, 1u);
    ASSERT_TRUE(v.update(peat::Bytes()).ok());  // an empty chunk is fine
    auto bc = v.update(std::string("bc"));
    ASSERT_TRUE(bc.ok());
    EXPECT_EQ(*bc, 3u);
    EXPECT_EQ(v.bytes_accepted(), 3u);
    auto res = peat::parse<sec::ArtifactResult>(v.finish());
    ASSERT_TRUE(res.ok()) << hash << ": " << res.error().to_string();
    EXPECT_EQ(res->digest(), hash);
    EXPECT_EQ(res->size_bytes(), 3u);
    EXPECT_EQ(res->algorithm(), std::string(hash).rfind("sha256:", 0) == 0 ? sec::HASH_ALGORITHM_SHA256
                                                                            : sec::HASH_ALGORITHM_BLAKE3);
    // finish() again: the same outcome; update() after it: ARTIFACT_FINISHED.
    auto again = v.finish();
    ASSERT_TRUE(again.ok());
    auto late = v.update("x");
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.status(), peat::Status::InvalidArgument);
    EXPECT_EQ(late.error().code(), "ARTIFACT_FINISHED");
  }
}

TEST(SecurityArtifact, ShortLongAndWrongBytesEachHaveTheirCode) {
  for (const char* hash : {kSha256Abc, kBlake3Abc}) {
    {
      peat::ArtifactVerifier v = verifier(hash, 3);
      ASSERT_TRUE(v.update("ab").ok());
      auto r = v.finish();
      ASSERT_FALSE(r.ok()) << hash;
      EXPECT_EQ(r.status(), peat::Status::NotVerified);
      EXPECT_EQ(r.error().code(), "ARTIFACT_TRUNCATED") << hash;
    }
    {
      peat::ArtifactVerifier v = verifier(hash, 3);
      ASSERT_TRUE(v.update("abc").ok());
      auto extra = v.update("d");  // refused at once: stop the download
      ASSERT_FALSE(extra.ok());
      EXPECT_EQ(extra.status(), peat::Status::NotVerified);
      EXPECT_EQ(extra.error().code(), "ARTIFACT_EXCESS");
      EXPECT_EQ(v.bytes_accepted(), 3u);
      auto r = v.finish();
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code(), "ARTIFACT_EXCESS") << hash;
    }
    {
      peat::ArtifactVerifier v = verifier(hash, 3);
      auto extra = v.update("abcd");  // one chunk, one byte long: nothing of it is taken
      ASSERT_FALSE(extra.ok());
      EXPECT_EQ(extra.error().code(), "ARTIFACT_EXCESS");
      EXPECT_EQ(v.bytes_accepted(), 0u);
      auto r = v.finish();
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code(), "ARTIFACT_EXCESS") << hash;
    }
    {
      peat::ArtifactVerifier v = verifier(hash, 3);
      ASSERT_TRUE(v.update("abd").ok());
      auto r = v.finish();
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status(), peat::Status::NotVerified);
      EXPECT_EQ(r.error().code(), "ARTIFACT_DIGEST_MISMATCH") << hash;
      EXPECT_THROW((void)r.value(), peat::NotVerified);
    }
  }
  // The optional sha256 field is checked too.
  dir::ArtifactSpec s = spec(kBlake3Abc, 3);
  s.set_sha256(std::string(kSha256MillionA).substr(7));
  auto v = peat::artifact_verifier(s);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  ASSERT_TRUE(v->update("abc").ok());
  auto r = v->finish();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), "ARTIFACT_SHA256_MISMATCH") << r.error().to_string();
}

TEST(SecurityArtifact, AMillionBytesInUnevenChunks) {
  const std::string a(1000000, 'a');
  peat::ArtifactVerifier v = verifier(kSha256MillionA, a.size());
  for (size_t i = 0; i < a.size();) {
    const size_t n = std::min<size_t>(1 + (i * 7919) % 65536, a.size() - i);
    auto r = v.update(peat::Bytes(a.data() + i, n));
    ASSERT_TRUE(r.ok()) << "at " << i << ": " << r.error().to_string();
    i += n;
    ASSERT_EQ(*r, i);
  }
  auto res = peat::parse<sec::ArtifactResult>(v.finish());
  ASSERT_TRUE(res.ok()) << res.error().to_string();
  EXPECT_EQ(res->digest(), kSha256MillionA);
}

TEST(SecurityArtifact, BadSpecsAreCodedErrorsAndLeaveNoHandle) {
  auto zero = peat::artifact_verifier(spec(kSha256Abc, 0));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status(), peat::Status::InvalidArgument);
  EXPECT_EQ(zero.error().code(), "INVALID_NUMBER");
  auto hash = peat::artifact_verifier(spec("sha256:abc", 3));
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.error().code(), "INVALID_HASH");
  auto md5 = peat::artifact_verifier(spec("md5:900150983cd24fb0d6963f7d28e17f72", 3));
  ASSERT_FALSE(md5.ok());
  EXPECT_EQ(md5.error().code(), "INVALID_HASH");
  auto garbage = peat::artifact_new(std::string("\xff", 1));
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status(), peat::Status::Decode);
}

TEST(SecurityArtifact, UseAfterCloseOrMoveIsACleanError) {
  peat::ArtifactVerifier v = verifier(kSha256Abc, 3);
  const uint64_t h = v.handle();
  ASSERT_NE(h, 0u);
  v.close();
  EXPECT_FALSE(v.is_open());
  EXPECT_FALSE(static_cast<bool>(v));
  EXPECT_EQ(v.handle(), 0u);
  v.close();  // a second close does nothing
  auto u = v.update("abc");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status(), peat::Status::InvalidArgument);
  EXPECT_EQ(u.error().code(), "INVALID_HANDLE");
  auto f = v.finish();
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code(), "INVALID_HANDLE");
  // close() really freed libpeat's object: the raw handle is dead there too.
  peat::Buffer out;
  EXPECT_EQ(peat_artifact_finish(h, out.reset()), PEAT_E_INVALID_ARGUMENT);
  EXPECT_EQ(peat::Error::decode(PEAT_E_INVALID_ARGUMENT, out).code(), "INVALID_HANDLE");

  // Moved from: the source holds nothing; the target carries on the stream.
  peat::ArtifactVerifier src = verifier(kSha256Abc, 3);
  ASSERT_TRUE(src.update("a").ok());
  peat::ArtifactVerifier dst(std::move(src));
  EXPECT_FALSE(src.is_open());  // NOLINT(bugprone-use-after-move): that is the test
  EXPECT_EQ(src.update("bc").error().code(), "INVALID_HANDLE");
  EXPECT_EQ(src.finish().error().code(), "INVALID_HANDLE");
  ASSERT_TRUE(dst.update("bc").ok());
  EXPECT_EQ(dst.bytes_accepted(), 3u);
  EXPECT_TRUE(dst.finish().ok());

  // A default-constructed verifier is closed.
  peat::ArtifactVerifier none;
  EXPECT_FALSE(none.is_open());
  EXPECT_EQ(none.finish().error().code(), "INVALID_HANDLE");
}

// True while libpeat still has the handle (finish on a live, fresh handle
// says TRUNCATED; on a freed one INVALID_HANDLE).
bool live(uint64_t h) {
  peat::Buffer out;
  const int32_t st = peat_artifact_finish(h, out.reset());
  return !(st == PEAT_E_INVALID_ARGUMENT && peat::Error::decode(st, out).code() == "INVALID_HANDLE");
}

TEST(SecurityArtifact, DestructorMoveAssignmentAndReleaseFreeEachHandleOnce) {
  uint64_t h1 = 0;
  {
    peat::ArtifactVerifier v = verifier(kSha256Abc, 3);
    h1 = v.handle();
    EXPECT_TRUE(live(h1));
  }
  EXPECT_FALSE(live(h1));  // freed by the destructor

  peat::ArtifactVerifier a = verifier(kSha256Abc, 3), b = verifier(kBlake3Abc, 3);
  const uint64_t ha = a.handle(), hb = b.handle();
  EXPECT_NE(ha, hb);
  a = std::move(b);  // a's old handle is freed, b's moves over
  EXPECT_FALSE(live(ha));
  EXPECT_TRUE(live(hb));
  EXPECT_EQ(a.handle(), hb);
  EXPECT_EQ(b.handle(), 0u);  // NOLINT(bugprone-use-after-move)
  peat::ArtifactVerifier& same = a;
  a = std::move(same);  // self-move keeps the handle
  EXPECT_EQ(a.handle(), hb);
  EXPECT_TRUE(live(hb));

  const uint64_t raw = a.release();  // ownership leaves the wrapper
  EXPECT_EQ(raw, hb);
  EXPECT_FALSE(a.is_open());
  EXPECT_TRUE(live(raw));
  peat::ArtifactVerifier adopted(raw);  // and comes back
  EXPECT_EQ(adopted.handle(), raw);
  adopted.close();
  EXPECT_FALSE(live(raw));
}

TEST(SecurityArtifact, VerifiersRunInParallelOnThreads) {
  constexpr int kThreads = 4;
  const std::string chunk(4000, 'a');
  std::vector<std::string> digests(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      auto v = peat::artifact_verifier(spec(kSha256MillionA, 1000000));
      if (!v.ok()) return;
      for (int i = 0; i < 250; i++)
        if (!v->update(chunk).ok()) return;
      auto r = peat::parse<sec::ArtifactResult>(v->finish());
      if (r.ok()) digests[static_cast<size_t>(t)] = r->digest();
    });
  }
  for (auto& th : threads) th.join();
  for (const std::string& d : digests) EXPECT_EQ(d, kSha256MillionA);
}

// ---- the docs/SECURITY.md example ----------------------------------------------------
// doc_example holds the C++ example of docs/SECURITY.md verbatim (the test
// below checks that the document's block is this function's body), with the
// names it leaves to the application defined around it.

struct Download {
  std::string bytes;
  size_t at = 0;
  size_t chunk = 2;
  size_t read(char* buf, size_t cap) {
    const size_t n = std::min({cap, chunk, bytes.size() - at});
    std::memcpy(buf, bytes.data() + at, n);
    at += n;
    return n;
  }
};

struct Outcome {
  int rc = -1;
  std::string code;     // the failing call's code, or the verify result's
  std::string installed;  // the digest installed
};

Outcome doc_example(const dir::DeploymentDirective& directive, const std::string& private_pem,
                    const std::string& c2_public_pem, int64_t mission_clock_seconds, Download& download) {
  Outcome o;
  auto fail = [&o](const peat::Error& e) {
    o.code = e.code();
    return o;
  };
  auto refuse = [&o](const peat::Result<sec::VerifyResult>& r) {
    o.code = r.ok() ? r->code() : r.error().code();
    return o;
  };
  auto read_chunk = [&download](char* buf, size_t cap) { return download.read(buf, cap); };
  auto install = [&o](const std::string& digest) {
    o.rc = 0;
    o.installed = digest;
  };
  char buf[4];

  // At the C2: sign with a key made by OpenSSL (or peat::generate_key).
  sec::SignRequest sign;
  *sign.mutable_directive() = directive;
  sign.set_private_key_pem(private_pem);  // `openssl genpkey -algorithm ed25519`
  auto envelope = peat::sign_directive<sec::SignedDirective>(sign);
  if (!envelope.ok()) return fail(envelope.error());  // KEY_NOT_PRIVATE, KEY_WRONG_TYPE, ...
  std::string wire = envelope->SerializeAsString();

  // On the node: act only on what the trust set verifies at the mission clock.
  sec::VerifyRequest verify;
  verify.set_envelope(wire);
  verify.mutable_trust()->add_keys()->set_public_key_pem(c2_public_pem);
  verify.mutable_now()->set_seconds(mission_clock_seconds);
  verify.set_max_age_seconds(3600);
  auto result = peat::verify_directive<sec::VerifyResult>(verify);
  if (!result.ok() || !result->verified()) return refuse(result);  // result->code(): UNKNOWN_KEY, BAD_SIGNATURE, ...
  const dir::DeploymentDirective& verified = result->directive();

  // Stream the download through the verifier; its handle is freed on every path.
  auto verifier = peat::artifact_verifier(verified.artifact());
  if (!verifier.ok()) return fail(verifier.error());
  while (size_t n = read_chunk(buf, sizeof buf)) {
    auto fed = verifier->update(peat::Bytes(buf, n));
    if (!fed.ok()) return fail(fed.error());  // ARTIFACT_EXCESS: stop downloading
  }
  auto done = peat::parse<sec::ArtifactResult>(verifier->finish());
  if (!done.ok()) return fail(done.error());  // NOT_VERIFIED: ARTIFACT_TRUNCATED, ARTIFACT_DIGEST_MISMATCH, ...
  install(done->digest());
  return o;
}

std::vector<std::string> trimmed_lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    const size_t b = line.find_first_not_of(" \t"), e = line.find_last_not_of(" \t\r");
    out.push_back(b == std::string::npos ? std::string() : line.substr(b, e - b + 1));
    start = end + 1;
  }
  return out;
}

TEST(SecurityDocs, TheSecurityMdExampleIsThisTestsCode) {
  const std::string doc = peat_test::read_file(std::string(PEAT_SOURCE_DIR) + "/docs/SECURITY.md");
  const size_t section = doc.find("\n### C++\n");
  ASSERT_NE(section, std::string::npos);
  const size_t open = doc.find("```cpp\n", section);
  ASSERT_NE(open, std::string::npos) << "no ```cpp block under ### C++";
  const size_t body = open + std::strlen("```cpp\n");
  const size_t close = doc.find("\n```", body);
  ASSERT_NE(close, std::string::npos);
  std::vector<std::string> block = trimmed_lines(doc.substr(body, close - body));
  ASSERT_GT(block.size(), 10u);

  const std::vector<std::string> src =
      trimmed_lines(peat_test::read_file(std::string(PEAT_CPP_TESTS_DIR) + "/test_security.cc"));
  auto it = std::search(src.begin(), src.end(), block.begin(), block.end());
  EXPECT_NE(it, src.end()) << "docs/SECURITY.md's C++ example differs from doc_example() in test_security.cc";
}

TEST(SecurityDocs, TheExampleVerifiesAndRefusesAsDocumented) {
  const std::string priv = fixture("ed25519.pem"), pub = fixture("ed25519.pub.pem");
  const dir::DeploymentDirective d = config_directive("/opt/peat/conf");
  Download good{"abc"};
  Outcome ok = doc_example(d, priv, pub, kNow, good);
  EXPECT_EQ(ok.rc, 0) << ok.code;
  EXPECT_EQ(ok.installed, kSha256Abc);

  Download any{"abc"};
  Outcome stranger = doc_example(d, priv, fixture("ed25519-b.pub.pem"), kNow, any);
  EXPECT_NE(stranger.rc, 0);
  EXPECT_EQ(stranger.code, "UNKNOWN_KEY");
  Outcome stale = doc_example(d, priv, pub, kNow + 7200, any);
  EXPECT_EQ(stale.code, "DIRECTIVE_TOO_OLD");
  Outcome not_private = doc_example(d, pub, pub, kNow, any);
  EXPECT_EQ(not_private.code, "KEY_NOT_PRIVATE");

  Download tampered{"abd"}, longer{"abcd"}, shorter{"ab"};
  EXPECT_EQ(doc_example(d, priv, pub, kNow, tampered).code, "ARTIFACT_DIGEST_MISMATCH");
  EXPECT_EQ(doc_example(d, priv, pub, kNow, longer).code, "ARTIFACT_EXCESS");
  EXPECT_EQ(longer.at, 4u);  // stopped at the chunk that overflowed
  EXPECT_EQ(doc_example(d, priv, pub, kNow, shorter).code, "ARTIFACT_TRUNCATED");
}

}  // namespace
