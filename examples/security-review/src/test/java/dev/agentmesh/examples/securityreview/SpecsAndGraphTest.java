package dev.agentmesh.examples.securityreview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.examples.support.ExampleReadme;
import org.junit.jupiter.api.Test;

/**
 * The example's YAML passes {@code agentmesh validate}, the README's graph is exactly what {@code
 * agentmesh graph} draws of it, and its command runs the main class.
 */
class SpecsAndGraphTest {

  static final String AGENTS = "src/main/resources/agents";
  static final String TRIGGERS = "src/main/resources/triggers";

  @Test
  void theAgentSpecsPassAgentmeshValidate() {
    assertThat(ExampleReadme.assertValid(AGENTS, "--triggers", TRIGGERS).out())
        .isEqualTo("2 agents, 1 trigger OK\n");
  }

  @Test
  void theReadmeShowsTheGraphAgentmeshDrawsAndTheCommand() {
    ExampleReadme.assertGraph(AGENTS, "--triggers", TRIGGERS);
    ExampleReadme.assertCommand("security-review", SecurityReviewApp.class);
  }
}
