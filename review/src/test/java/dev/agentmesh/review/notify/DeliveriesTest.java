package dev.agentmesh.review.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.review.notify.DeliveryRecord.Outcome;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class DeliveriesTest {

  static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

  /** nextDouble() == 0: the jittered delay is the lower half-point of each backoff step. */
  static final RandomGenerator NO_JITTER = () -> 0L;

  final ManualScheduler manual = new ManualScheduler(FakeClock.at(START));
  final DeliveryScheduler scheduler = InProcessDeliveryScheduler.of(manual.clock(), manual);
  final List<DeliveryRecord> records = new ArrayList<>();
  final Notification notification =
      Notification.builder(Notification.Kind.DECIDED, "d-1").title("Decided").build();

  Deliveries deliveries(Notifier notifier, DeliveryRetryPolicy policy) {
    return Deliveries.builder(scheduler)
        .notifier("channel", notifier)
        .retryPolicy(policy)
        .random(NO_JITTER)
        .listener(records::add)
        .build();
  }

  @Test
  void deliverReturnsBeforeAnyNotifierRuns() {
    AtomicInteger calls = new AtomicInteger();
    deliveries(n -> calls.incrementAndGet(), DeliveryRetryPolicy.DEFAULT).deliver(notification);

    assertThat(calls).hasValue(0);
    assertThat(manual.pending()).isEqualTo(1);
    manual.runDue();
    assertThat(calls).hasValue(1);
    assertThat(records).extracting(DeliveryRecord::outcome).containsExactly(Outcome.DELIVERED);
  }

  @Test
  void aFailingNotifierNeverFailsTheCallerAndIsRetriedWithExponentialBackoffUntilItGivesUp() {
    AtomicInteger calls = new AtomicInteger();
    Notifier failing =
        n -> {
          calls.incrementAndGet();
          throw new IllegalStateException("receiver down");
        };
    deliveries(failing, new DeliveryRetryPolicy(4, Duration.ofSeconds(10), Duration.ofSeconds(30)))
        .deliver(notification);

    manual.advance(Duration.ofHours(1));

    assertThat(calls).hasValue(4);
    assertThat(records).extracting(DeliveryRecord::attempt).containsExactly(1, 2, 3, 4);
    assertThat(records)
        .extracting(DeliveryRecord::outcome)
        .containsExactly(Outcome.RETRYING, Outcome.RETRYING, Outcome.RETRYING, Outcome.GAVE_UP);
    // 10 s, 20 s, 30 s (capped), each halved by "no jitter" to the lower end: 5, 10, 15 s.
    assertThat(records)
        .extracting(DeliveryRecord::at)
        .containsExactly(START, START.plusSeconds(5), START.plusSeconds(15), START.plusSeconds(30));
    assertThat(records.get(0).nextAttempt()).isEqualTo(START.plusSeconds(5));
    assertThat(records.get(3).nextAttempt()).isNull();
    assertThat(records.get(3).error()).isEqualTo("IllegalStateException: receiver down");
    assertThat(manual.pending()).isZero();
  }

  @Test
  void aNotifierThatRecoversIsDeliveredOnTheNextAttempt() {
    AtomicInteger calls = new AtomicInteger();
    Notifier flaky =
        n -> {
          if (calls.incrementAndGet() < 3) {
            throw new NotificationException("503", true);
          }
        };
    deliveries(flaky, DeliveryRetryPolicy.DEFAULT).deliver(notification);

    manual.advance(Duration.ofHours(1));

    assertThat(records)
        .extracting(DeliveryRecord::outcome)
        .containsExactly(Outcome.RETRYING, Outcome.RETRYING, Outcome.DELIVERED);
  }

  @Test
  void aFailureThatCannotBeRetriedGivesUpAtOnce() {
    deliveries(
            n -> {
              throw new NotificationException("recipient refused", false);
            },
            DeliveryRetryPolicy.DEFAULT)
        .deliver(notification);

    manual.advance(Duration.ofHours(1));

    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.GAVE_UP);
              assertThat(r.error()).isEqualTo("NotificationException: recipient refused");
            });
  }

  @Test
  void oneFailingNotifierDoesNotHoldBackTheOthers() {
    List<String> delivered = new ArrayList<>();
    Deliveries both =
        Deliveries.builder(scheduler)
            .notifier(
                "broken",
                n -> {
                  throw new IllegalStateException("down");
                })
            .notifier("working", n -> delivered.add(n.id()))
            .listener(records::add)
            .random(NO_JITTER)
            .build();

    both.deliver(notification);
    manual.runDue();

    assertThat(delivered).containsExactly("d-1");
    assertThat(records)
        .extracting(DeliveryRecord::notifier, DeliveryRecord::outcome)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("broken", Outcome.RETRYING),
            org.assertj.core.groups.Tuple.tuple("working", Outcome.DELIVERED));
  }

  @Test
  void aThrowingListenerIsIgnored() {
    Deliveries d =
        Deliveries.builder(scheduler)
            .notifier("ok", n -> {})
            .listener(
                r -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();

    d.deliver(notification);

    assertThat(manual.runDue()).isEqualTo(1);
  }

  @Test
  void jitterStaysInTheUpperHalfOfEachStepAndTheCapHolds() {
    DeliveryRetryPolicy policy =
        new DeliveryRetryPolicy(10, Duration.ofSeconds(30), Duration.ofMinutes(8));
    RandomGenerator almostOne = () -> -1L; // nextDouble() just under 1

    assertThat(policy.delayAfter(1, NO_JITTER)).contains(Duration.ofSeconds(15));
    assertThat(policy.delayAfter(1, almostOne))
        .hasValueSatisfying(
            d -> assertThat(d).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30)));
    assertThat(policy.delayAfter(9, NO_JITTER)).contains(Duration.ofMinutes(4));
    assertThat(policy.delayAfter(10, NO_JITTER)).isEmpty();
  }

  @Test
  void badSettingsAreRefusedWithTheirNames() {
    assertThatThrownBy(
            () -> new DeliveryRetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessage("maxAttempts must be between 1 and 100 but was 0");
    assertThatThrownBy(() -> Deliveries.builder(scheduler).build())
        .hasMessage("Deliveries needs at least one notifier: call notifier(name, notifier)");
    assertThatThrownBy(
            () -> Deliveries.builder(scheduler).notifier("a", n -> {}).notifier("a", n -> {}))
        .hasMessage("notifier 'a' is already registered; give each a unique name");
  }

  @Test
  void theInProcessSchedulerRunsTasksOffTheCallersThread() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    List<String> threads = new ArrayList<>();
    try (InProcessDeliveryScheduler inProcess =
        InProcessDeliveryScheduler.create(Clock.systemUTC())) {
      Deliveries.builder(inProcess)
          .notifier(
              "t",
              n -> {
                synchronized (threads) {
                  threads.add(Thread.currentThread().getName());
                }
                ran.countDown();
              })
          .build()
          .deliver(notification);
      assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(threads).containsExactly("agentmesh-notify");
  }
}
