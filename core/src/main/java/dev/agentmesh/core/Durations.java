package dev.agentmesh.core;

import java.time.Duration;

/**
 * Reads and writes the duration spelling of spec files: {@code 250ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, or ISO-8601 (one implementation, {@link dev.agentmesh.core.internal.spec.Durations},
 * shared with trigger files).
 */
final class Durations {

  private Durations() {}

  /**
   * Parses {@code 30s} or {@code PT30S}; throws {@link IllegalArgumentException} naming the forms.
   */
  static Duration parse(String text) {
    return dev.agentmesh.core.internal.spec.Durations.parse(text);
  }

  /** The shortest exact spelling: {@code 2h}, {@code 5m}, {@code 30s}, {@code 250ms}. */
  static String format(Duration d) {
    return dev.agentmesh.core.internal.spec.Durations.format(d);
  }
}
