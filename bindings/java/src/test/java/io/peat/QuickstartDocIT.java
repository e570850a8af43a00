package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/QUICKSTART.md's Java section, taken from the page itself: its program
 * compiles without warnings against the packaged jar and, run the way the page
 * says, prints exactly the page's output; its Maven snippet names this
 * version; and io.peat's package overview (the javadoc) shows the same code.
 */
class QuickstartDocIT {
  private static String section() throws Exception {
    String doc = Files.readString(Fixtures.top().resolve("docs/QUICKSTART.md"));
    Matcher m = Pattern.compile("(?ms)^## Java\\n(.*?)(?=^## |\\z)").matcher(doc);
    assertTrue(m.find(), "docs/QUICKSTART.md has a ## Java section");
    return m.group(1);
  }

  /** The body of the section's first ```lang block. */
  private static String block(String section, String lang) {
    Matcher m = Pattern.compile("(?s)```" + lang + "\\n(.*?)```").matcher(section);
    assertTrue(m.find(), "the Java section of docs/QUICKSTART.md has a ```" + lang + " block");
    return m.group(1);
  }

  @Test
  void theProgramCompilesAndPrintsWhatThePageSays(@TempDir Path dir) throws Exception {
    String section = section();
    String program = block(section, "java");
    assertTrue(program.contains("public class Quickstart "), program);
    Path source = Files.writeString(dir.resolve("Quickstart.java"), program);
    String classPath = ForkedJvm.jarClassPath();
    Javac.compile(List.of("-Xlint:all", "-cp", classPath, "-d", dir.resolve("classes").toString()), List.of(source));

    // The page's command: java -cp peat-<version>.jar:protobuf-java-<version>.jar Quickstart.java
    String version = ForkedJvm.prop("peat.version");
    Matcher cmd = Pattern.compile("`java -cp peat-([^`:]+)\\.jar:protobuf-java-[0-9.]+\\.jar Quickstart\\.java`")
        .matcher(section);
    assertTrue(cmd.find(), "the page says how to run the program");
    assertEquals(version, cmd.group(1), "the page's command names this version's jar");
    ForkedJvm.Run r = ForkedJvm.run(Map.of(), List.of("-cp", classPath, source.toString()), 120);
    assertEquals(0, r.exit(), r.output());
    assertEquals(block(section, "text"), r.output());
  }

  @Test
  void theMavenSnippetNamesThisArtifact() throws Exception {
    String xml = block(section(), "xml");
    String version = ForkedJvm.prop("peat.version");
    assertTrue(xml.contains("<groupId>io.peat</groupId>\n    <artifactId>peat</artifactId>\n    <version>" + version
        + "</version>"), xml);
    assertTrue(xml.contains("build/dist/maven</url>"), xml);
  }

  /** The example in io.peat's package-info is the page's program's body, line for line. */
  @Test
  void thePackageOverviewShowsTheSameCode() throws Exception {
    String program = block(section(), "java");
    String info = Files.readString(Fixtures.top().resolve("bindings/java/src/main/java/io/peat/package-info.java"));
    Matcher m = Pattern.compile("(?s)<pre>\\{@code\\n(.*?)\\n \\* \\}</pre>").matcher(info);
    assertTrue(m.find(), "package-info.java has a {@code} example");
    List<String> example = m.group(1).lines().map(l -> l.replaceFirst("^ \\* ?", "")).toList();
    String body = program.substring(program.indexOf("main(String[] args) {\n") + 23, program.lastIndexOf("  }\n}"));
    List<String> expected = body.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l).toList();
    assertEquals(String.join("\n", expected).strip(), String.join("\n", example).strip());
  }
}
