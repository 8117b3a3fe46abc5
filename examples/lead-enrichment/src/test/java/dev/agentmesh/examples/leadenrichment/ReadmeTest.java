package dev.agentmesh.examples.leadenrichment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.cli.Main;
import dev.agentmesh.testsupport.ForkedJvm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    Cli run = cli("validate");
    assertThat(run.exit()).as(run.err()).isEqualTo(Main.OK);
  }

  @Test
  void theReadmeShowsTheGraphAgentmeshGraphDraws() throws Exception {
    Cli run = cli("graph");
    assertThat(run.exit()).as(run.err()).isEqualTo(Main.OK);
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```mermaid\n") + "```mermaid\n".length();
    String block = readme.substring(start, readme.indexOf("```", start));
    assertThat(block.strip()).isEqualTo(run.out().strip());
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
        .contains("6. Dana approves: review APPROVED, effect APPLIED, session COMPLETED");
  }

  record Cli(int exit, String out, String err) {}

  private static Cli cli(String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = new String[FILES.length + 1];
    args[0] = command;
    System.arraycopy(FILES, 0, args, 1, FILES.length);
    int exit =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
