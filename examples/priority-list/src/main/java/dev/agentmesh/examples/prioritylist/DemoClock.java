package dev.agentmesh.examples.prioritylist;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A clock the demo sets by hand, so the 9:00 occurrence fires at once instead of tomorrow morning.
 * It drives the triggers runtime, the webhook verifier and the tools' "today"; the sessions keep
 * the real clock. Thread-safe.
 *
 * <pre>{@code
 * DemoClock clock = DemoClock.at(Instant.parse("2026-11-30T07:59:00Z"));
 * clock.set(nine);
 * }</pre>
 */
public final class DemoClock extends Clock {

  private volatile Instant now;
  private final ZoneId zone;

  private DemoClock(Instant now, ZoneId zone) {
    this.now = Objects.requireNonNull(now, "now");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /**
   * A clock standing at {@code now}.
   *
   * @param now the instant it shows until set
   * @return the clock
   */
  public static DemoClock at(Instant now) {
    return new DemoClock(now, ZoneId.of("UTC"));
  }

  /**
   * Moves the clock.
   *
   * @param instant the instant it shows from now on
   */
  public void set(Instant instant) {
    this.now = Objects.requireNonNull(instant, "instant");
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new DemoClock(now, zone);
  }
}
