package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public shape: one not-found exception, typed timeouts, origins, newBuilder, review guard. */
class SessionApiTest {

  private final FakeClock clock = Fixtures.clock();
  private final InMemorySessionStore store = InMemorySessionStore.create();

  private Sessions sessions(Mesh mesh) {
    return Sessions.builder(mesh)
        .store(store)
        .executor(Runnable::run)
        .clock(clock)
        .nodeId("a")
        .build();
  }

  @Test
  void aLookupOfAnUnknownSessionThrowsTheOneNotFoundExceptionAndFindReturnsEmpty() {
    Sessions sessions = sessions(Fixtures.mesh(clock));
    Session started = sessions.newSession("plain").id("s-1").input("x").start();

    assertThat(sessions.find("nope")).isEmpty();
    assertThat(sessions.find("s-1")).contains(started);
    assertThatThrownBy(() -> sessions.session("nope"))
        .isInstanceOfSatisfying(
            SessionNotFoundException.class, e -> assertThat(e.sessionId()).isEqualTo("nope"))
        .isInstanceOf(dev.agentmesh.core.AgentMeshException.class)
        .hasMessageStartingWith("No session 'nope' in the store; ");
  }

  @Test
  void everyCommandReturnsTheStateRightAfterItsEventsAndAwaitsWaitFromThere() {
    Sessions sessions =
        Sessions.builder(Fixtures.mesh(clock))
            .store(store)
            .executor(task -> {})
            .clock(clock)
            .build(); // turns never run: the state stays as appended
    Session session =
        sessions.newSession("plain").input("x").participant("ana", ParticipantRole.OWNER).start();

    SessionState posted = session.post("ana", "hello");
    SessionState paused = session.pause("ana");
    SessionState waiting = session.awaitInput("approval", "Ship it?");

    assertThat(posted.status()).isEqualTo(SessionStatus.RUNNING);
    assertThat(posted.version()).isEqualTo(2);
    assertThat(paused.status()).isEqualTo(SessionStatus.PAUSED);
    assertThat(waiting.waits()).containsKey("approval");
    assertThat(session.idle()).isCompletedWithValueMatching(s -> s.version() == 4);
    assertThat(session.finished()).isNotDone();
  }

  @Test
  void anAwaitThatRunsOutOfTimeThrowsATimeoutCarryingTheState() {
    Sessions sessions =
        Sessions.builder(Fixtures.mesh(clock))
            .store(store)
            .executor(task -> {})
            .clock(clock)
            .build();
    Session session = sessions.newSession("plain").input("x").start();

    assertThatThrownBy(() -> session.awaitFinished(Duration.ofMillis(1)))
        .isInstanceOfSatisfying(
            SessionTimeoutException.class,
            e -> {
              assertThat(e.state().status()).isEqualTo(SessionStatus.RUNNING);
              assertThat(e.state().id()).isEqualTo(session.id());
            })
        .hasMessage(
            "Session '"
                + session.id()
                + "' did not finish within PT0.001S; it is running "
                + "at version 1");
  }

  @Test
  void theOriginIsTypedInTheStateAndItsKeyIsWhatStoresIndex() {
    Sessions sessions = sessions(Fixtures.mesh(clock));
    Instant due = Instant.parse("2026-01-05T08:00:00Z");
    Session parent =
        sessions.newSession("plain").input("x").origin(Origin.cron("daily", due)).start();
    Session child =
        sessions
            .newSession("plain")
            .input("y")
            .origin(Origin.session(parent.id(), "run-7"))
            .start();
    Session fork = parent.fork(1);

    assertThat(parent.state().origin()).isEqualTo(Origin.cron("daily", due));
    assertThat(store.find(parent.id()).orElseThrow().origin()).isEqualTo("cron:daily");
    assertThat(child.state().startedBy()).isEqualTo(parent.id());
    assertThat(child.state().forkedFrom()).isNull();
    assertThat(fork.state().forkedFrom()).isEqualTo(parent.id());
    assertThat(fork.state().startedBy()).isNull();
    assertThat(
            sessions
                .query(SessionQuery.builder().origin("session:" + parent.id()).build())
                .sessions())
        .extracting(s -> s.id())
        .containsExactly(child.id());
    assertThat(sessions.newSession("plain").input("z").start().state().origin())
        .isEqualTo(Origin.api("unspecified"));
  }

  @Test
  void freeStringsOfOldLogsReadAsTheirKindOrAsUnknown() {
    assertThat(Origin.parse("human:ana")).isEqualTo(Origin.human("ana"));
    assertThat(Origin.parse("webhook:zendesk").kind()).isEqualTo(Origin.Kind.WEBHOOK);
    assertThat(Origin.parse("manual"))
        .isEqualTo(new Origin(Origin.Kind.UNKNOWN, "manual", null, null));
    assertThat(Origin.parse("fax:123").key()).isEqualTo("fax:123");
    assertThat(Origin.parse("human:").kind()).isEqualTo(Origin.Kind.UNKNOWN);
    assertThat(Origin.webhook("zendesk", "d-1")).hasToString("webhook:zendesk#d-1");
    assertThatThrownBy(() -> Origin.human(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "An origin's id names who or what started the session (such as 'ana' or "
                + "'daily') but was ' '");
  }

  @Test
  void newBuilderMakesAnotherInstanceWithTheSameSettingsAndStore() {
    Sessions first =
        Sessions.builder(Fixtures.mesh(clock))
            .executor(Runnable::run)
            .clock(clock)
            .nodeId("a")
            .build();
    Session session = first.newSession("plain").id("shared").input("x").start();

    Sessions second = first.newBuilder().nodeId("b").build();

    assertThat(second.nodeId()).isEqualTo("b");
    assertThat(second.session("shared").state().version()).isEqualTo(session.state().version());
    first.close();
    second.close();
    assertThat(SessionQuery.builder().origin("cron:daily").limit(7).build().newBuilder().build())
        .hasToString(SessionQuery.builder().origin("cron:daily").limit(7).build().toString());
  }

  @Test
  void sessionsRefuseAMeshWhoseAgentRequiresAReviewNothingEnforcesYet() {
    AgentSpec reviewed =
        AgentSpecs.parse(
            "name: publisher\ninstructions: Publish.\n" + "review:\n  required: true\n",
            "agents/publisher.yaml");
    Mesh mesh =
        Mesh.builder()
            .model("default", request -> ChatResponse.ofText("done"))
            .agent(reviewed)
            .build();

    assertThatThrownBy(() -> Sessions.builder(mesh).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Agent 'publisher' (agents/publisher.yaml) declares review.required: true, "
                + "but nothing reads review policies until agentmesh-review is bound to these "
                + "sessions, so its output would take effect unreviewed. Install the review module "
                + "(Sessions.builder(mesh).extension(Reviews.builder()...build()), from "
                + "agentmesh-review), or set review.required: false "
                + "in its spec to run it in sessions without review, or call the agent statelessly "
                + "(mesh.agent(\"publisher\").call(input)), which sessions do not govern");
    assertThat(mesh.agent("publisher").call("go").output().asString())
        .as("stateless calls are unaffected")
        .isEqualTo("done");
  }

  @Test
  void aSpecBuiltInJavaIsNamedWithoutASourceAndANonRequiredPolicyPasses() {
    AgentSpec optional =
        AgentSpec.builder("drafter")
            .instructions("Draft.")
            .review(new ReviewPolicy(false, List.of("leads"), 1, null))
            .build();
    AgentSpec required =
        AgentSpec.builder("publisher")
            .instructions("Publish.")
            .review(new ReviewPolicy(true, List.of("leads"), 1, null))
            .build();
    Mesh fine =
        Mesh.builder()
            .model("default", request -> ChatResponse.ofText("x"))
            .agent(optional)
            .build();
    Mesh refused =
        Mesh.builder()
            .model("default", request -> ChatResponse.ofText("x"))
            .agent(optional)
            .agent(required)
            .build();

    Sessions.builder(fine).build().close();
    assertThatThrownBy(() -> Sessions.builder(refused).build())
        .hasMessageStartingWith("Agent 'publisher' declares review.required: true, ");
  }
}
