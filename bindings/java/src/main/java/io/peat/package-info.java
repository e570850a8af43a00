/**
 * libpeat for Java: validate Peat (CAP) messages, merge replicated state and
 * handle deployment directives, through one JNI call per operation into
 * libpeat, the Go core shared by every binding. No protocol logic is
 * re-implemented in Java.
 *
 * <h2>What is where</h2>
 *
 * <ul>
 *   <li>{@link io.peat.Peat}: every libpeat call as a static method: conversion
 *       between formats, validation, sanitising, merging plain ICD messages,
 *       directive targeting, the deployment status machine, rollout summaries,
 *       and directive security (keys, signing, verifying, targeting only
 *       verified directives).
 *   <li>{@link io.peat.Format}: binary, proto3 JSON and the Rust reference's
 *       JSON; {@link io.peat.Format#strict()} reads JSON strictly (a key that
 *       names no field is an error with its path, not ignored).
 *   <li>{@link io.peat.Document}: replicated node, cell and zone documents
 *       (CRDTs with deltas), immutable values.
 *   <li>{@link io.peat.Replica}: such a document held open inside libpeat
 *       between calls (a handle to close), for long sequences of operations
 *       and merges.
 *   <li>{@link io.peat.ArtifactVerifier}: checks downloaded bytes against a
 *       directive's artifact, chunk by chunk in constant memory.
 *   <li>{@link io.peat.PeatException} and one subclass per {@link
 *       io.peat.Status}: every failure, with a stable code and the offending
 *       field's path.
 *   <li>The messages are protobuf-java classes generated from the same
 *       {@code .proto} files as the core: the ICD's in {@code
 *       io.peat.proto.cap.<domain>.v1} (e.g. {@code
 *       io.peat.proto.cap.node.v1.NodeConfig}), libpeat's own in {@code
 *       io.peat.proto.validation.v1}, {@code io.peat.proto.crdt.v1}, {@code
 *       io.peat.proto.directive.v1}, {@code io.peat.proto.security.v1} and
 *       {@code io.peat.proto.api.v1}.
 * </ul>
 *
 * <h2>Example</h2>
 *
 * Validate a message, merge two replicas' states and decide whether this node
 * is targeted by a directive (the complete program is docs/QUICKSTART.md's,
 * compiled and run by the binding's tests):
 *
 * <pre>{@code
 * // Validate: every violation comes with a stable code and the field's path.
 * NodeConfig node = NodeConfig.newBuilder().setId("uav-1").setPlatformType("UAV").build();
 * System.out.println("valid: " + Peat.validate(node).getValid());
 * for (Violation v : Peat.validate(node.toBuilder().setCommRangeM(-1).build()).getViolationsList()) {
 *   System.out.println(v.getCode() + " at " + v.getPath() + ": " + v.getMessage());
 * }
 *
 * // Merge two replicas' states of one cell (commutative, associative, idempotent).
 * Timestamp now = Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000).build();
 * CellConfig cell = CellConfig.newBuilder().setId("cell-1").setMinSize(2).setMaxSize(8).build();
 * CellState a = CellState.newBuilder().setConfig(cell).addMembers("uav-1").setTimestamp(now).build();
 * CellState b = CellState.newBuilder().setConfig(cell).addMembers("uav-2").setTimestamp(now).build();
 * System.out.println("members: " + Peat.merge(a, b).getMembersList());
 *
 * // Target a deployment directive at this node, a member of cell-1.
 * DeploymentDirective directive = DeploymentDirective.newBuilder().setDirectiveId("d-1")
 *     .setScope(DeploymentScope.newBuilder().setFormationId("cell-1")).build();
 * TargetDecision decision = Peat.target(TargetRequest.newBuilder().setDirective(directive).setNodeConfig(node)
 *     .setNodeState(NodeState.newBuilder().setCellId("cell-1")).build());
 * System.out.println("targeted: " + decision.getTargeted() + " (" + decision.getCode() + ")");
 * }</pre>
 *
 * <h2>Requirements and loading</h2>
 *
 * Java 17 or later; protobuf-java 3.25.x or 4.x; Linux on x86_64 or aarch64
 * with glibc 2.17 or later (the jar carries both platforms' native
 * libraries). On first use the binding loads {@code libpeat.so.1} and its JNI
 * shim from the jar (extracted under {@code java.io.tmpdir}, or {@code
 * -Dpeat.native.dir=DIR}), or from {@code -Dpeat.library.path=DIR}, and checks
 * the library's ABI version. Preload {@code $JAVA_HOME/lib/libjsig.so} in
 * production (the JVM and the Go runtime both install signal handlers). Every
 * method is thread-safe.
 *
 * <h2>Modules (JPMS)</h2>
 *
 * The jar is the automatic module {@code io.peat} (its manifest's {@code
 * Automatic-Module-Name}), and protobuf-java is the automatic module {@code
 * com.google.protobuf}. On the module path, {@code requires io.peat;} is all a
 * module needs: an automatic module gives its readers access to every other
 * automatic module, so the protobuf types of the messages are readable too.
 * On Java 24 and later allow the native access with {@code
 * --enable-native-access=io.peat} (on the class path: {@code ALL-UNNAMED}).
 */
package io.peat;
