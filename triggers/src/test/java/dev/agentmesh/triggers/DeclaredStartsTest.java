package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.SpecProblem;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.testing.ScriptedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code human} and {@code agent} kinds: declared in trigger files, checked against the agents,
 * bound, and enforced by {@link HumanTrigger} when it is given the declarations.
 */
class DeclaredStartsTest {

  private static final Path EXAMPLE = Path.of("src/test/resources/starters/starters.yaml");

  @Test
  void theExampleFileLoadsEqualToTheSameDeclarationsBuiltInJava() {
    List<TriggerSpec> loaded = TriggerSpecs.load(EXAMPLE);

    assertThat(loaded)
        .containsExactly(
            TriggerSpec.human("triage-by-hand")
                .agent("triage")
                .description("A support lead sorts a ticket by hand")
                .build(),
            TriggerSpec.fromAgents("triage-escalates", "triage").agent("escalate").build());
    assertThat(loaded.get(1).from()).containsExactly("triage");
    assertThat(loaded.get(1).where("from[0]")).isEqualTo(EXAMPLE + ":11:12");
    assertThat(loaded.get(0).describe()).isEqualTo("a person -> triage");
    assertThat(loaded.get(1).describe()).isEqualTo("start_session of triage -> escalate");
    assertThat(loaded.get(0).schedule()).isNull();
  }

  @Test
  void theDocsPageShowsTheExampleFileUnchanged() throws IOException {
    assertThat(Files.readString(Path.of("../docs/triggers.md")))
        .contains("```yaml\n" + Files.readString(EXAMPLE) + "```\n");
  }

  @Test
  void mistakesInTheNewKindsAreLocatedWithASuggestion() {
    List<SpecProblem> problems =
        problems(
            "triggers:",
            "  - {id: a, kind: agent, agent: writer}",
            "  - {id: b, kind: agent, agent: writer, from: planner}",
            "  - {id: c, kind: agent, agent: writer, from: [planner, planner]}",
            "  - {id: d, kind: agent, agent: writer, from: [planner], descripton: x}",
            "  - {id: e, kind: human, agent: writer, paused: true}",
            "  - {id: f, kind: humna, agent: writer}");

    assertThat(problems)
        .extracting(SpecProblem::toString)
        .containsExactly(
            "t.yaml:2:5: missing required field 'from'; expected a list of the agents whose"
                + " start_session may start it, such as [pilot]",
            "t.yaml:3:47: field 'from' expected a list of agents, such as [pilot], but found a"
                + " string ('planner')",
            "t.yaml:4:57: field 'from' names agent 'planner' twice; keep one",
            "t.yaml:5:58: unknown field 'descripton' (did you mean 'description'?); expected one"
                + " of [id, kind, agent, from, description]",
            "t.yaml:6:41: field 'paused' does not apply to this kind of trigger; it takes [id,"
                + " kind, agent, description]",
            "t.yaml:7:19: field 'kind' expected one of [cron, interval, once, webhook, event,"
                + " human, agent] but found a string ('humna') (did you mean 'human'?)");
  }

  @Test
  void validateNamesAnUnknownParentAndAParentWithoutTheToolAndSaysWhatToAdd() throws IOException {
    Path dir = Files.createTempDirectory("starters");
    Path file = dir.resolve("t.yaml");
    Files.writeString(
        file,
        """
        triggers:
          - id: stages
            kind: agent
            agent: writer
            from: [planer, editor]
        """);
    List<AgentSpec> agents =
        List.of(
            AgentSpec.builder("planner").instructions("x").tools(AgentTriggers.TOOL).build(),
            AgentSpec.builder("editor").instructions("x").tools("lookup").build(),
            AgentSpec.builder("writer").instructions("x").build());

    assertThat(TriggerSpecs.validate(List.of(dir), agents))
        .extracting(SpecProblem::toString)
        .containsExactly(
            file
                + ":5:12: unknown agent 'planer' (trigger 'stages') (did you mean 'planner'?)."
                + " Agents beside it: [editor, planner, writer]",
            file
                + ":5:20: agent 'editor' cannot start 'writer' (trigger 'stages'): it has no"
                + " start_session tool; add it to its spec: tools: [lookup, start_session]");
  }

  @Test
  void theBindingKeepsTheDeclarationsApartFromWhatFires() {
    TriggerBinding bound =
        TriggerBinding.of(
            TriggerSpecs.load(EXAMPLE), SecretResolver.from(Map.of()), Clock.systemUTC());

    assertThat(bound.humanStarts()).extracting(TriggerSpec::id).containsExactly("triage-by-hand");
    assertThat(bound.agentStarts()).extracting(TriggerSpec::id).containsExactly("triage-escalates");
    assertThat(bound.definitions()).isEmpty();
    assertThat(bound.toString()).endsWith("1 human, 1 agent starts}");
  }

  @Test
  void theBuilderRefusesAnAgentTriggerWithoutParentsAndAPauseOnADeclaration() {
    assertThatThrownBy(() -> TriggerSpec.fromAgents("stages"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an agent trigger names at least one agent in 'from' (stages)");
    assertThatThrownBy(() -> TriggerSpec.human("by-hand").paused(true))
        .hasMessage(
            "'paused' does not apply to a human trigger (by-hand); it declares who may start the"
                + " agent and fires nothing itself");
  }

  @Test
  void aHumanTriggerGivenTheDeclarationsStartsADeclaredAgentAndRefusesAnother() {
    Mesh mesh =
        Mesh.builder()
            .agent(AgentSpec.builder("triage").instructions("Sort {{input}}").build())
            .agent(AgentSpec.builder("escalate").instructions("Escalate {{input}}").build())
            .model(
                "default",
                ScriptedModel.builder().when(r -> true, r -> ChatResponse.ofText("ok")).build())
            .build();
    try (Sessions sessions = Sessions.builder(mesh).store(InMemorySessionStore.create()).build()) {
      int[] asked = {0};
      HumanTrigger humans =
          HumanTrigger.builder(sessions)
              .authenticator(
                  credential -> {
                    asked[0]++;
                    if (!credential.equals("token")) {
                      throw new StartRefusedException("unknown credential");
                    }
                    return "ana";
                  })
              .declared(TriggerSpecs.load(EXAMPLE))
              .build();

      SessionState done =
          humans.start("token", "triage").input("x").start().awaitFinished(Duration.ofSeconds(10));

      assertThat(done.origin()).isEqualTo(Origin.human("ana"));
      assertThatThrownBy(() -> humans.start("token", "escalate").input("x").start())
          .isInstanceOf(StartRefusedException.class)
          .hasMessage(
              "no trigger of kind human lets people start agent 'escalate' (people may start"
                  + " [triage]); to allow it, declare one in a trigger file: {id:"
                  + " escalate-by-hand, kind: human, agent: escalate}");
      assertThat(asked[0]).as("each start authenticated first").isEqualTo(2);
      assertThatThrownBy(() -> humans.start("forged", "escalate").input("x").start())
          .isInstanceOf(StartRefusedException.class)
          .as("a refused credential learns nothing of the declarations")
          .hasMessage("unknown credential");
      assertThat(sessions.query(SessionQuery.builder().agent("escalate").build()).sessions())
          .isEmpty();
    }
  }

  private static List<SpecProblem> problems(String... lines) {
    try {
      TriggerSpecs.parse(String.join("\n", lines) + "\n", "t.yaml");
    } catch (TriggerSpecException e) {
      return e.problems();
    }
    throw new AssertionError("expected problems");
  }
}
