package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.review.notify.DeliveryRecord;
import dev.agentmesh.review.notify.DeliveryRetryPolicy;
import dev.agentmesh.review.notify.Notification;
import dev.agentmesh.review.notify.Notifier;
import dev.agentmesh.review.notify.Recipient;
import dev.agentmesh.sessions.Session;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Notifications go through the notifiers; a failing or slow one never fails or delays a review. */
class ReviewNotificationsTest {

  private final ReviewHarness world = new ReviewHarness();
  private final List<Notification> received = new CopyOnWriteArrayList<>();
  private final List<DeliveryRecord> records = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    world.close();
  }

  private Reviews.Builder with(Notifier notifier) {
    return world
        .reviews()
        .notifier("test", notifier)
        .deliveryListener(records::add)
        .deliveryRetry(new DeliveryRetryPolicy(5, Duration.ofMinutes(1), Duration.ofMinutes(10)));
  }

  @Test
  void aFailingNotifierIsRetriedWithBackoffAcrossARestartAndTheReviewGoesOn() {
    AtomicInteger attempts = new AtomicInteger();
    Notifier flaky =
        n -> {
          if (attempts.incrementAndGet() <= 2) {
            throw new IllegalStateException("channel down");
          }
          received.add(n);
        };
    ReviewHarness.Node a = world.node("a", with(flaky));
    Session session = a.start("Invoice 20");
    ReviewState review = a.pending(session);

    assertThat(a.reviews().runDue()).isEqualTo(1);
    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.outcome()).isEqualTo(DeliveryRecord.Outcome.RETRYING);
              assertThat(r.nextAttempt())
                  .isBetween(
                      ReviewHarness.START.plusSeconds(30), ReviewHarness.START.plusSeconds(60));
            });
    assertThat(a.reviews().runDue()).as("not due again before its time").isZero();

    // the review is not held up by the channel
    a.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve());
    assertThat(world.sent).hasSize(1);

    // another node, after a restart, retries what is due from the store
    ReviewHarness.Node b = world.node("b", with(flaky));
    world.clock.advance(Duration.ofMinutes(1));
    b.reviews().runDue();
    world.clock.advance(Duration.ofMinutes(2));
    b.reviews().runDue();

    assertThat(received)
        .extracting(Notification::kind)
        .containsExactlyInAnyOrder(Notification.Kind.REVIEW_REQUESTED, Notification.Kind.DECIDED);
    Notification requested =
        received.stream()
            .filter(n -> n.kind() == Notification.Kind.REVIEW_REQUESTED)
            .findFirst()
            .orElseThrow();
    assertThat(requested.id()).isEqualTo(review.id() + ":review_requested");
    assertThat(requested.recipients()).contains(Recipient.reviewer("bo"), Recipient.reviewer("cy"));
    assertThat(requested.provenance().contentHash()).isEqualTo(review.hash());
    assertThat(requested.surfaces().text()).contains("Your invoice");
    assertThat(records)
        .extracting(DeliveryRecord::outcome)
        .containsSubsequence(
            DeliveryRecord.Outcome.RETRYING,
            DeliveryRecord.Outcome.RETRYING,
            DeliveryRecord.Outcome.DELIVERED);
    assertThat(b.reviews().runDue()).as("delivered rows are gone").isZero();
  }

  @Test
  void aSlowNotifierHoldsADeliveryThreadNeverADecision() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Notifier slow =
        n -> {
          entered.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          received.add(n);
        };
    ExecutorService delivery = Executors.newSingleThreadExecutor();
    try {
      ReviewHarness.Node node = world.node("a", with(slow).deliveryExecutor(delivery));
      Session session = node.start("Invoice 21");
      ReviewState review = node.pending(session);
      node.reviews().runDue();
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      ReviewOutcome outcome =
          node.reviews().decide(review.id(), review.hash(), "t-bo", Decision.approve());

      assertThat(outcome.status()).isEqualTo(ReviewStatus.APPROVED);
      assertThat(release.getCount()).as("the notifier is still blocked").isEqualTo(1);
      assertThat(received).isEmpty();
      release.countDown();
    } finally {
      delivery.shutdown();
      assertThat(delivery.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(received)
        .extracting(Notification::kind)
        .containsExactly(Notification.Kind.REVIEW_REQUESTED);
  }
}
