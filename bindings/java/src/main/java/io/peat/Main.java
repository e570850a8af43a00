package io.peat;

import io.peat.proto.cap.node.v1.NodeConfig;

/**
 * Prints what the binding loaded, and round-trips a message through libpeat:
 * {@code java -cp peat.jar:protobuf-java.jar io.peat.Main}, or on the module
 * path {@code java -p peat.jar:protobuf-java.jar -m io.peat}. Exit status 0
 * means the native libraries load and work in this JVM.
 */
public final class Main {
  private Main() {}

  /**
   * Prints the library version, ABI, platform, Java version, the number of
   * types and a message as proto3 JSON; exits with 1 if the round trip
   * through libpeat changed the message.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    int abi = Peat.abiVersion();
    NodeConfig config = NodeConfig.newBuilder().setId("node-1").setPlatformType("UGV").build();
    String json = Peat.toJson(config);
    NodeConfig back = Peat.fromJson(json, NodeConfig.getDefaultInstance());
    if (!back.equals(config)) {
      System.err.println("peat: round trip through libpeat changed the message");
      System.exit(1);
    }
    System.out.printf("libpeat %s (ABI %d.%d) on %s/%s, Java %s, %d types, %s%n", Peat.version(), abi >>> 16,
        abi & 0xffff, System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
        Peat.types().size(), json);
  }
}
