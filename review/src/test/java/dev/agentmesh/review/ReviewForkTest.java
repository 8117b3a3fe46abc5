package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.Session;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A fork keeps a copied proposal's key and lists the copy in the queue until it is decided. */
class ReviewForkTest {

  private final ReviewHarness world = new ReviewHarness();

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void aForkThatCopiedAPendingProposalKeepsItsKeySoAKeyHonouringTargetAppliesItOnce() {
    Map<String, Integer> target = new ConcurrentHashMap<>();
    List<String> keys = new CopyOnWriteArrayList<>();
    ReviewHarness.Node node =
        world.node(
            "a",
            world
                .reviews()
                .publisher(
                    "outbound-message",
                    PublishHandler.idempotent(
                        p -> {
                          keys.add(p.idempotencyKey());
                          return target.merge(p.idempotencyKey(), 1, Integer::sum);
                        })));
    Session parent = node.start("Invoice 40");
    ReviewState original = node.pending(parent);
    Session fork = parent.fork(parent.state().version());
    fork.awaitIdle(ReviewHarness.WAIT);
    ReviewState copied = node.pending(fork);

    assertThat(copied.id()).isEqualTo(fork.id() + "/r1");
    assertThat(copied.key()).isEqualTo(original.id());
    assertThat(copied.hash()).isEqualTo(original.hash());

    node.reviews().decide(original.id(), original.hash(), "t-bo", Decision.approve());
    node.reviews().decide(copied.id(), copied.hash(), "t-cy", Decision.approve());

    assertThat(keys).hasSize(2).containsOnly(Publication.keyOf(original.id(), original.hash()));
    assertThat(target).hasSize(1);
  }

  @Test
  void aForksCopyOfAPendingReviewIsInTheQueueUntilItIsDecided() {
    ReviewHarness.Node node = world.node();
    Session parent = node.start("Invoice 41");
    ReviewState original = node.pending(parent);
    ReviewQuery bos = ReviewQuery.builder().reviewer(Reviewer.of("bo")).build();

    Session fork = parent.fork(parent.state().version());
    fork.awaitIdle(ReviewHarness.WAIT);
    ReviewState copied = node.pending(fork);

    assertThat(node.reviews().pending(bos).reviews())
        .extracting(PendingReview::reviewId)
        .containsExactlyInAnyOrder(original.id(), copied.id());
    assertThat(
            node.reviews()
                .pending(
                    ReviewQuery.builder().agent("replier").artifactType("outbound-message").build())
                .reviews())
        .extracting(PendingReview::sessionId)
        .containsExactlyInAnyOrder(parent.id(), fork.id());

    node.reviews().decide(copied.id(), copied.hash(), "t-bo", Decision.reject("not this one"));

    assertThat(node.reviews().pending(bos).reviews())
        .extracting(PendingReview::reviewId)
        .containsExactly(original.id());
  }

  @Test
  void aForkThatCopiedAnApprovalWhoseEffectWasStillDueRunsThatEffectOnceInTheFork() {
    ReviewHarness policy =
        new ReviewHarness(
            dev.agentmesh.sessions.InMemorySessionStore.create(),
            p ->
                p.risk(dev.agentmesh.core.ReviewPolicy.Risk.LOW)
                    .autoApproveBelow(dev.agentmesh.core.ReviewPolicy.Risk.MEDIUM));
    try {
      ReviewHarness.Node node = policy.node();
      Session parent = node.start("Invoice 42"); // approved by policy: its effect runs on a sweep
      ReviewState original = node.reviews().review(parent.id() + "/r1");
      assertThat(original.effect()).isEqualTo(EffectStatus.DUE);
      Session fork = parent.fork(parent.state().version());
      ReviewState copied = node.reviews().review(fork.id() + "/r1");
      assertThat(copied.status()).isEqualTo(ReviewStatus.APPROVED);
      assertThat(copied.effect()).isEqualTo(EffectStatus.DUE);

      node.reviews().runDue();

      assertThat(policy.sent)
          .extracting(Publication::reviewId)
          .containsExactlyInAnyOrder(original.id(), copied.id());
      assertThat(policy.sent)
          .extracting(Publication::idempotencyKey)
          .containsOnly(Publication.keyOf(original.id(), original.hash()));
      assertThat(node.reviews().review(copied.id()).effect()).isEqualTo(EffectStatus.APPLIED);
      policy.clock.advance(java.time.Duration.ofMinutes(6));
      assertThat(node.reviews().runDue()).as("settled: no row is left").isZero();
      assertThat(policy.sent).hasSize(2);
    } finally {
      policy.close();
    }
  }
}
