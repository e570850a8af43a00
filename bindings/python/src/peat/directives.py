"""Deployment directives (peat.directive.v1): read/write the Rust reference's
JSON, target a node, advance a status, summarise a rollout.

Validate a directive with :func:`peat.validate` like any other message. A
directive that arrives over the mesh should be signed: target from its
envelope with :func:`peat.security.target_signed`, which refuses one that
does not verify, rather than with :func:`target` (docs/SECURITY.md).
"""

from __future__ import annotations

from typing import Iterable

from . import lowlevel
from ._messages import Format, FormatLike, TimeLike, expect_message, expect_str, items_of, timestamp
from .codec import decode, encode
from .errors import raise_for_status
from .pb.cap.node.v1.node_pb2 import NodeConfig, NodeState
from .pb.peat.directive.v1.directive_pb2 import (
    AdvanceRequest,
    DeploymentDirective,
    DeploymentStatus,
    NodeResources,
    RolloutSummary,
    SummarizeRequest,
    TargetDecision,
    TargetRequest,
    Transition,
)

__all__ = ["read_directive", "write_directive", "read_status", "write_status", "target", "advance", "summarize"]


def read_directive(data: bytes | str, format: FormatLike = Format.RUST_JSON, *,
                   strict: bool = False) -> DeploymentDirective:
    """Decodes a directive, by default from the Rust reference's JSON.

    ``strict=True`` refuses a JSON key that names no field
    (:class:`~peat.errors.DecodeError`, code ``UNKNOWN_FIELD``, ``path`` the
    key's) instead of ignoring it; it changes nothing for binary input.
    """
    return decode(data, DeploymentDirective, format, strict=strict)


def write_directive(directive: DeploymentDirective, format: FormatLike = Format.RUST_JSON) -> bytes:
    """Encodes a directive, by default as the Rust reference's JSON.

    Returns ``bytes`` in every format, like :func:`peat.encode`: for the JSON
    formats that is UTF-8 text (``.decode()`` gives a ``str``; write it with
    ``Path.write_bytes``). :func:`read_directive` takes either.
    """
    return encode(expect_message(directive, DeploymentDirective, "directive"), format)


def read_status(data: bytes | str, format: FormatLike = Format.RUST_JSON, *,
                strict: bool = False) -> DeploymentStatus:
    """Decodes a node's deployment status report, by default from the Rust reference's JSON
    (``strict`` as :func:`read_directive`)."""
    return decode(data, DeploymentStatus, format, strict=strict)


def write_status(status: DeploymentStatus, format: FormatLike = Format.RUST_JSON) -> bytes:
    """Encodes a deployment status report, by default as the Rust reference's JSON (UTF-8 bytes, as
    :func:`write_directive`)."""
    return encode(expect_message(status, DeploymentStatus, "status"), format)


def target(directive: DeploymentDirective, node_config: NodeConfig, *, node_state: NodeState | None = None,
           resources: NodeResources | None = None) -> TargetDecision:
    """Decides whether the node is targeted by the directive (``decision.targeted``,
    with a stable reason ``code``)."""
    req = TargetRequest(directive=expect_message(directive, DeploymentDirective, "directive"),
                        node_config=expect_message(node_config, NodeConfig, "node_config"))
    if node_state is not None:
        req.node_state.CopyFrom(expect_message(node_state, NodeState, "node_state"))
    if resources is not None:
        req.resources.CopyFrom(expect_message(resources, NodeResources, "resources"))
    return TargetDecision.FromString(raise_for_status(lowlevel.directive_target(req.SerializeToString())))


def advance(current: DeploymentStatus, transition: Transition) -> DeploymentStatus:
    """Moves a status through the deployment status machine; returns the new status.

    A move the machine does not allow raises
    :class:`~peat.errors.IllegalTransitionError`.
    """
    req = AdvanceRequest(current=expect_message(current, DeploymentStatus, "current"),
                         transition=expect_message(transition, Transition, "transition"))
    return DeploymentStatus.FromString(raise_for_status(lowlevel.directive_advance(req.SerializeToString())))


def summarize(directive: DeploymentDirective, statuses: Iterable[DeploymentStatus], *, now: TimeLike,
              targeted_node_ids: Iterable[str] = ()) -> RolloutSummary:
    """Summarises a rollout at time ``now``: counts per state, timeouts and the decision.

    ``targeted_node_ids`` empty means every node that reported a status.
    """
    ids = items_of(targeted_node_ids, "targeted_node_ids")
    req = SummarizeRequest(
        directive=expect_message(directive, DeploymentDirective, "directive"),
        statuses=[expect_message(s, DeploymentStatus, "each status") for s in items_of(statuses, "statuses")],
        targeted_node_ids=[expect_str(n, "each targeted node id") for n in ids])
    req.now.CopyFrom(timestamp(now))
    return RolloutSummary.FromString(raise_for_status(lowlevel.directive_summarize(req.SerializeToString())))
