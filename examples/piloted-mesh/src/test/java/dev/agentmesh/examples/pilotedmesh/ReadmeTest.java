package dev.agentmesh.examples.pilotedmesh;

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
      "./mvnw -q -pl examples/piloted-mesh -am package -DskipTests exec:java";
  static final String AGENTS = "src/main/resources/agents";
  static final String TRIGGERS = "src/main/resources/triggers";

  @Test
  void theSpecsPassAgentmeshValidate() {
    Cli r = cli("validate", AGENTS, "--triggers", TRIGGERS);
    assertThat(r.exit).as(r.out + r.err).isEqualTo(Main.OK);
  }

  @Test
  void theReadmeShowsTheCommandAndTheGraphAgentmeshDraws() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme.lines().findFirst().orElseThrow()).startsWith("Needs nothing:");
    assertThat(readme).contains("\n" + COMMAND + "\n");
    Cli graph = cli("graph", AGENTS, "--triggers", TRIGGERS);
    assertThat(graph.exit).as(graph.err).isEqualTo(Main.OK);
    int start = readme.indexOf("```mermaid\n") + "```mermaid\n".length();
    assertThat(readme.substring(start, readme.indexOf("```", start)))
        .as("the README's graph (paste what agentmesh graph prints)")
        .isEqualTo(graph.out);
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom).contains("<mainClass>" + PilotedMeshApp.class.getName() + "</mainClass>");
  }

  @Test
  void theMainClassRunsOfflineInItsOwnJvmAsTheReadmeCommandDoes() throws IOException {
    Path db = Path.of("target/forked-piloted-mesh.db").toAbsolutePath();
    for (String suffix : new String[] {"", "-wal", "-shm"})
      Files.deleteIfExists(Path.of(db + suffix));

    ForkedJvm.Result r =
        ForkedJvm.run(
            PilotedMeshApp.class.getName(),
            Map.of(),
            Map.of("agentmesh.example.db", db.toString()),
            Duration.ofMinutes(2));

    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout())
        .startsWith("Model: the scripted stand-in")
        .contains("Session store: " + db)
        .contains("ana approves coder's code-diff: APPROVED")
        .contains("ana approves infra's document: APPROVED")
        .contains("ana approves observability's document: APPROVED")
        .contains("ana approves investigator's document: APPROVED")
        .contains("Audit trail (from the sessions' logs):");
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
