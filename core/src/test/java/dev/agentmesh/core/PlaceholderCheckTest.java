package dev.agentmesh.core;

import static dev.agentmesh.core.AgentSpecsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Malformed placeholders are refused at load, each at its own line and column inside the
 * instructions.
 */
class PlaceholderCheckTest {

  static final String FORMS = "write {{input}}, {{input.field}} or {{context.key}}";

  @Test
  void anUnclosedPlaceholderInABlockScalarIsReportedAtItsOwnLineAndColumn() {
    String yaml =
        "name: a\ninstructions: |\n  You triage tickets.\n  The ticket is from {{input.customer.\n"
            + "  Decide the priority.\nmodel: fast\n";

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:4:22: placeholder '{{input.customer.' is not closed; close it with '}}'");
  }

  @Test
  void everyMalformedPlaceholderIsReportedEachWhereItStands() {
    String yaml =
        "name: a\ninstructions: |-\n  Hi {{}} and {{ input. }}\n    then {{inptu.x}} {{context.a.b}}\n"
            + "  {{{input.x}}} and {{input.a {{input.b}}\n";

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:3:6: placeholder '{{}}' is empty; " + FORMS,
            "t.yaml:3:15: placeholder '{{ input. }}' is not a path of names joined by '.'; "
                + FORMS,
            "t.yaml:4:10: placeholder '{{inptu.x}}' must start with 'input' or 'context' (did you mean 'input'?); "
                + FORMS,
            "t.yaml:4:22: placeholder '{{context.a.b}}' must name one context key, as in {{context.team}}",
            "t.yaml:5:3: placeholder '{{{input.x}}' is not a path of names joined by '.' (there is one '{' too many); "
                + FORMS,
            "t.yaml:5:21: placeholder '{{input.a' is not closed; close it with '}}'");
  }

  @Test
  void placeholdersArePlacedInFoldedQuotedAndPlainScalarsAndInJson() {
    assertThat(problems("name: a\ninstructions: >\n  one\n  two {{input.x\n", "f.yaml"))
        .containsExactly("f.yaml:4:7: placeholder '{{input.x' is not closed; close it with '}}'");
    assertThat(problems("name: a\ninstructions: \"one\\n two {{}}\"\n", "q.yaml"))
        .containsExactly("q.yaml:2:26: placeholder '{{}}' is empty; " + FORMS);
    assertThat(problems("name: a\ninstructions: one\n  two {{}}\n", "p.yaml"))
        .containsExactly("p.yaml:3:7: placeholder '{{}}' is empty; " + FORMS);
    assertThat(
            problems("{\"name\": \"a\",\n \"instructions\": \"Hi\\n{{input.x}} {{ }}\"}", "j.json"))
        .containsExactly("j.json:2:35: placeholder '{{ }}' is empty; " + FORMS);
  }

  @Test
  void aLoneClosingPairIsTextBecauseJsonExamplesEndThatWay() {
    AgentSpec spec =
        AgentSpecs.parse("name: a\ninstructions: 'Answer like {\"a\": {\"b\": 1}}'\n", "t.yaml");

    assertThat(
            Template.compile(spec.instructions())
                .render(AgentSpecsTest.JSON.nullNode(), java.util.Map.of()))
        .isEqualTo("Answer like {\"a\": {\"b\": 1}}");
  }

  @Test
  void aSpecBuiltInJavaWithAMalformedPlaceholderIsRefusedByTheMeshCheck() {
    AgentSpec spec = AgentSpec.builder("a").instructions("Hi {{input.customer").build();

    assertThat(AgentSpecs.checkReferences(java.util.List.of(spec)))
        .map(SpecProblem::toString)
        .containsExactly(
            "agent 'a': placeholder '{{input.customer' is not closed; close it with '}}'");
  }
}
