"""Directive security (peat.security.v1; docs/SECURITY.md): keys, signed
directives, targeting only verified directives, streaming artifact checks.

* Keys are Ed25519 PEM text exactly as OpenSSL writes it: PKCS#8 private
  keys (``openssl genpkey -algorithm ed25519``), SubjectPublicKeyInfo public
  keys (``openssl pkey -pubout``). :func:`generate_key` makes a pair,
  :func:`inspect_key` gives a key's id (the lowercase hex SHA-256 of its DER
  SubjectPublicKeyInfo).
* A C2 signs a directive with :func:`sign_directive`, which returns the bytes
  of a ``SignedDirective`` envelope to send as they are; a second signer
  passes those bytes to :func:`sign_directive` again.
* A node checks an envelope against its trust set with
  :func:`verify_directive` (a result, verified or not) or targets itself
  from it with :func:`target_signed`, which raises
  :class:`~peat.errors.NotVerifiedError` for an envelope that does not
  verify.
* A node checks a download chunk by chunk with :class:`ArtifactVerifier`
  (a context manager over a libpeat handle) or :func:`verify_artifact`.

Every rule is libpeat's; this module builds the requests and reads the
results. Errors never quote private key material.
"""

from __future__ import annotations

import warnings
from typing import Iterable, NoReturn, Union

from google.protobuf.message import Message

from . import lowlevel
from ._messages import TimeLike, data_bytes, expect_message, invalid, items_of, kind, size_arg, timestamp
from .errors import InvalidArgumentError, error_from, raise_for_status
from .pb.cap.node.v1.node_pb2 import NodeConfig, NodeState
from .pb.peat.directive.v1.directive_pb2 import ArtifactSpec, DeploymentDirective, NodeResources
from .pb.peat.security.v1.security_pb2 import (
    ArtifactResult,
    KeyInfo,
    KeyPair,
    SignedDirective,
    SignedTargetDecision,
    SignedTargetRequest,
    SignRequest,
    TrustedKey,
    TrustSet,
    VerifyRequest,
    VerifyResult,
)

__all__ = [
    "generate_key",
    "inspect_key",
    "trust_set",
    "sign_directive",
    "verify_directive",
    "target_signed",
    "ArtifactVerifier",
    "verify_artifact",
]

#: PEM text: a str, or its bytes (as read from a file opened in binary mode).
PemLike = Union[str, bytes, bytearray, memoryview]
#: A trusted key: its public key PEM, or a TrustedKey message (key id pin, validity window).
KeyLike = Union[str, bytes, bytearray, memoryview, TrustedKey]
#: A trust set: a TrustSet message, or trusted keys (threshold 1).
TrustLike = Union[TrustSet, Iterable[KeyLike]]
#: A signed envelope: its bytes as received, or a SignedDirective message.
EnvelopeLike = Union[bytes, bytearray, memoryview, SignedDirective]
#: What to check a download against: an ArtifactSpec, or a directive (its ``artifact``).
ArtifactLike = Union[ArtifactSpec, DeploymentDirective]

_UINT32_MAX = (1 << 32) - 1
_MAX_CHUNK = 1 << 30  # peat_artifact_update's limit on one chunk


def _pem_text(value: object, what: str) -> str:
    """PEM text for a string field of a request; never quotes the value in an error."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            raise invalid(f"{what} is not valid Unicode (lone surrogate)") from None
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode()
        except UnicodeDecodeError:
            raise invalid(f"{what} is not UTF-8 text, so not PEM") from None
    raise TypeError(f"{what} must be PEM text (str or bytes), not {kind(value)}")


def _pem_bytes(value: object, what: str) -> bytes:
    """PEM as the bytes peat_key_inspect reads."""
    if isinstance(value, str):
        try:
            return value.encode()
        except UnicodeEncodeError:
            raise invalid(f"{what} is not valid Unicode (lone surrogate)") from None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be PEM text (str or bytes), not {kind(value)}")


def generate_key() -> KeyPair:
    """Generates an Ed25519 key pair from the system's randomness.

    Returns a ``KeyPair``: ``private_key_pem`` (PKCS#8, as ``openssl genpkey``
    writes), ``public_key_pem`` (SubjectPublicKeyInfo) and ``key_id``. Store
    the private key as a secret (e.g. a file of mode 0600).
    """
    return KeyPair.FromString(raise_for_status(lowlevel.key_generate()))


def inspect_key(pem: PemLike) -> KeyInfo:
    """Reads a private or public Ed25519 key PEM; returns its ``key_id``, ``public_key_pem``
    and ``is_private``.

    A key that is not Ed25519 PEM raises :class:`~peat.errors.InvalidArgumentError`
    with a code (``KEY_NOT_PEM``, ``KEY_WRONG_TYPE``, ``KEY_ENCRYPTED``, ``KEY_MALFORMED``).
    """
    return KeyInfo.FromString(raise_for_status(lowlevel.key_inspect(_pem_bytes(pem, "pem"))))


def _trusted_key(value: object) -> TrustedKey:
    if isinstance(value, TrustedKey):
        return value
    if isinstance(value, Message):
        raise TypeError(f"a trusted key is public key PEM or a TrustedKey, not a {value.DESCRIPTOR.full_name}")
    return TrustedKey(public_key_pem=_pem_text(value, "each trusted key"))


def trust_set(keys: Iterable[KeyLike], *, threshold: int = 0) -> TrustSet:
    """A ``TrustSet`` of public keys, of which ``threshold`` distinct ones must sign (0 means 1).

    Each key is public key PEM (str or bytes) or a ``TrustedKey`` (to pin its
    ``key_id`` or give it a ``not_before``/``not_after`` window). libpeat
    judges the set when it is used: an empty set, duplicate keys or a
    threshold above the number of keys raise
    :class:`~peat.errors.InvalidArgumentError` there.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise TypeError(f"threshold must be an int, not {kind(threshold)}")
    if not 0 <= threshold <= _UINT32_MAX:
        raise invalid(f"threshold must be between 0 and 2**32 - 1, got {threshold}")
    return TrustSet(keys=_keys(keys, "keys"), threshold=threshold)


def _keys(value: object, what: str) -> list[TrustedKey]:
    if isinstance(value, Message):
        raise TypeError(f"{what} must be an iterable of keys, not a {value.DESCRIPTOR.full_name}")
    return [_trusted_key(k) for k in items_of(value, what)]


def _trust(value: object) -> TrustSet:
    if isinstance(value, TrustSet):
        return value
    return TrustSet(keys=_keys(value, "trust (a TrustSet or public keys)"))


def _envelope(value: object, what: str = "envelope") -> bytes:
    if isinstance(value, SignedDirective):
        return value.SerializeToString()
    if isinstance(value, Message):
        raise TypeError(f"{what} must be the bytes of a SignedDirective, not a {value.DESCRIPTOR.full_name}")
    return data_bytes(value, what)


def _optional_u64(value: object, what: str) -> int | None:
    return None if value is None else size_arg(value, what)


def _verify_request(envelope: object, trust: object, now: TimeLike, max_age_seconds: object,
                    max_future_skew_seconds: object) -> VerifyRequest:
    req = VerifyRequest(envelope=_envelope(envelope), trust=_trust(trust))
    req.now.CopyFrom(timestamp(now))
    age = _optional_u64(max_age_seconds, "max_age_seconds")
    if age is not None:
        req.max_age_seconds = age
    skew = _optional_u64(max_future_skew_seconds, "max_future_skew_seconds")
    if skew is not None:
        req.max_future_skew_seconds = skew
    return req


def sign_directive(subject: DeploymentDirective | EnvelopeLike, private_key_pem: PemLike) -> bytes:
    """Signs a directive; returns the bytes of the ``SignedDirective`` envelope.

    ``subject`` is a ``DeploymentDirective`` (a new envelope: libpeat encodes
    the directive deterministically and signs those bytes), or an existing
    envelope (bytes or a ``SignedDirective``) to which this key's signature is
    added (a key that already signed it raises
    :class:`~peat.errors.InvalidArgumentError`, code ``DUPLICATE_SIGNER``).
    ``private_key_pem`` is PKCS#8 PEM, as ``openssl genpkey -algorithm ed25519``
    writes it. The directive is not validated: validate it first.
    """
    req = SignRequest(private_key_pem=_pem_text(private_key_pem, "private_key_pem"))
    if isinstance(subject, DeploymentDirective):
        req.directive.CopyFrom(subject)
    else:
        req.envelope = _envelope(subject, "subject (a DeploymentDirective or an envelope)")
    return raise_for_status(lowlevel.directive_sign(req.SerializeToString()))


def verify_directive(envelope: EnvelopeLike, trust: TrustLike, *, now: TimeLike,
                     max_age_seconds: int | None = None,
                     max_future_skew_seconds: int | None = None) -> VerifyResult:
    """Verifies a signed directive against a trust set at time ``now``.

    Returns a ``VerifyResult`` whether or not the envelope verifies:
    ``verified``, a ``code`` (``VERIFIED``, or why not: ``UNKNOWN_KEY``,
    ``BAD_SIGNATURE``, ``MALFORMED_ENVELOPE``, ``THRESHOLD_NOT_MET``,
    ``DIRECTIVE_TOO_OLD``, ...), the ``verified_key_ids``, one check per
    signature, and the ``directive`` (only when verified). ``trust`` is a
    ``TrustSet`` or public keys (see :func:`trust_set`); ``now`` is required
    (libpeat reads no clock). ``max_age_seconds`` refuses a directive issued
    longer ago; ``max_future_skew_seconds`` (default 300) how far in the
    future its ``issued_at`` may be. An unusable trust set raises
    :class:`~peat.errors.InvalidArgumentError` (``EMPTY_TRUST_SET``,
    ``DUPLICATE_KEY_ID``, ``THRESHOLD_UNREACHABLE``, a key code, ...).
    """
    req = _verify_request(envelope, trust, now, max_age_seconds, max_future_skew_seconds)
    return VerifyResult.FromString(raise_for_status(lowlevel.directive_verify(req.SerializeToString())))


def target_signed(envelope: EnvelopeLike, trust: TrustLike, node_config: NodeConfig, *, now: TimeLike,
                  node_state: NodeState | None = None, resources: NodeResources | None = None,
                  max_age_seconds: int | None = None,
                  max_future_skew_seconds: int | None = None) -> SignedTargetDecision:
    """Targets the node from a signed directive: verifies it as :func:`verify_directive`
    does and, only if it verifies, decides as :func:`peat.directives.target` does.

    Returns a ``SignedTargetDecision``: the ``decision``, the verified
    ``directive`` and the ``verified_key_ids`` (the first is what a
    ``DeploymentStatus`` names in ``signing_key_id``). An envelope that does
    not verify raises :class:`~peat.errors.NotVerifiedError` with the
    verification's code.
    """
    req = SignedTargetRequest(
        verify=_verify_request(envelope, trust, now, max_age_seconds, max_future_skew_seconds),
        node_config=expect_message(node_config, NodeConfig, "node_config"))
    if node_state is not None:
        req.node_state.CopyFrom(expect_message(node_state, NodeState, "node_state"))
    if resources is not None:
        req.resources.CopyFrom(expect_message(resources, NodeResources, "resources"))
    return SignedTargetDecision.FromString(
        raise_for_status(lowlevel.directive_target_signed(req.SerializeToString())))


def _artifact_spec(value: object) -> ArtifactSpec:
    if isinstance(value, ArtifactSpec):
        return value
    if isinstance(value, DeploymentDirective):
        return value.artifact
    raise TypeError(f"artifact must be a peat.directive.v1.ArtifactSpec or DeploymentDirective, not {kind(value)}")


class ArtifactVerifier:
    """Checks, chunk by chunk and in constant memory, that downloaded bytes are an artifact.

    The bytes must be exactly the artifact's ``size_bytes`` long, their digest
    its ``blob_hash`` (``sha256:`` or ``blake3:``) and, when set, their
    SHA-256 its ``sha256``. Use it as a context manager, which releases the
    libpeat handle behind it on exit::

        with ArtifactVerifier(directive.artifact) as v:
            for chunk in download:
                v.update(chunk)        # one byte too many: NotVerifiedError (ARTIFACT_EXCESS)
            result = v.finish()        # NotVerifiedError unless the bytes are the artifact

    :meth:`close` releases the handle explicitly; closing twice is a no-op,
    and a verifier that is garbage-collected unclosed is closed then (with a
    ``ResourceWarning``, like an unclosed file). After :meth:`close`,
    :meth:`update` and :meth:`finish` raise
    :class:`~peat.errors.InvalidArgumentError` (code ``INVALID_HANDLE``).
    A verifier is meant for one thread at a time; libpeat serialises misuse.
    It cannot be copied or pickled.
    """

    #: The libpeat handle; 0 once closed (or when __init__ failed).
    _handle = 0

    def __init__(self, artifact: ArtifactLike) -> None:
        """Starts a verification of ``artifact`` (an ``ArtifactSpec``, or a directive's artifact).

        A bad spec raises :class:`~peat.errors.InvalidArgumentError`: a
        ``size_bytes`` of 0 (``INVALID_NUMBER``), a malformed ``blob_hash``
        (``INVALID_HASH``); more than 65,536 live verifiers in the process
        raise :class:`~peat.errors.TooLargeError` (``TOO_MANY_HANDLES``).
        """
        spec = _artifact_spec(artifact).SerializeToString()
        status, handle, out = lowlevel.artifact_new(spec)
        if status:
            raise error_from(status, out)
        self._handle = handle

    def _live(self) -> int:
        handle = self._handle
        if not handle:
            raise InvalidArgumentError(InvalidArgumentError.STATUS, "INVALID_HANDLE", "the ArtifactVerifier is closed")
        return handle

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return not self._handle

    def update(self, chunk: bytes | bytearray | memoryview) -> None:
        """Feeds the next chunk of the download (any size up to 1 GiB; empty is fine).

        Bytes past ``size_bytes`` raise :class:`~peat.errors.NotVerifiedError`
        (``ARTIFACT_EXCESS``) at once, so a too-long download can stop early;
        the verification then stays failed, and a later update raises
        :class:`~peat.errors.InvalidArgumentError` (``ARTIFACT_FINISHED``), as
        an update after :meth:`finish` does.
        """
        data = data_bytes(chunk, "chunk")
        raise_for_status(lowlevel.artifact_update(self._live(), data))

    def finish(self) -> ArtifactResult:
        """Ends the verification: returns an ``ArtifactResult`` (``digest``, ``size_bytes``,
        ``algorithm``, ``sha256_checked``) when the bytes are the artifact.

        Otherwise raises :class:`~peat.errors.NotVerifiedError` with
        ``ARTIFACT_TRUNCATED`` (fewer bytes), ``ARTIFACT_EXCESS``,
        ``ARTIFACT_DIGEST_MISMATCH`` or ``ARTIFACT_SHA256_MISMATCH``. Calling it
        again gives the same outcome; the verifier stays open until :meth:`close`.
        """
        return ArtifactResult.FromString(raise_for_status(lowlevel.artifact_finish(self._live())))

    def close(self) -> None:
        """Releases the libpeat handle. Idempotent."""
        handle, self._handle = self._handle, 0
        if handle:
            lowlevel.artifact_free(handle)

    def __enter__(self) -> ArtifactVerifier:
        self._live()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # Also runs for an instance whose __init__ failed (class default 0),
        # at interpreter shutdown and in a forked child (where every libpeat
        # call raises LibraryUnavailableError): never let anything escape.
        if not self._handle:
            return
        try:
            warnings.warn(f"unclosed {self!r}", ResourceWarning, source=self)
        except Exception:  # noqa: BLE001 - the warnings machinery may be gone at shutdown
            pass
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass

    def __reduce__(self) -> NoReturn:
        raise TypeError("an ArtifactVerifier holds a libpeat handle: it cannot be copied or pickled")

    def __repr__(self) -> str:
        return f"<ArtifactVerifier {'closed' if self.closed else f'handle {self._handle:#x}'}>"


def verify_artifact(artifact: ArtifactLike, source: object, *, chunk_size: int = 1 << 20) -> ArtifactResult:
    """Verifies a whole download with an :class:`ArtifactVerifier`; returns its ``ArtifactResult``.

    ``source`` is a binary file object (read ``chunk_size`` bytes at a time,
    so memory stays constant), an iterable of bytes chunks, or the bytes
    themselves. Stops at the first chunk past ``size_bytes``. Raises
    :class:`~peat.errors.NotVerifiedError` when the bytes are not the artifact.
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise TypeError(f"chunk_size must be an int, not {kind(chunk_size)}")
    if not 1 <= chunk_size <= _MAX_CHUNK:
        raise invalid(f"chunk_size must be between 1 and 2**30, got {chunk_size}")
    if isinstance(source, str) or source is None:
        raise TypeError(f"source must be a binary file, an iterable of bytes or bytes, not {kind(source)}")
    read = None if isinstance(source, (bytes, bytearray, memoryview)) else getattr(source, "read", None)
    with ArtifactVerifier(artifact) as v:
        if read is not None:
            while True:
                chunk = read(chunk_size)
                if not chunk:
                    break
                v.update(chunk)
        elif isinstance(source, (bytes, bytearray, memoryview)):
            data = memoryview(data_bytes(source, "source"))
            for i in range(0, len(data), chunk_size):
                v.update(data[i:i + chunk_size])
        else:
            try:
                chunks = iter(source)  # type: ignore[call-overload]
            except TypeError:
                raise TypeError(f"source must be a binary file, an iterable of bytes or bytes, "
                                f"not {kind(source)}") from None
            for chunk in chunks:
                v.update(chunk)
        return v.finish()
