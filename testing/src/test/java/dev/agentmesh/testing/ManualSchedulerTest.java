package dev.agentmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  private final FakeClock clock = FakeClock.at(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<String> ran = new ArrayList<>();

  private Runnable record(String name) {
    return () -> ran.add(name + "@" + Duration.between(T0, clock.instant()).toSeconds());
  }

  @Test
  void nothingRunsUntilTheTestDrivesIt() {
    scheduler.execute(record("now"));
    scheduler.schedule(record("later"), 5, TimeUnit.SECONDS);

    assertThat(ran).isEmpty();
    assertThat(scheduler.pending()).isEqualTo(2);
    assertThat(scheduler.runDue()).isEqualTo(1);
    assertThat(ran).containsExactly("now@0");
  }

  @Test
  void advanceRunsEachTaskAtItsOwnDueTimeInDueOrder() {
    scheduler.schedule(record("b"), 20, TimeUnit.SECONDS);
    scheduler.schedule(record("a"), 10, TimeUnit.SECONDS);
    scheduler.schedule(record("c"), 20, TimeUnit.SECONDS);
    scheduler.schedule(record("too-late"), 31, TimeUnit.SECONDS);

    assertThat(scheduler.advance(Duration.ofSeconds(30))).isEqualTo(3);

    assertThat(ran).containsExactly("a@10", "b@20", "c@20");
    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(30));
    assertThat(scheduler.pending()).isEqualTo(1);
  }

  @Test
  void aTaskScheduledByARunningTaskRunsInTheSameAdvanceWhenItIsDueByThen() {
    scheduler.schedule(
        () -> {
          ran.add("first");
          scheduler.schedule(record("second"), 5, TimeUnit.SECONDS);
        },
        5,
        TimeUnit.SECONDS);

    scheduler.advance(Duration.ofSeconds(10));

    assertThat(ran).containsExactly("first", "second@10");
  }

  @Test
  void movingTheSharedClockMakesTasksDue() {
    scheduler.schedule(record("t"), 1, TimeUnit.MINUTES);
    clock.advance(Duration.ofMinutes(1));

    assertThat(scheduler.runDue()).isEqualTo(1);
    assertThat(ran).containsExactly("t@60");
  }

  @Test
  void fixedRateTasksAreDueAPeriodAfterTheirLastDueTimeAndFixedDelayAfterTheirRun() {
    scheduler.scheduleAtFixedRate(record("rate"), 10, 10, TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(
        () -> {
          ran.add("delay@" + Duration.between(T0, clock.instant()).toSeconds());
          clock.advance(Duration.ofSeconds(1)); // a run that takes a second
        },
        15,
        10,
        TimeUnit.SECONDS);

    scheduler.advance(Duration.ofSeconds(40));

    assertThat(ran)
        .containsExactly(
            "rate@10", "delay@15", "rate@20", "delay@26", "rate@30", "delay@37", "rate@40");
  }

  @Test
  void runAllRunsEveryTaskOnceWhateverItsDelayAndKeepsPeriodicOnes() {
    scheduler.schedule(record("once"), 1, TimeUnit.HOURS);
    scheduler.scheduleWithFixedDelay(record("renew"), 10, 10, TimeUnit.SECONDS);

    assertThat(scheduler.runAll()).isEqualTo(2);
    assertThat(scheduler.runAll()).isEqualTo(1);

    assertThat(ran).containsExactly("renew@0", "once@0", "renew@0"); // in due order
    assertThat(clock.instant()).isEqualTo(T0);
  }

  @Test
  void aCancelledTaskDoesNotRunUnlessTheTestSaysItWasAlreadyInFlight() {
    ScheduledFuture<?> renewal =
        scheduler.scheduleAtFixedRate(record("renew"), 1, 1, TimeUnit.SECONDS);
    renewal.cancel(false);

    assertThat(scheduler.pending()).isZero();
    assertThat(scheduler.advance(Duration.ofSeconds(5))).isZero();

    ScheduledFuture<?> other = scheduler.schedule(record("late"), 1, TimeUnit.SECONDS);
    other.cancel(false);
    assertThat(scheduler.runAllIncludingCancelled()).isEqualTo(1);
    assertThat(ran).containsExactly("late@5");
    assertThat(scheduler.runAllIncludingCancelled()).isZero();
  }

  @Test
  void aCallablesResultAndWhatATaskThrowsLandInItsFuture() throws Exception {
    ScheduledFuture<String> answer = scheduler.schedule(() -> "42", 1, TimeUnit.SECONDS);
    ScheduledFuture<?> failing =
        scheduler.schedule(
            () -> {
              throw new IllegalStateException("boom");
            },
            1,
            TimeUnit.SECONDS);

    assertThat(answer.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(1000);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(answer.get()).isEqualTo("42");
    assertThatThrownBy(failing::get)
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("boom");
  }

  @Test
  void aPeriodicTaskThatThrowsRunsNoMore() {
    int[] runs = {0};
    ScheduledFuture<?> task =
        scheduler.scheduleAtFixedRate(
            () -> {
              runs[0]++;
              throw new IllegalStateException("boom");
            },
            1,
            1,
            TimeUnit.SECONDS);

    scheduler.advance(Duration.ofSeconds(5));

    assertThat(runs[0]).isEqualTo(1);
    assertThat(task.isDone()).isTrue();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void shutdownRefusesNewTasksCancelsPeriodicOnesAndStillRunsOneShotOnes() {
    ScheduledFuture<?> periodic =
        scheduler.scheduleAtFixedRate(record("p"), 1, 1, TimeUnit.SECONDS);
    scheduler.schedule(record("once"), 1, TimeUnit.SECONDS);

    scheduler.shutdown();

    assertThat(periodic.isCancelled()).isTrue();
    assertThat(scheduler.isTerminated()).isFalse();
    assertThatThrownBy(() -> scheduler.execute(record("x")))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("ManualScheduler was shut down");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("once@1");
    assertThat(scheduler.isTerminated()).isTrue();
    assertThat(scheduler.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shutdownNowReturnsTheTasksThatNeverRan() {
    scheduler.schedule(record("a"), 1, TimeUnit.SECONDS);
    scheduler.schedule(record("b"), 2, TimeUnit.SECONDS);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(scheduler.shutdownNow()).hasSize(1);
    assertThat(scheduler.pending()).isZero();
    assertThat(scheduler.isTerminated()).isTrue();
  }

  @Test
  void scheduledAtListsEveryDueTimeInSchedulingOrder() {
    scheduler.schedule(record("b"), 20, TimeUnit.SECONDS);
    scheduler.scheduleAtFixedRate(record("r"), 5, 10, TimeUnit.SECONDS);
    scheduler.advance(Duration.ofSeconds(6));

    assertThat(scheduler.scheduledAt())
        .containsExactly(T0.plusSeconds(20), T0.plusSeconds(5), T0.plusSeconds(15));
  }

  @Test
  void advanceRefusesANegativeDurationAndSaysHowToMoveTimeBack() {
    assertThatThrownBy(() -> scheduler.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "advance takes zero or more but was PT-1S; to move time back, set the clock:"
                + " clock().set(instant)");
  }

  @Test
  void theDefaultSchedulerHasAClockOfItsOwn() {
    ManualScheduler own = new ManualScheduler();

    assertThat(own.clock().instant()).isEqualTo(ManualScheduler.DEFAULT_START);
    assertThat(own).hasToString("ManualScheduler[at 2026-01-05T09:00:00Z, 0 pending]");
  }
}
