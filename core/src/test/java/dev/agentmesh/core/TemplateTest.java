package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TemplateTest {

  static final JsonNode INPUT =
      AgentSpecsTest.JSON.readTree(
          "{\"customer\":\"acme $1 \\\\ co\",\"order\":{\"id\":42,\"lines\":[1,2]},\"none\":null}");

  @Test
  void placeholdersAreFilledFromTheInputAndTheContext() {
    Template t =
        Template.compile(
            "{{input.customer}}|{{ input.order.id }}|{{context.team}}|{{input.order.lines}}");

    assertThat(t.render(INPUT, Map.of("team", "ops"))).isEqualTo("acme $1 \\ co|42|ops|[1,2]");
  }

  @Test
  void missingValuesRenderEmptyAndTextWithoutPlaceholdersIsReturnedAsIs() {
    assertThat(
            Template.compile("[{{input.nope}}][{{input.none}}][{{context.x}}]")
                .render(INPUT, Map.of()))
        .isEqualTo("[][][]");
    assertThat(Template.compile("plain {{ not a placeholder").render(INPUT, Map.of()))
        .isEqualTo("plain {{ not a placeholder");
  }

  @Test
  void aTextInputFillsTheWholeInputPlaceholder() {
    assertThat(
            Template.compile("Say: {{input}}!")
                .render(AgentSpecsTest.JSON.getNodeFactory().stringNode("hi"), Map.of()))
        .isEqualTo("Say: hi!");
  }

  @Test
  void runIdsAreVersionFourUuids() {
    UUID id = UUID.fromString(Mesh.randomId());

    assertThat(id.version()).isEqualTo(4);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(Mesh.randomId()).isNotEqualTo(Mesh.randomId());
  }
}
