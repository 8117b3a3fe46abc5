package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** An input checked before a run says what the run itself would refuse, in the same words. */
class AgentInputProblemsTest {

  private static JsonNode json(String text) {
    return AgentSpecsTest.JSON.readTree(text);
  }

  private static final Mesh MESH =
      Mesh.builder()
          .model("default", MeshTest.ECHO)
          .agent(
              AgentSpec.builder("triage")
                  .instructions("Triage {{input.title}}.")
                  .inputSchema(
                      json(
                          "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},"
                              + "\"priority\":{\"type\":\"integer\"}},\"required\":[\"title\"]}"))
                  .build())
          .agent(AgentSpec.builder("free").instructions("Anything.").build())
          .build();

  @Test
  void aMatchingInputHasNoProblems() {
    assertThat(MESH.agent("triage").inputProblems(json("{\"title\":\"t\",\"priority\":2}")))
        .isEmpty();
  }

  @Test
  void everyProblemIsALineAndARunRefusesTheInputWithTheSameLines() {
    JsonNode bad = json("{\"priority\":\"high\"}");

    List<String> problems = MESH.agent("triage").inputProblems(bad);

    assertThat(problems).hasSize(2);
    assertThat(String.join("\n", problems)).contains("title").contains("priority");
    assertThatThrownBy(() -> MESH.agent("triage").call(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Input for agent 'triage' does not match its input schema: "
                + String.join("; ", problems));
  }

  @Test
  void anAgentWithoutAnInputSchemaTakesAnything() {
    assertThat(MESH.agent("free").inputProblems(json("[1, \"two\"]"))).isEmpty();
  }
}
