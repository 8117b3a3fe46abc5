package dev.agentmesh.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told, for tests of timeouts, leases and schedules.
 *
 * <pre>{@code
 * FakeClock clock = FakeClock.at(Instant.parse("2026-01-05T09:00:00Z"));
 * Mesh mesh = Mesh.builder().clock(clock)...build();
 * clock.advance(Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FakeClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * A clock standing at this instant, in UTC.
   *
   * @param instant where it stands
   * @return the clock
   */
  public static FakeClock at(Instant instant) {
    return new FakeClock(
        new AtomicReference<>(Objects.requireNonNull(instant, "instant")), ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward (or back, with a negative duration); returns the new time.
   *
   * @param duration how far to move it
   * @return the new time
   */
  public Instant advance(Duration duration) {
    return now.updateAndGet(t -> t.plus(duration));
  }

  /**
   * Sets the clock.
   *
   * @param instant the new time
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  @SuppressWarnings(
      "NullAway") // now holds only non-null instants; NullAway models get() as @Nullable
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same moving time, seen in another zone. */
  @Override
  public Clock withZone(ZoneId zone) {
    return new FakeClock(now, zone);
  }
}
