package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeshTest {

  static final ChatModel ECHO = request -> ChatResponse.ofText(request.lastUserText());

  static final class Crm {
    @Tool(value = "Looks up a customer's tier", idempotent = true)
    String lookupTier(String customer) {
      return "gold";
    }
  }

  @Test
  void buildReportsEveryProblemOfTheMeshAtOnce() {
    AgentSpec triage =
        AgentSpec.builder("triage")
            .instructions("Triage {{input.custmer}} for {{context.team}}.")
            .inputSchema(
                AgentSpecsTest.JSON.readTree(
                    "{\"type\":\"object\",\"properties\":{\"customer\":{\"type\":\"string\"}}}"))
            .model("fast")
            .tools("lookupTeir")
            .agents("reviewr")
            .guardrails("no-pii")
            .build();
    AgentSpec a = AgentSpec.builder("a").instructions("A").agents("b").build();
    AgentSpec b =
        AgentSpec.builder("b").instructions("B {{input.x}} {{ticket}}").agents("a").build();

    AgentSpecException e =
        catchThrowableOfType(
            AgentSpecException.class,
            () ->
                Mesh.builder()
                    .agents(java.util.List.of(triage, a, b))
                    .model("default", ECHO)
                    .model("writer", ECHO)
                    .tools(new Crm())
                    .build());

    assertThat(e.problems())
        .extracting(SpecProblem::toString)
        .containsExactly(
            "agent 'a': child agents form a cycle: a -> b -> a; an agent may not (indirectly) call itself",
            "agent 'b': instructions use {{input.x}} but agent 'b' declares no input schema with properties; declare "
                + "'input' with a property 'x', or use {{input}}",
            "agent 'b': placeholder '{{ticket}}' must start with 'input' or 'context'; write {{input}}, {{input.field}} "
                + "or {{context.key}}",
            "agent 'triage': No model bound to alias 'fast' (agent 'triage'). Bound aliases: [default, writer]. "
                + "Bind it with Mesh.builder().model(\"fast\", model)",
            "agent 'triage': instructions use {{input.custmer}} but the input schema of agent 'triage' defines no "
                + "property 'custmer' (did you mean 'customer'?). Defined properties: [customer]",
            "agent 'triage': unknown child agent 'reviewr' (agent 'triage'). Agents in this mesh: [triage, a, b]",
            "agent 'triage': unknown guardrail 'no-pii' (agent 'triage'). Bound guardrails: []",
            "agent 'triage': unknown tool 'lookupTeir' (agent 'triage') (did you mean 'lookupTier'?). Registered "
                + "tools: [lookupTier]");
  }

  @Test
  void problemsNameTheSpecFileLineAndColumnWhenTheSpecCameFromOne() {
    AgentSpec spec = AgentSpecs.parse("name: x\ninstructions: Go.\nmodel: fast\n", "agents/x.yaml");

    assertThatThrownBy(() -> Mesh.builder().agent(spec).model("default", ECHO).build())
        .isInstanceOf(AgentSpecException.class)
        .hasMessage(
            "1 problem in agent specs:\n  agents/x.yaml:3:8: No model bound to alias 'fast' (agent 'x'). "
                + "Bound aliases: [default]. Bind it with Mesh.builder().model(\"fast\", model)");
  }

  @Test
  void duplicateNamesAndSandboxToolsOutsideTheDeclaredOnesAreReported() {
    AgentSpec one =
        AgentSpec.builder("one")
            .instructions("Go.")
            .tools("lookupTier")
            .sandbox(SandboxPolicy.of(Set.of("lookupTier", "refund"), null))
            .build();

    AgentSpecException e =
        catchThrowableOfType(
            AgentSpecException.class,
            () ->
                Mesh.builder()
                    .agent(one)
                    .agent(one)
                    .model("default", ECHO)
                    .tools(new Crm(), new Crm())
                    .build());

    assertThat(e.problems())
        .extracting(SpecProblem::toString)
        .containsExactly(
            "agent 'one': sandbox.tools allows 'refund' (agent 'one') but the agent does not declare it in tools "
                + "[lookupTier]; add it there or remove it from sandbox.tools",
            "mesh: agent name 'one' is registered twice; agent names must be unique",
            "mesh: tool name 'lookupTier' is registered twice; tool names must be unique");
  }

  @Test
  void askingForAnUnknownAgentNamesTheKnownOnes() {
    Mesh mesh =
        Mesh.builder()
            .agent(AgentSpec.builder("triage").instructions("Go.").build())
            .model("default", ECHO)
            .build();

    assertThatThrownBy(() -> mesh.agent("traige"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage(
            "No agent named 'traige' (did you mean 'triage'?). Agents in this mesh: [triage]");
    assertThat(mesh.findAgent("triage")).isPresent();
    assertThat(mesh.tool("nothing")).isEmpty();
  }

  @Test
  void aClassWithoutToolMethodsIsRefused() {
    assertThatThrownBy(() -> Mesh.builder().tools(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "java.lang.Object has no @Tool methods; annotate the methods agents may call with @dev.agentmesh.core.Tool");
  }
}
