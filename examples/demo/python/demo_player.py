#!/usr/bin/env python3
"""The Python player of `make demo`: hosts the replicas of the plan's Python
nodes (n3, n4) and plays one phase per run, as examples/demo/README.md
specifies (the player contract). Uses only the `peat` package's public API.

Usage: demo_player.py PHASE [ROUND] --dir DIR
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import random
import sys
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2, message_factory

import peat
from peat import CellDocument, Document, NodeDocument, ZoneDocument
from peat.directives import advance, target
from peat.pb.peat.directive.v1.directive_pb2 import (
    DeploymentDirective,
    DeploymentState,
    DeploymentStatus,
    Transition,
)

# The demo's own schema (examples/demo/proto, peat.demo.v1) is not in the peat
# package: `make demo-python` compiles it into a descriptor set with the
# project's protoc, and the Plan class is built from it at start-up, in the
# pool of the package's message classes, so that the plan's embedded messages
# (operations, node configs, transitions...) are the package's own classes.
DESCRIPTORS = Path(os.environ.get("PEAT_DEMO_DESCRIPTORS")
                   or Path(__file__).resolve().parents[3] / "build" / "demo-bin" / "python" / "demo.binpb")


def plan_class(path: Path = DESCRIPTORS) -> Any:
    """The peat.demo.v1.Plan message class, built from the demo's descriptor set."""
    pool = DeploymentDirective.DESCRIPTOR.file.pool
    files = descriptor_pb2.FileDescriptorSet.FromString(path.read_bytes()).file
    for f in files:
        for dep in f.dependency:  # the product files it imports: load the package's module for each
            try:
                pool.FindFileByName(dep)
            except KeyError:
                importlib.import_module("peat.pb." + dep.removesuffix(".proto").replace("/", ".") + "_pb2")
        try:
            pool.FindFileByName(f.name)
        except KeyError:
            pool.AddSerializedFile(f.SerializeToString())
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("peat.demo.v1.Plan"))


LANG = "python"
DOC_CLASSES: dict[str, type[Document]] = {c.DOC_TYPE: c for c in (NodeDocument, CellDocument, ZoneDocument)}


def file_key(key: str) -> str:
    """A document key as spelt in file names ("node/n2" -> "node_n2")."""
    return key.replace("/", "_")


def refusal(doc_type: str, data: bytes) -> str | None:
    """Why a received delta must be refused (undecodable or invalid), or None."""
    try:
        report = peat.validate(data, type=doc_type)
    except peat.PeatError as e:
        return str(e)
    if report.valid:
        return None
    v = report.violations[0]
    return f"{v.code} at {v.path}: {v.message}"


def state_name(state: int) -> str:
    return DeploymentState.Name(state).removeprefix("DEPLOYMENT_STATE_")


class Player:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.plan = plan_class().FromString((directory / "plan.bin").read_bytes())
        self.docs = {d.key: d for d in self.plan.docs}
        self.own = [(i, n) for i, n in enumerate(self.plan.nodes) if n.language == LANG]

    def say(self, node: str, text: str) -> None:
        print(f"[{LANG} {node}] {text}", flush=True)

    # ---- replicas on disk ---------------------------------------------------

    def doc_path(self, node: str, key: str) -> Path:
        return self.dir / "state" / node / f"{file_key(key)}.doc"

    def load(self, node: str, key: str) -> Document:
        cls = DOC_CLASSES[self.docs[key].type]
        return cls(self.doc_path(node, key).read_bytes())

    def save(self, node: str, key: str, doc: Document) -> None:
        path = self.doc_path(node, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(doc.to_bytes())

    # ---- phases -------------------------------------------------------------

    def init(self) -> None:
        for _, node in self.own:
            for d in self.plan.docs:
                init = d.init
                which = init.WhichOneof("initial")
                doc = DOC_CLASSES[d.type].new(replica=init.replica, id=init.id, at=init.timestamp,
                                              initial=getattr(init, which) if which else None)
                self.save(node.id, d.key, doc)
            self.say(node.id, "creates its replicas of " + " ".join(d.key for d in self.plan.docs))

    def act(self, rnd: int) -> None:
        mesh = self.dir / "mesh" / str(rnd)
        mesh.mkdir(parents=True, exist_ok=True)
        own = {n.id for _, n in self.own}
        for i, step in enumerate(self.plan.rounds[rnd].steps):
            if step.by not in own:
                continue
            applied = self.load(step.by, step.doc).apply(step.op)
            self.save(step.by, step.doc, applied.doc)
            delta = applied.delta.to_bytes()
            (mesh / f"{i:03d}__{file_key(step.doc)}.delta").write_bytes(delta)
            self.say(step.by, f"{step.say} (delta {len(delta)} bytes)")

    def sync(self, rnd: int) -> None:
        by_file_key = {file_key(k): k for k in self.docs}
        deltas = []
        for path in sorted((self.dir / "mesh" / str(rnd)).glob("*.delta")):
            key = by_file_key[path.name.split("__", 1)[1].removesuffix(".delta")]
            deltas.append((path.name, key, path.read_bytes()))
        for index, node in self.own:
            rng = random.Random(self.plan.seed + index)
            order = list(range(len(deltas)))
            rng.shuffle(order)
            replica = {k: self.load(node.id, k) for k in self.docs}
            delivered = refused = 0
            for i in order:
                name, key, data = deltas[i]
                for _ in range(rng.randint(1, 2)):
                    delivered += 1
                    doc_type = self.docs[key].type
                    problem = refusal(doc_type, data)
                    if problem:
                        refused += 1
                        self.say(node.id, f"refused {name}: {problem}")
                        continue
                    replica[key] = replica[key].merge(DOC_CLASSES[doc_type](data))
            for key, doc in replica.items():
                self.save(node.id, key, doc)
            cell = replica["cell"].materialize()
            report = peat.validate(cell)
            verdict = "valid" if report.valid else f"INVALID ({report.violations[0].code} at {report.violations[0].path})"
            fuel = " ".join(f"{n.id} {replica['node/' + n.id].materialize().state.fuel_minutes}" for n in self.plan.nodes)
            self.say(node.id, f"merged {len(deltas)} deltas ({delivered} deliveries, shuffled, {refused} refused): "
                              f"cell {verdict}, members {' '.join(cell.members)}, leader {cell.leader_id or '-'}, "
                              f"fuel {fuel}")
            if not report.valid:
                raise SystemExit(1)

    def deploy(self) -> None:
        deploy = self.dir / "mesh" / "deploy"
        directive = DeploymentDirective.FromString((deploy / "directive.bin").read_bytes())
        for _, node in self.own:
            state = self.load(node.id, f"node/{node.id}").materialize().state
            decision = target(directive, node.config, node_state=state, resources=node.resources)
            if not decision.targeted:
                self.say(node.id, f"not targeted by {directive.directive_id}: {decision.reason}")
                continue
            self.say(node.id, f"targeted by {directive.directive_id}: {decision.reason}")
            status = DeploymentStatus(directive_id=directive.directive_id, node_id=node.id,
                                      state=DeploymentState.DEPLOYMENT_STATE_PENDING)
            status.reported_at.CopyFrom(self.plan.pending_at)
            steps = [state_name(status.state)]
            for t in self.plan.reports[node.id].transitions:
                status = advance(status, t)
                steps.append(state_name(status.state)
                             + (f" {status.progress_percent}%" if t.state == DeploymentState.DEPLOYMENT_STATE_DOWNLOADING else ""))
            self.say(node.id, "status " + " -> ".join(steps)
                     + (f" (instance {status.instance_id})" if status.HasField("instance_id") else ""))
            illegal = Transition(state=DeploymentState.DEPLOYMENT_STATE_DOWNLOADING, progress_percent=status.progress_percent)
            illegal.reported_at.CopyFrom(status.reported_at)
            illegal.reported_at.seconds += 1
            try:
                advance(status, illegal)
            except peat.IllegalTransitionError as e:
                self.say(node.id, f"refused {state_name(status.state)} -> DOWNLOADING: {e.code}")
            else:
                self.say(node.id, f"ERROR: the illegal move {state_name(status.state)} -> DOWNLOADING was accepted")
                raise SystemExit(1)
            (deploy / f"status__{node.id}.bin").write_bytes(status.SerializeToString())

    def digest(self) -> None:
        for _, node in self.own:
            h = hashlib.sha256()
            for d in self.plan.docs:
                h.update(self.load(node.id, d.key).materialize_bytes(peat.Format.BINARY))
            print(f"DIGEST {LANG} {node.id} {h.hexdigest()}", flush=True)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="The Python player of `make demo`.")
    ap.add_argument("phase", choices=["init", "act", "sync", "deploy", "digest", "issue", "summarize"])
    ap.add_argument("round", nargs="?", type=int)
    ap.add_argument("--dir", required=True, type=Path)
    args = ap.parse_args(argv)
    player = Player(args.dir)
    if args.phase in ("act", "sync"):
        if args.round is None or not 0 <= args.round < len(player.plan.rounds):
            ap.error(f"{args.phase} needs a round between 0 and {len(player.plan.rounds) - 1}")
        getattr(player, args.phase)(args.round)
    elif args.phase in ("issue", "summarize"):
        pass  # C2's phases: the Java player plays C2.
    else:
        getattr(player, args.phase)()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except peat.PeatError as e:
        print(f"[{LANG}] libpeat error: {e}", file=sys.stderr)
        sys.exit(1)
