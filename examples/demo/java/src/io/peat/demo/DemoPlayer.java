package io.peat.demo;

import io.peat.Document;
import io.peat.Format;
import io.peat.IllegalTransitionException;
import io.peat.Peat;
import io.peat.PeatException;
import io.peat.proto.cap.cell.v1.CellState;
import io.peat.proto.cap.node.v1.NodeState;
import io.peat.proto.demo.v1.Doc;
import io.peat.proto.demo.v1.Node;
import io.peat.proto.demo.v1.Plan;
import io.peat.proto.demo.v1.Step;
import io.peat.proto.directive.v1.DeploymentDirective;
import io.peat.proto.directive.v1.DeploymentState;
import io.peat.proto.directive.v1.DeploymentStatus;
import io.peat.proto.directive.v1.RolloutSummary;
import io.peat.proto.directive.v1.StatusBoard;
import io.peat.proto.directive.v1.SummarizeRequest;
import io.peat.proto.directive.v1.TargetDecision;
import io.peat.proto.directive.v1.TargetRequest;
import io.peat.proto.directive.v1.Transition;
import io.peat.proto.validation.v1.ValidationReport;
import io.peat.proto.validation.v1.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Java player of {@code make demo}: hosts the replicas of the plan's Java
 * node (n5) and plays C2 (issue, summarize), one phase per run, as
 * examples/demo/README.md specifies (the player contract). Uses only the
 * public API of the io.peat binding.
 *
 * <p>Usage: {@code DemoPlayer PHASE [ROUND] --dir DIR}
 */
public final class DemoPlayer {
  private static final String LANG = "java";

  private final Path dir;
  private final Plan plan;
  private final Map<String, Doc> docs = new LinkedHashMap<>();
  /** Own nodes with their index in plan.nodes (the shuffle seed's offset). */
  private final Map<Integer, Node> own = new LinkedHashMap<>();

  private DemoPlayer(Path dir) throws IOException {
    this.dir = dir;
    this.plan = Plan.parseFrom(Files.readAllBytes(dir.resolve("plan.bin")));
    for (Doc d : plan.getDocsList()) {
      docs.put(d.getKey(), d);
    }
    for (int i = 0; i < plan.getNodesCount(); i++) {
      if (plan.getNodes(i).getLanguage().equals(LANG)) {
        own.put(i, plan.getNodes(i));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String phase = null;
    Integer round = null;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--dir") && i + 1 < args.length) {
        dir = Paths.get(args[++i]);
      } else if (phase == null) {
        phase = args[i];
      } else if (round == null) {
        round = Integer.valueOf(args[i]);
      } else {
        usage();
      }
    }
    if (phase == null || dir == null) {
      usage();
    }
    DemoPlayer p = new DemoPlayer(dir);
    try {
      switch (phase) {
        case "init" -> p.init();
        case "act" -> p.act(p.round(round));
        case "sync" -> p.sync(p.round(round));
        case "issue" -> p.issue();
        case "deploy" -> p.deploy();
        case "summarize" -> p.summarize();
        case "digest" -> p.digest();
        default -> usage();
      }
    } catch (PeatException e) {
      System.err.printf("[%s] libpeat error: %s%n", LANG, e.getMessage());
      System.exit(1);
    }
  }

  private static void usage() {
    System.err.println("usage: DemoPlayer init|act R|sync R|issue|deploy|summarize|digest --dir DIR");
    System.exit(2);
  }

  private int round(Integer r) {
    if (r == null || r < 0 || r >= plan.getRoundsCount()) {
      System.err.printf("act and sync need a round between 0 and %d%n", plan.getRoundsCount() - 1);
      System.exit(2);
    }
    return r;
  }

  private static void say(String who, String text) {
    System.out.printf("[%s %s] %s%n", LANG, who, text);
  }

  // ---- replicas on disk ---------------------------------------------------

  /** A document key as spelt in file names ("node/n2" -> "node_n2"). */
  private static String fileKey(String key) {
    return key.replace('/', '_');
  }

  private static Document.Kind kind(String docType) {
    for (Document.Kind k : Document.Kind.values()) {
      if (k.typeName().equals(docType)) {
        return k;
      }
    }
    throw new IllegalArgumentException("not a document type: " + docType);
  }

  private Path docPath(String node, String key) {
    return dir.resolve("state").resolve(node).resolve(fileKey(key) + ".doc");
  }

  private Document load(String node, String key) {
    return Document.fromBytes(kind(docs.get(key).getType()), read(docPath(node, key)));
  }

  private void save(String node, String key, Document doc) {
    write(docPath(node, key), doc.toByteArray());
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path p, byte[] b) {
    try {
      Files.createDirectories(p.getParent());
      Files.write(p, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- replica phases -----------------------------------------------------

  private void init() {
    for (Node n : own.values()) {
      for (Doc d : plan.getDocsList()) {
        save(n.getId(), d.getKey(), Document.create(kind(d.getType()), d.getInit()));
      }
      say(n.getId(), "creates its replicas of " + String.join(" ", docs.keySet()));
    }
  }

  private void act(int r) {
    List<Step> steps = plan.getRounds(r).getStepsList();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (own.values().stream().noneMatch(n -> n.getId().equals(s.getBy()))) {
        continue;
      }
      Document.Applied applied = load(s.getBy(), s.getDoc()).apply(s.getOp());
      save(s.getBy(), s.getDoc(), applied.doc());
      byte[] delta = applied.delta().toByteArray();
      write(dir.resolve("mesh").resolve(Integer.toString(r)).resolve(String.format("%03d__%s.delta", i, fileKey(s.getDoc()))), delta);
      say(s.getBy(), String.format("%s (delta %d bytes)", s.getSay(), delta.length));
    }
  }

  private record Delta(String name, String key, byte[] bytes) {}

  private void sync(int r) throws IOException {
    Map<String, String> byFileKey = new HashMap<>();
    docs.keySet().forEach(k -> byFileKey.put(fileKey(k), k));
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("mesh").resolve(Integer.toString(r)), "*.delta")) {
      ds.forEach(files::add);
    }
    Collections.sort(files);
    List<Delta> deltas = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      String key = byFileKey.get(name.substring(name.indexOf("__") + 2, name.length() - ".delta".length()));
      deltas.add(new Delta(name, key, read(f)));
    }
    for (Map.Entry<Integer, Node> e : own.entrySet()) {
      String id = e.getValue().getId();
      Random rng = new Random(plan.getSeed() + e.getKey());
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < deltas.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, rng);
      Map<String, Document> replica = new LinkedHashMap<>();
      docs.keySet().forEach(k -> replica.put(k, load(id, k)));
      int delivered = 0;
      int refused = 0;
      for (int i : order) {
        Delta d = deltas.get(i);
        String type = docs.get(d.key()).getType();
        for (int times = 1 + rng.nextInt(2); times > 0; times--) {
          delivered++;
          String problem = refusal(type, d.bytes());
          if (problem != null) {
            refused++;
            say(id, "refused " + d.name() + ": " + problem);
            continue;
          }
          replica.put(d.key(), replica.get(d.key()).merge(Document.fromBytes(kind(type), d.bytes())));
        }
      }
      replica.forEach((k, doc) -> save(id, k, doc));
      CellState cell = (CellState) replica.get("cell").materialize();
      ValidationReport report = Peat.validate(cell);
      String verdict = report.getValid() ? "valid"
          : "INVALID (" + report.getViolations(0).getCode() + " at " + report.getViolations(0).getPath() + ")";
      StringBuilder fuel = new StringBuilder();
      for (Node n : plan.getNodesList()) {
        io.peat.proto.cap.node.v1.Node m = (io.peat.proto.cap.node.v1.Node) replica.get("node/" + n.getId()).materialize();
        fuel.append(fuel.length() == 0 ? "" : " ").append(n.getId()).append(' ').append(m.getState().getFuelMinutes());
      }
      say(id, String.format("merged %d deltas (%d deliveries, shuffled, %d refused): cell %s, members %s, leader %s, fuel %s",
          deltas.size(), delivered, refused, verdict, String.join(" ", cell.getMembersList()),
          cell.getLeaderId().isEmpty() ? "-" : cell.getLeaderId(), fuel));
      if (!report.getValid()) {
        System.exit(1);
      }
    }
  }

  /** Why a received delta must be refused (undecodable or invalid), or null. */
  private static String refusal(String type, byte[] delta) {
    ValidationReport report;
    try {
      report = Peat.validate(type, Format.BINARY, delta, null);
    } catch (PeatException e) {
      return e.getMessage();
    }
    if (report.getValid()) {
      return null;
    }
    Violation v = report.getViolations(0);
    return String.format("%s at %s: %s", v.getCode(), v.getPath(), v.getMessage());
  }

  private void deploy() {
    Path deploy = dir.resolve("mesh").resolve("deploy");
    DeploymentDirective directive = parseDirective(read(deploy.resolve("directive.bin")));
    for (Node n : own.values()) {
      NodeState state = ((io.peat.proto.cap.node.v1.Node) load(n.getId(), "node/" + n.getId()).materialize()).getState();
      TargetDecision decision = Peat.target(TargetRequest.newBuilder().setDirective(directive)
          .setNodeConfig(n.getConfig()).setNodeState(state).setResources(n.getResources()).build());
      if (!decision.getTargeted()) {
        say(n.getId(), String.format("not targeted by %s: %s", directive.getDirectiveId(), decision.getReason()));
        continue;
      }
      say(n.getId(), String.format("targeted by %s: %s", directive.getDirectiveId(), decision.getReason()));
      DeploymentStatus status = DeploymentStatus.newBuilder().setDirectiveId(directive.getDirectiveId())
          .setNodeId(n.getId()).setState(DeploymentState.DEPLOYMENT_STATE_PENDING)
          .setReportedAt(plan.getPendingAt()).build();
      StringBuilder steps = new StringBuilder(stateName(status.getState()));
      for (Transition t : plan.getReportsOrThrow(n.getId()).getTransitionsList()) {
        status = Peat.advance(status, t);
        steps.append(" -> ").append(stateName(status.getState()));
        if (t.getState() == DeploymentState.DEPLOYMENT_STATE_DOWNLOADING) {
          steps.append(' ').append(status.getProgressPercent()).append('%');
        }
      }
      say(n.getId(), "status " + steps + (status.hasInstanceId() ? " (instance " + status.getInstanceId() + ")" : ""));
      refuseIllegal(n.getId(), status);
      write(deploy.resolve("status__" + n.getId() + ".bin"), status.toByteArray());
    }
  }

  /** Shows that the status machine refuses moving back from the final state to DOWNLOADING. */
  private static void refuseIllegal(String id, DeploymentStatus status) {
    Transition back = Transition.newBuilder().setState(DeploymentState.DEPLOYMENT_STATE_DOWNLOADING)
        .setProgressPercent(status.getProgressPercent())
        .setReportedAt(status.getReportedAt().toBuilder().setSeconds(status.getReportedAt().getSeconds() + 1)).build();
    try {
      Peat.advance(status, back);
    } catch (IllegalTransitionException e) {
      say(id, String.format("refused %s -> DOWNLOADING: %s", stateName(status.getState()), e.code()));
      return;
    }
    say(id, "ERROR: the illegal move " + stateName(status.getState()) + " -> DOWNLOADING was accepted");
    System.exit(1);
  }

  private void digest() throws NoSuchAlgorithmException {
    for (Node n : own.values()) {
      MessageDigest h = MessageDigest.getInstance("SHA-256");
      for (Doc d : plan.getDocsList()) {
        h.update(load(n.getId(), d.getKey()).materialize(Format.BINARY));
      }
      System.out.printf("DIGEST %s %s %s%n", LANG, n.getId(), HexFormat.of().formatHex(h.digest()));
    }
  }

  // ---- C2 -----------------------------------------------------------------

  private void issue() {
    byte[] bin = Peat.convert("peat.directive.v1.DeploymentDirective", Format.RUST_JSON, Format.BINARY,
        plan.getDirectiveRustJson().getBytes(StandardCharsets.UTF_8));
    DeploymentDirective directive = parseDirective(bin);
    ValidationReport report = Peat.validate(directive);
    if (!report.getValid()) {
      Violation v = report.getViolations(0);
      say("c2", String.format("the directive is invalid: %s at %s: %s", v.getCode(), v.getPath(), v.getMessage()));
      System.exit(1);
    }
    write(dir.resolve("mesh").resolve("deploy").resolve("directive.bin"), bin);
    say("c2", String.format("issues %s, converted from the Rust reference's JSON (%d bytes binary, valid):",
        directive.getDirectiveId(), bin.length));
    say("c2", "  " + Peat.toJson(directive));
  }

  private void summarize() throws IOException {
    Path deploy = dir.resolve("mesh").resolve("deploy");
    DeploymentDirective directive = parseDirective(read(deploy.resolve("directive.bin")));
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(deploy, "status__*.bin")) {
      ds.forEach(files::add);
    }
    Collections.sort(files);
    // Each report is a one-entry board; the boards merge (a CRDT) into one.
    List<StatusBoard> boards = new ArrayList<>();
    List<String> targeted = new ArrayList<>();
    for (Path f : files) {
      DeploymentStatus s = parseStatus(read(f));
      boards.add(StatusBoard.newBuilder().addStatuses(s).build());
      targeted.add(s.getNodeId());
    }
    if (boards.isEmpty()) {
      say("c2", "no node reported a status");
      System.exit(1);
    }
    StatusBoard board = Peat.mergeAll(boards);
    say("c2", String.format("merged %d status reports into one board: %s", boards.size(), Peat.toJson(board)));
    Collections.sort(targeted);
    RolloutSummary summary = Peat.summarize(SummarizeRequest.newBuilder().setDirective(directive)
        .addAllTargetedNodeIds(targeted).addAllStatuses(board.getStatusesList()).setNow(plan.getNow()).build());
    say("c2", "rollout summary: " + Peat.toJson(summary));
    String decision = summary.getDecision().name();
    say("c2", String.format("decision %s (%d of %d targeted nodes active)", decision, summary.getActive(), summary.getTargeted()));
    if (!decision.equals(plan.getExpected().getDecision())) {
      say("c2", "ERROR: the Go reference run decided " + plan.getExpected().getDecision());
      System.exit(1);
    }
  }

  private static String stateName(DeploymentState s) {
    return s.name().substring("DEPLOYMENT_STATE_".length());
  }

  private static DeploymentDirective parseDirective(byte[] b) {
    try {
      return DeploymentDirective.parseFrom(b);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable directive", e);
    }
  }

  private static DeploymentStatus parseStatus(byte[] b) {
    try {
      return DeploymentStatus.parseFrom(b);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable status", e);
    }
  }
}
