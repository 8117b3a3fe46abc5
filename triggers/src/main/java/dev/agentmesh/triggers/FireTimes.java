package dev.agentmesh.triggers;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Next fire times of cron schedules, remembered per (schedule, instant): triggers that share a
 * schedule (10,000 triggers on {@code "0 9 * * *"} in one zone) cost one cron search per occurrence
 * instead of one each. Interval and one-shot schedules are cheap and not remembered. Bounded
 * (cleared when full); not thread-safe ({@link Triggers} holds its tick lock).
 */
final class FireTimes {

  private static final int MAX_ENTRIES = 4096;

  private record Key(Schedule schedule, Instant after) {}

  private final Map<Key, Optional<Instant>> memo = new HashMap<>();

  /** {@code schedule.nextAfter(after)}, remembered for cron schedules. */
  @Nullable Instant nextAfter(Schedule schedule, Instant after) {
    if (!(schedule instanceof CronSchedule)) {
      return schedule.nextAfter(after);
    }
    Key key = new Key(schedule, after);
    Optional<Instant> known = memo.get(key);
    if (known == null) {
      if (memo.size() >= MAX_ENTRIES) {
        memo.clear();
      }
      known = Optional.ofNullable(schedule.nextAfter(after));
      memo.put(key, known);
    }
    return known.orElse(null);
  }

  /** A view of {@code schedule} whose {@code nextAfter} goes through this memo. */
  Schedule of(Schedule schedule) {
    return new Schedule() {
      @Override
      public @Nullable Instant nextAfter(Instant t) {
        return FireTimes.this.nextAfter(schedule, t);
      }

      @Override
      public String describe() {
        return schedule.describe();
      }
    };
  }
}
