"""Directive security (issue 17): keys, signed directives, trust sets, signed targeting, path rules,
and the artifact verifier (a context manager over a libpeat handle)."""

from __future__ import annotations

import copy
import functools
import gc
import hashlib
import io
import pickle
import random
import re
import threading
import warnings
from pathlib import Path
from typing import Callable

import pytest

import peat
from peat import directives, lowlevel, security
from peat.pb.cap.common.v1.common_pb2 import Timestamp
from peat.pb.peat.directive.v1 import directive_pb2 as d
from peat.pb.peat.security.v1 import security_pb2 as s
from peat.pb.peat.validation.v1.validation_pb2 import ValidationReport

from blake3_ref import blake3
from conftest import ROOT, node_config

#: Keys made with OpenSSL 3.0 (core/security/testdata/README.md).
FIXTURES = ROOT / "core" / "security" / "testdata"
ISSUED = 1_762_387_000
NOW = ISSUED + 60


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


KEY_A, PUB_A = fixture("ed25519.pem"), fixture("ed25519.pub.pem")
KEY_B, PUB_B = fixture("ed25519-b.pem"), fixture("ed25519-b.pub.pem")
KEY_ID_A = fixture("ed25519.keyid").split()[0]


def directive(target_path: str = "/opt/peat/conf", node_ids: tuple[str, ...] = ("uav-1",)) -> d.DeploymentDirective:
    """A valid directive for the nodes `node_ids`, issued at ISSUED, with a config package."""
    out = d.DeploymentDirective(directive_id="d-1", issuer_node_id="c2", issued_at=Timestamp(seconds=ISSUED))
    out.scope.nodes.node_ids.extend(node_ids)
    out.artifact.blob_hash = "sha256:" + hashlib.sha256(b"abc").hexdigest()
    out.artifact.size_bytes = 3
    out.artifact.artifact_type.config_package.target_path = target_path
    return out


def private_lines(pem: str) -> list[str]:
    """The base64 lines of a PEM: what an error must never quote."""
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


# ---- keys -----------------------------------------------------------------------


def test_openssl_keys_have_the_openssl_key_id() -> None:
    private = security.inspect_key(KEY_A)
    public = security.inspect_key(PUB_A.encode())  # bytes, as read from a file in binary mode
    assert private.is_private and not public.is_private
    assert private.key_id == public.key_id == KEY_ID_A  # `openssl pkey -pubin -outform DER | sha256sum`
    assert private.public_key_pem == public.public_key_pem == PUB_A


def test_generated_keys_are_openssl_pem_and_sign() -> None:
    pair = security.generate_key()
    assert pair.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert pair.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    assert re.fullmatch(r"[0-9a-f]{64}", pair.key_id)
    info = security.inspect_key(pair.private_key_pem)
    assert (info.key_id, info.public_key_pem, info.is_private) == (pair.key_id, pair.public_key_pem, True)
    assert security.generate_key().key_id != pair.key_id
    envelope = peat.sign_directive(directive(), pair.private_key_pem)
    result = peat.verify_directive(envelope, [pair.public_key_pem], now=NOW)
    assert result.verified and list(result.verified_key_ids) == [pair.key_id]


@pytest.mark.parametrize("pem, code", [
    (fixture("rsa.pem"), "KEY_WRONG_TYPE"),
    (fixture("ec.pem"), "KEY_WRONG_TYPE"),
    (fixture("x25519.pem"), "KEY_WRONG_TYPE"),
    (PUB_A, "KEY_NOT_PRIVATE"),
    (fixture("ed25519-encrypted.pem"), "KEY_ENCRYPTED"),
    ("not a key", "KEY_NOT_PEM"),
    ("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2Vw\n-----END PRIVATE KEY-----\n", "KEY_MALFORMED"),
])
def test_a_key_that_cannot_sign_has_its_code_and_is_never_quoted(pem: str, code: str) -> None:
    with pytest.raises(peat.InvalidArgumentError) as exc:
        peat.sign_directive(directive(), pem)
    assert exc.value.code == code and exc.value.status_name == "INVALID_ARGUMENT"
    for line in private_lines(pem):
        assert line not in str(exc.value)


def test_key_arguments_are_checked() -> None:
    with pytest.raises(TypeError):
        security.inspect_key(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peat.sign_directive(directive(), 7)  # type: ignore[arg-type]
    with pytest.raises(peat.InvalidArgumentError, match="not UTF-8") as exc:
        peat.sign_directive(directive(), b"\xff" + KEY_A.encode())
    assert "MC4C" not in str(exc.value)  # the key is never quoted
    with pytest.raises(peat.InvalidArgumentError):
        peat.sign_directive(directive(), "\ud800")
    with pytest.raises(peat.InvalidArgumentError) as err:
        security.inspect_key(b"")
    assert err.value.code == "KEY_NOT_PEM"


# ---- sign and verify ------------------------------------------------------------------


def test_sign_with_an_openssl_key_and_verify() -> None:
    signed = directive()
    envelope = peat.sign_directive(signed, KEY_A)
    assert type(envelope) is bytes
    parsed = s.SignedDirective.FromString(envelope)
    assert parsed.version == 1 and [sig.key_id for sig in parsed.signatures] == [KEY_ID_A]
    assert d.DeploymentDirective.FromString(parsed.directive) == signed
    for env in (envelope, bytearray(envelope), memoryview(envelope), parsed):
        for trust in ([PUB_A], (PUB_A.encode(),), security.trust_set([s.TrustedKey(public_key_pem=PUB_A)])):
            result = peat.verify_directive(env, trust, now=NOW)
            assert result.verified and result.code == "VERIFIED", (type(env), trust, result)
            assert list(result.verified_key_ids) == [KEY_ID_A] and result.threshold == 1
            assert [(c.index, c.key_id, c.code) for c in result.signatures] == [(0, KEY_ID_A, "VALID")]
            assert result.directive == signed


def test_flipping_any_byte_of_the_envelope_fails() -> None:
    envelope = peat.sign_directive(directive(), KEY_A)
    assert peat.verify_directive(envelope, [PUB_A], now=NOW).verified
    for i in range(len(envelope)):
        for mask in (0x01, 0x80, 0xFF):
            damaged = bytearray(envelope)
            damaged[i] ^= mask
            result = peat.verify_directive(bytes(damaged), [PUB_A], now=NOW)
            assert not result.verified and result.code != "VERIFIED", (i, mask, result.code)
            assert not result.HasField("directive") and not result.verified_key_ids
    for cut in range(len(envelope)):  # truncated envelopes too
        assert not peat.verify_directive(envelope[:cut], [PUB_A], now=NOW).verified


def test_a_key_outside_the_trust_set_fails() -> None:
    envelope = peat.sign_directive(directive(), KEY_B)
    result = peat.verify_directive(envelope, [PUB_A], now=NOW)
    assert not result.verified and result.code == "UNKNOWN_KEY"
    assert [c.code for c in result.signatures] == ["UNKNOWN_KEY"]
    # the same key id with another key's signature is not a valid signature either
    forged = s.SignedDirective.FromString(envelope)
    forged.signatures[0].key_id = KEY_ID_A
    result = peat.verify_directive(forged, [PUB_A], now=NOW)
    assert not result.verified and result.code == "BAD_SIGNATURE"


def test_two_signers_and_a_threshold() -> None:
    one = peat.sign_directive(directive(), KEY_A)
    two = peat.sign_directive(one, KEY_B)  # adds a signature to the envelope
    assert len(s.SignedDirective.FromString(two).signatures) == 2
    both = security.trust_set([PUB_A, PUB_B], threshold=2)
    result = peat.verify_directive(two, both, now=NOW)
    assert result.verified and result.threshold == 2
    assert list(result.verified_key_ids) == sorted([KEY_ID_A, security.inspect_key(PUB_B).key_id])
    result = peat.verify_directive(one, both, now=NOW)
    assert not result.verified and result.code == "THRESHOLD_NOT_MET"
    with pytest.raises(peat.InvalidArgumentError) as exc:
        peat.sign_directive(two, KEY_A)
    assert exc.value.code == "DUPLICATE_SIGNER"
    with pytest.raises(peat.DecodeError) as dec:
        peat.sign_directive(b"\xff\xff", KEY_A)
    assert dec.value.code == "MALFORMED_ENVELOPE"


def test_key_windows_age_and_pins() -> None:
    envelope = peat.sign_directive(directive(), KEY_A)
    expired = s.TrustedKey(public_key_pem=PUB_A, not_after=Timestamp(seconds=NOW - 1))
    result = peat.verify_directive(envelope, [expired], now=NOW)
    assert not result.verified and result.code == "KEY_EXPIRED"
    early = s.TrustedKey(public_key_pem=PUB_A, not_before=Timestamp(seconds=NOW + 1))
    assert peat.verify_directive(envelope, [early], now=NOW).code == "KEY_NOT_YET_VALID"
    assert peat.verify_directive(envelope, [PUB_A], now=NOW, max_age_seconds=60).verified
    assert peat.verify_directive(envelope, [PUB_A], now=NOW, max_age_seconds=59).code == "DIRECTIVE_TOO_OLD"
    assert peat.verify_directive(envelope, [PUB_A], now=ISSUED - 301).code == "ISSUED_IN_FUTURE"
    assert peat.verify_directive(envelope, [PUB_A], now=ISSUED - 301, max_future_skew_seconds=301).verified
    assert peat.verify_directive(envelope, [s.TrustedKey(public_key_pem=PUB_A, key_id=KEY_ID_A)], now=NOW).verified
    with pytest.raises(peat.InvalidArgumentError) as exc:
        peat.verify_directive(envelope, [s.TrustedKey(public_key_pem=PUB_A, key_id="0" * 64)], now=NOW)
    assert exc.value.code == "KEY_ID_MISMATCH"


@pytest.mark.parametrize("trust, code", [
    ([], "EMPTY_TRUST_SET"),
    ([PUB_A, PUB_A], "DUPLICATE_KEY_ID"),
    (security.trust_set([PUB_A], threshold=2), "THRESHOLD_UNREACHABLE"),
    ([KEY_A], "KEY_NOT_PUBLIC"),
    ([fixture("rsa.pub.pem")], "KEY_WRONG_TYPE"),
])
def test_an_unusable_trust_set_raises_with_its_code(trust: object, code: str) -> None:
    envelope = peat.sign_directive(directive(), KEY_A)
    with pytest.raises(peat.InvalidArgumentError) as exc:
        peat.verify_directive(envelope, trust, now=NOW)  # type: ignore[arg-type]
    assert exc.value.code == code
    for line in private_lines(KEY_A):
        assert line not in str(exc.value)


def test_verify_arguments_are_checked() -> None:
    envelope = peat.sign_directive(directive(), KEY_A)
    for bad_trust in (PUB_A, PUB_A.encode(), None, 7, s.TrustedKey(public_key_pem=PUB_A), [7], [s.KeyInfo()]):
        with pytest.raises(TypeError):
            peat.verify_directive(envelope, bad_trust, now=NOW)  # type: ignore[arg-type]
    for bad_env in ("text", None, 7, s.VerifyResult()):
        with pytest.raises(TypeError):
            peat.verify_directive(bad_env, [PUB_A], now=NOW)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        peat.verify_directive(envelope, [PUB_A])  # type: ignore[call-arg]  # now is required
    with pytest.raises(TypeError):
        peat.verify_directive(envelope, [PUB_A], now=NOW, max_age_seconds=1.5)  # type: ignore[arg-type]
    with pytest.raises(peat.InvalidArgumentError):
        peat.verify_directive(envelope, [PUB_A], now=NOW, max_age_seconds=-1)
    with pytest.raises(peat.InvalidArgumentError):
        security.trust_set([PUB_A], threshold=2**32)
    with pytest.raises(TypeError):
        security.trust_set([PUB_A], threshold=True)
    with pytest.raises(TypeError):
        peat.sign_directive("text", KEY_A)  # type: ignore[arg-type]


# ---- signed targeting ------------------------------------------------------------


def test_target_signed_targets_only_from_a_verified_envelope() -> None:
    envelope = peat.sign_directive(directive(), KEY_A)
    out = security.target_signed(envelope, [PUB_A], node_config("uav-1"), now=NOW)
    assert out.decision.targeted and out.decision.code == d.TARGET_REASON_NODE_LISTED
    assert out.directive == directive() and list(out.verified_key_ids) == [KEY_ID_A]
    miss = security.target_signed(envelope, [PUB_A], node_config("uav-2"), now=NOW)
    assert not miss.decision.targeted
    with pytest.raises(peat.NotVerifiedError) as exc:
        security.target_signed(peat.sign_directive(directive(), KEY_B), [PUB_A], node_config("uav-1"), now=NOW)
    e = exc.value
    assert e.status == 11 and e.status_name == "NOT_VERIFIED" and e.code == "UNKNOWN_KEY"
    assert isinstance(e, peat.PeatError) and type(e) is peat.errors.error_from(11, b"").__class__
    damaged = bytearray(envelope)
    damaged[-1] ^= 1
    with pytest.raises(peat.NotVerifiedError) as exc:
        security.target_signed(bytes(damaged), [PUB_A], node_config("uav-1"), now=NOW)
    assert exc.value.code == "BAD_SIGNATURE"
    with pytest.raises(peat.NotVerifiedError) as exc:
        security.target_signed(envelope, [PUB_A], node_config("uav-1"), now=NOW, max_age_seconds=1)
    assert exc.value.code == "DIRECTIVE_TOO_OLD"


def test_a_status_names_the_signing_key() -> None:
    envelope = peat.sign_directive(directive(), KEY_A)
    key_id = security.target_signed(envelope, [PUB_A], node_config("uav-1"), now=NOW).verified_key_ids[0]
    status = d.DeploymentStatus(directive_id="d-1", node_id="uav-1", state=d.DEPLOYMENT_STATE_PENDING,
                                reported_at=Timestamp(seconds=NOW))
    status = directives.advance(status, d.Transition(state=d.DEPLOYMENT_STATE_DOWNLOADING, signing_key_id=key_id,
                                                     reported_at=Timestamp(seconds=NOW + 1)))
    assert status.signing_key_id == KEY_ID_A


# ---- path rules -------------------------------------------------------------------


PATH = "artifact.artifact_type.config_package.target_path"


def codes(report: ValidationReport) -> set[tuple[str, str]]:
    return {(v.code, v.path) for v in report.violations}


@pytest.mark.parametrize("target", ["../../../etc/cron.d", "/opt/peat/../../etc/cron.d", "/opt//peat", "/opt/./p",
                                    "/opt\\peat", "/opt/pe\x01at", "opt/peat", "/opt/peat/.."])
def test_a_traversal_or_malformed_target_path_is_invalid_path(target: str) -> None:
    report = peat.validate(directive(target), now=NOW)
    assert ("INVALID_PATH", PATH) in codes(report), target
    with pytest.raises(peat.ValidationError) as exc:
        peat.validate_or_raise(directive(target), now=NOW)
    assert "INVALID_PATH" in {v.code for v in exc.value.report.violations}


def test_allowed_path_roots() -> None:
    assert peat.validate(directive("/opt/peat/conf"), now=NOW).valid
    assert peat.validate(directive("/opt/peat/conf"), now=NOW, allowed_path_roots=["/opt/peat"]).valid
    outside = peat.validate(directive("/etc/cron.d"), now=NOW, allowed_path_roots=("/opt/peat", "/srv"))
    assert codes(outside) == {("PATH_NOT_ALLOWED", PATH)}
    assert peat.validate(directive("/etc/cron.d"), allowed_path_roots=["/"]).valid
    batch = peat.validate_batch([directive("/opt/peat/x"), directive("/etc/x")], now=NOW,
                                allowed_path_roots=iter(["/opt/peat"]))
    assert [r.valid for r in batch.reports] == [True, False]
    with pytest.raises(peat.InvalidArgumentError):
        peat.validate(directive(), now=NOW, allowed_path_roots=["relative/root"])
    for bad in ("/opt/peat", None, [b"/opt"], [7]):
        with pytest.raises(TypeError):
            peat.validate(directive(), now=NOW, allowed_path_roots=bad)  # type: ignore[arg-type]


def test_sanitize_reports_the_normalised_path() -> None:
    _, changes = peat.sanitize(directive("/opt/peat//conf/"))
    assert "PATH_NORMALIZED" in {c.code for c in changes}


# ---- artifacts ----------------------------------------------------------------------


BLOB = random.Random(17).randbytes(70_001)  # 68 BLAKE3 chunks and a bit


@functools.lru_cache(maxsize=None)
def digest(data: bytes, alg: str) -> str:
    """The blob_hash of data, computed in Python (hashlib, the plain-Python BLAKE3)."""
    return f"{alg}:" + (hashlib.sha256(data).hexdigest() if alg == "sha256" else blake3(data).hex())


def spec(data: bytes, alg: str, **extra: object) -> d.ArtifactSpec:
    return d.ArtifactSpec(blob_hash=digest(data, alg), size_bytes=len(data), **extra)  # type: ignore[arg-type]


def feed(v: security.ArtifactVerifier, data: bytes, size: int) -> None:
    for i in range(0, len(data), size):
        v.update(data[i:i + size])


@pytest.mark.parametrize("alg", ["sha256", "blake3"])
def test_streaming_verification(alg: str) -> None:
    good = spec(BLOB, alg)
    for size in (1 << 20, 4096, 1000, 1):
        if size == 1 and alg == "blake3":
            size = 7
        with peat.ArtifactVerifier(good) as v:
            feed(v, BLOB, size)
            v.update(b"")
            result = v.finish()
            assert v.finish() == result  # the same outcome again
        assert result.digest == good.blob_hash and result.size_bytes == len(BLOB)
        assert result.algorithm == (s.HASH_ALGORITHM_SHA256 if alg == "sha256" else s.HASH_ALGORITHM_BLAKE3)
        assert not result.sha256_checked and v.closed


@pytest.mark.parametrize("alg", ["sha256", "blake3"])
def test_one_byte_short_long_or_wrong(alg: str) -> None:
    good = spec(BLOB, alg)
    with peat.ArtifactVerifier(good) as v:
        feed(v, BLOB[:-1], 4096)
        with pytest.raises(peat.NotVerifiedError) as exc:
            v.finish()
        assert exc.value.code == "ARTIFACT_TRUNCATED" and exc.value.status_name == "NOT_VERIFIED"
    with peat.ArtifactVerifier(good) as v:
        feed(v, BLOB, 4096)
        with pytest.raises(peat.NotVerifiedError) as exc:
            v.update(b"x")  # refused at once, before finish
        assert exc.value.code == "ARTIFACT_EXCESS"
        with pytest.raises(peat.InvalidArgumentError) as err:
            v.update(b"")
        assert err.value.code == "ARTIFACT_FINISHED"
        with pytest.raises(peat.NotVerifiedError) as exc:
            v.finish()
        assert exc.value.code == "ARTIFACT_EXCESS"
    wrong = bytearray(BLOB)
    wrong[len(wrong) // 2] ^= 0x10
    with peat.ArtifactVerifier(good) as v:
        feed(v, bytes(wrong), 65536)
        with pytest.raises(peat.NotVerifiedError) as exc:
            v.finish()
        assert exc.value.code == "ARTIFACT_DIGEST_MISMATCH"
        with pytest.raises(peat.InvalidArgumentError) as err:
            v.update(b"")
        assert err.value.code == "ARTIFACT_FINISHED"


def test_the_sha256_field_is_checked_too() -> None:
    sha = hashlib.sha256(BLOB).hexdigest()
    result = security.verify_artifact(spec(BLOB, "blake3", sha256=sha), BLOB)
    assert result.sha256_checked and result.algorithm == s.HASH_ALGORITHM_BLAKE3
    with pytest.raises(peat.NotVerifiedError) as exc:
        security.verify_artifact(spec(BLOB, "blake3", sha256="0" * 64), BLOB)
    assert exc.value.code == "ARTIFACT_SHA256_MISMATCH"


def test_verify_artifact_reads_files_iterables_and_bytes(tmp_path: Path) -> None:
    good = spec(BLOB, "sha256")
    blob = tmp_path / "blob"
    blob.write_bytes(BLOB)
    with open(blob, "rb") as f:
        assert security.verify_artifact(good, f, chunk_size=5000).size_bytes == len(BLOB)
    assert security.verify_artifact(good, io.BytesIO(BLOB)).digest == good.blob_hash
    assert security.verify_artifact(good, (BLOB[i:i + 999] for i in range(0, len(BLOB), 999))).size_bytes
    assert security.verify_artifact(good, bytearray(BLOB), chunk_size=1).size_bytes == len(BLOB)
    directive_ = d.DeploymentDirective(artifact=good)
    assert security.verify_artifact(directive_, memoryview(BLOB)).size_bytes == len(BLOB)
    with pytest.raises(peat.NotVerifiedError) as exc:
        security.verify_artifact(good, io.BytesIO(BLOB + b"\0"), chunk_size=len(BLOB))
    assert exc.value.code == "ARTIFACT_EXCESS"
    with pytest.raises(peat.NotVerifiedError) as exc:
        security.verify_artifact(good, [])
    assert exc.value.code == "ARTIFACT_TRUNCATED"
    for bad in ("text", None, 7, [7], ["text"], io.StringIO("text")):
        with pytest.raises(TypeError):
            security.verify_artifact(good, bad)
    for bad_size, error in ((0, peat.InvalidArgumentError), (2**30 + 1, peat.InvalidArgumentError),
                            (1.5, TypeError), (True, TypeError)):
        with pytest.raises(error):
            security.verify_artifact(good, BLOB, chunk_size=bad_size)  # type: ignore[arg-type]


def test_a_bad_spec_is_refused_with_its_code() -> None:
    for bad, code in ((d.ArtifactSpec(blob_hash=spec(b"abc", "sha256").blob_hash), "INVALID_NUMBER"),
                      (d.ArtifactSpec(blob_hash="md5:abc", size_bytes=3), "INVALID_HASH")):
        with pytest.raises(peat.InvalidArgumentError) as exc:
            peat.ArtifactVerifier(bad)
        assert exc.value.code == code
    wrong: object
    for wrong in (None, b"", spec(b"abc", "sha256").SerializeToString(), d.ArtifactType(), {}):
        with pytest.raises(TypeError):
            peat.ArtifactVerifier(wrong)  # type: ignore[arg-type]


def _closed(v: peat.ArtifactVerifier) -> bool:
    # a call, not the attribute: mypy would narrow `v.closed` after `assert not v.closed` and
    # take the rest of the test for unreachable (so unchecked)
    return v.closed


def test_use_after_close_is_a_clean_error_and_close_is_idempotent() -> None:
    v = peat.ArtifactVerifier(spec(b"abc", "sha256"))
    assert not _closed(v) and "handle" in repr(v)
    v.update(b"ab")
    v.close()
    v.close()
    assert _closed(v) and repr(v) == "<ArtifactVerifier closed>"
    for call in (lambda: v.update(b"c"), v.finish, v.__enter__):
        with pytest.raises(peat.InvalidArgumentError) as exc:
            call()
        assert exc.value.code == "INVALID_HANDLE" and "closed" in exc.value.message
        assert isinstance(exc.value, ValueError)
    with pytest.raises(TypeError):
        v.update("c")  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        with peat.ArtifactVerifier(spec(b"abc", "sha256")) as w:
            raise RuntimeError("download failed")
    assert w.closed
    for dup in (copy.copy, copy.deepcopy, pickle.dumps):
        with pytest.raises(TypeError):
            dup(w)


def test_a_handle_used_after_free_or_of_another_kind_is_an_error_never_a_crash() -> None:
    status, handle, out = lowlevel.artifact_new(spec(b"abc", "sha256").SerializeToString())
    assert status == 0 and handle != 0 and out == b""
    assert lowlevel.artifact_update(handle, b"abc") == (0, b"")
    lowlevel.artifact_free(handle)
    lowlevel.artifact_free(handle)  # double free: a no-op
    lowlevel.artifact_free(0)
    calls: list[Callable[[], tuple[int, bytes]]] = [
        lambda: lowlevel.artifact_update(handle, b"x"), lambda: lowlevel.artifact_finish(handle),
        lambda: lowlevel.artifact_finish(0)]
    for call in calls:
        rc, err = call()
        assert rc == 1 and peat.errors.error_from(rc, err).code == "INVALID_HANDLE"
    rc, err = lowlevel.artifact_finish(handle & ~0xFF)
    assert rc == 1 and peat.errors.error_from(rc, err).code == "WRONG_HANDLE_KIND"
    status, again, _ = lowlevel.artifact_new(spec(b"abc", "sha256").SerializeToString())
    assert status == 0 and again != handle  # never reused
    lowlevel.artifact_free(again)
    status, none, out = lowlevel.artifact_new(b"\xff")
    assert status != 0 and none == 0 and peat.errors.error_from(status, out).code


def test_closed_and_collected_verifiers_release_their_handles() -> None:
    # More verifiers than libpeat allows live at once (65,536): each must be released.
    good = spec(b"abc", "sha256")
    for _ in range(70_000):
        with peat.ArtifactVerifier(good):
            pass
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(70_000):
            peat.ArtifactVerifier(good)  # never closed: __del__ frees it
        gc.collect()
    assert len(caught) == 70_000 and all(w.category is ResourceWarning for w in caught)
    assert "unclosed <ArtifactVerifier handle" in str(caught[0].message)


def test_del_of_an_unclosed_verifier_frees_its_handle_once() -> None:
    v = peat.ArtifactVerifier(spec(b"abc", "sha256"))
    handle = v._handle
    with pytest.warns(ResourceWarning):
        del v
        gc.collect()
    rc, err = lowlevel.artifact_finish(handle)
    assert rc == 1 and peat.errors.error_from(rc, err).code == "INVALID_HANDLE"
    # a verifier whose __init__ failed has nothing to free and says nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(peat.InvalidArgumentError):
            peat.ArtifactVerifier(d.ArtifactSpec())
        gc.collect()


def test_verifiers_in_threads() -> None:
    errors: list[BaseException] = []

    def own(alg: str) -> None:  # each thread its own verifier: they run in parallel
        try:
            for _ in range(20):
                with peat.ArtifactVerifier(spec(BLOB, alg)) as v:
                    feed(v, BLOB, 8192)
                    v.finish()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=own, args=(alg,)) for alg in ("sha256", "blake3", "sha256", "blake3")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

    # misuse: one verifier closed by one thread while another feeds it; never a crash
    for _ in range(20):
        v = peat.ArtifactVerifier(spec(BLOB * 20, "sha256"))
        outcomes: list[str] = []

        def feeder() -> None:
            try:
                feed(v, BLOB * 20, 4096)
                outcomes.append("fed")
            except peat.InvalidArgumentError as exc:
                outcomes.append(exc.code)

        t = threading.Thread(target=feeder)
        t.start()
        v.close()
        t.join()
        assert outcomes in (["fed"], ["INVALID_HANDLE"])


def test_not_verified_status() -> None:
    assert lowlevel.status_name(11) == "NOT_VERIFIED" and peat.NotVerifiedError.STATUS == 11
    assert peat.errors._BY_STATUS[11] is peat.NotVerifiedError


# ---- the docs/SECURITY.md example --------------------------------------------------------


def test_the_security_md_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "docs" / "SECURITY.md").read_text()
    section = text.split("### Python", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "docs/SECURITY.md: one python block under ### Python"
    import time

    model = random.Random(3).randbytes(3 << 20)
    spec_ = d.ArtifactSpec(blob_hash="sha256:" + hashlib.sha256(model).hexdigest(), size_bytes=len(model))
    spec_.artifact_type.onnx_model.SetInParent()
    signed = d.DeploymentDirective(directive_id="d-7", issuer_node_id="c2", artifact=spec_,
                                   issued_at=Timestamp(seconds=int(time.time())))
    signed.scope.broadcast.SetInParent()
    (tmp_path / "directive.json").write_bytes(directives.write_directive(signed))
    (tmp_path / "c2.pem").write_text(KEY_A)
    (tmp_path / "c2.pub.pem").write_text(PUB_A)
    (tmp_path / "model.onnx").write_bytes(model)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "docs/SECURITY.md", "exec"), namespace)
    assert namespace["decision"].decision.targeted  # type: ignore[attr-defined]
    assert namespace["result"].size_bytes == len(model)  # type: ignore[attr-defined]
