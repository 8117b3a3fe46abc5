package dev.agentmesh.triggers;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Every {@code period} from {@code anchor}; see {@link Schedule#every}. */
record IntervalSchedule(Duration period, Instant anchor) implements Schedule {

  IntervalSchedule {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(anchor, "anchor");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive but was " + period);
    }
  }

  @Override
  public Instant nextAfter(Instant t) {
    if (t.isBefore(anchor)) {
      return anchor;
    }
    long periods = Duration.between(anchor, t).dividedBy(period) + 1;
    return anchor.plus(period.multipliedBy(periods));
  }

  @Override
  public String describe() {
    return "every " + period + " from " + anchor;
  }
}
