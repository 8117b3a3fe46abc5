package dev.agentmesh.examples.deployguardrail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.examples.support.ExampleReadme;
import org.junit.jupiter.api.Test;

/**
 * The example's agent and trigger files pass {@code agentmesh validate}; the README's graph and
 * command are current.
 */
class SpecsTest {

  private static final String AGENTS = "src/main/resources/agents";
  private static final String TRIGGERS = "src/main/resources/triggers";

  @Test
  void agentmeshValidateAcceptsTheAgentAndTheTrigger() {
    ExampleReadme.assertValid(AGENTS, "--triggers", TRIGGERS);
  }

  @Test
  void theReadmeShowsTheGraphAgentmeshGraphPrintsAndTheCommand() {
    ExampleReadme.assertGraph(AGENTS, "--triggers", TRIGGERS);
    ExampleReadme.assertCommand("deploy-guardrail", DeployGuardrailApp.class);
  }

  @Test
  void theMeshBuildsWithTheFunctionBoundAndNoModel() {
    try (var mesh = DeployGuardrail.mesh(DeployChecks.standard())) {
      assertThat(mesh.agent(DeployGuardrail.AGENT).spec().function()).isEqualTo("deploy-check");
    }
  }
}
