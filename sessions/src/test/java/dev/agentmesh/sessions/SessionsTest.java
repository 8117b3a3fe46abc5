package dev.agentmesh.sessions;

import static dev.agentmesh.sessions.ParticipantRole.MEMBER;
import static dev.agentmesh.sessions.ParticipantRole.OBSERVER;
import static dev.agentmesh.sessions.ParticipantRole.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The Sessions runtime on the in-memory store, driven on the calling thread. */
class SessionsTest {

  private final FakeClock clock = Fixtures.clock();
  private final InMemorySessionStore store = InMemorySessionStore.create();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Sessions sessions(Mesh mesh, String node) {
    return Sessions.builder(mesh)
        .store(store)
        .executor(Runnable::run)
        .clock(clock)
        .nodeId(node)
        .build();
  }

  private static List<String> types(List<LoggedEvent> log) {
    List<String> types = new ArrayList<>();
    log.forEach(e -> types.add(e.event().type()));
    return types;
  }

  @Test
  void aStartedSessionRunsItsAgentAndCompletesWithTheOutputInItsTranscript() {
    Sessions sessions = sessions(Fixtures.mesh(clock), "a");
    Session handle =
        sessions
            .newSession("plain")
            .input("hello")
            .origin(Origin.human("ana"))
            .participant("ana", OWNER)
            .start();

    SessionState done = handle.awaitFinished(WAIT);

    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().asString()).isEqualTo("plain: hello");
    assertThat(done.origin()).isEqualTo(Origin.human("ana"));
    assertThat(store.find(handle.id()).orElseThrow().origin()).isEqualTo("human:ana");
    assertThat(done.transcript())
        .extracting(ChatMessage::textOrEmpty)
        .containsExactly("hello", "plain: hello");
    assertThat(types(handle.history()))
        .containsExactly(
            "session.created",
            "agent.run.started",
            "agent.model.called",
            "agent.model.responded",
            "agent.output.produced",
            "session.completed");
    assertThat(store.find(handle.id()).orElseThrow().status()).isEqualTo("completed");
  }

  @Test
  void twoParticipantsTalkAndOneMessageIsAnsweredByASecondAgentThenTheDefaultAgentAgain() {
    Sessions sessions = sessions(Fixtures.mesh(clock), "a");
    Session session =
        sessions
            .newSession("plain")
            .input("triage this")
            .origin(Origin.human("ana"))
            .participant("ana", OWNER)
            .participant("bo", MEMBER)
            .start();

    session.postTo("bo", "reviewer", "is it safe?");
    SessionState reviewed = session.awaitFinished(WAIT);
    session.post("ana", "thanks");
    SessionState answered = session.awaitFinished(WAIT);

    assertThat(reviewed.output().asString()).isEqualTo("reviewer: is it safe?");
    assertThat(answered.output().asString()).isEqualTo("plain: thanks");
    assertThat(answered.transcript())
        .filteredOn(m -> m.role() == ChatMessage.Role.USER)
        .extracting(ChatMessage::author)
        .containsExactly(null, "bo", "ana");
    List<String> runs = new ArrayList<>();
    session
        .history()
        .forEach(
            e -> {
              if (e.event() instanceof SessionEvent.AgentStep step
                  && step.event() instanceof AgentEvent.RunStarted started) {
                runs.add(started.agent());
              }
            });
    assertThat(runs).containsExactly("plain", "reviewer", "plain");
  }

  @Test
  void aMessageAddressedWithPostToIsAnsweredWhileTheSessionWaitsForANamedInputWhichStaysOpen() {
    Sessions sessions = sessions(Fixtures.mesh(clock), "a");
    Session session =
        sessions
            .newSession("plain")
            .input("draft it")
            .participant("ana", OWNER)
            .participant("bo", MEMBER)
            .start();
    session.awaitFinished(WAIT);
    session.awaitInput("approval", "Ship the draft?");

    SessionState held = session.state();
    session.postTo("bo", "reviewer", "is the draft safe?");
    SessionState reviewed = session.awaitIdle(WAIT);

    assertThat(held.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(reviewed.status())
        .as("waits again, the input still asked")
        .isEqualTo(SessionStatus.WAITING);
    assertThat(reviewed.waits()).containsKey("approval");
    assertThat(reviewed.transcript())
        .extracting(ChatMessage::textOrEmpty)
        .endsWith("is the draft safe?", "reviewer: is the draft safe?");
    assertThat(types(session.history()))
        .as("the addressed turn ends without session.completed")
        .endsWith("agent.output.produced")
        .containsOnlyOnce("session.completed");

    session.provideInput("approval", "yes", "ana");
    SessionState done = session.awaitFinished(WAIT);
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.output().asString()).isEqualTo("plain: Input 'approval': yes");
  }

  @Test
  void anObserverCannotPostAndNeitherCanSomeoneWhoIsNotAParticipant() {
    Sessions sessions = sessions(Fixtures.mesh(clock), "a");
    Session session =
        sessions
            .newSession("plain")
            .input("x")
            .participant("ana", OWNER)
            .participant("eve", OBSERVER)
            .start();

    assertThatThrownBy(() -> session.post("eve", "hi"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "'eve' is an observer of session '"
                + session.id()
                + "' and observers cannot "
                + "post; make them a MEMBER with join() to let them post");
    assertThatThrownBy(() -> session.post("zed", "hi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'zed' is not a participant of session '"
                + session.id()
                + "' (participants: "
                + "[ana, eve]); add them with session.join(\"zed\", ParticipantRole.MEMBER) first");

    sessions.session(session.id()).join("eve", MEMBER);
    session.post("eve", "now I can");
    assertThat(session.awaitFinished(WAIT).output().asString()).isEqualTo("plain: now I can");
  }

  @Test
  void pauseStopsTheTurnAfterItsCurrentStepAndResumeContinuesIt() {
    AtomicReference<Sessions> ref = new AtomicReference<>();
    AtomicInteger calls = new AtomicInteger();
    AgentTool pausing =
        AgentTool.builder("lookup")
            .description("Looks up")
            .handler(
                (args, ctx) -> {
                  ref.get().session("s-pause").pause("ana");
                  return "found#" + calls.incrementAndGet();
                })
            .build();
    Sessions sessions = sessions(Fixtures.mesh(clock, pausing), "a");
    ref.set(sessions);

    Session session = sessions.newSession("assistant").id("s-pause").input("find it").start();
    SessionState paused = session.awaitIdle(WAIT);

    assertThat(paused.status()).isEqualTo(SessionStatus.PAUSED);
    List<String> types = types(session.history());
    assertThat(types.subList(types.indexOf("session.paused"), types.size()))
        .containsExactly("session.paused", "agent.tool.returned");

    session.resume("ana");
    SessionState done = session.awaitFinished(WAIT);
    assertThat(done.output().asString()).isEqualTo("assistant done: found#1;");
    assertThat(calls).hasValue(1);
  }

  @Test
  void aCancelledSessionStopsAndRefusesMessages() {
    Sessions sessions = sessions(Fixtures.mesh(clock), "a");
    Session session = sessions.newSession("plain").input("x").participant("ana", OWNER).start();
    session.awaitFinished(WAIT);

    SessionState cancelled = session.cancel("ana", "not needed");

    assertThat(cancelled.status()).isEqualTo(SessionStatus.CANCELLED);
    assertThatThrownBy(() -> session.post("ana", "more"))
        .hasMessage(
            "Session '"
                + session.id()
                + "' was cancelled, so nothing can post to it; fork "
                + "it to continue from an earlier point");
  }

  @Test
  void aSessionWaitsForANamedInputWithoutAThreadAndAnotherInstanceResumesIt() {
    Mesh mesh = Fixtures.mesh(clock);
    Sessions first = sessions(mesh, "node-1");
    Sessions second = sessions(mesh, "node-2");
    Session session = first.newSession("plain").input("draft").start();
    session.awaitFinished(WAIT);

    SessionState waiting = first.session(session.id()).awaitInput("approval", "Ship it?");
    assertThat(waiting.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(waiting.waits()).containsEntry("approval", "Ship it?");
    assertThat(store.query(SessionQuery.builder().status("waiting").build()).sessions()).hasSize(1);

    second.session(session.id()).provideInput("approval", "yes", "ana");
    SessionState done = second.session(session.id()).awaitFinished(WAIT);

    assertThat(done.output().asString()).isEqualTo("plain: Input 'approval': yes");
    assertThatThrownBy(() -> second.session(session.id()).provideInput("approval", "again", "ana"))
        .hasMessage(
            "Session '"
                + session.id()
                + "' is not waiting for input 'approval'; it waits "
                + "for []. Call awaitInput first");
  }

  @Test
  void afterACrashAnIdempotentCallRunsAgainButAnUnsafeOneWaitsForAHuman() {
    AtomicInteger safeCalls = new AtomicInteger();
    AtomicInteger unsafeCalls = new AtomicInteger();
    Mesh mesh =
        Fixtures.mesh(
            clock,
            Fixtures.tool("search", true, safeCalls),
            Fixtures.tool("charge", false, unsafeCalls));
    Sessions dying =
        Sessions.builder(mesh)
            .store(new CrashingStore(store, "agent.tool.returned", "charge", 1))
            .executor(Runnable::run)
            .clock(clock)
            .nodeId("dying")
            .build();
    assertThatThrownBy(() -> dying.newSession("assistant").id("s-crash").input("bill them").start())
        .isInstanceOf(CrashingStore.Crash.class);
    assertThat(unsafeCalls).hasValue(1);
    Sessions survivor = sessions(mesh, "survivor");

    assertThat(survivor.recoverOrphans()).as("the dead node's lease is still live").isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(survivor.recoverOrphans()).isEqualTo(1);

    SessionState waiting = survivor.session("s-crash").state();
    assertThat(waiting.status()).isEqualTo(SessionStatus.WAITING);
    assertThat(waiting.unknownOutcomes())
        .extracting(SessionState.UnknownOutcome::tool)
        .containsExactly("charge");
    assertThat(unsafeCalls).hasValue(1);

    String callId = waiting.unknownOutcomes().get(0).callId();
    survivor.session("s-crash").resolveUnknownOutcome(callId, "charged (confirmed by ana)", "ana");
    SessionState done = survivor.session("s-crash").awaitFinished(WAIT);

    assertThat(unsafeCalls).hasValue(1);
    assertThat(safeCalls.get()).as("search ran again only if its result was lost").isBetween(1, 2);
    assertThat(done.output().asString()).contains("charged (confirmed by ana)").contains("search#");
    assertThatThrownBy(() -> survivor.session("s-crash").resolveUnknownOutcome(callId, "x", "ana"))
        .hasMessage(
            "Session 's-crash' has no unknown outcome for tool call '"
                + callId
                + "'; unknown outcomes: []");
  }

  @Test
  void aForkSharesItsParentsPrefixAndNeverRerunsAToolWhoseResultTheParentRecorded() {
    AtomicInteger charges = new AtomicInteger();
    Sessions sessions =
        sessions(Fixtures.mesh(clock, Fixtures.tool("charge", false, charges)), "a");
    Session parent = sessions.newSession("assistant").input("bill").start();
    parent.awaitFinished(WAIT);
    List<LoggedEvent> parentLog = parent.history();
    long calledAt =
        parentLog.stream()
            .filter(e -> e.event().type().equals("agent.tool.called"))
            .findFirst()
            .orElseThrow()
            .version();

    Session fork = sessions.session(parent.id()).fork(calledAt);
    SessionState forked = fork.awaitFinished(WAIT);

    assertThat(charges).hasValue(1);
    assertThat(forked.forkedFrom()).isEqualTo(parent.id());
    assertThat(forked.output()).isEqualTo(parent.state().output());
    List<LoggedEvent> forkLog = fork.history();
    for (int i = 0; i < calledAt; i++) {
      assertThat(forkLog.get(i).event()).isEqualTo(parentLog.get(i).event());
    }
    assertThat(forkLog.get((int) calledAt).event().type()).isEqualTo("agent.tool.returned");
    assertThatThrownBy(() -> sessions.session(parent.id()).fork(99))
        .hasMessage(
            "Cannot fork session '"
                + parent.id()
                + "' at version 99: its versions are 1 to "
                + parentLog.size());
  }

  @Test
  void sessionsAreQueriedByStatusAgentParticipantAndTriggerInPages() {
    Sessions sessions = sessions(Fixtures.mesh(clock), "a");
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      sessions
          .newSession(i % 2 == 0 ? "plain" : "reviewer")
          .input("n" + i)
          .origin(Origin.parse("cron:daily"))
          .participant(i < 2 ? "ana" : "bo", MEMBER)
          .start();
    }
    String waiting =
        sessions.query(SessionQuery.builder().agent("plain").build()).sessions().get(0).id();
    sessions.session(waiting).awaitInput("approval", "ok?");

    SessionPage first =
        sessions.query(SessionQuery.builder().origin("cron:daily").limit(2).build());
    SessionPage second =
        sessions.query(
            SessionQuery.builder().origin("cron:daily").limit(2).after(first.nextCursor()).build());

    assertThat(first.sessions()).hasSize(2);
    assertThat(second.sessions()).hasSize(2).doesNotContainAnyElementsOf(first.sessions());
    assertThat(sessions.query(SessionQuery.builder().agent("plain").build()).sessions()).hasSize(3);
    assertThat(sessions.query(SessionQuery.builder().participant("ana").build()).sessions())
        .hasSize(2);
    assertThat(sessions.query(SessionQuery.builder().status("waiting").build()).sessions())
        .extracting(s -> s.id())
        .containsExactly(waiting);
  }

  @Test
  void aSubscriberSeesEveryNewEventOnceInOrder() {
    Sessions sessions = sessions(Fixtures.mesh(clock), "a");
    Session session = sessions.newSession("plain").input("x").participant("ana", OWNER).start();
    session.awaitFinished(WAIT);
    List<Long> versions = new ArrayList<>();

    try (AutoCloseable sub = session.events(e -> versions.add(e.version()))) {
      session.post("ana", "one");
      session.awaitFinished(WAIT);
      session.post("ana", "two");
      session.awaitFinished(WAIT);
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    long start = 7;
    assertThat(versions)
        .hasSize(session.history().size() - (int) start + 1)
        .first()
        .isEqualTo(start);
    for (int i = 1; i < versions.size(); i++) {
      assertThat(versions.get(i)).isEqualTo(versions.get(i - 1) + 1);
    }
  }

  @Test
  void unknownSessionsAndAgentsAreNamedInTheError() {
    Sessions sessions = sessions(Fixtures.mesh(clock), "a");

    assertThatThrownBy(() -> sessions.session("nope").state())
        .isInstanceOfSatisfying(
            SessionNotFoundException.class, e -> assertThat(e.sessionId()).isEqualTo("nope"))
        .hasMessage(
            "No session 'nope' in the store; list sessions with "
                + "sessions.query(SessionQuery.builder().build()), or find(id) to check first");
    assertThatThrownBy(() -> sessions.newSession("plain").start())
        .hasMessage(
            "A session of agent 'plain' needs an input: sessions.newSession(\"plain\").input(...).start()");
    assertThatThrownBy(() -> sessions.newSession("plian").input("x").start())
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("No agent named 'plian'");
    assertThatThrownBy(() -> Sessions.builder(Fixtures.mesh(clock)).leaseTtl(Duration.ofMillis(5)))
        .hasMessage("leaseTtl must be at least 100ms but was PT0.005S");
    Session s = sessions.newSession("plain").id("dup").input("x").start();
    assertThatThrownBy(() -> sessions.newSession("plain").id("dup").input("x").start())
        .hasMessage(
            "Session 'dup' already exists at version "
                + s.state().version()
                + "; choose another id, or leave it unset for a generated one");
  }
}
