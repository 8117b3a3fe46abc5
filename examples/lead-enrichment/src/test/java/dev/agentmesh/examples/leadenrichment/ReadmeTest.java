package dev.agentmesh.examples.leadenrichment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.examples.support.ExampleReadme;
import dev.agentmesh.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promises: valid specs, its graph as {@code agentmesh graph} draws it, its command.
 */
class ReadmeTest {

  static final String[] FILES = {
    "src/main/resources/agents", "--triggers", "src/main/resources/triggers"
  };

  @Test
  void theAgentSpecAndTheTriggerFilePassAgentmeshValidate() {
    ExampleReadme.assertValid(FILES);
  }

  @Test
  void theReadmeShowsTheGraphAgentmeshGraphDrawsAndTheCommand() {
    ExampleReadme.assertGraph(FILES);
    ExampleReadme.assertCommand("lead-enrichment", LeadEnrichmentApp.class);
  }

  @Test
  void theMainClassRunsAsTheReadmeCommandRunsIt(@TempDir Path dir) {
    ForkedJvm.Result run =
        ForkedJvm.run(
            LeadEnrichmentApp.class.getName(),
            Map.of(),
            Map.of("agentmesh.example.db", dir.resolve("lead-enrichment.db").toString()),
            Duration.ofMinutes(2));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .contains("Model: ")
        .contains("1. The sign-up system delivers")
        .contains("4. The same delivery again: 200")
        .contains("5. Dana approves: review APPROVED, effect APPLIED, session COMPLETED");
  }
}
