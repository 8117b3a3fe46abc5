package dev.agentmesh.triggers;

import java.time.Instant;

/**
 * What one {@link Triggers#tick()} did on this node.
 *
 * <pre>{@code
 * TickReport report = triggers.tick();
 * assert report.started() == 1;
 * }</pre>
 *
 * @param at the instant of the tick, from the injected clock
 * @param started occurrences this node claimed and started a session for
 * @param skipped occurrences this node claimed as skipped (the previous session still ran)
 * @param queued occurrences this node claimed as queued, or queued ones it started now
 * @param taken occurrences this node found already claimed by another node (or an earlier tick)
 */
public record TickReport(Instant at, int started, int skipped, int queued, int taken) {

  /**
   * Whether this tick claimed anything.
   *
   * @return true if it started, skipped or queued an occurrence
   */
  public boolean claimedAny() {
    return started + skipped + queued > 0;
  }
}
