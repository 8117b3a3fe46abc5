package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.Session;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Effects run at most once per approval through the log, exactly once with a handler that honours
 * the key; a record change is applied only on the version read.
 */
class ReviewEffectsTest {

  private final ReviewHarness world = new ReviewHarness();

  @AfterEach
  void close() {
    world.close();
  }

  /** Stands for the process dying between the effect's start and its recorded end. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void anEffectThatStartedWhenItsNodeDiedIsNotRepeatedButRecordedAsUnknown() {
    List<Publication> calls = new CopyOnWriteArrayList<>();
    ReviewHarness.Node a =
        world.node(
            "a",
            world
                .reviews()
                .publisher(
                    "outbound-message",
                    p -> {
                      calls.add(p);
                      throw new Crash();
                    }));
    Session session = a.start("Invoice 12");
    ReviewState review = a.pending(session);
    try {
      a.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve());
    } catch (Crash expected) {
      // node a is gone
    }
    assertThat(a.reviews().review(review.id()).effect()).isEqualTo(EffectStatus.STARTED);

    ReviewHarness.Node b =
        world.node(
            "b",
            world
                .reviews()
                .publisher(
                    "outbound-message",
                    p -> {
                      calls.add(p);
                      return null;
                    }));
    assertThat(b.reviews().runDue()).as("the deciding node has until the effect timeout").isZero();
    world.clock.advance(Duration.ofMinutes(6));
    assertThat(b.reviews().runDue()).isEqualTo(1);

    assertThat(calls).hasSize(1);
    assertThat(b.reviews().review(review.id()).effect()).isEqualTo(EffectStatus.UNKNOWN);
    assertThat(b.reviews().runDue()).as("settled: its row is gone").isZero();
  }

  @Test
  void aHandlerThatHonoursTheKeyIsCalledAgainWithTheSameKeyAndAppliesOnce() {
    Map<String, Publication> applied = new ConcurrentHashMap<>();
    List<String> keys = new CopyOnWriteArrayList<>();
    ReviewHarness.Node a =
        world.node(
            "a",
            world
                .reviews()
                .publisher(
                    "outbound-message",
                    PublishHandler.idempotent(
                        p -> {
                          keys.add(p.idempotencyKey());
                          applied.putIfAbsent(p.idempotencyKey(), p);
                          throw new Crash();
                        })));
    Session session = a.start("Invoice 13");
    ReviewState review = a.pending(session);
    try {
      a.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve());
    } catch (Crash expected) {
      // node a is gone after the target applied it
    }
    ReviewHarness.Node b =
        world.node(
            "b",
            world
                .reviews()
                .publisher(
                    "outbound-message",
                    PublishHandler.idempotent(
                        p -> {
                          keys.add(p.idempotencyKey());
                          return applied.putIfAbsent(p.idempotencyKey(), p) == null
                              ? "sent"
                              : "already sent";
                        })));
    world.clock.advance(Duration.ofMinutes(6));
    b.reviews().runDue();

    assertThat(keys).hasSize(2).containsOnly(keys.get(0));
    assertThat(applied).hasSize(1);
    assertThat(b.reviews().review(review.id()).effect()).isEqualTo(EffectStatus.APPLIED);
  }

  @Test
  void aRecordChangeIsAppliedOnTheVersionReadAndAChangedRecordIsRefusedNotOverwritten() {
    Map<String, String> crm = new ConcurrentHashMap<>(Map.of("version", "v2", "plan", "basic"));
    PublishHandler conditional =
        p -> {
          RecordChange change = (RecordChange) p.artifact();
          synchronized (crm) {
            if (!crm.get("version").equals(change.versionRead())) {
              throw PublishRefusedException.recordChanged(change, crm.get("version"));
            }
            change.changes().forEach(f -> crm.put(f.field(), f.after()));
            crm.put("version", "v" + (Integer.parseInt(crm.get("version").substring(1)) + 1));
            return Map.of("version", crm.get("version"));
          }
        };
    ReviewHarness.Node node =
        world.node("a", world.reviews().publisher("record-change", conditional));
    RecordChange stale =
        new RecordChange(
            "crm",
            "contact",
            "c-1",
            "v1",
            List.of(new RecordChange.FieldChange("plan", "basic", "pro")));

    Throwable refused = null;
    try {
      conditional.publish(
          new Publication(
              "s/r1",
              "k",
              stale,
              ArtifactTypes.standard().contentHash(stale),
              new ArtifactProvenance(
                  "s", "a", "sha256:0", null, dev.agentmesh.sessions.Origin.api("t")),
              List.of("bo")));
    } catch (PublishRefusedException e) {
      refused = e;
    }
    assertThat(refused)
        .hasMessageContaining("changed since the agent read it")
        .hasMessageContaining("'v1'")
        .hasMessageContaining("'v2'");
    assertThat(crm).containsEntry("plan", "basic").containsEntry("version", "v2");
    assertThat(node).isNotNull();
  }
}
