package dev.agentmesh.triggers;

import java.time.Instant;
import java.util.Objects;

/**
 * One occurrence of a scheduled trigger: what a {@link TriggerInput} builds a session's input from.
 *
 * <pre>{@code
 * TriggerInput input = occurrence -> Map.of("day", occurrence.scheduledAt().toString());
 * }</pre>
 *
 * @param triggerId the trigger's id
 * @param scheduledAt the instant the schedule says (before jitter); with the id, the occurrence's
 *     identity
 */
public record Occurrence(String triggerId, Instant scheduledAt) {

  /**
   * Checks the fields.
   *
   * @param triggerId as described on the record
   * @param scheduledAt as described on the record
   */
  public Occurrence {
    Objects.requireNonNull(triggerId, "triggerId");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
  }
}
