package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code {{input.a.b}}} is checked segment by segment through $ref, $defs and anyOf alternatives.
 */
class InputPlaceholderPathsTest {

  private static List<String> validate(String yaml) {
    return AgentSpecs.checkReferences(List.of(AgentSpecs.parse(yaml, "t.yaml"))).stream()
        .map(SpecProblem::toString)
        .toList();
  }

  @Test
  void aPropertyReachedThroughRefAndDefsIsAccepted() {
    assertThat(
            validate(
                "name: a\ninstructions: 'Hi {{input.x}}'\n"
                    + "input: {$ref: '#/$defs/t', $defs: {t: {type: object, properties: {x: {type: string}}}}}\n"))
        .isEmpty();
  }

  @Test
  void aPropertyOfAnyAnyOfAlternativeIsAccepted() {
    assertThat(
            validate(
                "name: a\ninstructions: 'Hi {{input.x}} {{input.y.z}}'\n"
                    + "input: {anyOf: [{type: object, properties: {x: {type: string}}},\n"
                    + "  {type: object, properties: {y: {$ref: '#/$defs/o'}}}], $defs: {o: {type: object}}}\n"))
        .isEmpty();
  }

  @Test
  void everySegmentIsCheckedAndClosedOrScalarSchemasReportTheirPlace() {
    assertThat(
            validate(
                "name: a\ninstructions: |\n  {{input.addr.zzz}} {{input.y.z}} {{input.addr.city}}\n"
                    + "  {{input.free.any.thing}} {{input.alt.q}}\n"
                    + "input:\n  type: object\n  properties:\n"
                    + "    addr: {type: object, additionalProperties: false, properties: {city: {type: string}}}\n"
                    + "    y: {type: string}\n    free: {type: object}\n"
                    + "    alt: {anyOf: [{type: object, properties: {p: {}}}, {type: object, properties: {r: {}}}]}\n"))
        .containsExactly(
            "t.yaml:3:3: instructions use {{input.addr.zzz}} but the input schema of agent 'a' defines no property "
                + "'zzz' in 'input.addr'. Defined properties: [city]",
            "t.yaml:3:22: instructions use {{input.y.z}} but in the input schema of agent 'a', 'input.y' has type "
                + "string, which has no properties; use {{input.y}}",
            "t.yaml:4:28: instructions use {{input.alt.q}} but the input schema of agent 'a' defines no property 'q' "
                + "in 'input.alt' (did you mean 'p'?). Defined properties: [p, r]");
  }
}
