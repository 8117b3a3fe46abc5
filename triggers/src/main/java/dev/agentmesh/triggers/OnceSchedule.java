package dev.agentmesh.triggers;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Fires once, at {@code at}; see {@link Schedule#once}. */
record OnceSchedule(Instant at) implements Schedule {

  OnceSchedule {
    Objects.requireNonNull(at, "at");
  }

  @Override
  public @Nullable Instant nextAfter(Instant t) {
    return at.isAfter(t) ? at : null;
  }

  @Override
  public String describe() {
    return "once at " + at;
  }
}
