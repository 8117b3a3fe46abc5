package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deterministic agents (a spec naming a {@code function}, no model bound anywhere) are started by a
 * cron occurrence and by an event as any agent is: the session records the trigger, runs the
 * function once and completes with its output, with no model call in the log.
 */
class DeterministicTriggersTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  record DeployRequest(String service, String image) {}

  record Verdict(boolean allowed, List<String> reasons) {}

  private final List<DeployRequest> checked = new CopyOnWriteArrayList<>();
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-03-06T07:59:00Z"));
  private final InMemorySessionStore store = InMemorySessionStore.create();
  private final Mesh mesh =
      Mesh.builder()
          .clock(clock)
          .agent(
              AgentSpec.builder("deploy-guardrail")
                  .function("deploy-check")
                  .inputType(DeployRequest.class)
                  .outputType(Verdict.class)
                  .build())
          .function("deploy-check", DeployRequest.class, this::check)
          .build();
  private final Sessions sessions =
      Sessions.builder(mesh).store(store).clock(clock).executor(Runnable::run).build();

  private Verdict check(DeployRequest deploy) {
    checked.add(deploy);
    List<String> reasons = new ArrayList<>();
    if (deploy.image().endsWith(":latest")) reasons.add("image tag 'latest' is not pinned");
    return new Verdict(reasons.isEmpty(), reasons);
  }

  @AfterEach
  void close() {
    sessions.close();
  }

  private Session only() {
    var all = store.query(SessionQuery.builder().build()).sessions();
    assertThat(all).hasSize(1);
    return sessions.session(all.get(0).id());
  }

  private static List<String> types(Session session) {
    return session.history().stream().map(e -> e.event().type()).toList();
  }

  @Test
  void aCronOccurrenceStartsADeterministicAgentsSessionThatRunsTheFunctionOnce() {
    try (Triggers triggers =
        Triggers.builder(sessions)
            .clock(clock)
            .add(
                TriggerDefinition.cron("nightly-check", "0 9 * * FRI")
                    .zone(ZoneId.of("Europe/Berlin"))
                    .agent("deploy-guardrail")
                    .input(new DeployRequest("billing", "billing:latest"))
                    .build())
            .build()) {
      assertThat(triggers.tick().started()).isZero(); // 08:59 in Berlin
      clock.set(Instant.parse("2026-03-06T08:00:00Z"));
      assertThat(triggers.tick().started()).isEqualTo(1);
      assertThat(triggers.tick().started()).isZero(); // the occurrence is decided once
    }

    Session session = only();
    SessionState done = session.awaitFinished(WAIT);
    assertThat(done.status()).isEqualTo(SessionStatus.COMPLETED);
    assertThat(done.origin())
        .isEqualTo(Origin.cron("nightly-check", Instant.parse("2026-03-06T08:00:00Z")));
    assertThat(done.output(Verdict.class))
        .isEqualTo(new Verdict(false, List.of("image tag 'latest' is not pinned")));
    assertThat(checked).containsExactly(new DeployRequest("billing", "billing:latest"));
    assertThat(types(session))
        .containsExactly(
            "session.created", "agent.run.started", "agent.output.produced", "session.completed");
  }

  @Test
  void anEventStartsADeterministicAgentsSessionOnceAndARedeliveryStartsNone() {
    EventBus bus =
        EventBus.builder(sessions)
            .subscribe(
                EventSubscription.builder("deploys")
                    .topic("deploy.requested")
                    .agent("deploy-guardrail")
                    .build())
            .build();
    Event event =
        Event.of(
            "deploy.requested", "msg-42", Map.of("service", "billing", "image", "billing:1.4"));

    Published first = bus.publish(event);
    Published again = bus.publish(event);

    assertThat(first.sessions()).extracting(Published.Started::created).containsExactly(true);
    assertThat(again.sessions()).extracting(Published.Started::created).containsExactly(false);
    Session session = only();
    SessionState done = session.awaitFinished(WAIT);
    assertThat(done.origin()).isEqualTo(Origin.event("deploys", "msg-42"));
    assertThat(done.output(Verdict.class)).isEqualTo(new Verdict(true, List.of()));
    assertThat(checked).containsExactly(new DeployRequest("billing", "billing:1.4"));
    assertThat(types(session)).doesNotContain("agent.model.called");
  }
}
