package dev.agentmesh.examples.deployguardrail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The example's agent and trigger files pass {@code agentmesh validate}; the README's graph is
 * current.
 */
class SpecsTest {

  private static final String AGENTS = "src/main/resources/agents";
  private static final String TRIGGERS = "src/main/resources/triggers";

  @Test
  void agentmeshValidateAcceptsTheAgentAndTheTrigger() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        Main.run(
            new String[] {"validate", AGENTS, "--triggers", TRIGGERS},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).as(out + "\n" + err).isZero();
  }

  @Test
  void theReadmeShowsTheGraphAgentmeshGraphPrints() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        Main.run(
            new String[] {"graph", AGENTS, "--triggers", TRIGGERS},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("```mermaid\n") + "```mermaid\n".length();

    assertThat(status).isZero();
    assertThat(readme.substring(start, readme.indexOf("```", start)))
        .isEqualTo(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theMeshBuildsWithTheFunctionBoundAndNoModel() {
    try (var mesh = DeployGuardrail.mesh(DeployChecks.standard())) {
      assertThat(mesh.agent(DeployGuardrail.AGENT).spec().function()).isEqualTo("deploy-check");
    }
  }
}
