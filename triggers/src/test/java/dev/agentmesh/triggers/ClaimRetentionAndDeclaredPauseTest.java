package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClaimRetentionAndDeclaredPauseTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant EIGHT = Instant.parse("2026-03-02T08:00:00Z");

  private final SessionStore store = InMemorySessionStore.create();
  private final FakeClock clock = FakeClock.at(EIGHT.minusSeconds(30));
  private final List<Node> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(Node::close);
  }

  private Node node(UnaryOperator<Triggers.Builder> configure) {
    Node node = new Node("node-" + nodes.size(), store, clock, configure);
    nodes.add(node);
    return node;
  }

  private static TriggerDefinition minutely(String id) {
    return TriggerDefinition.cron(id, "* * * * *")
        .zone(BERLIN)
        .agent("digest")
        .overlap(OverlapPolicy.CONCURRENT)
        .catchUp(CatchUpPolicy.allWithin(Duration.ofMinutes(5)))
        .build();
  }

  private static TriggerDefinition daily(String id) {
    return TriggerDefinition.cron(id, "0 9 * * *").zone(BERLIN).agent("digest").build();
  }

  private List<Instant> claimed(Node node, String trigger) {
    return node
        .triggers
        .claims(trigger, EIGHT.minus(Duration.ofDays(30)), Instant.MAX, 1000)
        .stream()
        .map(TriggerClaim::scheduledAt)
        .toList();
  }

  /** Ticks at each of the next {@code minutes} minutes (each tick claims, so none prunes). */
  private void fireMinutes(Node node, int minutes) {
    for (int m = 0; m < minutes; m++) {
      clock.set(EIGHT.plus(Duration.ofMinutes(m)));
      assertThat(node.triggers.tick().started()).isEqualTo(1);
    }
  }

  @Test
  void claimsOlderThanTheRetentionArePrunedAndTheRestStay() {
    Node node = node(b -> b.add(minutely("m")).retainClaims(Duration.ofMinutes(10)));
    node.triggers.tick();
    fireMinutes(node, 21); // 08:00 .. 08:20
    assertThat(claimed(node, "m")).hasSize(21);

    assertThat(node.triggers.pruneClaims()).isEqualTo(11); // 08:00 .. 08:10: due by 08:20
    assertThat(node.triggers.pruneClaims()).isZero();
    assertThat(claimed(node, "m")).first().isEqualTo(EIGHT.plus(Duration.ofMinutes(11)));
    assertThat(claimed(node, "m")).hasSize(10);
  }

  @Test
  void anIdleTickPrunesABatchOnItsClockAndATickWithWorkDoesNot() {
    Node node = node(b -> b.add(minutely("m")).retainClaims(Duration.ofMinutes(10)));
    node.triggers.tick();
    fireMinutes(node, 21);
    assertThat(claimed(node, "m")).hasSize(21); // the firing ticks pruned nothing

    clock.set(EIGHT.plus(Duration.ofMinutes(20)).plusSeconds(30)); // idle: nothing due for 30 s
    assertThat(node.triggers.tick().claimedAny()).isFalse();
    assertThat(claimed(node, "m")).hasSize(10);
  }

  @Test
  void aTriggersLastClaimIsKeptPastTheRetentionSoARestartedNodeDoesNotFireItAgain() {
    Node first = node(b -> b.add(daily("daily")));
    first.triggers.tick();
    clock.set(EIGHT.plusSeconds(1)); // 09:00:01 in Berlin
    assertThat(first.triggers.tick().started()).isEqualTo(1);
    first.runTurns(); // its session finishes, so the next occurrence is not skipped as overlapping

    clock.set(
        EIGHT
            .plus(Duration.ofDays(3))
            .minus(Duration.ofHours(2))); // two days past the default retention
    assertThat(first.triggers.pruneClaims()).isZero();
    assertThat(claimed(first, "daily")).containsExactly(EIGHT);

    Node restarted = node(b -> b.add(daily("daily")));
    TickReport report = restarted.triggers.tick(); // latest(): the last missed occurrence only
    assertThat(report.started()).isEqualTo(1);
    assertThat(claimed(restarted, "daily")).containsExactly(EIGHT, EIGHT.plus(Duration.ofDays(2)));

    clock.set(EIGHT.plus(Duration.ofDays(4))); // the kept claim's next look: no longer the last
    assertThat(restarted.triggers.pruneClaims()).isEqualTo(1);
    assertThat(claimed(restarted, "daily")).containsExactly(EIGHT.plus(Duration.ofDays(2)));
  }

  @Test
  void aRetentionNotLongerThanATriggersCatchUpReachIsRefusedNamingTheTrigger() {
    TriggerDefinition wide =
        TriggerDefinition.cron("wide", "0 9 * * *")
            .zone(BERLIN)
            .agent("digest")
            .catchUp(CatchUpPolicy.allWithin(Duration.ofHours(2)))
            .jitter(Jitter.upTo(Duration.ofMinutes(5)))
            .build();
    assertThatThrownBy(() -> node(b -> b.add(wide).retainClaims(Duration.ofHours(2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trigger 'wide'")
        .hasMessageContaining("PT2H5M")
        .hasMessageContaining("Raise retainClaims");
  }

  @Test
  void theDefaultRetentionIsADayOrTheLongestReachPlusAnHour() {
    assertThat(ClaimPruning.defaultRetention(List.of(daily("d")))).isEqualTo(Duration.ofDays(1));
    TriggerDefinition week =
        TriggerDefinition.cron("w", "0 9 * * *")
            .zone(BERLIN)
            .agent("digest")
            .catchUp(CatchUpPolicy.allWithin(Duration.ofDays(7)))
            .build();
    assertThat(ClaimPruning.defaultRetention(List.of(daily("d"), week)))
        .isEqualTo(Duration.ofDays(7).plusHours(1));
  }

  @Test
  void aTriggerResumedAtRuntimeStaysResumedAfterARestartWithAnUnchangedFile() {
    Node first = node(b -> b.add(daily("daily")));
    assertThat(first.triggers.applyDeclaredPauses(Set.of("daily"), "trigger file"))
        .containsExactly("daily");
    assertThat(first.triggers.isPaused("daily")).isTrue();
    first.triggers.resume("daily", "ana");

    Node restarted = node(b -> b.add(daily("daily")));
    assertThat(restarted.triggers.applyDeclaredPauses(Set.of("daily"), "trigger file")).isEmpty();
    assertThat(restarted.triggers.isPaused("daily")).isFalse();
  }

  @Test
  void aFileEditIsADeployThatSetsThePauseStateAndAnUnchangedFileLeavesRuntimeChangesAlone() {
    Node node = node(b -> b.add(daily("daily")).add(daily("other")));
    assertThat(node.triggers.applyDeclaredPauses(Set.of(), "trigger file")).isEmpty();
    node.triggers.pause("other", "ana"); // paused at runtime, not in any file
    assertThat(node.triggers.applyDeclaredPauses(Set.of(), "trigger file")).isEmpty();
    assertThat(node.triggers.isPaused("other")).isTrue();

    assertThat(node.triggers.applyDeclaredPauses(Set.of("daily"), "deploy 2"))
        .containsExactly("daily"); // the file now says paused
    node.triggers.resume("daily", "ana");
    assertThat(node.triggers.applyDeclaredPauses(Set.of("daily"), "deploy 2")).isEmpty();
    node.triggers.pause("daily", "ana");
    assertThat(node.triggers.applyDeclaredPauses(Set.of(), "deploy 3"))
        .containsExactly("daily"); // the file no longer says paused: resumed
    assertThat(node.triggers.isPaused("daily")).isFalse();
  }

  @Test
  void applyingDeclaredPausesNamesAnUnknownTrigger() {
    Node node = node(b -> b.add(daily("daily")));
    assertThatThrownBy(() -> node.triggers.applyDeclaredPauses(Set.of("dayly"), "file"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No trigger 'dayly'")
        .hasMessageContaining("daily");
  }

  @Test
  void theNextTickIsScheduledAtTheNextOccurrenceWhenItComesBeforeTheTickPeriod() {
    Node node = node(b -> b.add(minutely("m")));
    clock.set(EIGHT.minusMillis(700));
    node.triggers.tick();
    assertThat(node.triggers.nextDelay(clock.instant())).isEqualTo(Duration.ofMillis(700));
    clock.set(EIGHT);
    node.triggers.tick(); // fired 08:00; the next is a minute away
    assertThat(node.triggers.nextDelay(clock.instant())).isEqualTo(Duration.ofSeconds(1));
  }
}
