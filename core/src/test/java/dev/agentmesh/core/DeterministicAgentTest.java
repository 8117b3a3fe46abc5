package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.testsupport.DocsExamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Deterministic agents: a spec naming a {@code function} instead of a model, whose output a
 * host-bound Java function produces. The Java shown in the section "Deterministic agents" of
 * docs/agent-spec.md (blocks fenced {@code ```java deterministic}) is the regions of this test.
 */
class DeterministicAgentTest {

  private static final Path PAGE = Path.of("../docs/agent-spec.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/core/DeterministicAgentTest.java");

  /** A deploy to check. */
  record DeployRequest(String service, String image, List<String> approvals) {}

  /** What the check found. */
  record Verdict(boolean allowed, List<String> reasons) {}

  /** The check: pure Java, no model. */
  static Verdict check(DeployRequest deploy) {
    List<String> reasons = new ArrayList<>();
    if (deploy.image().endsWith(":latest")) reasons.add("image tag 'latest' is not pinned");
    if (deploy.approvals().isEmpty()) reasons.add("no approvals");
    return new Verdict(reasons.isEmpty(), reasons);
  }

  private static AgentSpec guardSpec() {
    return AgentSpec.builder("deploy-guardrail")
        .function("deploy-check")
        .inputType(DeployRequest.class)
        .outputType(Verdict.class)
        .build();
  }

  @Test
  void aDeterministicAgentAnswersFromItsFunctionWithNoModelBound() {
    List<AgentEvent> events = new CopyOnWriteArrayList<>();
    // docs:begin bind
    Mesh mesh =
        Mesh.builder()
            .agent(
                AgentSpec.builder("deploy-guardrail")
                    .description("Checks a deploy request against the release rules")
                    .function("deploy-check")
                    .inputType(DeployRequest.class)
                    .outputType(Verdict.class)
                    .build())
            .function("deploy-check", DeployRequest.class, DeterministicAgentTest::check)
            .build();
    Verdict verdict =
        mesh.agent("deploy-guardrail")
            .call(new DeployRequest("billing", "billing:latest", List.of()), Verdict.class);
    // docs:end
    AgentResult result =
        mesh.agent("deploy-guardrail")
            .call(
                AgentRequest.builder(new DeployRequest("billing", "billing:1.4.2", List.of("ana")))
                    .listener(events::add)
                    .build());

    assertThat(verdict)
        .isEqualTo(new Verdict(false, List.of("image tag 'latest' is not pinned", "no approvals")));
    assertThat(result.as(Verdict.class)).isEqualTo(new Verdict(true, List.of()));
    assertThat(result.turns()).isZero();
    assertThat(result.toolCalls()).isZero();
    assertThat(events)
        .extracting(AgentEvent::type)
        .containsExactly("run.started", "output.produced");
    assertThat(result.messages())
        .extracting(m -> m.role() + ": " + m.text())
        .containsExactly(
            "USER: {\"service\":\"billing\",\"image\":\"billing:1.4.2\",\"approvals\":[\"ana\"]}",
            "ASSISTANT: {\"allowed\":true,\"reasons\":[]}");
  }

  @Test
  void theSpecFromTheDocsLoadsEqualToTheJavaBuiltOneAndSurvivesARoundTrip() throws Exception {
    String doc = Files.readString(PAGE, StandardCharsets.UTF_8);
    String marker = "```yaml deterministic\n";
    int start = doc.indexOf(marker) + marker.length();
    AgentSpec loaded = AgentSpecs.parse(doc.substring(start, doc.indexOf("```", start)), "doc");

    AgentSpec built =
        guardSpec().toBuilder()
            .description("Checks a deploy request against the release rules")
            .guardrails("verdict-has-reasons")
            .review(ReviewPolicy.builder().required(true).groups("release-managers").build())
            .build();
    assertThat(AgentSpecs.toYaml(loaded)).isEqualTo(AgentSpecs.toYaml(built));
    assertThat(loaded).isEqualTo(built);
    assertThat(loaded.fingerprint()).isEqualTo(built.fingerprint());
    assertThat(loaded.function()).isEqualTo("deploy-check");
    assertThat(AgentSpecs.parse(AgentSpecs.toYaml(loaded), "again.yaml")).isEqualTo(loaded);
    assertThat(AgentSpecs.parse(AgentSpecs.toJson(loaded), "again.json")).isEqualTo(loaded);
    assertThat(AgentSpecs.toYaml(loaded))
        .contains("function: deploy-check")
        .doesNotContain("model");
  }

  @Test
  void theJavaOnTheDocsPageIsTheCodeOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java deterministic", SOURCE);
  }

  @Test
  void anUnboundFunctionIsReportedAtBuildNamingTheAgentAndTheBoundFunctions() {
    AgentSpec spec =
        AgentSpecs.parse(
            "name: deploy-guardrail\nfunction: deploy-chek\n", "agents/deploy-guardrail.yaml");

    assertThatThrownBy(
            () ->
                Mesh.builder()
                    .agent(spec)
                    .function("deploy-check", DeployRequest.class, DeterministicAgentTest::check)
                    .function("lint", JsonNode.class, in -> in)
                    .build())
        .isInstanceOf(AgentSpecException.class)
        .hasMessage(
            "1 problem in agent specs:\n  agents/deploy-guardrail.yaml:2:11: No function bound to"
                + " name 'deploy-chek' (agent 'deploy-guardrail') (did you mean 'deploy-check'?)."
                + " Bound functions: [deploy-check, lint]. Bind it with"
                + " Mesh.builder().function(\"deploy-chek\", InputRecord.class, input -> output)");
  }

  @Test
  void aDeterministicAgentNeedsNoModelAliasBoundButAModelAgentBesideItStillDoes() {
    assertThatThrownBy(
            () ->
                Mesh.builder()
                    .agent(guardSpec())
                    .agent(AgentSpec.builder("triage").instructions("Triage.").build())
                    .function("deploy-check", DeployRequest.class, DeterministicAgentTest::check)
                    .build())
        .isInstanceOf(AgentSpecException.class)
        .hasMessageContaining("No model bound to alias 'default' (agent 'triage')")
        .hasMessageNotContaining("deploy-guardrail");
  }

  @Test
  void theFieldsOfAModelCallAreRefusedInAFileAtTheirPlaces() {
    assertThat(
            AgentSpecsTest.problems(
                "name: g\nfunction: check\ninstructions: Check it.\nmodel: fast\ntools: [x]\n",
                "g.yaml"))
        .containsExactly(
            "g.yaml:3:15: agent 'g' runs function 'check' and calls no model, so 'instructions'"
                + " has no meaning for it; remove it, or remove 'function' to make it an agent that"
                + " calls a model",
            "g.yaml:4:8: agent 'g' runs function 'check' and calls no model, so 'model' has no"
                + " meaning for it; remove it, or remove 'function' to make it an agent that calls a"
                + " model",
            "g.yaml:5:8: agent 'g' runs function 'check' and calls no model, so 'tools' has no"
                + " meaning for it; remove it, or remove 'function' to make it an agent that calls a"
                + " model");
  }

  @Test
  void theBuilderRefusesTheFieldsOfAModelCallAllAtOnce() {
    assertThatThrownBy(
            () ->
                AgentSpec.builder("g")
                    .function("check")
                    .instructions("Check it.")
                    .model("fast")
                    .temperature(0.1)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "agent 'g' runs function 'check' and calls no model, so [instructions, model,"
                + " temperature] have no meaning for it; remove them, or remove 'function' to make"
                + " it an agent that calls a model");
    assertThatThrownBy(() -> AgentSpec.builder("g").function("1check"))
        .hasMessageContaining("function must be letters, digits, '-', '_' and '.'");
  }

  @Test
  void validateAcceptsADeterministicSpecAndStillRequiresInstructionsOfOthers(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("guard.yaml"),
        "name: deploy-guardrail\nfunction: deploy-check\noutput: {type: object}\n");
    Files.writeString(dir.resolve("chat.yaml"), "name: chat\n");

    assertThat(AgentSpecs.validate(List.of(dir)))
        .extracting(SpecProblem::toString)
        .containsExactly(dir.resolve("chat.yaml") + ":1:1: missing required field 'instructions'");
  }

  @Test
  void outputThatDoesNotMatchTheSchemaFailsTheRunWithoutARepair() {
    List<AgentEvent> events = new CopyOnWriteArrayList<>();
    Mesh mesh =
        Mesh.builder()
            .agent(guardSpec())
            .function("deploy-check", DeployRequest.class, d -> java.util.Map.of("allowed", "yes"))
            .listener(events::add)
            .build();

    assertThatThrownBy(
            () -> mesh.agent("deploy-guardrail").call(new DeployRequest("a", "a:1", List.of())))
        .isInstanceOf(OutputValidationException.class)
        .hasMessageStartingWith(
            "Function 'deploy-check' of agent 'deploy-guardrail' returned output that does not"
                + " match the agent's output schema: ")
        .hasMessageEndingWith(
            ". Make the function's output type match the schema, or relax the schema.");
    assertThat(events).extracting(AgentEvent::type).containsExactly("run.started", "run.failed");
  }

  @Test
  void anOutputGuardrailBlocksTheFunctionsOutputAsItWouldAModelsAnswer() {
    List<AgentEvent> events = new CopyOnWriteArrayList<>();
    Guardrail verdictHasReasons =
        new Guardrail() {
          @Override
          public Verdict checkOutput(JsonNode output) {
            return output.get("allowed").asBoolean() || !output.get("reasons").isEmpty()
                ? Verdict.allow()
                : Verdict.block("a refusal must say why");
          }
        };
    Mesh mesh =
        Mesh.builder()
            .agent(guardSpec().toBuilder().guardrails("verdict-has-reasons").build())
            .function(
                "deploy-check",
                DeployRequest.class,
                d -> new DeterministicAgentTest.Verdict(false, List.of()))
            .guardrail("verdict-has-reasons", verdictHasReasons)
            .listener(events::add)
            .build();

    assertThatThrownBy(
            () -> mesh.agent("deploy-guardrail").call(new DeployRequest("a", "a:1", List.of())))
        .isInstanceOf(GuardrailBlockedException.class)
        .hasMessageContaining("a refusal must say why");
    assertThat(events)
        .extracting(AgentEvent::type)
        .containsExactly("run.started", "guardrail.blocked", "run.failed");
  }

  @Test
  void aFunctionThatThrowsFailsTheRunNamingTheFunctionAndTheAgent() {
    Mesh mesh =
        Mesh.builder()
            .agent(guardSpec())
            .function(
                "deploy-check",
                DeployRequest.class,
                d -> {
                  throw new IllegalStateException("release calendar unreadable");
                })
            .build();

    assertThatThrownBy(
            () -> mesh.agent("deploy-guardrail").call(new DeployRequest("a", "a:1", List.of())))
        .isInstanceOf(AgentRunException.class)
        .hasMessage(
            "Function 'deploy-check' of agent 'deploy-guardrail' threw IllegalStateException:"
                + " release calendar unreadable");
  }

  @Test
  void anInputTheInputTypeCannotReadFailsTheRunWithAClearMessage() {
    Mesh mesh =
        Mesh.builder()
            .agent(AgentSpec.builder("deploy-guardrail").function("deploy-check").build())
            .function("deploy-check", DeployRequest.class, DeterministicAgentTest::check)
            .build();

    assertThatThrownBy(() -> mesh.agent("deploy-guardrail").call(java.util.Map.of("svc", "a")))
        .isInstanceOf(AgentRunException.class)
        .hasMessageStartingWith(
            "Agent 'deploy-guardrail' could not read its input as DeployRequest, the input type"
                + " of function 'deploy-check': ")
        .hasMessageEndingWith(
            ". Make the spec's input schema match DeployRequest, or bind the function to"
                + " JsonNode.class");
  }

  @Test
  void aDeterministicChildAgentAnswersItsParentAsATool() {
    Mesh mesh =
        Mesh.builder()
            .agent(guardSpec())
            .agent(
                AgentSpec.builder("release")
                    .instructions("Release it.")
                    .agents("deploy-guardrail")
                    .build())
            .model(
                "default",
                request -> {
                  List<dev.agentmesh.core.spi.ChatMessage> messages = request.messages();
                  dev.agentmesh.core.spi.ChatMessage last = messages.get(messages.size() - 1);
                  if (last.role() == dev.agentmesh.core.spi.ChatMessage.Role.TOOL) {
                    return dev.agentmesh.core.spi.ChatResponse.ofText(last.text());
                  }
                  return dev.agentmesh.core.spi.ChatResponse.ofToolCalls(
                      dev.agentmesh.core.spi.ToolCall.of(
                          "c1",
                          "deploy-guardrail",
                          AgentSpecsTest.JSON.readTree(
                              "{\"service\":\"a\",\"image\":\"a:1\",\"approvals\":[\"bo\"]}")));
                })
            .function("deploy-check", DeployRequest.class, DeterministicAgentTest::check)
            .build();

    assertThat(mesh.agent("release").call("ship a").text())
        .isEqualTo("{\"allowed\":true,\"reasons\":[]}");
  }
}
