package dev.agentmesh.examples.crmupdate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.cli.Main;
import dev.agentmesh.testsupport.ForkedJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's claims: its command, its graph, its specs valid, and the main class as run. */
class ReadmeTest {

  static final String COMMAND =
      "./mvnw -q -pl examples/crm-update -am package -DskipTests exec:java";
  static final String AGENTS = "src/main/resources/agents";

  @Test
  void theSpecsPassAgentmeshValidate() {
    Cli r = cli("validate", AGENTS);
    assertThat(r.exit).as(r.out + r.err).isEqualTo(Main.OK);
  }

  @Test
  void theReadmeShowsTheCommandAndTheGraphAgentmeshDraws() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme.lines().findFirst().orElseThrow()).startsWith("Needs nothing:");
    assertThat(readme).contains("\n" + COMMAND + "\n");
    Cli graph = cli("graph", AGENTS);
    assertThat(graph.exit).as(graph.err).isEqualTo(Main.OK);
    int start = readme.indexOf("```mermaid\n") + "```mermaid\n".length();
    assertThat(readme.substring(start, readme.indexOf("```", start)))
        .as("the README's graph (paste what agentmesh graph prints)")
        .isEqualTo(graph.out);
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom).contains("<mainClass>" + CrmUpdateApp.class.getName() + "</mainClass>");
  }

  @Test
  void theMainClassRunsOfflineInItsOwnJvmAsTheReadmeCommandDoes() throws IOException {
    Path db = Path.of("target/forked-crm-update.db").toAbsolutePath();
    for (String suffix : new String[] {"", "-wal", "-shm"})
      Files.deleteIfExists(Path.of(db + suffix));

    ForkedJvm.Result r =
        ForkedJvm.run(
            CrmUpdateApp.class.getName(),
            Map.of(),
            Map.of("agentmesh.example.db", db.toString()),
            Duration.ofMinutes(2));

    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout())
        .startsWith("Model: the scripted stand-in")
        .contains("Session store: " + db)
        .contains("maya approved: effect APPLIED")
        .contains("luis approved the edit: effect APPLIED")
        .contains("priya approved: effect FAILED, refused by the CRM:")
        .contains("PATCH /crm/v3/objects/companies/1004 If-Match \"1\" -> 412");
    assertThat(db).isNotEmptyFile();
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
