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
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a fork does at each kind of fork point, on the in-memory store, driven on the calling
 * thread.
 */
class ForkTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final FakeClock clock = Fixtures.clock();
  private final InMemorySessionStore store = InMemorySessionStore.create();
  private final AtomicInteger charges = new AtomicInteger();
  private final ChargeModel model = new ChargeModel();
  @TempDir Path dataDir;

  /**
   * The tester's stub: after a user message it asks to charge the card, after a tool result it
   * answers, and after its own answer (a conversation it should never be asked about) it asks to
   * charge again.
   */
  static final class ChargeModel implements ChatModel {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ChatResponse chat(ChatRequest request) {
      calls.incrementAndGet();
      List<ChatMessage> messages = request.messages();
      ChatMessage last = messages.get(messages.size() - 1);
      if (last.role() == ChatMessage.Role.TOOL) {
        return ChatResponse.ofText("charged: " + last.textOrEmpty());
      }
      return ChatResponse.ofToolCalls(
          ToolCall.of(
              "call-" + messages.size(),
              "chargeCard",
              JsonNodeFactory.instance.objectNode().put("card", "4242").put("amount", 42)));
    }

    @Override
    public String name() {
      return "charge-stub";
    }
  }

  private Mesh mesh(boolean idempotent) {
    AgentTool chargeCard =
        AgentTool.builder("chargeCard")
            .description("Charges a card")
            .idempotent(idempotent)
            .handler((args, ctx) -> "receipt-" + charges.incrementAndGet())
            .build();
    return Mesh.builder()
        .clock(clock)
        .model("default", model)
        .tool(chargeCard)
        .agent(AgentSpec.builder("biller").instructions("Bill.").tools("chargeCard").build())
        .build();
  }

  private Sessions sessions() {
    return sessions(mesh(false), store);
  }

  private Sessions sessions(Mesh mesh, SessionStore on) {
    return Sessions.builder(mesh)
        .store(on)
        .executor(Runnable::run)
        .clock(clock)
        .nodeId("a")
        .build();
  }

  private static List<String> types(List<LoggedEvent> log) {
    List<String> types = new ArrayList<>();
    log.forEach(e -> types.add(e.event().type()));
    return types;
  }

  private static long versionOf(List<LoggedEvent> log, String type) {
    return log.stream()
        .filter(e -> e.event().type().equals(type))
        .findFirst()
        .orElseThrow()
        .version();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"memory", "sqlite"})
  void forkingTheChargeSessionAtEveryVersionNeverChargesTheCardAgain(String storeKind) {
    Sessions sessions =
        sessions(
            mesh(false),
            storeKind.equals("memory")
                ? store
                : SqliteSessionStore.create(dataDir.resolve("forks.db")));
    Session parent = sessions.newSession("biller").input("bill 42").start();
    parent.awaitFinished(WAIT);
    List<LoggedEvent> parentLog = parent.history();
    assertThat(parentLog).hasSize(10);
    assertThat(charges).hasValue(1);

    List<String> outcomes = new ArrayList<>();
    for (long version = 1; version <= parentLog.size(); version++) {
      int modelCallsBefore = model.calls.get();
      Session fork = sessions.session(parent.id()).fork(version);
      SessionState state = fork.state();
      for (SessionState.UnknownOutcome question : state.unknownOutcomes()) {
        assertThat(question.parentResult()).isNotNull();
        sessions
            .session(fork.id())
            .resolveUnknownOutcome(question.callId(), question.parentResult(), "ana");
        state = sessions.session(fork.id()).awaitFinished(WAIT);
      }
      assertThat(state.status()).as("fork at %d", version).isEqualTo(SessionStatus.COMPLETED);
      outcomes.add(
          version + ":" + (model.calls.get() - modelCallsBefore) + ":" + state.output().asString());
    }

    assertThat(charges).as("charges after forking at every version").hasValue(1);
    assertThat(outcomes)
        .containsExactly(
            "1:2:charged: receipt-1",
            "2:2:charged: receipt-1",
            "3:2:charged: receipt-1",
            "4:1:charged: receipt-1",
            "5:1:charged: receipt-1",
            "6:1:charged: receipt-1",
            "7:1:charged: receipt-1",
            "8:0:charged: receipt-1",
            "9:0:charged: receipt-1",
            "10:0:charged: receipt-1");
  }

  @Test
  void aForkAfterTheFinalAnswerFinishesTheTurnFromTheRecordedResponse() {
    Sessions sessions = sessions();
    Session parent = sessions.newSession("biller").input("bill 42").start();
    List<LoggedEvent> parentLog = parent.history();
    long answered =
        parentLog.stream()
            .filter(
                e ->
                    e.event() instanceof SessionEvent.AgentStep step
                        && step.event() instanceof AgentEvent.ModelResponded r
                        && r.toolCalls().isEmpty())
            .findFirst()
            .orElseThrow()
            .version();
    int modelCalls = model.calls.get();

    Session fork = parent.fork(answered);

    assertThat(model.calls).hasValue(modelCalls);
    assertThat(types(fork.history()).subList((int) answered, fork.history().size()))
        .containsExactly(
            "session.forked", "agent.run.started", "agent.output.produced", "session.completed");
    assertThat(fork.state().output()).isEqualTo(parent.state().output());
  }

  @Test
  void aSessionRecoveredWithALogEndingAtTheFinalAnswerFinishesFromItWithoutAskingTheModel() {
    // A driver now stores the final answer with the output, in one commit; a log that ends at the
    // answer was stored step by step (by an earlier release, before a crash).
    Session finished = sessions().newSession("biller").id("s-done").input("bill 42").start();
    long answered = versionOf(finished.history(), "agent.output.produced") - 1;
    List<StoredEvent> prefix = store.load("s-done", 0).subList(0, (int) answered);
    List<SessionEvent> decoded = prefix.stream().map(EventCodec.standard()::decode).toList();
    store.append(
        "s-crash",
        0,
        prefix.stream()
            .map(e -> new NewEvent(e.type(), e.typeVersion(), e.payload(), e.at()))
            .toList(),
        SessionFold.replay("s-crash", decoded).summary());
    assertThat(decoded.get(decoded.size() - 1).type()).isEqualTo("agent.model.responded");
    int modelCalls = model.calls.get();
    clock.advance(Duration.ofMinutes(1));

    assertThat(sessions().recoverOrphans()).isEqualTo(1);

    assertThat(model.calls).hasValue(modelCalls);
    assertThat(charges).hasValue(1);
    SessionState done = sessions().session("s-crash").state();
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().asString()).isEqualTo("charged: receipt-1");
  }

  @Test
  void aForkAtTheOutputRecordsTheCompletionItsParentRecordedAndRunsNothing() {
    Sessions sessions = sessions();
    Session parent = sessions.newSession("biller").input("bill 42").start();
    long produced = versionOf(parent.history(), "agent.output.produced");
    int modelCalls = model.calls.get();

    Session fork = parent.fork(produced);

    assertThat(model.calls).hasValue(modelCalls);
    assertThat(types(fork.history()).subList((int) produced, fork.history().size()))
        .containsExactly("session.forked", "session.completed");
    assertThat(fork.state().status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(fork.state().output().asString()).isEqualTo("charged: receipt-1");
  }

  @Test
  void aForkBeforeTheChargeAsksInsteadOfChargingAndAFailedAnswerReachesTheModel() {
    Sessions sessions = sessions();
    Session parent = sessions.newSession("biller").input("bill 42").start();
    String parentCall =
        parent.history().stream()
            .filter(
                e ->
                    e.event() instanceof SessionEvent.AgentStep step
                        && step.event() instanceof AgentEvent.ToolCalled)
            .map(
                e ->
                    ((AgentEvent.ToolCalled) ((SessionEvent.AgentStep) e.event()).event())
                        .call()
                        .id())
            .findFirst()
            .orElseThrow();

    Session fork = parent.fork(1);

    SessionState waiting = fork.state();
    assertThat(charges).hasValue(1);
    assertThat(waiting.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(waiting.unknownOutcomes())
        .singleElement()
        .satisfies(
            question -> {
              assertThat(question.tool()).isEqualTo("chargeCard");
              assertThat(question.parentCallId()).isEqualTo(parentCall);
              assertThat(question.parentResult().asString()).isEqualTo("receipt-1");
            });
    assertThat(types(fork.history()))
        .containsSubsequence("session.forked", "agent.model.responded", "tool.outcome-unknown")
        .doesNotContain("agent.tool.called");

    String callId = waiting.unknownOutcomes().get(0).callId();
    sessions.session(fork.id()).failUnknownOutcome(callId, "not charged in this fork", "ana");
    SessionState done = sessions.session(fork.id()).awaitFinished(WAIT);

    assertThat(done.output().asString()).isEqualTo("charged: not charged in this fork");
    assertThat(charges).hasValue(1);
  }

  @Test
  void anIdempotentCallThatTheParentMadeRunsAgainInTheFork() {
    Sessions sessions = sessions(mesh(true), store);
    Session parent = sessions.newSession("biller").input("bill 42").start();

    SessionState fork = parent.fork(1).awaitFinished(WAIT);

    assertThat(charges).hasValue(2);
    assertThat(fork.unknownOutcomes()).isEmpty();
    assertThat(fork.output().asString()).isEqualTo("charged: receipt-2");
  }

  @Test
  void theForkKnowsItsParentsLaterCallsFromItsOwnLogOnAnotherNode() {
    Sessions first =
        Sessions.builder(mesh(false))
            .store(store)
            .executor(task -> {})
            .clock(clock)
            .nodeId("first")
            .build();
    Session parent = sessions().newSession("biller").input("bill 42").start();
    String forkId = first.session(parent.id()).fork(1).id(); // created, never driven on this node
    SessionStore parentGone =
        new ForwardingStore(store) {
          @Override
          public List<StoredEvent> load(String id, long afterVersion, int limit) {
            if (id.equals(parent.id())) {
              throw new AssertionError("the fork read its parent's log");
            }
            return super.load(id, afterVersion, limit);
          }
        };
    Sessions second = sessions(mesh(false), parentGone);

    assertThat(second.recoverOrphans()).isEqualTo(1);

    SessionState waiting = second.session(forkId).state();
    assertThat(charges).hasValue(1);
    assertThat(waiting.unknownOutcomes())
        .singleElement()
        .satisfies(q -> assertThat(q.parentResult().asString()).isEqualTo("receipt-1"));
    second
        .session(forkId)
        .resolveUnknownOutcome(
            waiting.unknownOutcomes().get(0).callId(),
            waiting.unknownOutcomes().get(0).parentResult(),
            "ana");
    SessionState done = second.session(forkId).awaitFinished(WAIT);
    assertThat(done.output().asString()).isEqualTo("charged: receipt-1");
    assertThat(charges).hasValue(1);
  }

  @Test
  void argumentsAreComparedAsCanonicalJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode one = f.objectNode().put("card", "4242").put("amount", 42);
    one.putArray("items").add(f.objectNode().put("sku", "a").put("qty", 1.0));
    ObjectNode other = f.objectNode();
    other
        .putArray("items")
        .add(f.objectNode().put("qty", new java.math.BigDecimal("1.00")).put("sku", "a"));
    other.put("amount", 42L).put("card", "4242");

    assertThat(Forks.canonical(one))
        .isEqualTo(Forks.canonical(other))
        .isEqualTo("{\"amount\":42,\"card\":\"4242\",\"items\":[{\"qty\":1,\"sku\":\"a\"}]}");
    assertThat(Forks.canonical(f.objectNode().put("amount", 42.5)))
        .isNotEqualTo(Forks.canonical(f.objectNode().put("amount", 42)));
    assertThat(Forks.canonical(f.objectNode().put("amount", "42")))
        .isNotEqualTo(Forks.canonical(f.objectNode().put("amount", 42)));
  }
}
