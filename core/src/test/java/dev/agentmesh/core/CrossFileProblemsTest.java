package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problems between specs point at the field that is wrong, and a broken file hides nothing. */
class CrossFileProblemsTest {

  @TempDir Path dir;

  @Test
  void referenceProblemsPointAtTheFieldThatIsWrong() throws IOException {
    Path x =
        write(
            "x.yaml",
            "name: x",
            "instructions: |",
            "  Hello",
            "  {{input.foo}}",
            "agents: [y, zed]",
            "sandbox:",
            "  tools: [lookup]");
    Path y = write("y.yaml", "name: y", "instructions: hi", "agents:", "  - x", "tools: [x]");

    assertThat(AgentSpecs.validate(List.of(dir)))
        .map(SpecProblem::toString)
        .containsExactly(
            x
                + ":4:3: instructions use {{input.foo}} but agent 'x' declares no input schema with properties; "
                + "declare 'input' with a property 'foo', or use {{input}}",
            x
                + ":5:10: child agents form a cycle: x -> y -> x; an agent may not (indirectly) call itself",
            x + ":5:13: unknown child agent 'zed' (agent 'x'). Agents in this mesh: [x, y]",
            x
                + ":7:11: sandbox.tools allows 'lookup' (agent 'x') but the agent does not declare it in tools []; "
                + "add it there or remove it from sandbox.tools",
            y + ":5:9: tool 'x' (agent 'y') has the name of an agent; rename one of them");
  }

  @Test
  void aMeshPointsAtTheUnboundModelToolAndGuardrailOfALoadedSpec() throws IOException {
    Path x =
        write(
            "x.yaml",
            "name: x",
            "instructions: hi",
            "model: fsat",
            "tools: [lookupTeir]",
            "guardrails:",
            "  - no-pii");
    AgentSpec spec = AgentSpecs.load(x);

    AgentSpecException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            AgentSpecException.class,
            () -> Mesh.builder().agent(spec).model("fast", MeshTest.ECHO).build());

    assertThat(e.problems())
        .map(SpecProblem::toString)
        .containsExactly(
            x
                + ":3:8: No model bound to alias 'fsat' (agent 'x') (did you mean 'fast'?). Bound aliases: [fast]. "
                + "Bind it with Mesh.builder().model(\"fsat\", model)",
            x + ":4:9: unknown tool 'lookupTeir' (agent 'x'). Registered tools: []",
            x + ":6:5: unknown guardrail 'no-pii' (agent 'x'). Bound guardrails: []");
  }

  @Test
  void oneBrokenFileHidesNeitherTheOtherFilesProblemsNorTheReferenceProblems() throws IOException {
    Path broken = write("broken.yaml", "name: child", "instructions: hi", "modle: fast");
    Path other = write("other.yaml", "name: other", "instructions: hi", "limits: {maxTurns: 0}");
    Path parent =
        write("parent.yaml", "name: parent", "instructions: hi", "agents: [child, ghost]");
    Path twin = write("twin.yaml", "name: parent", "instructions: again");

    assertThat(AgentSpecs.validate(List.of(dir)))
        .map(SpecProblem::toString)
        .containsExactly(
            broken
                + ":3:1: unknown field 'modle' (did you mean 'model'?); expected one of "
                + SpecCodec.FIELDS,
            other + ":3:20: maxTurns must be between 1 and 1000 but was 0",
            parent
                + ":3:17: unknown child agent 'ghost' (agent 'parent'). Agents in this mesh: [child, other, parent]",
            twin
                + ":1:7: agent name 'parent' is already used by "
                + parent
                + ":1:7; names must be unique");
  }

  @Test
  void aSpecWithProblemsOfItsOwnStillTakesPartInTheChecksBetweenSpecs() throws IOException {
    Path child = write("child.yaml", "name: child", "instructions: hi");
    Path parent =
        write(
            "parent.yaml",
            "name: parent",
            "instructions: 'Hi {{input.nope}}'",
            "agents: [child, ghost]",
            "input:",
            "  type: objct",
            "  properties: {x: {type: string}}");
    Path dup1 = write("q1.yaml", "name: dup", "instructions: hi", "modle: x");
    Path dup2 = write("q2.yaml", "name: dup", "instructions: hi");

    assertThat(AgentSpecs.validate(List.of(dir)))
        .map(SpecProblem::toString)
        .containsExactly(
            parent
                + ":2:19: instructions use {{input.nope}} but the input schema of agent 'parent' defines no property "
                + "'nope'. Defined properties: [x]",
            parent
                + ":3:17: unknown child agent 'ghost' (agent 'parent'). Agents in this mesh: [child, parent, dup]",
            parent
                + ":5:9: 'input.type' expected one of "
                + SchemaCheck.TYPES
                + " but found 'objct' (did you mean 'object'?)",
            dup1
                + ":3:1: unknown field 'modle' (did you mean 'model'?); expected one of "
                + SpecCodec.FIELDS,
            dup2
                + ":1:7: agent name 'dup' is already used by "
                + dup1
                + ":1:7; names must be unique");
    assertThat(child).exists();
  }

  @Test
  void aBrokenFieldOfABrokenSpecCausesNoKnockOnProblems() throws IOException {
    Path a =
        write(
            "a.yaml",
            "name: a",
            "instructions: 'Hi {{input.x}} {{}}'",
            "tools: 7",
            "input: text",
            "sandbox: {tools: [lookup]}",
            "agents: [b]");
    Path b = write("b.yaml", "name: b", "instructions: hi", "agents: {x: 1}");

    assertThat(AgentSpecs.validate(List.of(dir)))
        .map(SpecProblem::toString)
        .containsExactly(
            a + ":2:31: placeholder '{{}}' is empty; " + PlaceholderCheckTest.FORMS,
            a + ":3:8: field 'tools' expected a list of names but found an integer (7)",
            a + ":4:8: field 'input' expected a mapping but found a string ('text')",
            b + ":3:9: field 'agents' expected a list of names but found a mapping");
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }
}
