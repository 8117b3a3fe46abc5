package dev.agentmesh.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's demo command, run as {@code exec:java} runs it: this module's configured main class,
 * in-process, with the system property this module's pom sets. Fails when the README's command, the
 * pom's exec configuration or the demo's store location drift apart. (The CLI commands of the pages
 * run in the cli module's {@code DocsCommandsIT}.)
 */
class ReadmeDemoCommandTest {

  static final String DEMO = "./mvnw -q -pl examples/triage -am package -DskipTests exec:java";

  @Test
  void theReadmesDemoCommandRunsTheTriageAppOfflineWithItsStoreUnderTarget() throws IOException {
    assertThat(Files.readString(Path.of("../../README.md")))
        .as("the README's demo command")
        .contains("\n" + DEMO + "     # runs the demo mesh, offline\n");
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(single(pom, "<mainClass>(.+)</mainClass>")).isEqualTo(TriageApp.class.getName());
    assertThat(single(pom, "<key>(.+)</key>\\s*<value>\\$\\{agentmesh.demo.db}</value>"))
        .isEqualTo("agentmesh.demo.db");
    Path db =
        Path.of(
            single(pom, "<agentmesh.demo.db>(.+)</agentmesh.demo.db>")
                .replace(
                    "${project.build.directory}", Path.of("target").toAbsolutePath().toString()));
    assertThat(db).isEqualTo(Path.of("target/agentmesh-demo.db").toAbsolutePath());
    Properties properties = new Properties();
    properties.setProperty("agentmesh.demo.db", db.toString());
    for (String suffix : new String[] {"", "-wal", "-shm"})
      Files.deleteIfExists(Path.of(db + suffix));

    String first = run(properties);
    String second = run(properties);

    assertThat(first)
        .startsWith("Model: the offline stand-in")
        .contains("acme     \"Invoice charged twice this month\"       -> high   billing")
        .contains("Session store: " + db + "\n  a new file");
    assertThat(second)
        .contains("Session store: " + db + "\n  resuming it: 2 sessions from earlier runs stay");
    assertThat(db).isNotEmptyFile();
  }

  private static String run(Properties properties) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TriageApp.run(Map.of(), properties, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String single(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in examples/pom.xml", regex).isTrue();
    String found = m.group(1);
    assertThat(m.find()).as("only one %s in examples/pom.xml", regex).isFalse();
    return found;
  }
}
