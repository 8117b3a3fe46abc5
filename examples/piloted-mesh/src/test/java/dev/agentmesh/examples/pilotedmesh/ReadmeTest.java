package dev.agentmesh.examples.pilotedmesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.examples.support.ExampleReadme;
import dev.agentmesh.testsupport.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's claims: its command, its graph, its specs valid, and the main class as run. */
class ReadmeTest {

  static final String AGENTS = "src/main/resources/agents";
  static final String TRIGGERS = "src/main/resources/triggers";

  @Test
  void theSpecsPassAgentmeshValidate() {
    ExampleReadme.assertValid(AGENTS, "--triggers", TRIGGERS);
  }

  @Test
  void theReadmeShowsTheCommandAndTheGraphAgentmeshDraws() throws IOException {
    assertThat(Files.readString(ExampleReadme.README).lines().findFirst().orElseThrow())
        .startsWith("Needs nothing:");
    ExampleReadme.assertCommand("piloted-mesh", PilotedMeshApp.class);
    ExampleReadme.assertGraph(AGENTS, "--triggers", TRIGGERS);
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
        .contains("Slack message:")
        .contains("ana approves coder's code-diff: APPROVED")
        .contains("ana approves infra's document: APPROVED")
        .contains("ana approves observability's document: APPROVED")
        .contains("ana approves investigator's document: APPROVED")
        .contains("Audit trail (from the pilot's session log and its children's):");
    assertThat(db).isNotEmptyFile();
  }
}
