package io.peat;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks ({@link PeatBench}), then the C probe timing
 * peat_abi_version() directly from C in the same run, and writes
 * build/bench/java.json for the project's benchmark report.
 * Properties: bench.inputs, bench.out, bench.cprobe, bench.args (JMH options),
 * bench.include (a regex of benchmark names; default all).
 */
public final class BenchMain {
  private BenchMain() {}

  private static final Map<String, String> NOTES = Map.of(
      "abi_version", "Peat.abiVersion(): JNI + cgo transition of a trivial call",
      "validate_nodeconfig_small", "Peat.validate(type, BINARY, bytes, null), report parsed to a Java message",
      "validate_nodeconfig_50kb", "Peat.validate of a ~48 KiB NodeConfig, report parsed to a Java message",
      "merge_cellstate8", "Peat.merge on bytes, 8-member CellStates",
      "doc_merge_cell_10k", "Document.merge of two CellDocs (10k members)",
      "doc_merge_cell_100k", "Document.merge of two CellDocs (100k members)",
      "validate_batch_1000", "Peat.validateBatch of 1000 NodeStates; ns per message",
      "convert_nodeconfig_bin_to_json", "Peat.convert BINARY -> JSON of the small NodeConfig");

  public static void main(String[] args) throws Exception {
    String jmhArgs = System.getProperty("bench.args", "-f 1 -wi 2 -w 1s -i 3 -r 1s");
    Options cli = new CommandLineOptions(jmhArgs.trim().split("\\s+"));
    Options opts = new OptionsBuilder()
        .parent(cli)
        .include(PeatBench.class.getName() + "\\." + System.getProperty("bench.include", ""))
        .jvmArgsAppend("-Dbench.inputs=" + System.getProperty("bench.inputs"))
        .timeUnit(TimeUnit.NANOSECONDS)
        .build();
    List<Map<String, Object>> results = new ArrayList<>();
    for (RunResult r : new Runner(opts).run()) {
      String label = r.getParams().getBenchmark();
      String name = label.substring(label.lastIndexOf('.') + 1);
      double ns = r.getPrimaryResult().getScore();
      if (name.equals("validate_batch_1000")) {
        ns /= PeatBench.BATCH;
      }
      results.add(entry(name, ns, NOTES.getOrDefault(name, "") + String.format(" (JMH, ±%.1f ns)",
          r.getPrimaryResult().getScoreError() / (name.equals("validate_batch_1000") ? PeatBench.BATCH : 1))));
    }
    String probe = System.getProperty("bench.cprobe");
    if (probe != null && Files.isExecutable(Paths.get(probe))) {
      double ns = runProbe(probe);
      results.add(entry("abi_version_c", ns, "peat_abi_version() from C (best of 5 x 2M calls), same run"));
      for (Map<String, Object> e : results) {
        if (e.get("name").equals("abi_version")) {
          System.out.printf("JNI overhead of a trivial call: %.1f ns (Java %.1f ns - C %.1f ns)%n",
              (double) e.get("ns_per_op") - ns, (double) e.get("ns_per_op"), ns);
        }
      }
    }
    results.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("language", "java");
    doc.put("results", results);
    Path out = Paths.get(System.getProperty("bench.out", "java.json"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(doc) + "\n");
    System.out.println("wrote " + out);
  }

  private static Map<String, Object> entry(String name, double ns, String note) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("ns_per_op", Math.round(ns * 10) / 10.0);
    m.put("note", note.trim());
    return m;
  }

  private static double runProbe(String probe) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Arrays.asList(probe)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IOException("abi_probe failed: " + out);
    }
    return Double.parseDouble(out);
  }
}
