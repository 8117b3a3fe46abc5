package dev.agentmesh.triggers;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link CatchUpPolicy} decided at one moment: the occurrences to fire, oldest first, and
 * the watermark to record as handled, so that the occurrences it dropped are not looked at again.
 *
 * <pre>{@code
 * DueOccurrences due = CatchUpPolicy.latest().due(schedule, lastHandled, clock.instant());
 * due.fire().forEach(this::start);
 * if (due.watermark() != null) lastHandled = due.watermark();
 * }</pre>
 *
 * @param fire the scheduled instants to fire now, strictly increasing
 * @param watermark the latest occurrence at or before {@code now}, fired or dropped; null when
 *     nothing was due
 */
public record DueOccurrences(List<Instant> fire, @Nullable Instant watermark) {

  /**
   * Copies the instants.
   *
   * @param fire the scheduled instants to fire now, strictly increasing
   * @param watermark the latest occurrence at or before {@code now}, fired or dropped; null when
   *     nothing was due
   */
  public DueOccurrences {
    fire = List.copyOf(fire);
  }

  static DueOccurrences none() {
    return new DueOccurrences(List.of(), null);
  }

  static DueOccurrences of(List<Instant> fire, @Nullable Instant watermark) {
    return new DueOccurrences(
        fire, watermark == null && !fire.isEmpty() ? fire.get(fire.size() - 1) : watermark);
  }

  /** {@return true when nothing is to be fired} */
  public boolean isEmpty() {
    return fire.isEmpty();
  }
}
