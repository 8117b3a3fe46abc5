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

  @Test
  void theAgentSpecsPassAgentmeshValidate() {
    assertThat(ExampleReadme.assertValid(AGENTS).out()).isEqualTo("2 agents OK\n");
  }

  @Test
  void theReadmeShowsTheGraphAgentmeshDrawsAndTheCommand() {
    ExampleReadme.assertGraph(AGENTS);
    ExampleReadme.assertCommand("security-review", SecurityReviewApp.class);
  }
}
