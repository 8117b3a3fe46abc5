package dev.agentmesh.triggers;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The next two occurrences of a schedule after a watermark, cached between ticks so a tick with
 * nothing due computes no schedule and a tick with one due per trigger needs no search; the second
 * is computed when first asked. Not thread-safe (ticks hold a lock).
 */
final class Upcoming {

  private static final Instant UNKNOWN = Instant.MIN;

  private final Instant after;
  private final @Nullable Instant first;
  private @Nullable Instant second;

  private Upcoming(Instant after, @Nullable Instant first, @Nullable Instant second) {
    this.after = after;
    this.first = first;
    this.second = second;
  }

  static Upcoming after(Schedule schedule, Instant after) {
    return new Upcoming(after, schedule.nextAfter(after), UNKNOWN);
  }

  /** The watermark these were computed after. */
  Instant after() {
    return after;
  }

  @Nullable Instant first() {
    return first;
  }

  @Nullable Instant second(Schedule schedule) {
    if (second == UNKNOWN) {
      second = first == null ? null : schedule.nextAfter(first);
    }
    return second;
  }

  /** The same, one occurrence on: after {@code first}. */
  Upcoming movedOn() {
    if (first == null || second == UNKNOWN) {
      throw new IllegalStateException("moved on before the second occurrence was known");
    }
    return new Upcoming(first, second, UNKNOWN);
  }
}
