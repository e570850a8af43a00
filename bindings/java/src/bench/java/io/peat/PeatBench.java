package io.peat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmarks of the public API on the inputs of `make bench-inputs`
 * (-Dbench.inputs). Each method is one libpeat call as a service makes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PeatBench {
  public static final int BATCH = 1000;

  byte[] nodeConfigSmall;
  byte[] nodeConfig50k;
  byte[] cellA;
  byte[] cellB;
  Document cellDoc10kA;
  Document cellDoc10kB;
  Document cellDoc100kA;
  Document cellDoc100kB;
  List<byte[]> nodeStates;

  static byte[] input(String name) throws IOException {
    Path dir = Paths.get(System.getProperty("bench.inputs", "../../build/bench/inputs"));
    return Files.readAllBytes(dir.resolve(name));
  }

  @Setup
  public void setup() throws IOException {
    nodeConfigSmall = input("nodeconfig_small.bin");
    nodeConfig50k = input("nodeconfig_50kb.bin");
    cellA = input("cellstate8_a.bin");
    cellB = input("cellstate8_b.bin");
    cellDoc10kA = Document.fromBytes(Document.Kind.CELL, input("celldoc_10k_a.bin"));
    cellDoc10kB = Document.fromBytes(Document.Kind.CELL, input("celldoc_10k_b.bin"));
    cellDoc100kA = Document.fromBytes(Document.Kind.CELL, input("celldoc_100k_a.bin"));
    cellDoc100kB = Document.fromBytes(Document.Kind.CELL, input("celldoc_100k_b.bin"));
    nodeStates = new ArrayList<>(Collections.nCopies(BATCH, input("nodestate_small.bin")));
  }

  @Benchmark
  public int abi_version() {
    return Peat.abiVersion();
  }

  @Benchmark
  public Object validate_nodeconfig_small() {
    return Peat.validate("cap.node.v1.NodeConfig", Format.BINARY, nodeConfigSmall, null);
  }

  @Benchmark
  public Object validate_nodeconfig_50kb() {
    return Peat.validate("cap.node.v1.NodeConfig", Format.BINARY, nodeConfig50k, null);
  }

  @Benchmark
  public byte[] merge_cellstate8() {
    return Peat.merge("cap.cell.v1.CellState", Format.BINARY, Format.BINARY, cellA, cellB);
  }

  @Benchmark
  public Document doc_merge_cell_10k() {
    return cellDoc10kA.merge(cellDoc10kB);
  }

  @Benchmark
  public Document doc_merge_cell_100k() {
    return cellDoc100kA.merge(cellDoc100kB);
  }

  @Benchmark
  public Object validate_batch_1000() {
    return Peat.validateBatch("cap.node.v1.NodeState", Format.BINARY, nodeStates, null);
  }

  @Benchmark
  public byte[] convert_nodeconfig_bin_to_json() {
    return Peat.convert("cap.node.v1.NodeConfig", Format.BINARY, Format.JSON, nodeConfigSmall);
  }
}
