package dev.agentmesh.examples.crmupdate;

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
    ExampleReadme.assertCommand("crm-update", CrmUpdateApp.class);
    ExampleReadme.assertGraph(AGENTS, "--triggers", TRIGGERS);
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
}
