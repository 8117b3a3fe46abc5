package dev.agentmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentEvent.ToolFailure;
import dev.agentmesh.core.AgentMeshException;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.AgentRunException;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Guardrail;
import dev.agentmesh.core.GuardrailBlockedException;
import dev.agentmesh.core.LimitExceededException;
import dev.agentmesh.core.Limits;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.OutputValidationException;
import dev.agentmesh.core.SandboxPolicy;
import dev.agentmesh.core.Tool;
import dev.agentmesh.core.ToolContext;
import dev.agentmesh.core.ToolParam;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AgentLoopTest {

  static final JsonMapper JSON = JsonMapper.builder().build();

  record Ticket(String customer, String subject) {}

  enum Priority {
    LOW,
    NORMAL,
    HIGH
  }

  record Triage(Priority priority, String team) {}

  static final class Crm {
    final AtomicInteger calls = new AtomicInteger();

    @Tool(value = "Looks up a customer's support tier", idempotent = true)
    String lookupTier(@ToolParam("The customer's account id") String customer) {
      calls.incrementAndGet();
      if (customer.contains("secret")) throw new IllegalStateException("db password is hunter2");
      return customer.equals("acme") ? "gold" : "basic";
    }

    @Tool("Fetches a page from the CRM")
    String fetch(String url, ToolContext context) {
      context.requireHostAllowed(URI.create(url));
      return "page";
    }
  }

  static AgentSpec.Builder triage() {
    return AgentSpec.builder("triage")
        .instructions("Triage the ticket from {{input.customer}}.")
        .inputType(Ticket.class)
        .outputType(Triage.class)
        .tools("lookupTier");
  }

  static AgentTester tester(AgentSpec spec, ScriptedModel model) {
    return AgentTester.of(spec).model(model).tools(new Crm());
  }

  @Test
  void anAgentCallsAToolThenAnswersWithTypedOutput() {
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCall("lookupTier", "{\"customer\":\"acme\"}")
            .text("{\"priority\":\"HIGH\",\"team\":\"billing\"}")
            .build();

    AgentTester.Run run = tester(triage().build(), model).call(new Ticket("acme", "Invoice wrong"));

    assertThat(run.output(Triage.class)).isEqualTo(new Triage(Priority.HIGH, "billing"));
    assertThat(run.eventTypes())
        .containsExactly(
            "run.started",
            "model.called",
            "model.responded",
            "tool.called",
            "tool.returned",
            "model.called",
            "model.responded",
            "output.produced");
    assertThat(run.events(AgentEvent.ToolReturned.class).get(0).result().asString())
        .isEqualTo("gold");
    assertThat(run.events(AgentEvent.ToolCalled.class).get(0).idempotent()).isTrue();
    assertThat(model.requests().get(0).messages().get(0).text())
        .isEqualTo("Triage the ticket from acme.");
    assertThat(model.requests().get(0).tools())
        .extracting(d -> d.name())
        .containsExactly("lookupTier");
    assertThat(model.requests().get(0).outputSchema()).isNotNull();
    assertThat(model.lastRequest().messages())
        .extracting(ChatMessage::role)
        .containsExactly(
            ChatMessage.Role.SYSTEM,
            ChatMessage.Role.USER,
            ChatMessage.Role.ASSISTANT,
            ChatMessage.Role.TOOL);
    assertThat(run.result().usage()).isEqualTo(Usage.of(200, 40));
    assertThat(run.result().turns()).isEqualTo(2);
  }

  @Test
  void severalToolCallsAskedAtOnceRunConcurrently() {
    CyclicBarrier bothRunning = new CyclicBarrier(2);
    AgentTool meet =
        AgentTool.builder("meet")
            .description("Waits for the other call")
            .idempotent(true)
            .handler((args, ctx) -> bothRunning.await(10, TimeUnit.SECONDS))
            .build();
    ScriptedModel model =
        ScriptedModel.builder().toolCalls("meet", "{}", "meet", "{}").text("done").build();

    AgentTester.Run run =
        AgentTester.of(AgentSpec.builder("pair").instructions("Go.").tools("meet").build())
            .model(model)
            .tool(meet)
            .call("go");

    assertThat(run.result().text()).isEqualTo("done");
    assertThat(run.events(AgentEvent.ToolReturned.class)).hasSize(2);
    assertThat(model.lastRequest().messages())
        .filteredOn(m -> m.role() == ChatMessage.Role.TOOL)
        .extracting(ChatMessage::toolCallId)
        .containsExactly("call_1", "call_2");
  }

  @Test
  void argumentsTheModelGetsWrongGoBackToItAsAToolErrorItCanCorrect() {
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCall("lookupTier", "{\"customer\":5}")
            .toolCall("lookupTier", "{\"customer\":\"acme\"}")
            .text("{\"priority\":\"LOW\",\"team\":\"sales\"}")
            .build();

    AgentTester.Run run = tester(triage().build(), model).call(new Ticket("acme", "Hi"));

    AgentEvent.ToolFailed failed = run.events(AgentEvent.ToolFailed.class).get(0);
    assertThat(failed.reason()).isEqualTo(ToolFailure.INVALID_ARGUMENTS);
    assertThat(failed.message())
        .startsWith("Invalid arguments for tool 'lookupTier': ")
        .contains("customer")
        .endsWith(". Call it again with arguments matching its schema.");
    assertThat(model.requests().get(1).messages().get(3).error()).isTrue();
    assertThat(run.output(Triage.class).team()).isEqualTo("sales");
  }

  @Test
  void argumentsThatAreNotJsonAreReportedToTheModel() {
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCall("lookupTier", "{customer: acme")
            .text("{\"priority\":\"LOW\",\"team\":\"x\"}")
            .build();

    AgentTester.Run run = tester(triage().build(), model).call(new Ticket("acme", "Hi"));

    assertThat(run.events(AgentEvent.ToolFailed.class).get(0).message())
        .isEqualTo(
            "Invalid arguments for tool 'lookupTier': arguments must be a JSON object but were \"{customer: acme\". "
                + "Call it again with arguments matching its schema.");
  }

  @Test
  void aModelThatKeepsGettingArgumentsWrongFailsTheRunAfterThreeTries() {
    ScriptedModel model =
        ScriptedModel.builder()
            .when(
                r -> true,
                r ->
                    ChatResponse.ofToolCalls(
                        ToolCall.of(
                            "c" + r.messages().size(), "lookupTier", JSON.readTree("{\"who\":1}"))))
            .build();

    AgentRunException e =
        catchThrowableOfType(
            AgentRunException.class,
            () -> tester(triage().build(), model).call(new Ticket("acme", "Hi")));

    assertThat(e.getMessage())
        .startsWith(
            "Agent 'triage' called tools with invalid arguments 4 times; the last: "
                + "Invalid arguments for tool 'lookupTier': ")
        .endsWith(" Describe the tool's parameters better, or use a stronger model.");
  }

  @Test
  void aToolsExceptionIsAToolErrorWhoseDetailsStayOutOfThePrompt() {
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCall("lookupTier", "{\"customer\":\"secret-co\"}")
            .text("{\"priority\":\"LOW\",\"team\":\"x\"}")
            .build();

    AgentTester.Run run = tester(triage().build(), model).call(new Ticket("secret-co", "Hi"));

    AgentEvent.ToolFailed failed = run.events(AgentEvent.ToolFailed.class).get(0);
    assertThat(failed.reason()).isEqualTo(ToolFailure.EXCEPTION);
    assertThat(failed.message())
        .isEqualTo(
            "Tool 'lookupTier' failed with IllegalStateException. Try another way, or answer without it.");
    assertThat(model.lastRequest().messages().toString()).doesNotContain("hunter2");
  }

  @Test
  void anUnknownToolIsReportedWithASuggestion() {
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCall("lookupTeir", "{}")
            .text("{\"priority\":\"LOW\",\"team\":\"x\"}")
            .build();

    AgentTester.Run run = tester(triage().build(), model).call(new Ticket("acme", "Hi"));

    assertThat(run.events(AgentEvent.ToolFailed.class).get(0).message())
        .isEqualTo(
            "Unknown tool 'lookupTeir' (did you mean 'lookupTier'?). Available tools: [lookupTier]");
    assertThat(run.events(AgentEvent.ToolFailed.class).get(0).reason())
        .isEqualTo(ToolFailure.UNKNOWN_TOOL);
  }

  @Test
  void outputThatMissesTheSchemaIsSentBackOnceForRepair() {
    ScriptedModel model =
        ScriptedModel.builder()
            .text("```json\n{\"priority\":\"URGENT\"}\n```")
            .text("{\"priority\":\"HIGH\",\"team\":\"ops\"}")
            .build();

    AgentTester.Run run =
        tester(triage().tools(List.of()).build(), model).call(new Ticket("acme", "Hi"));

    assertThat(run.output(Triage.class)).isEqualTo(new Triage(Priority.HIGH, "ops"));
    List<String> errors = run.events(AgentEvent.OutputRejected.class).get(0).errors();
    assertThat(errors).hasSize(2);
    assertThat(model.lastRequest().messages().get(3).text())
        .startsWith("Your answer does not match the required output schema:\n- ");
  }

  @Test
  void outputThatMissesTheSchemaTwiceFailsTheCall() {
    ScriptedModel model =
        ScriptedModel.builder().text("not json").text("{\"priority\":\"HIGH\"}").build();

    OutputValidationException e =
        catchThrowableOfType(
            OutputValidationException.class,
            () -> tester(triage().tools(List.of()).build(), model).call(new Ticket("acme", "Hi")));

    assertThat(e.errors()).singleElement().asString().contains("team");
    assertThat(e.getMessage())
        .startsWith(
            "Agent 'triage' answered output that does not match its output schema, also after one repair attempt: ")
        .endsWith(". Make the instructions clearer about the output, or relax the schema.");
  }

  @Test
  void maxTurnsStopsAModelThatNeverAnswers() {
    ScriptedModel model =
        ScriptedModel.builder()
            .when(
                r -> true,
                r ->
                    ChatResponse.ofToolCalls(
                        ToolCall.of(
                            "c" + r.messages().size(),
                            "lookupTier",
                            JSON.readTree("{\"customer\":\"acme\"}"))))
            .build();
    AgentTester tester =
        tester(triage().limits(Limits.builder().maxTurns(3).build()).build(), model);

    LimitExceededException e =
        catchThrowableOfType(
            LimitExceededException.class, () -> tester.call(new Ticket("acme", "Hi")));

    assertThat(e.limit()).isEqualTo(LimitExceededException.Limit.MAX_TURNS);
    assertThat(e.getMessage())
        .isEqualTo(
            "Agent 'triage' reached maxTurns (3) without a final answer. Raise limits.maxTurns in its spec, or narrow its task.");
    assertThat(tester.lastEvents()).last().isInstanceOf(AgentEvent.RunFailed.class);
    assertThat(
            ((AgentEvent.RunFailed) tester.lastEvents().get(tester.lastEvents().size() - 1))
                .error())
        .isEqualTo("LimitExceededException");
  }

  @Test
  void maxToolCallsCountsEveryCall() {
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCalls("lookupTier", "{\"customer\":\"a\"}", "lookupTier", "{\"customer\":\"b\"}")
            .build();
    Crm crm = new Crm();

    assertThatThrownBy(
            () ->
                AgentTester.of(triage().limits(Limits.builder().maxToolCalls(1).build()).build())
                    .model(model)
                    .tools(crm)
                    .call(new Ticket("acme", "Hi")))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage(
            "Agent 'triage' asked for 2 tool calls, over its maxToolCalls of 1. Raise limits.maxToolCalls in its spec, or narrow its task.");
    assertThat(crm.calls).hasValue(0);
  }

  @Test
  void theTimeoutIsMeasuredOnTheMeshClock() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-05T09:00:00Z"));
    AgentTool slow =
        AgentTool.builder("slow")
            .description("Takes a while")
            .handler((args, ctx) -> clock.advance(Duration.ofSeconds(31)))
            .build();
    ScriptedModel model = ScriptedModel.builder().toolCall("slow", "{}").text("late").build();

    assertThatThrownBy(
            () ->
                AgentTester.of(
                        AgentSpec.builder("s")
                            .instructions("Go.")
                            .tools("slow")
                            .limits(Limits.builder().timeout(Duration.ofSeconds(30)).build())
                            .build())
                    .model(model)
                    .tool(slow)
                    .clock(clock)
                    .call("go"))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage(
            "Agent 's' ran longer than its timeout of 30s. Raise limits.timeout in its spec, or make its tools faster.");
  }

  @Test
  void theFirstModelCallGetsTheWholeTimeoutAndLaterOnesWhatIsLeft() {
    ScriptedModel model =
        ScriptedModel.builder().toolCall("lookupTier", "{\"customer\":\"acme\"}").text("x").build();
    AgentSpec spec =
        AgentSpec.builder("triage")
            .instructions("Go.")
            .tools("lookupTier")
            .limits(Limits.builder().timeout(Duration.ofSeconds(30)).build())
            .build();

    try (Mesh mesh = Mesh.builder().agent(spec).model("default", model).tools(new Crm()).build()) {
      mesh.agent("triage").call("ticket");
    }

    // Nothing but the loop's own bookkeeping ran before the first call (no listener, guardrail or
    // history): its timeout is the whole 30 s, without another read of the clock; the second
    // call's is what the first left.
    assertThat(model.requests().get(0).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(model.requests().get(1).timeout())
        .isLessThan(Duration.ofSeconds(30))
        .isGreaterThan(Duration.ofSeconds(20));
  }

  @Test
  void maxCostStopsARunOnceTheReportedCostExceedsIt() {
    ScriptedModel model =
        ScriptedModel.builder()
            .usage(Usage.of(1000, 100).withCost(new BigDecimal("0.03")))
            .toolCall("lookupTier", "{\"customer\":\"acme\"}")
            .toolCall("lookupTier", "{\"customer\":\"acme\"}")
            .text("x")
            .build();

    assertThatThrownBy(
            () ->
                tester(
                        triage()
                            .limits(Limits.builder().maxCost(new BigDecimal("0.05")).build())
                            .build(),
                        model)
                    .call(new Ticket("acme", "Hi")))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage(
            "Agent 'triage' cost $0.06, over its maxCost of $0.05. Raise limits.maxCost in its spec, or use a cheaper model.");
  }

  @Test
  void guardrailsBlockInputOutputAndToolCallsAsNamedFailures() {
    Guardrail noAcme =
        new Guardrail() {
          @Override
          public Verdict checkInput(JsonNode input) {
            return input.path("customer").asString().equals("blocked")
                ? Verdict.block("customer is on the deny list")
                : Verdict.allow();
          }

          @Override
          public Verdict checkToolCall(String tool, JsonNode arguments) {
            return arguments.path("customer").asString().equals("vip")
                ? Verdict.block("VIPs are looked up by hand")
                : Verdict.allow();
          }

          @Override
          public Verdict checkOutput(JsonNode output) {
            return output.path("team").asString().equals("legal")
                ? Verdict.block("legal is not a triage target")
                : Verdict.allow();
          }
        };
    AgentSpec spec = triage().guardrails("policy").build();

    GuardrailBlockedException input =
        catchThrowableOfType(
            GuardrailBlockedException.class,
            () ->
                tester(spec, ScriptedModel.of())
                    .guardrail("policy", noAcme)
                    .call(new Ticket("blocked", "Hi")));
    GuardrailBlockedException tool =
        catchThrowableOfType(
            GuardrailBlockedException.class,
            () ->
                tester(
                        spec,
                        ScriptedModel.builder()
                            .toolCall("lookupTier", "{\"customer\":\"vip\"}")
                            .build())
                    .guardrail("policy", noAcme)
                    .call(new Ticket("acme", "Hi")));
    AgentTester outputTester =
        tester(
                spec,
                ScriptedModel.builder().text("{\"priority\":\"LOW\",\"team\":\"legal\"}").build())
            .guardrail("policy", noAcme);
    GuardrailBlockedException output =
        catchThrowableOfType(
            GuardrailBlockedException.class, () -> outputTester.call(new Ticket("acme", "Hi")));

    assertThat(input.getMessage())
        .isEqualTo(
            "Guardrail 'policy' blocked the input of agent 'triage': customer is on the deny list");
    assertThat(tool.getMessage())
        .isEqualTo(
            "Guardrail 'policy' blocked the tool call of agent 'triage': call of tool 'lookupTier': VIPs are looked up by hand");
    assertThat(output.stage()).isEqualTo(Guardrail.Stage.OUTPUT);
    assertThat(outputTester.lastEvents())
        .extracting(AgentEvent::type)
        .endsWith("guardrail.blocked", "run.failed");
  }

  @Test
  void theSandboxHidesToolsItDisallowsAndGuardsHosts() {
    AgentSpec spec =
        AgentSpec.builder("reader")
            .instructions("Go.")
            .tools("lookupTier", "fetch")
            .sandbox(SandboxPolicy.of(Set.of("fetch"), Set.of("*.example.com")))
            .build();
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCalls(
                "lookupTier",
                "{\"customer\":\"acme\"}",
                "fetch",
                "{\"url\":\"https://evil.test/x\"}",
                "fetch",
                "{\"url\":\"https://crm.example.com/x\"}")
            .text("ok")
            .build();

    AgentTester.Run run = AgentTester.of(spec).model(model).tools(new Crm()).call("go");

    assertThat(model.requests().get(0).tools()).extracting(d -> d.name()).containsExactly("fetch");
    assertThat(run.events(AgentEvent.ToolFailed.class))
        .extracting(AgentEvent.ToolFailed::reason, AgentEvent.ToolFailed::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ToolFailure.NOT_ALLOWED,
                "Tool 'lookupTier' is not allowed for this agent. Available tools: [fetch]"),
            org.assertj.core.groups.Tuple.tuple(
                ToolFailure.NOT_ALLOWED,
                "Agent 'reader' may not reach host 'evil.test'; its sandbox "
                    + "allows [*.example.com]. Add the host to sandbox.hosts in its spec."));
    assertThat(run.events(AgentEvent.ToolReturned.class))
        .singleElement()
        .extracting(e -> e.result().asString())
        .isEqualTo("page");
  }

  @Test
  void childAgentsAreOfferedAsToolsAndRunWithTheirOwnModel() {
    AgentSpec reviewer =
        AgentSpec.builder("security-review")
            .description("Reviews a ticket for security issues")
            .instructions("Review it.")
            .model("careful")
            .build();
    AgentSpec parent =
        AgentSpec.builder("triage").instructions("Go.").agents("security-review").build();
    ScriptedModel careful = ScriptedModel.builder().name("careful").text("no issues").build();
    ScriptedModel fast =
        ScriptedModel.builder()
            .toolCall("security-review", "{\"input\":\"login broken\"}")
            .text("routed")
            .build();

    AgentTester.Run run =
        AgentTester.of(parent).child(reviewer).model(fast).model("careful", careful).call("ticket");

    assertThat(run.result().text()).isEqualTo("routed");
    assertThat(fast.requests().get(0).tools())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.name()).isEqualTo("security-review");
              assertThat(d.description()).isEqualTo("Reviews a ticket for security issues");
            });
    assertThat(careful.lastRequest().lastUserText()).isEqualTo("login broken");
    AgentEvent.RunStarted child = run.events(AgentEvent.RunStarted.class).get(1);
    assertThat(child.agent()).isEqualTo("security-review");
    assertThat(child.parentRunId()).isEqualTo(run.result().runId());
    assertThat(run.result().usage()).isEqualTo(Usage.of(300, 60));
  }

  @Test
  void whatAChildAgentSpendsCountsAgainstItsParentsMaxCost() {
    AgentSpec reviewer =
        AgentSpec.builder("security-review").instructions("Review it.").model("careful").build();
    AgentSpec parent =
        AgentSpec.builder("triage")
            .instructions("Go.")
            .agents("security-review")
            .limits(Limits.builder().maxCost(new BigDecimal("0.05")).build())
            .build();
    ScriptedModel careful =
        ScriptedModel.builder()
            .name("careful")
            .usage(Usage.of(1000, 100).withCost(new BigDecimal("0.04")))
            .text("no issues")
            .build();
    ScriptedModel fast =
        ScriptedModel.builder()
            .usage(Usage.of(100, 10).withCost(new BigDecimal("0.02")))
            .toolCall("security-review", "{\"input\":\"login broken\"}")
            .text("routed")
            .build();
    AgentTester tester =
        AgentTester.of(parent).child(reviewer).model(fast).model("careful", careful);

    assertThatThrownBy(() -> tester.call("ticket"))
        .isInstanceOf(LimitExceededException.class)
        .hasMessage(
            "Agent 'triage' cost $0.06, over its maxCost of $0.05. Raise limits.maxCost in its spec, or use a cheaper model.");
    assertThat(fast.requests()).hasSize(1); // stopped before asking the model again
  }

  @Test
  void aFailingListenerStopsTheRunBeforeTheNextStep() {
    Crm crm = new Crm();
    ScriptedModel model =
        ScriptedModel.builder().toolCall("lookupTier", "{\"customer\":\"acme\"}").text("x").build();
    AgentRequest request =
        AgentRequest.builder(new Ticket("acme", "Hi"))
            .listener(
                e -> {
                  if (e instanceof AgentEvent.ToolCalled)
                    throw new IllegalStateException("store is down");
                })
            .build();

    AgentRunException e =
        catchThrowableOfType(
            AgentRunException.class,
            () -> AgentTester.of(triage().build()).model(model).tools(crm).call(request));

    assertThat(e.getMessage())
        .isEqualTo(
            "A listener of agent 'triage' failed on tool.called (IllegalStateException); the run stopped there");
    assertThat(crm.calls).hasValue(0);
  }

  @Test
  void aRunContinuesFromItsEventsAndRunsToolCallsThatHaveNoResultYet() {
    Crm crm = new Crm();
    List<AgentEvent> firstEvents = new CopyOnWriteArrayList<>();
    ScriptedModel first =
        ScriptedModel.builder().toolCall("lookupTier", "{\"customer\":\"acme\"}").build();
    AgentRequest crashing =
        AgentRequest.builder(new Ticket("acme", "Hi"))
            .runId("run-1")
            .listener(
                e -> {
                  firstEvents.add(e);
                  if (e instanceof AgentEvent.ToolCalled) throw new AgentMeshException("crash");
                })
            .build();
    assertThatThrownBy(
            () -> AgentTester.of(triage().build()).model(first).tools(crm).call(crashing))
        .hasMessage("crash");

    // The conversation the first run's events record (the loop's own rule is tested in core).
    AgentEvent.ModelResponded asked =
        firstEvents.stream()
            .filter(AgentEvent.ModelResponded.class::isInstance)
            .map(AgentEvent.ModelResponded.class::cast)
            .findFirst()
            .orElseThrow();
    List<ChatMessage> history =
        List.of(
            first.lastRequest().messages().get(1),
            ChatMessage.assistant(asked.text(), asked.toolCalls()));
    ScriptedModel second =
        ScriptedModel.builder().text("{\"priority\":\"NORMAL\",\"team\":\"billing\"}").build();
    AgentTester.Run resumed =
        AgentTester.of(triage().build())
            .model(second)
            .tools(crm)
            .call(
                AgentRequest.builder(new Ticket("acme", "Hi"))
                    .runId("run-1")
                    .history(history)
                    .build());

    assertThat(crm.calls).hasValue(1);
    assertThat(resumed.eventTypes())
        .startsWith("run.started", "tool.called", "tool.returned", "model.called");
    assertThat(resumed.events(AgentEvent.RunStarted.class).get(0).continued()).isTrue();
    assertThat(second.lastRequest().messages())
        .extracting(ChatMessage::role)
        .containsExactly(
            ChatMessage.Role.SYSTEM,
            ChatMessage.Role.USER,
            ChatMessage.Role.ASSISTANT,
            ChatMessage.Role.TOOL);
    assertThat(resumed.result().messages().subList(0, 2)).isEqualTo(history);
  }

  @Test
  void aRunContinuedFromTheModelsRecordedFinalAnswerFinishesFromItWithoutAskingAgain() {
    ScriptedModel unused =
        ScriptedModel.builder().text("{\"priority\":\"LOW\",\"team\":\"other\"}").build();

    AgentTester.Run resumed =
        continueAfterAnswer("{\"priority\":\"HIGH\",\"team\":\"billing\"}", unused);

    assertThat(unused.requests()).isEmpty();
    assertThat(resumed.eventTypes()).containsExactly("run.started", "output.produced");
    assertThat(resumed.output(Triage.class)).isEqualTo(new Triage(Priority.HIGH, "billing"));
  }

  @Test
  void aRecordedFinalAnswerThatDoesNotMatchTheSchemaIsRepairedByAskingTheModel() {
    ScriptedModel model =
        ScriptedModel.builder().text("{\"priority\":\"HIGH\",\"team\":\"billing\"}").build();

    AgentTester.Run resumed = continueAfterAnswer("high, billing", model);

    assertThat(model.requests()).hasSize(1);
    assertThat(resumed.eventTypes())
        .containsExactly(
            "run.started", "output.rejected", "model.called", "model.responded", "output.produced");
  }

  /** Continues a triage conversation whose last step is the model's final {@code answer}. */
  private static AgentTester.Run continueAfterAnswer(String answer, ScriptedModel model) {
    List<ChatMessage> history =
        List.of(
            ChatMessage.user("{\"customer\":\"acme\",\"subject\":\"Hi\"}"),
            ChatMessage.assistant(answer));
    return tester(triage().build(), model)
        .call(
            AgentRequest.builder(new Ticket("acme", "Hi")).runId("run-1").history(history).build());
  }

  @Test
  void aStopRequestEndsTheRunBetweenStepsWithoutOutput() {
    AtomicInteger polls = new AtomicInteger();
    ScriptedModel model =
        ScriptedModel.builder().toolCall("lookupTier", "{\"customer\":\"acme\"}").text("x").build();

    AgentTester.Run run =
        tester(triage().build(), model)
            .call(
                AgentRequest.builder(new Ticket("acme", "Hi"))
                    .stopWhen(() -> polls.incrementAndGet() > 1)
                    .build());

    assertThat(run.result().stopped()).isTrue();
    assertThat(model.remaining()).isEqualTo(1);
    assertThatThrownBy(() -> run.result().as(Triage.class))
        .hasMessageEndingWith("stopped before producing output");
  }

  @Test
  void modelFailuresPropagateAndAreRecorded() {
    AgentTester t =
        tester(
            triage().build(),
            ScriptedModel.builder().fail(ModelException.Kind.RATE_LIMITED).build());

    ModelException e =
        catchThrowableOfType(ModelException.class, () -> t.call(new Ticket("acme", "Hi")));

    assertThat(e.isRetryable()).isTrue();
    assertThat(t.lastEvents())
        .extracting(AgentEvent::type)
        .containsExactly("run.started", "model.called", "run.failed");
  }

  @Test
  void aModelThatThrowsSomethingElseIsReportedAsAnAdapterBug() {
    AgentTester t =
        AgentTester.of(triage().build())
            .tools(new Crm())
            .model(
                r -> {
                  throw new NullPointerException();
                });

    ModelException e =
        catchThrowableOfType(ModelException.class, () -> t.call(new Ticket("acme", "Hi")));

    assertThat(e.kind()).isEqualTo(ModelException.Kind.UNKNOWN);
    assertThat(e.getMessage())
        .endsWith(
            "threw NullPointerException instead of a ModelException; this is a bug in the model adapter");
  }

  @Test
  void inputThatMissesTheInputSchemaIsRefusedBeforeTheRunStarts() {
    AgentTester t = tester(triage().build(), ScriptedModel.of());

    assertThatThrownBy(() -> t.call(Map.of("customer", "acme")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Input for agent 'triage' does not match its input schema: ");
    assertThat(t.lastEvents()).isEmpty();
  }

  @Test
  void callAsyncCompletesOnTheMeshExecutor() throws Exception {
    AgentSpec echo = AgentSpec.builder("echo").instructions("Repeat for {{context.team}}.").build();
    ScriptedModel model =
        ScriptedModel.builder()
            .when(
                r -> true,
                r -> ChatResponse.ofText(r.messages().get(0).text() + "|" + r.lastUserText()))
            .build();
    try (Mesh mesh = Mesh.builder().agent(echo).model("default", model).build()) {
      AgentResult result =
          mesh.agent("echo")
              .callAsync(AgentRequest.builder("hello").context("team", "ops").build())
              .get(10, TimeUnit.SECONDS);

      assertThat(result.text()).isEqualTo("Repeat for ops.|hello");
    }
  }

  @Test
  void stoppingWhileAChildAgentRunsLeavesItsCallUnansweredForTheResumedRun() {
    AgentSpec reviewer = AgentSpec.builder("security-review").instructions("Review it.").build();
    AgentSpec parent =
        AgentSpec.builder("triage").instructions("Go.").agents("security-review").build();
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCall("security-review", "{\"input\":\"login broken\"}")
            .text("no issues")
            .text("routed")
            .build();
    java.util.concurrent.atomic.AtomicBoolean childStarted =
        new java.util.concurrent.atomic.AtomicBoolean();
    AgentRequest pausing =
        AgentRequest.builder("ticket")
            .runId("parent")
            .stopWhen(childStarted::get)
            .listener(
                e -> {
                  if (e instanceof AgentEvent.RunStarted && e.agent().equals("security-review"))
                    childStarted.set(true);
                })
            .build();

    AgentTester tester = AgentTester.of(parent).child(reviewer).model(model);
    AgentTester.Run stopped = tester.call(pausing);

    assertThat(stopped.result().stopped()).isTrue();
    assertThat(stopped.events(AgentEvent.ToolReturned.class)).isEmpty();
    assertThat(stopped.result().messages())
        .last()
        .satisfies(m -> assertThat(m.toolCalls()).hasSize(1));

    AgentTester.Run resumed =
        tester.call(
            AgentRequest.builder("ticket")
                .runId("parent")
                .history(stopped.result().messages())
                .build());

    assertThat(resumed.result().text()).isEqualTo("routed");
    assertThat(resumed.events(AgentEvent.ToolReturned.class))
        .singleElement()
        .satisfies(r -> assertThat(r.result().asString()).isEqualTo("no issues"));
  }

  @Test
  void aGuardrailBlockingAnyCallOfABatchStopsItBeforeAnyCallIsRecordedAsStarted() {
    Guardrail noVip =
        new Guardrail() {
          @Override
          public Verdict checkToolCall(String tool, JsonNode arguments) {
            return arguments.path("customer").asString().equals("vip")
                ? Verdict.block("VIPs by hand")
                : Verdict.allow();
          }
        };
    Crm crm = new Crm();
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCalls(
                "lookupTier", "{\"customer\":\"acme\"}", "lookupTier", "{\"customer\":\"vip\"}")
            .build();
    AgentTester tester =
        AgentTester.of(triage().guardrails("policy").build())
            .model(model)
            .tools(crm)
            .guardrail("policy", noVip);

    assertThatThrownBy(() -> tester.call(new Ticket("acme", "Hi")))
        .isInstanceOf(GuardrailBlockedException.class);

    assertThat(tester.lastEvents()).extracting(AgentEvent::type).doesNotContain("tool.called");
    assertThat(crm.calls).hasValue(0);
  }

  @Test
  void aChildAgentWhoseListenerFailsStopsTheParentInsteadOfBecomingAToolError() {
    AgentSpec child = AgentSpec.builder("helper").instructions("Help.").build();
    AgentSpec parent =
        AgentSpec.builder("lead").instructions("Go.").agents("helper").tools("lookupTier").build();
    Crm crm = new Crm();
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCall("helper", "{\"input\":\"x\"}")
            .text("child answer")
            .toolCall("lookupTier", "{\"customer\":\"acme\"}")
            .text("done")
            .build();
    AgentRequest request =
        AgentRequest.builder("go")
            .listener(
                e -> {
                  if (e.agent().equals("helper") && e instanceof AgentEvent.OutputProduced)
                    throw new AgentMeshException("store is down");
                })
            .build();
    AgentTester tester = AgentTester.of(parent).child(child).model(model).tools(crm);

    assertThatThrownBy(() -> tester.call(request))
        .isInstanceOf(AgentMeshException.class)
        .hasMessage("store is down");

    assertThat(crm.calls).hasValue(0);
    assertThat(tester.lastEvents())
        .extracting(AgentEvent::type)
        .doesNotContain("tool.failed", "tool.returned");
  }

  @Test
  void aFatalOutcomeInABatchIsThrownOnlyAfterTheOtherCallsAreRecorded() {
    AgentSpec child = AgentSpec.builder("helper").instructions("Help.").guardrails("never").build();
    AgentSpec parent =
        AgentSpec.builder("lead").instructions("Go.").agents("helper").tools("lookupTier").build();
    Guardrail never =
        new Guardrail() {
          @Override
          public Verdict checkInput(JsonNode input) {
            return Verdict.block("not today");
          }
        };
    ScriptedModel model =
        ScriptedModel.builder()
            .toolCalls("helper", "{\"input\":\"x\"}", "lookupTier", "{\"customer\":\"acme\"}")
            .build();
    AgentTester tester =
        AgentTester.of(parent).child(child).model(model).tools(new Crm()).guardrail("never", never);

    assertThatThrownBy(() -> tester.call("go"))
        .isInstanceOf(GuardrailBlockedException.class)
        .hasMessageContaining("not today");

    assertThat(tester.lastEvents())
        .filteredOn(e -> e instanceof AgentEvent.ToolReturned)
        .extracting(e -> ((AgentEvent.ToolReturned) e).tool())
        .containsExactly("lookupTier");
  }

  @Test
  void evenASingleToolCallIsWaitedOnOnlyUntilTheDeadline() throws Exception {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-05T09:00:00Z"));
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    AgentTool hanging =
        AgentTool.builder("hang")
            .description("Never returns")
            .handler((args, ctx) -> never.await(1, TimeUnit.MINUTES))
            .build();
    ScriptedModel model =
        ScriptedModel.builder()
            .respond(
                r -> {
                  clock.advance(
                      Duration.ofSeconds(30)
                          .minusMillis(1)); // the model call took almost all the time
                  return ChatResponse.ofToolCalls(
                      ToolCall.of("c1", "hang", JSON.createObjectNode()));
                })
            .build();

    try {
      assertThatThrownBy(
              () ->
                  AgentTester.of(
                          AgentSpec.builder("s")
                              .instructions("Go.")
                              .tools("hang")
                              .limits(Limits.builder().timeout(Duration.ofSeconds(30)).build())
                              .build())
                      .model(model)
                      .tool(hanging)
                      .clock(clock)
                      .call("go"))
          .isInstanceOf(LimitExceededException.class)
          .hasMessage(
              "Agent 's' ran longer than its timeout of 30s. Raise limits.timeout in its spec, or make its tools faster.");
      assertThat(Thread.currentThread().isInterrupted())
          .as("the caller's thread is left as it was")
          .isFalse();
    } finally {
      never.countDown();
    }
  }

  @Test
  void anErrorThrownByAToolIsNotDisguised() {
    AgentTool broken =
        AgentTool.builder("broken")
            .description("Throws an Error")
            .handler(
                (args, ctx) -> {
                  throw new StackOverflowError("deep");
                })
            .build();
    ScriptedModel model = ScriptedModel.builder().toolCall("broken", "{}").build();

    assertThatThrownBy(
            () ->
                AgentTester.of(AgentSpec.builder("s").instructions("Go.").tools("broken").build())
                    .model(model)
                    .tool(broken)
                    .call("go"))
        .isInstanceOf(StackOverflowError.class)
        .hasMessage("deep");
  }

  @Test
  void toolSchemasComeFromParameterTypesAndDescriptions() {
    List<AgentTool> tools = AgentTool.fromMethods(new Crm());

    AgentTool lookup =
        tools.stream().filter(t -> t.name().equals("lookupTier")).findFirst().orElseThrow();
    assertThat(lookup.definition().parameters().toString())
        .isEqualTo(
            "{\"type\":\"object\",\"additionalProperties\":false,"
                + "\"properties\":{\"customer\":{\"type\":\"string\",\"description\":\"The customer's account id\"}},\"required\":[\"customer\"]}");
    AgentTool fetch =
        tools.stream().filter(t -> t.name().equals("fetch")).findFirst().orElseThrow();
    assertThat(fetch.definition().parameters().path("properties").propertyNames())
        .containsExactly("url");
    assertThat(fetch.idempotent()).isFalse();
  }
}
