package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool call whose result comes from outside: the run stops before it (and its batch) runs, the
 * session waits with it, and its result given on any node lets the run continue.
 */
class SuspendedCallTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final AtomicInteger refunds = new AtomicInteger();
  private final AtomicInteger lookups = new AtomicInteger();
  private final Mesh mesh =
      Fixtures.mesh(
          Fixtures.clock(),
          Fixtures.tool("refund", false, refunds),
          Fixtures.tool("lookup", false, lookups));
  private final List<Sessions> opened = new java.util.ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void close() {
    opened.forEach(Sessions::close);
  }

  private Sessions node(dev.agentmesh.sessions.spi.SessionStore store, String nodeId) {
    Sessions sessions =
        Sessions.builder(mesh)
            .store(store)
            .executor(Runnable::run)
            .nodeId(nodeId)
            .suspendCalls(
                (sessionId, agent, call) ->
                    call.name().equals("refund") ? Optional.of("approval") : Optional.empty())
            .build();
    opened.add(sessions);
    return sessions;
  }

  private static Session start(Sessions sessions) {
    return sessions
        .newSession("assistant")
        .input("refund order 7")
        .participant("ana", ParticipantRole.OWNER)
        .start();
  }

  private static List<SessionEvent> events(Session session) {
    return session.history().stream().map(LoggedEvent::event).toList();
  }

  @Test
  void theGatedCallNeverRunsAndTheSessionWaitsWithIt() {
    Session session = start(node(InMemorySessionStore.create(), "a"));

    SessionState state = session.awaitIdle(WAIT);

    assertThat(state.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(state.suspendedCalls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.tool()).isEqualTo("refund");
              assertThat(call.reason()).isEqualTo("approval");
              assertThat(call.arguments().get("about").asString()).isEqualTo("refund order 7");
            });
    assertThat(state.unknownOutcomes()).isEmpty();
    assertThat(refunds).as("the gated tool's body").hasValue(0);
    assertThat(lookups).as("the batch is held whole").hasValue(0);
    assertThat(events(session))
        .as("no call of the batch is recorded as started")
        .noneMatch(
            e ->
                e instanceof SessionEvent.AgentStep s && s.event() instanceof AgentEvent.ToolCalled)
        .anyMatch(e -> e instanceof SessionEvent.CallSuspended);
  }

  @Test
  void completingOnAnotherNodeContinuesTheRunAndTheModelSeesTheResult() {
    InMemorySessionStore store = InMemorySessionStore.create();
    Session onA = start(node(store, "a"));
    String callId = onA.awaitIdle(WAIT).suspendedCalls().get(0).callId();
    Session onB = node(store, "b").session(onA.id());

    onB.completeCall(callId, Map.of("approved", true, "refund", "r-9"), "manager:bo");
    SessionState done = onB.awaitFinished(WAIT);

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.suspendedCalls()).isEmpty();
    assertThat(refunds).as("the outside result stands for the tool").hasValue(0);
    assertThat(lookups).as("the held call of the batch runs once").hasValue(1);
    assertThat(done.output().asString())
        .as("the model's next request held the outside result")
        .contains("\"refund\":\"r-9\"")
        .contains("lookup#1");
    assertThat(done.transcript())
        .anySatisfy(
            m -> {
              assertThat(m.role()).isEqualTo(ChatMessage.Role.TOOL);
              assertThat(m.toolCallId()).isEqualTo(callId);
              assertThat(m.error()).isFalse();
            });
  }

  @Test
  void failingTheCallTellsTheModel() {
    Session session = start(node(InMemorySessionStore.create(), "a"));
    String callId = session.awaitIdle(WAIT).suspendedCalls().get(0).callId();

    session.failCall(callId, "Refund refused by the manager", "manager:bo");
    SessionState done = session.awaitFinished(WAIT);

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().asString()).contains("Refund refused by the manager");
    assertThat(done.transcript())
        .anySatisfy(
            m -> {
              assertThat(m.toolCallId()).isEqualTo(callId);
              assertThat(m.error()).isTrue();
            });
    assertThat(refunds).hasValue(0);
  }

  @Test
  void aRestartWhileSuspendedStillWaitsAndRerunsNothing() {
    Path db = dir.resolve("suspend.db");
    Sessions first = node(SqliteSessionStore.create(db), "a");
    Session session = start(first);
    SessionState before = session.awaitIdle(WAIT);
    first.close();

    Sessions second = node(SqliteSessionStore.create(db), "b");
    second.recoverOrphans();
    Session again = second.session(session.id());
    SessionState after = again.state();

    assertThat(after.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(after.suspendedCalls()).isEqualTo(before.suspendedCalls());
    assertThat(after.version())
        .as("nothing was appended by the restart")
        .isEqualTo(before.version());
    assertThat(refunds).hasValue(0);
    assertThat(lookups).hasValue(0);

    again.completeCall(before.suspendedCalls().get(0).callId(), "refunded", "manager:bo");
    assertThat(again.awaitFinished(WAIT).status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(refunds).hasValue(0);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void anUnknownCallIsRefusedWithTheSuspendedOnesAndACancelledSessionRefusesAll() {
    Session session = start(node(InMemorySessionStore.create(), "a"));
    String callId = session.awaitIdle(WAIT).suspendedCalls().get(0).callId();

    assertThatThrownBy(() -> session.completeCall("call-nope", "x", "ana"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call-nope")
        .hasMessageContaining(callId);
    session.cancel("ana", "not needed");
    assertThatThrownBy(() -> session.failCall(callId, "no", "ana"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cancelled");
  }

  @Test
  void aNamedInputAndASuspendedCallAreTheSameKindOfWait() {
    Session session = start(node(InMemorySessionStore.create(), "a"));
    String callId = session.awaitIdle(WAIT).suspendedCalls().get(0).callId();
    session.awaitInput("ticket", "Which ticket?");

    session.completeCall(callId, "refunded", "manager:bo");
    assertThat(session.state().status())
        .as("still waiting for the named input")
        .isEqualTo(SessionStatus.WAITING);
    assertThat(lookups).hasValue(0);

    session.provideInput("ticket", "T-1", "ana");
    SessionState next = session.awaitIdle(WAIT);
    assertThat(lookups).as("the run continued once both waits were answered").hasValue(1);
    assertThat(next.transcript())
        .extracting(ChatMessage::textOrEmpty)
        .anySatisfy(text -> assertThat(text).contains("refunded"))
        .anySatisfy(text -> assertThat(text).contains("Input 'ticket': T-1"));
    // The input's message opened another turn, whose model asked for a refund again.
    assertThat(next.suspendedCalls())
        .singleElement()
        .satisfies(call -> assertThat(call.callId()).isNotEqualTo(callId));
    assertThat(refunds).hasValue(0);
  }

  @Test
  void aGateThatThrowsFailsTheRunAndRunsNoTool() {
    Sessions sessions =
        Sessions.builder(mesh)
            .store(InMemorySessionStore.create())
            .executor(Runnable::run)
            .suspendCalls(
                (sessionId, agent, call) -> {
                  throw new IllegalStateException("approval service down");
                })
            .build();
    opened.add(sessions);

    SessionState state = start(sessions).awaitIdle(WAIT);

    assertThat(state.status()).isEqualTo(SessionStatus.FAILED);
    assertThat(state.failure()).contains("IllegalStateException");
    assertThat(refunds).hasValue(0);
    assertThat(lookups).hasValue(0);
  }

  @Test
  void theNamedToolsFormSuspendsOnlyThoseTools() {
    Sessions sessions =
        Sessions.builder(mesh)
            .store(InMemorySessionStore.create())
            .executor(Runnable::run)
            .suspendCalls("lookup")
            .build();
    opened.add(sessions);

    SessionState state = start(sessions).awaitIdle(WAIT);

    assertThat(state.suspendedCalls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.tool()).isEqualTo("lookup");
              assertThat(call.reason()).isEqualTo("outside");
            });
    assertThat(refunds).hasValue(0);
    assertThatThrownBy(() -> Sessions.builder(mesh).suspendCalls(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aForkKeepsTheRuleBeforeAndAfterTheSuspension() {
    Sessions sessions = node(InMemorySessionStore.create(), "a");
    Session parent = start(sessions);
    SessionState waiting = parent.awaitIdle(WAIT);
    String callId = waiting.suspendedCalls().get(0).callId();

    Session after = parent.fork(waiting.version());
    SessionState forkWaiting = after.awaitIdle(WAIT);
    assertThat(forkWaiting.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(forkWaiting.suspendedCalls()).isEqualTo(waiting.suspendedCalls());

    Session before = parent.fork(1);
    SessionState rerun = before.awaitIdle(WAIT);
    assertThat(rerun.status())
        .as("the fork's own run suspends again")
        .isEqualTo(SessionStatus.WAITING);
    assertThat(rerun.suspendedCalls())
        .extracting(SessionState.SuspendedCall::tool)
        .containsExactly("refund");
    assertThat(refunds).hasValue(0);

    after.completeCall(callId, "refunded in the fork", "manager:bo");
    assertThat(after.awaitFinished(WAIT).output().asString()).contains("refunded in the fork");
    assertThat(parent.state().status())
        .as("the parent still waits for its own answer")
        .isEqualTo(SessionStatus.WAITING);
    assertThat(refunds).hasValue(0);
  }
}
