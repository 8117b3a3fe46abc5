package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TriggersRuntimeTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private final SessionStore store = InMemorySessionStore.create();
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-03-02T07:59:00Z"));
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(Node::close);
  }

  private Node node(String name, UnaryOperator<Triggers.Builder> configure) {
    Node node = new Node(name, store, clock, configure);
    nodes.add(node);
    return node;
  }

  private Node node(TriggerDefinition... defs) {
    return node("node-" + nodes.size(), b -> b.addAll(List.of(defs)));
  }

  /** The scheduled instants of the sessions started for {@code trigger}, oldest first. */
  private List<Instant> fired(String trigger) {
    List<Instant> at = new ArrayList<>();
    for (SessionSummary s : store.query(SessionQuery.builder().limit(1000).build()).sessions()) {
      if (s.origin().endsWith(":" + trigger)) {
        at.add(nodes.get(0).sessions.session(s.id()).state().origin().occurrence());
      }
    }
    at.sort(null);
    return at;
  }

  @Test
  void aCronTriggerStartsOneSessionPerOccurrenceWithItsOriginAndAnInputBuiltFromIt() {
    Node node =
        node(
            TriggerDefinition.cron("daily", "0 9 * * *")
                .zone(BERLIN)
                .agent("digest")
                .input(o -> Map.of("trigger", o.triggerId(), "at", o.scheduledAt().toString()))
                .build());

    assertThat(node.triggers.tick().started()).isZero(); // 08:59 Berlin
    clock.set(Instant.parse("2026-03-02T08:00:00.400Z"));
    TickReport report = node.triggers.tick();
    assertThat(report.started()).isEqualTo(1);
    assertThat(node.triggers.tick().claimedAny()).isFalse(); // decided once

    SessionSummary only = store.query(SessionQuery.builder().build()).sessions().get(0);
    SessionState state = node.sessions.session(only.id()).state();
    Instant nine = Instant.parse("2026-03-02T08:00:00Z");
    assertThat(state.origin()).isEqualTo(Origin.cron("daily", nine));
    assertThat(state.input().get("at").asString()).isEqualTo("2026-03-02T08:00:00Z");
    assertThat(state.agent()).isEqualTo("digest");
    TriggerClaim claim = node.triggers.claims("daily", nine, nine.plusSeconds(1), 10).get(0);
    assertThat(claim.outcome()).isEqualTo(TriggerClaim.Outcome.STARTED);
    assertThat(claim.sessionId()).isEqualTo(only.id());
    assertThat(claim.node()).isEqualTo("node-0");
    assertThat(claim.fingerprint())
        .isEqualTo(node.triggers.definition("daily").orElseThrow().fingerprint());
  }

  @Test
  void anOccurrenceFiresAtTheTickExactlyOnItsInstantAfterAQuietTickASecondBefore() {
    clock.set(Instant.parse("2026-03-02T07:59:30Z"));
    Node node =
        node(
            TriggerDefinition.cron("m", "* * * * *")
                .zone(BERLIN)
                .agent("digest")
                .overlap(OverlapPolicy.CONCURRENT)
                .catchUp(CatchUpPolicy.allWithin(Duration.ofMinutes(5)))
                .build());
    node.triggers.tick();
    clock.set(Instant.parse("2026-03-02T07:59:59Z"));
    assertThat(node.triggers.tick().started()).isZero();
    clock.set(Instant.parse("2026-03-02T08:00:00Z"));
    assertThat(node.triggers.tick().started()).isEqualTo(1);
    clock.set(Instant.parse("2026-03-02T08:00:59Z"));
    assertThat(node.triggers.tick().started()).isZero();
    clock.set(Instant.parse("2026-03-02T08:01:00Z"));
    assertThat(node.triggers.tick().started()).isEqualTo(1);
  }

  @Test
  void intervalAndOneShotTriggersRecordTheirKindOfOrigin() {
    Instant at = Instant.parse("2026-03-02T08:00:00Z");
    Node node =
        node(
            TriggerDefinition.interval("sync", Duration.ofMinutes(30), at)
                .agent("sync")
                .overlap(OverlapPolicy.CONCURRENT)
                .build(),
            TriggerDefinition.once("launch", at).agent("digest").build());
    clock.set(at.plusSeconds(1));

    assertThat(node.triggers.tick().started()).isEqualTo(2);
    clock.set(at.plus(Duration.ofMinutes(30)));
    assertThat(node.triggers.tick().started()).isEqualTo(1); // the one-shot is over

    assertThat(fired("sync")).containsExactly(at, at.plus(Duration.ofMinutes(30)));
    assertThat(fired("launch")).containsExactly(at);
    assertThat(
            store
                .query(SessionQuery.builder().origin(Origin.once("launch", at)).build())
                .sessions())
        .hasSize(1);
  }

  @Test
  void daylightSavingGapsAndOverlapsFireByOurPolicyInTwoZones() {
    clock.set(Instant.parse("2026-03-07T00:00:00Z"));
    Node node =
        node(
            TriggerDefinition.cron("berlin-0230", "30 2 * * *")
                .zone(BERLIN)
                .agent("digest")
                .overlap(OverlapPolicy.CONCURRENT)
                .build(),
            TriggerDefinition.cron("ny-0230", "30 2 * * *")
                .zone(NEW_YORK)
                .agent("digest")
                .overlap(OverlapPolicy.CONCURRENT)
                .build(),
            TriggerDefinition.cron("ny-every15", "*/15 * * * *")
                .zone(NEW_YORK)
                .agent("digest")
                .overlap(OverlapPolicy.CONCURRENT)
                .catchUp(CatchUpPolicy.allWithin(Duration.ofMinutes(5)))
                .build());
    // minute by minute through New York's spring-forward (03-08), Berlin's (03-29), and both
    // fall-backs (NY 11-01, Berlin 10-25) would take long; walk the nights that matter
    walk(node, "2026-03-08T05:00:00Z", "2026-03-08T09:00:00Z"); // NY spring forward
    walk(node, "2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z"); // Berlin spring forward
    walk(node, "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z"); // Berlin fall back
    walk(node, "2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z"); // NY fall back

    // fixed hour in a gap: once, at the first instant after it (03:00 local)
    assertThat(fired("ny-0230"))
        .contains(Instant.parse("2026-03-08T07:00:00Z")) // 03:00 EDT
        .contains(Instant.parse("2026-11-01T07:30:00Z")) // 02:30 EST: after the overlap, once
        .doesNotContain(Instant.parse("2026-03-08T07:30:00Z"));
    assertThat(fired("berlin-0230"))
        .contains(Instant.parse("2026-03-29T01:00:00Z")) // 03:00 CEST
        .contains(Instant.parse("2026-10-25T00:30:00Z")) // 02:30 CEST, the first of two
        .doesNotContain(Instant.parse("2026-10-25T01:30:00Z")); // 02:30 CET: not again
    // wildcard hour in NY's fall-back night: 16 fires from local 01:00 to 02:00 twice and more
    List<Instant> night =
        fired("ny-every15").stream()
            .filter(t -> !t.isBefore(Instant.parse("2026-11-01T04:00:00Z")))
            .filter(t -> t.isBefore(Instant.parse("2026-11-01T08:00:00Z")))
            .toList();
    assertThat(night).hasSize(16); // 00:00-03:00 local is 4 real hours
    // and none inside the spring-forward gap: 02:00-02:59 EST never happened
    assertThat(fired("ny-every15"))
        .contains(Instant.parse("2026-03-08T06:45:00Z"), Instant.parse("2026-03-08T07:00:00Z"))
        .noneMatch(
            t ->
                t.isAfter(Instant.parse("2026-03-08T06:45:00Z"))
                    && t.isBefore(Instant.parse("2026-03-08T07:00:00Z")));
  }

  private void walk(Node node, String from, String to) {
    for (Instant t = Instant.parse(from);
        !t.isAfter(Instant.parse(to));
        t = t.plus(Duration.ofMinutes(5))) {
      clock.set(t.plusSeconds(2));
      node.triggers.tick();
    }
  }

  @Test
  void afterAnOutageCatchUpFiresWhatThePolicySaysOnANewNodeThatReadsTheLastClaim() {
    clock.set(Instant.parse("2026-03-02T08:00:10Z"));
    UnaryOperator<Triggers.Builder> hourly =
        b ->
            b.add(hourly("all", CatchUpPolicy.allWithin(Duration.ofHours(2))))
                .add(hourly("latest", CatchUpPolicy.latest()))
                .add(hourly("none", CatchUpPolicy.none()));
    Node first = node("first", hourly);
    clock.set(Instant.parse("2026-03-02T09:00:10Z"));
    assertThat(first.triggers.tick().started()).isEqualTo(3); // 09:00 for each
    first.close();
    nodes.remove(first);

    clock.set(Instant.parse("2026-03-02T12:30:00Z")); // down from 09:00 to 12:30
    Node restarted = node("restarted", hourly); // registered now: the claims say since when
    restarted.triggers.tick();

    Instant nine = Instant.parse("2026-03-02T09:00:00Z");
    assertThat(fired("all"))
        .containsExactly(
            nine, Instant.parse("2026-03-02T11:00:00Z"), Instant.parse("2026-03-02T12:00:00Z"));
    assertThat(fired("latest")).containsExactly(nine, Instant.parse("2026-03-02T12:00:00Z"));
    assertThat(fired("none")).containsExactly(nine); // 12:00 is 30 minutes late
    clock.set(Instant.parse("2026-03-02T13:00:05Z"));
    restarted.triggers.tick();
    assertThat(fired("none")).endsWith(Instant.parse("2026-03-02T13:00:00Z"));
  }

  private static TriggerDefinition hourly(String id, CatchUpPolicy catchUp) {
    return TriggerDefinition.cron(id, "0 * * * *")
        .agent("digest")
        .catchUp(catchUp)
        .overlap(OverlapPolicy.CONCURRENT)
        .build();
  }

  @Test
  void skipDoesNotStartWhileThePreviousSessionRunsAndRecordsTheSkip() {
    Node node = node(minutely("skip", OverlapPolicy.SKIP));
    step(node); // 08:00 starts
    step(node); // 08:01 skipped: 08:00 still running
    node.runTurns();
    step(node); // 08:02 starts

    assertThat(fired("skip"))
        .containsExactly(
            Instant.parse("2026-03-02T08:00:00Z"), Instant.parse("2026-03-02T08:02:00Z"));
    List<TriggerClaim> claims = claims(node, "skip");
    assertThat(claims)
        .extracting(TriggerClaim::outcome)
        .containsExactly(
            TriggerClaim.Outcome.STARTED,
            TriggerClaim.Outcome.SKIPPED,
            TriggerClaim.Outcome.STARTED);
    assertThat(claims.get(1).sessionId()).isEqualTo(claims.get(0).sessionId()); // the one running
  }

  @Test
  void queueOneKeepsOneOccurrenceAndStartsItWhenThePreviousFinishes() {
    Node node = node(minutely("queue", OverlapPolicy.QUEUE_ONE));
    step(node); // 08:00 starts
    assertThat(step(node).queued()).isEqualTo(1); // 08:01 queued
    assertThat(step(node).skipped()).isEqualTo(1); // 08:02 skipped: one waits already
    node.runTurns();
    TickReport next = step(node); // 08:03: the queued 08:01 starts; 08:03 is queued behind it
    assertThat(next.queued()).isEqualTo(2);
    assertThat(next.started()).isZero();

    assertThat(fired("queue"))
        .containsExactly(
            Instant.parse("2026-03-02T08:00:00Z"), Instant.parse("2026-03-02T08:01:00Z"));
    assertThat(claims(node, "queue"))
        .extracting(TriggerClaim::outcome)
        .containsExactly(
            TriggerClaim.Outcome.STARTED,
            TriggerClaim.Outcome.QUEUED,
            TriggerClaim.Outcome.SKIPPED,
            TriggerClaim.Outcome.QUEUED);
    node.runTurns();
    step(node); // 08:04: 08:03 starts, 08:04 queued
    assertThat(fired("queue")).endsWith(Instant.parse("2026-03-02T08:03:00Z"));
  }

  @Test
  void concurrentStartsEveryOccurrenceWhateverRuns() {
    Node node = node(minutely("many", OverlapPolicy.CONCURRENT));
    for (int i = 0; i < 3; i++) {
      step(node);
    }
    assertThat(fired("many")).hasSize(3);
  }

  @Test
  void aPausedTriggerFiresNothingOnAnyNodeAndAfterResumeNeverWhatFellDueMeanwhile() {
    Node a = node(minutely("p", OverlapPolicy.CONCURRENT));
    Node b = node(minutely("p", OverlapPolicy.CONCURRENT));
    step(a); // 08:00
    a.triggers.pause("p", "ana");
    assertThat(b.triggers.isPaused("p")).isTrue(); // a row in the store
    for (int i = 0; i < 3; i++) {
      step(a);
      b.triggers.tick();
    }
    b.triggers.resume("p", "bo");
    step(b); // 08:04
    a.triggers.tick();

    assertThat(fired("p"))
        .containsExactly(
            Instant.parse("2026-03-02T08:00:00Z"), Instant.parse("2026-03-02T08:04:00Z"));
    assertThatThrownBy(() -> a.triggers.pause("nope", "ana"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No trigger 'nope'; defined: [p]");
  }

  @Test
  void jitterDelaysTheFireTimeButTheClaimKeepsTheScheduledInstant() {
    Jitter jitter = Jitter.upTo(Duration.ofSeconds(50));
    Node node =
        node(
            TriggerDefinition.cron("j", "0 8 * * *")
                .agent("digest")
                .jitter(jitter)
                .catchUp(CatchUpPolicy.allWithin(Duration.ofHours(1)))
                .build());
    Instant eight = Instant.parse("2026-03-02T08:00:00Z");
    Instant due = jitter.apply("j", eight);
    assertThat(due).isAfter(eight.plusSeconds(1)); // this id's delay is not tiny
    clock.set(due.minusMillis(1));
    assertThat(node.triggers.tick().started()).isZero();
    clock.set(due);
    assertThat(node.triggers.tick().started()).isEqualTo(1);
    assertThat(fired("j")).containsExactly(eight);
  }

  @Test
  void nodesWithDifferentVersionsOfATriggerFireEachOccurrenceOnceAndTheClaimSaysWhich() {
    TriggerDefinition v1 = minutelyWith("daily", Map.of("v", 1));
    TriggerDefinition v2 = minutelyWith("daily", Map.of("v", 2));
    assertThat(v1.fingerprint()).isNotEqualTo(v2.fingerprint());
    Node old = node(v1);
    Node fresh = node(v2);
    old.triggers.tick(); // both started before 08:00: neither has read a claim of it
    fresh.triggers.tick();

    clock.set(Instant.parse("2026-03-02T08:00:01Z"));
    assertThat(old.triggers.tick().started()).isEqualTo(1);
    assertThat(fresh.triggers.tick().taken()).isEqualTo(1);
    clock.set(Instant.parse("2026-03-02T08:01:01Z"));
    assertThat(fresh.triggers.tick().started()).isEqualTo(1);
    assertThat(old.triggers.tick().taken()).isEqualTo(1);

    assertThat(claims(old, "daily"))
        .extracting(TriggerClaim::node, TriggerClaim::fingerprint)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("node-0", v1.fingerprint()),
            org.assertj.core.groups.Tuple.tuple("node-1", v2.fingerprint()));
  }

  @Test
  void threeNodesOnOneStoreFireEveryOccurrenceExactlyOnce() {
    List<TriggerDefinition> defs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      defs.add(minutely("t" + i, OverlapPolicy.CONCURRENT));
    }
    List<Node> three = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      three.add(node("n" + n, b -> b.addAll(defs).batchSize(7)));
    }
    int started = 0;
    int taken = 0;
    for (int minute = 0; minute < 5; minute++) {
      clock.set(Instant.parse("2026-03-02T08:00:01Z").plus(Duration.ofMinutes(minute)));
      for (Node n : three) {
        TickReport r = n.triggers.tick();
        started += r.started();
        taken += r.taken();
      }
    }
    assertThat(started).isEqualTo(100);
    // minute 0: n1 and n2 read n0's claims at their first tick and try nothing; later minutes
    // all three try every occurrence and two find it taken
    assertThat(taken).isEqualTo(160);
    assertThat(store.query(SessionQuery.builder().limit(1000).build()).sessions()).hasSize(100);
  }

  @Test
  void definitionsAreCheckedWhenAdded() {
    assertThatThrownBy(() -> TriggerDefinition.cron("bad id", "* * * * *"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("A trigger id is 1 to 200 letters");
    assertThatThrownBy(() -> TriggerDefinition.cron("x", "* * * * *").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Trigger 'x' needs the agent it starts: .agent(\"name\")");
    assertThatThrownBy(
            () ->
                TriggerDefinition.interval("x", Duration.ofMinutes(1), Instant.EPOCH).zone(BERLIN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("zone applies to cron triggers; trigger 'x' is not one");
    assertThatThrownBy(() -> node(TriggerDefinition.cron("x", "* * * * *").agent("nobody").build()))
        .isInstanceOf(java.util.NoSuchElementException.class);
    TriggerDefinition once = minutely("x", OverlapPolicy.SKIP);
    assertThatThrownBy(() -> node(once, once))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Trigger 'x' was added twice; give each trigger its own id");
  }

  private TickReport step(Node node) {
    clock.set(Instant.ofEpochSecond((clock.instant().getEpochSecond() / 60 + 1) * 60 + 1));
    return node.triggers.tick();
  }

  private static List<TriggerClaim> claims(Node node, String trigger) {
    return node.triggers.claims(trigger, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 100);
  }

  private static TriggerDefinition minutely(String id, OverlapPolicy overlap) {
    return TriggerDefinition.cron(id, "* * * * *")
        .agent("digest")
        .overlap(overlap)
        .catchUp(CatchUpPolicy.allWithin(Duration.ofMinutes(5)))
        .build();
  }

  private static TriggerDefinition minutelyWith(String id, Object input) {
    return TriggerDefinition.cron(id, "* * * * *")
        .agent("digest")
        .overlap(OverlapPolicy.CONCURRENT)
        .input(input)
        .build();
  }
}
