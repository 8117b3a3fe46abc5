package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** How a driver behaves when its store, its lease or its agents fail part-way through a turn. */
class DriverDurabilityTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeClock clock = Fixtures.clock();
  private final InMemorySessionStore store = InMemorySessionStore.create();

  private Sessions sessions(Mesh mesh, SessionStore on, String node) {
    return Sessions.builder(mesh)
        .store(on)
        .executor(Runnable::run)
        .clock(clock)
        .nodeId(node)
        .build();
  }

  /** A model that answers each agent by a function of the conversation's last message. */
  static ChatModel model(Map<String, Function<ChatMessage, ChatResponse>> byAgent) {
    return new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        return byAgent
            .get(request.metadata().get("agent"))
            .apply(messages.get(messages.size() - 1));
      }

      @Override
      public String name() {
        return "scripted";
      }
    };
  }

  static ChatResponse call(String tool, String argumentName, String argument) {
    return ChatResponse.ofToolCalls(
        ToolCall.of(
            "call-" + tool,
            tool,
            JsonNodeFactory.instance.objectNode().put(argumentName, argument)));
  }

  static boolean resultOf(ChatMessage last, String tool) {
    return last.role() == ChatMessage.Role.TOOL && tool.equals(last.toolName());
  }

  static long count(List<LoggedEvent> log, Class<? extends AgentEvent> type, String agent) {
    return log.stream()
        .filter(
            e ->
                e.event() instanceof SessionEvent.AgentStep step
                    && type.isInstance(step.event())
                    && step.event().agent().equals(agent))
        .count();
  }

  static long toolCalls(List<LoggedEvent> log, String tool) {
    return log.stream()
        .filter(
            e ->
                e.event() instanceof SessionEvent.AgentStep step
                    && step.event() instanceof AgentEvent.ToolCalled called
                    && called.call().name().equals(tool))
        .count();
  }

  /**
   * Boss asks two child agents at once; "helper" waits in its model call until "child" has produced
   * its output (which waits in the turn's buffer for the next append, the one that would store the
   * helper's charge before it runs, and which the store refuses), then charges.
   */
  private Mesh bossWithTwoChildren(AtomicInteger charges) {
    CountDownLatch childAnswered = new CountDownLatch(1);
    ChatModel model =
        model(
            Map.of(
                "boss",
                    last ->
                        last.role() == ChatMessage.Role.USER
                            ? ChatResponse.ofToolCalls(
                                ToolCall.of("call-child", "child", input("look it up")),
                                ToolCall.of("call-helper", "helper", input("bill them")))
                            : ChatResponse.ofText("boss done"),
                "child", last -> ChatResponse.ofText("child found it"),
                "helper",
                    last -> {
                      if (resultOf(last, "charge")) {
                        return ChatResponse.ofText("helper charged");
                      }
                      await(childAnswered);
                      return call("charge", "amount", "10");
                    }));
    return Mesh.builder()
        .clock(clock)
        .model("default", model)
        .listener(
            event -> {
              if (event instanceof AgentEvent.OutputProduced && event.agent().equals("child")) {
                childAnswered.countDown();
              }
            })
        .tool(Fixtures.tool("charge", false, charges))
        .agent(
            AgentSpec.builder("boss").instructions("Delegate.").agents("child", "helper").build())
        .agent(AgentSpec.builder("child").instructions("Look things up.").build())
        .agent(AgentSpec.builder("helper").instructions("Charge.").tools("charge").build())
        .build();
  }

  static tools.jackson.databind.JsonNode input(String text) {
    return JsonNodeFactory.instance.objectNode().put("input", text);
  }

  static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void aStoreFailureInOneChildRunStopsItsSiblingBeforeItRunsAToolUnrecorded() {
    AtomicInteger charges = new AtomicInteger();
    FailingStore failing =
        new FailingStore(store, FailingStore.step("agent.output.produced", "child"), 1);
    Mesh mesh = bossWithTwoChildren(charges);
    Sessions broken = sessions(mesh, failing, "broken");

    Session session =
        broken.newSession("boss").id("s-child-fails").input("bill the customer").start();

    assertThat((long) charges.get())
        .as(
            "every charge that ran is in the log (the node may have "
                + "asked the children again after the failure)")
        .isEqualTo(toolCalls(session.history(), "charge"));

    Sessions healthy = sessions(mesh, store, "healthy");
    healthy.recoverOrphans();
    SessionState settled = session.awaitIdle(WAIT);

    assertThat(settled.status()).isIn(SessionStatus.COMPLETED, SessionStatus.WAITING);
    assertThat((long) charges.get())
        .as("every charge that ran is in the log")
        .isEqualTo(toolCalls(healthy.session(session.id()).history(), "charge"));
    assertThat(charges.get()).isLessThanOrEqualTo(1);
  }

  /**
   * "assistant" answers "bill them" with one batch: three lookups with invalid arguments, a charge,
   * and a fourth bad lookup, which ends the run (too many argument errors) after the charge was
   * recorded as started but before it ran. Any other message it echoes.
   */
  private Mesh batchThatFailsAfterTheChargeStarted(AtomicInteger charges) {
    ChatModel model =
        model(
            Map.of(
                "assistant",
                last -> {
                  if (last.role() == ChatMessage.Role.TOOL) {
                    return ChatResponse.ofText("done");
                  }
                  if (!last.textOrEmpty().equals("bill them")) {
                    return ChatResponse.ofText("ok: " + last.textOrEmpty());
                  }
                  tools.jackson.databind.node.ObjectNode none =
                      JsonNodeFactory.instance.objectNode();
                  return ChatResponse.ofToolCalls(
                      ToolCall.of("bad-1", "lookup", none),
                      ToolCall.of("bad-2", "lookup", none),
                      ToolCall.of("bad-3", "lookup", none),
                      ToolCall.of("charge-1", "charge", none.deepCopy().put("amount", "10")),
                      ToolCall.of("bad-4", "lookup", none));
                }));
    AgentTool lookup =
        AgentTool.builder("lookup")
            .description("Looks up")
            .idempotent(true)
            .parameters(
                JsonNodeFactory.instance
                    .objectNode()
                    .put("type", "object")
                    .set("required", JsonNodeFactory.instance.arrayNode().add("q")))
            .handler((args, ctx) -> "found")
            .build();
    return Mesh.builder()
        .clock(clock)
        .model("default", model)
        .tool(Fixtures.tool("charge", false, charges))
        .tool(lookup)
        .agent(
            AgentSpec.builder("assistant").instructions("Bill.").tools("charge", "lookup").build())
        .build();
  }

  /** Every assistant message's tool calls are answered before the next message of another role. */
  static void assertWellFormed(List<ChatMessage> transcript) {
    for (int i = 0; i < transcript.size(); i++) {
      java.util.Set<String> open = new java.util.HashSet<>();
      transcript.get(i).toolCalls().forEach(c -> open.add(c.id()));
      int j = i + 1;
      for (; j < transcript.size() && transcript.get(j).role() == ChatMessage.Role.TOOL; j++) {
        open.remove(transcript.get(j).toolCallId());
      }
      assertThat(open).as("calls of message %s unanswered before message %s", i, j).isEmpty();
    }
  }

  @Test
  void afterARunFailsWithAStartedChargeAPostNeverRerunsItAndTheChargeIsAnUnknownOutcome() {
    AtomicInteger charges = new AtomicInteger();
    Sessions sessions = sessions(batchThatFailsAfterTheChargeStarted(charges), store, "a");
    Session session =
        sessions
            .newSession("assistant")
            .id("s-failed-batch")
            .input("bill them")
            .participant("ana", ParticipantRole.OWNER)
            .start();

    SessionState failed = session.state();
    assertThat(failed.failure())
        .startsWith(
            "AgentRunException: Agent 'assistant' called tools with invalid arguments 4 times");
    assertThat(failed.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(failed.unknownOutcomes())
        .extracting(SessionState.UnknownOutcome::callId)
        .containsExactly("charge-1");

    session.post(
        "ana", "try again"); // driven on this thread: the post's turn is over when it returns
    SessionState afterPost = session.state();

    assertThat(charges).hasValue(0);
    assertThat(toolCalls(session.history(), "charge")).isEqualTo(1);
    assertThat(afterPost.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(afterPost.unknownOutcomes())
        .extracting(SessionState.UnknownOutcome::tool)
        .containsExactly("charge");

    sessions.session(session.id()).failUnknownOutcome("charge-1", "never charged", "ana");
    SessionState done = sessions.session(session.id()).awaitFinished(WAIT);

    assertThat(charges).hasValue(0);
    assertThat(done.output().asString()).isEqualTo("ok: try again");
    assertWellFormed(done.transcript());
  }

  /** Boss asks "child", whose tool "lookup" pauses the session the first time it runs. */
  private Mesh childThatPauses(
      AtomicReference<Sessions> sessions, AtomicInteger lookups, boolean idempotent) {
    ChatModel model =
        model(
            Map.of(
                "boss",
                    last ->
                        resultOf(last, "child")
                            ? ChatResponse.ofText("boss done: " + last.textOrEmpty())
                            : call("child", "input", "find it"),
                "child",
                    last ->
                        resultOf(last, "lookup")
                            ? ChatResponse.ofText("child found " + last.textOrEmpty())
                            : call("lookup", "q", "it")));
    AgentTool lookup =
        AgentTool.builder("lookup")
            .description("Looks up")
            .idempotent(idempotent)
            .handler(
                (args, ctx) -> {
                  if (lookups.incrementAndGet() == 1) {
                    sessions.get().session("s-child-paused").pause("ana");
                  }
                  return "result#" + lookups.get();
                })
            .build();
    return Mesh.builder()
        .clock(clock)
        .model("default", model)
        .tool(lookup)
        .agent(AgentSpec.builder("boss").instructions("Delegate.").agents("child").build())
        .agent(AgentSpec.builder("child").instructions("Look up.").tools("lookup").build())
        .build();
  }

  @Test
  void aChildAgentStoppedByAPauseIsAskedAgainOnResumeAndTheSessionCompletesWithoutAHuman() {
    AtomicReference<Sessions> ref = new AtomicReference<>();
    AtomicInteger lookups = new AtomicInteger();
    Sessions sessions = sessions(childThatPauses(ref, lookups, true), store, "a");
    ref.set(sessions);

    Session session = sessions.newSession("boss").id("s-child-paused").input("find it").start();
    assertThat(session.state().status()).isEqualTo(SessionStatus.PAUSED);

    session.resume("ana"); // driven on this thread
    SessionState done = session.state();

    assertThat(done.unknownOutcomes()).isEmpty();
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().asString()).isEqualTo("boss done: child found result#2");
    assertWellFormed(done.transcript());
  }

  @Test
  void aChildAgentThatStartedANonIdempotentToolBeforeThePauseIsNotAskedAgain() {
    AtomicReference<Sessions> ref = new AtomicReference<>();
    AtomicInteger lookups = new AtomicInteger();
    Sessions sessions = sessions(childThatPauses(ref, lookups, false), store, "a");
    ref.set(sessions);

    Session session = sessions.newSession("boss").id("s-child-paused").input("find it").start();
    session.resume("ana");
    SessionState waiting = session.state();

    assertThat(lookups).hasValue(1);
    assertThat(waiting.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(waiting.unknownOutcomes())
        .extracting(SessionState.UnknownOutcome::tool)
        .containsExactly("child");
  }
}
