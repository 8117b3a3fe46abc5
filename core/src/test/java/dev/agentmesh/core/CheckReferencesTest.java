package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AgentSpecs#checkReferences}: the mesh checks that need no bound models, tools or
 * guardrails.
 */
class CheckReferencesTest {

  @Test
  void specsThatFitTogetherHaveNoProblemsEvenWithNothingBound() {
    AgentSpec triage =
        AgentSpec.builder("triage")
            .instructions("Sort it")
            .model("unbound")
            .tools("unknown-tool")
            .guardrails("unknown-guardrail")
            .agents("escalate")
            .build();
    AgentSpec escalate = AgentSpec.builder("escalate").instructions("Escalate").build();

    assertThat(AgentSpecs.checkReferences(List.of(triage, escalate))).isEmpty();
  }

  @Test
  void unknownChildrenCyclesAndDuplicatesAreReportedWithTheMeshMessages() {
    AgentSpec a = AgentSpec.builder("a").instructions("x").agents("b", "ghost").build();
    AgentSpec b = AgentSpec.builder("b").instructions("x").agents("a").build();
    AgentSpec again = AgentSpec.builder("a").instructions("y").build();

    assertThat(AgentSpecs.checkReferences(List.of(a, b, again)))
        .map(SpecProblem::toString)
        .containsExactly(
            "agent 'a': child agents form a cycle: a -> b -> a; an agent may not (indirectly) call itself",
            "agent 'a': unknown child agent 'ghost' (agent 'a'). Agents in this mesh: [a, b]",
            "mesh: agent name 'a' is registered twice; agent names must be unique");
  }
}
