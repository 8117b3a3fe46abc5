package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The extension points modules build on (docs/sessions.md, "Extension points for modules"): custom
 * events, {@link Session#record} with rows, output gates, call gates' recordings, {@link
 * Session#releaseCall}, turn contexts and {@link SessionsExtension}, on every store where storage
 * matters.
 */
class ExtensionPointsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

  /** The stores the durable cases run on. */
  enum Store {
    MEMORY,
    SQLITE,
    POSTGRES
  }

  private final FakeClock clock = Fixtures.clock();
  private final AtomicInteger refunds = new AtomicInteger();
  private final AtomicInteger lookups = new AtomicInteger();
  private final List<String> systemPrompts = new CopyOnWriteArrayList<>();
  private final Mesh mesh =
      Mesh.builder()
          .clock(clock)
          .model("default", recording(Fixtures.MODEL))
          .tool(Fixtures.tool("refund", false, refunds))
          .tool(Fixtures.tool("lookup", true, lookups))
          .agent(
              AgentSpec.builder("assistant").instructions("Help.").tools(List.of("refund")).build())
          .agent(
              AgentSpec.builder("searcher")
                  .instructions("Search.")
                  .tools(List.of("lookup"))
                  .build())
          .agent(AgentSpec.builder("plain").instructions("Answer.").build())
          .build();
  private final List<Sessions> opened = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void close() {
    opened.forEach(Sessions::close);
  }

  @AfterAll
  static void dropSchemas() {
    SCHEMAS.forEach(PostgresTestDatabase.get()::dropSchema);
  }

  private ChatModel recording(ChatModel model) {
    return new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        systemPrompts.add(request.messages().get(0).textOrEmpty());
        return model.chat(request);
      }

      @Override
      public String name() {
        return "recording";
      }
    };
  }

  private SessionStore store(Store kind) {
    return switch (kind) {
      case MEMORY -> InMemorySessionStore.create();
      case SQLITE -> SqliteSessionStore.create(dir.resolve("sessions.db"));
      case POSTGRES -> {
        String schema = PostgresTestDatabase.newSchema("hooks_ext");
        SCHEMAS.add(schema);
        yield PostgresSessionStore.builder(PostgresTestDatabase.get().dataSource())
            .schema(schema)
            .migrate(true)
            .build();
      }
    };
  }

  private Sessions.Builder builder(SessionStore store, String node) {
    return Sessions.builder(mesh).store(store).executor(Runnable::run).clock(clock).nodeId(node);
  }

  private Sessions open(Sessions.Builder builder) {
    Sessions sessions = builder.build();
    opened.add(sessions);
    return sessions;
  }

  private static List<String> types(Session session) {
    return session.history().stream().map(e -> e.event().type()).toList();
  }

  /** Holds every output of "plain": a proposal, a wait, and a row saying a review is pending. */
  private final OutputGate review =
      (state, agent, output) ->
          Optional.of(
              Recording.of(
                      new SessionEvent.Custom(
                          clock.instant(),
                          "review.proposed",
                          JSON.objectNode().set("output", output)),
                      new SessionEvent.WaitingForInput(
                          clock.instant(), "review:" + state.id(), "Approve the answer?"))
                  .withRows(
                      RowWrite.insert(
                          Row.of("review.pending", state.id(), state.id(), JSON.objectNode()))));

  // ---- A: custom events ----------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Store.class)
  void aCustomEventAndItsRowsAreStoredTogetherAndReadBackByAFreshInstance(Store kind) {
    SessionStore store = store(kind);
    Session session =
        open(builder(store, "a")).newSession("plain").input("hi").id("s-custom").start();
    session.awaitFinished(WAIT);
    SessionEvent.Custom note =
        new SessionEvent.Custom(
            clock.instant(), "review.commented", JSON.objectNode().put("text", "ünïcode ✓"));

    SessionState after =
        session.record(
            state ->
                Recording.of(note)
                    .withRows(
                        RowWrite.insert(
                            Row.of("review.note", "n-1", state.id(), JSON.stringNode("x")))));

    assertThat(after.status())
        .as("a custom event changes no state")
        .isEqualTo(SessionStatus.COMPLETED);
    Session fresh = open(builder(store, "b")).session("s-custom");
    assertThat(fresh.history().get(fresh.history().size() - 1).event()).isEqualTo(note);
    assertThat(fresh.state().version()).isEqualTo(after.version());
    assertThat(store.findRow("review.note", "n-1")).isPresent();
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aRecordWhoseRowConflictsStoresNothingAndTheConflictReachesTheCaller(Store kind) {
    SessionStore store = store(kind);
    Session session = open(builder(store, "a")).newSession("plain").input("hi").start();
    long version = session.awaitFinished(WAIT).version();
    RowWrite once = RowWrite.insert(Row.of("review.once", "k", session.id(), JSON.nullNode()));
    session.record(
        s ->
            Recording.of(new SessionEvent.Custom(clock.instant(), "review.a", null))
                .withRows(once));

    assertThatThrownBy(
            () ->
                session.record(
                    s ->
                        Recording.of(new SessionEvent.Custom(clock.instant(), "review.b", null))
                            .withRows(once)))
        .isInstanceOf(RowConflictException.class);
    assertThat(session.state().version()).isEqualTo(version + 1);
    assertThat(types(session)).doesNotContain("review.b");
  }

  @Test
  void customTypesAreNamespacedAndOutsideTheRuntimesNamespaces() {
    for (String bad :
        List.of(
            "review",
            "Review.proposed",
            "session.x",
            "tool.gated",
            "sessions.row",
            ".a.b",
            "a..b")) {
      assertThatThrownBy(() -> new SessionEvent.Custom(clock.instant(), bad, null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'module.name'");
    }
    assertThat(new SessionEvent.Custom(clock.instant(), "trigger.fired", null).data().isNull())
        .isTrue();
    assertThat(SessionEvent.Custom.isCustomType("review.effect-applied")).isTrue();
    assertThatThrownBy(() -> Recording.of(new SessionEvent.Paused(clock.instant(), "ana")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("session.paused");
    assertThatThrownBy(() -> Recording.none().withRows(RowWrite.delete("review.pending", "r-1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUnknownCustomTypeDecodesAsCustomAndAMalformedOneIsStillRefused() {
    EventCodec codec = EventCodec.standard();
    JsonNode payload = JSON.objectNode().set("data", JSON.objectNode().put("r", 1));

    SessionEvent read = codec.decode("acme.audit-noted", 1, payload, Fixtures.START);

    assertThat(read)
        .isEqualTo(
            new SessionEvent.Custom(
                Fixtures.START, "acme.audit-noted", JSON.objectNode().put("r", 1)));
    assertThatThrownBy(() -> codec.decode("session.exploded", 1, payload, Fixtures.START))
        .isInstanceOf(dev.agentmesh.sessions.spi.SessionDecodeException.class);
    assertThatThrownBy(() -> codec.decode("acme.audit-noted", 1, JSON.objectNode(), Fixtures.START))
        .isInstanceOf(dev.agentmesh.sessions.spi.SessionDecodeException.class)
        .hasMessageContaining("'data'");
  }

  // ---- B + C: a held output ------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Store.class)
  void aHeldOutputSurvivesARestartAndIsContinuedFromAnotherInstance(Store kind) {
    SessionStore store = store(kind);
    Sessions a = open(builder(store, "a").outputGate(review));
    Session session = a.newSession("plain").input("draft it").id("s-held").start();

    SessionState held = session.awaitIdle(WAIT);
    assertThat(held.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(held.waits()).containsKey("review:s-held");
    assertThat(held.output()).isNull();
    assertThat(types(session))
        .endsWith("agent.output.produced", "review.proposed", "input.waiting")
        .doesNotContain("session.completed");
    assertThat(store.findRow("review.pending", "s-held")).isPresent();
    a.close();

    Sessions b = open(builder(store, "b").outputGate(review));
    int modelCalls = systemPrompts.size();
    JsonNode approved = JSON.stringNode("plain: draft it (approved)");
    SessionState done =
        b.session("s-held")
            .record(
                state ->
                    Recording.of(
                            new SessionEvent.Custom(clock.instant(), "review.decided", approved),
                            new SessionEvent.InputReceived(
                                clock.instant(),
                                "review:s-held",
                                JSON.stringNode("approve"),
                                "ana"),
                            new SessionEvent.Completed(clock.instant(), approved))
                        .withRows(RowWrite.deleteExisting("review.pending", "s-held")));

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output()).isEqualTo(approved);
    assertThat(b.session("s-held").awaitFinished(WAIT).output()).isEqualTo(approved);
    assertThat(systemPrompts).as("the approval ran no turn").hasSize(modelCalls);
    assertThat(store.findRow("review.pending", "s-held")).isEmpty();
  }

  @Test
  void aRejectionRecordedAsInputAndFailureEndsTheSessionWithoutAnotherTurn() {
    Sessions sessions = open(builder(InMemorySessionStore.create(), "a").outputGate(review));
    Session session = sessions.newSession("plain").input("draft it").id("s-rejected").start();
    session.awaitIdle(WAIT);
    int modelCalls = systemPrompts.size();

    SessionState rejected =
        session.record(
            s ->
                Recording.of(
                        new SessionEvent.Custom(clock.instant(), "review.decided", null),
                        new SessionEvent.InputReceived(
                            clock.instant(), "review:s-rejected", JSON.stringNode("reject"), "ana"),
                        new SessionEvent.Failed(clock.instant(), "review.rejected", "off-topic"))
                    .withRows(RowWrite.delete("review.pending", "s-rejected")));

    assertThat(rejected.status()).isEqualTo(SessionStatus.FAILED);
    assertThat(session.awaitFinished(WAIT).status()).isEqualTo(SessionStatus.FAILED);
    assertThat(systemPrompts).as("the rejection ran no turn").hasSize(modelCalls);
    assertThat(types(session)).endsWith("input.received", "session.failed");
  }

  @Test
  void aChangeRequestPostedByRecordStartsTheNextTurnWhichIsHeldAgain() {
    Sessions sessions = open(builder(InMemorySessionStore.create(), "a").outputGate(review));
    Session session = sessions.newSession("plain").input("draft it").id("s-1").start();
    session.awaitIdle(WAIT);

    session.record(
        s ->
            Recording.of(
                    new SessionEvent.Custom(clock.instant(), "review.decided", null),
                    new SessionEvent.InputReceived(
                        clock.instant(), "review:s-1", JSON.stringNode("shorter please"), "ana"))
                .withRows(RowWrite.delete("review.pending", "s-1")));
    SessionState again = session.awaitIdle(WAIT);

    assertThat(again.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(types(session).stream().filter("review.proposed"::equals)).hasSize(2);
    assertThat(again.transcript().get(again.transcript().size() - 1).textOrEmpty())
        .contains("shorter please");
  }

  @Test
  void aThrowingOutputGateFailsTheRunAndStoresNoCompletion() {
    Sessions sessions =
        open(
            builder(InMemorySessionStore.create(), "a")
                .outputGate(
                    (state, agent, output) -> {
                      throw new IllegalStateException("review service down");
                    }));

    SessionState state = sessions.newSession("plain").input("hi").start().awaitIdle(WAIT);

    assertThat(state.status()).isEqualTo(SessionStatus.FAILED);
    assertThat(state.failure()).contains("IllegalStateException").contains("output.produced");
    assertThat(state.output()).isNull();
  }

  @Test
  void theFirstGateThatHoldsOrSuspendsWinsAndOnlyItRecords() {
    OutputGate passes = (state, agent, output) -> Optional.empty();
    CallGate first =
        new CallGate() {
          @Override
          public Optional<String> suspend(
              String sessionId, String agent, dev.agentmesh.core.spi.ToolCall call) {
            return Optional.of("approval");
          }

          @Override
          public Optional<Recording> record(
              SessionState state,
              String agent,
              dev.agentmesh.core.spi.ToolCall call,
              String reason) {
            return Optional.of(
                Recording.of(
                        new SessionEvent.Custom(
                            clock.instant(), "review.proposed", JSON.stringNode(call.id())))
                    .withRows(
                        RowWrite.insert(
                            Row.of("review.pending", call.id(), state.id(), JSON.nullNode()))));
          }
        };
    CallGate second =
        new CallGate() {
          @Override
          public Optional<String> suspend(
              String sessionId, String agent, dev.agentmesh.core.spi.ToolCall call) {
            return Optional.of("second");
          }

          @Override
          public Optional<Recording> record(
              SessionState state,
              String agent,
              dev.agentmesh.core.spi.ToolCall call,
              String reason) {
            throw new AssertionError("only the gate that suspended records");
          }
        };
    InMemorySessionStore store = InMemorySessionStore.create();
    Sessions sessions =
        open(builder(store, "a").outputGate(passes).suspendCalls(first).suspendCalls(second));

    Session session = sessions.newSession("assistant").input("refund 7").start();
    SessionState waiting = session.awaitIdle(WAIT);

    assertThat(waiting.suspendedCalls())
        .singleElement()
        .satisfies(c -> assertThat(c.reason()).isEqualTo("approval"));
    String callId = waiting.suspendedCalls().get(0).callId();
    assertThat(types(session)).endsWith("tool.suspended", "review.proposed");
    assertThat(store.findRow("review.pending", callId)).isPresent();
  }

  // ---- D: release
  // --------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Store.class)
  void aCallReleasedAfterARestartRunsOnceThroughTheLedger(Store kind) {
    SessionStore store = store(kind);
    Sessions a = open(builder(store, "a").suspendCalls("refund"));
    Session session = a.newSession("assistant").input("refund 7").id("s-rel").start();
    String callId = session.awaitIdle(WAIT).suspendedCalls().get(0).callId();
    a.close();

    Sessions b = open(builder(store, "b").suspendCalls("refund"));
    b.session("s-rel").releaseCall(callId, "manager:bo");
    SessionState done = b.session("s-rel").awaitFinished(WAIT);

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(refunds).as("the released tool ran once").hasValue(1);
    assertThat(done.output().asString()).contains("refund#1");
    assertThat(types(b.session("s-rel")))
        .containsSubsequence(
            "tool.suspended", "tool.released", "agent.tool.called", "agent.tool.returned");
    assertThatThrownBy(() -> b.session("s-rel").releaseCall(callId, "bo"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no suspended tool call");
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aCrashBetweenReleaseAndResultLeavesAnUnknownOutcomeNotASecondRefund(Store kind) {
    SessionStore store = store(kind);
    Sessions a = open(builder(store, "a").suspendCalls("refund"));
    Session session = a.newSession("assistant").input("refund 7").id("s-crash").start();
    String callId = session.awaitIdle(WAIT).suspendedCalls().get(0).callId();
    Sessions dying =
        open(
            builder(new CrashingStore(store, "agent.tool.returned", "refund", 1), "dying")
                .suspendCalls("refund"));

    assertThatThrownBy(() -> dying.session("s-crash").releaseCall(callId, "manager:bo"))
        .isInstanceOf(CrashingStore.Crash.class);
    assertThat(refunds).hasValue(1);
    clock.advance(Duration.ofMinutes(5));
    Sessions survivor = open(builder(store, "survivor").suspendCalls("refund"));
    survivor.recoverOrphans();
    SessionState state = survivor.session("s-crash").awaitIdle(WAIT);

    assertThat(state.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(state.unknownOutcomes())
        .singleElement()
        .satisfies(u -> assertThat(u.callId()).isEqualTo(callId));
    assertThat(state.suspendedCalls()).isEmpty();
    assertThat(refunds).as("never run a second time").hasValue(1);
  }

  // ---- F: turn context
  // ---------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Store.class)
  void theContextIsRecordedOnceAndReusedByARunContinuedAfterACrash(Store kind) {
    SessionStore store = store(kind);
    AtomicInteger asked = new AtomicInteger();
    TurnContext corrections =
        (state, agent) -> Optional.of("Correction #" + asked.incrementAndGet() + " for " + agent);
    // The refund is not idempotent, so its call (and the context before it) is stored before it
    // runs; the crash comes when its result would be stored.
    Sessions dying =
        open(
            builder(new CrashingStore(store, "agent.tool.returned", "refund", 1), "dying")
                .context(corrections));

    assertThatThrownBy(
            () -> dying.newSession("assistant").input("refund order 7").id("s-ctx").start())
        .isInstanceOf(CrashingStore.Crash.class);
    clock.advance(Duration.ofMinutes(5));
    Sessions survivor = open(builder(store, "survivor").context(corrections));
    survivor.recoverOrphans();
    SessionState waiting = survivor.session("s-ctx").awaitIdle(WAIT);
    survivor
        .session("s-ctx")
        .resolveUnknownOutcome(waiting.unknownOutcomes().get(0).callId(), "refund#1", "ana");
    SessionState done = survivor.session("s-ctx").awaitFinished(WAIT);

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(asked).as("asked once for the turn, not again on recovery").hasValue(1);
    assertThat(systemPrompts)
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            prompt ->
                assertThat(prompt)
                    .startsWith("Help.")
                    .contains(
                        "<session-context>\nCorrection #1 for assistant\n</session-context>"));
    assertThat(types(survivor.session("s-ctx")).stream().filter("session.context"::equals))
        .hasSize(1);

    survivor
        .session("s-ctx")
        .record(
            s ->
                Recording.of(
                    new SessionEvent.MessagePosted(
                        clock.instant(), "ana", "and globex?", null, false)));
    survivor.session("s-ctx").awaitFinished(WAIT);
    assertThat(asked).as("the next turn asks again").hasValue(2);
    assertThat(systemPrompts.get(systemPrompts.size() - 1)).contains("Correction #2");
  }

  @Test
  void contextsConcatenateAndABlankOneAddsNothing() {
    Sessions sessions =
        open(
            builder(InMemorySessionStore.create(), "a")
                .context((s, agent) -> Optional.of("first"))
                .context((s, agent) -> Optional.of("  "))
                .context((s, agent) -> Optional.of("second")));

    sessions.newSession("plain").input("hi").start().awaitFinished(WAIT);

    assertThat(systemPrompts.get(0))
        .isEqualTo(
            "Answer.\n\n<session-context>\nfirst\n</session-context>\n"
                + "<session-context>\nsecond\n</session-context>");
  }

  // ---- E: extensions
  // -----------------------------------------------------------------------------

  @Test
  void anExtensionConfiguresOnceAndIsBoundToEachBuiltInstanceBeforeItsSweep() {
    List<String> calls = new CopyOnWriteArrayList<>();
    dev.agentmesh.testing.ManualScheduler[] scheduler = {
      new dev.agentmesh.testing.ManualScheduler(clock)
    };
    SessionsExtension extension =
        new SessionsExtension() {
          @Override
          public void configure(Sessions.Builder builder) {
            calls.add("configure");
            builder.outputGate(review).timer("review.expiry", (timer, state) -> List.of());
          }

          @Override
          public void bind(Sessions sessions) {
            calls.add("bind " + sessions.nodeId() + " tasks " + scheduler[0].runAll());
          }
        };
    Sessions.Builder builder =
        builder(InMemorySessionStore.create(), "a").scheduler(scheduler[0]).extension(extension);

    Sessions first = open(builder);
    scheduler[0] = new dev.agentmesh.testing.ManualScheduler(clock);
    Sessions second = open(first.newBuilder().nodeId("b").scheduler(scheduler[0]));

    assertThat(calls).containsExactly("configure", "bind a tasks 0", "bind b tasks 0");
    SessionState held = second.newSession("plain").input("x").start().awaitIdle(WAIT);
    assertThat(held.status())
        .as("the copied builder keeps the gate")
        .isEqualTo(SessionStatus.WAITING);
  }

  @Test
  void anExtensionThatBindsReviewLiftsTheRefusalOfReviewedAgents() {
    Mesh reviewed =
        Mesh.builder()
            .model("default", request -> ChatResponse.ofText("done"))
            .agent(
                AgentSpecs.parse(
                    "name: publisher\ninstructions: Publish.\nreview:\n  required: true\n",
                    "agents/publisher.yaml"))
            .build();
    assertThatThrownBy(() -> Sessions.builder(reviewed).build())
        .hasMessageContaining("extension(Reviews.builder()...build())");

    Sessions sessions =
        Sessions.builder(reviewed)
            .executor(Runnable::run)
            .extension(b -> b.outputGate(review).reviewBound())
            .build();
    opened.add(sessions);

    assertThat(sessions.newSession("publisher").input("x").start().awaitIdle(WAIT).status())
        .isEqualTo(SessionStatus.WAITING);
  }

  @Test
  void aBindThatThrowsClosesTheNewInstance() {
    AtomicInteger bound = new AtomicInteger();
    Sessions[] seen = new Sessions[1];
    SessionsExtension broken =
        new SessionsExtension() {
          @Override
          public void configure(Sessions.Builder builder) {}

          @Override
          public void bind(Sessions sessions) {
            seen[0] = sessions;
            bound.incrementAndGet();
            throw new IllegalStateException("cannot bind");
          }
        };

    assertThatThrownBy(() -> builder(InMemorySessionStore.create(), "a").extension(broken).build())
        .hasMessage("cannot bind");
    assertThat(bound).hasValue(1);
    assertThat(seen[0].recoverOrphans()).as("closed: claims nothing").isZero();
  }

  static boolean isToolCalled(LoggedEvent e) {
    return e.event() instanceof SessionEvent.AgentStep s
        && s.event() instanceof AgentEvent.ToolCalled;
  }
}
