package dev.agentmesh.triggers;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What was decided for one occurrence, by which node and under which version of the trigger: the
 * unique claim row {@code (trigger id, scheduled instant)}, read back with {@link Triggers#claims}.
 * During a rolling deploy, {@link #fingerprint()} tells which definition fired an occurrence.
 *
 * <pre>{@code
 * for (TriggerClaim c : triggers.claims("daily", from, to)) {
 *   log.info("{} {} by {} (definition {})", c.scheduledAt(), c.outcome(), c.node(), c.fingerprint());
 * }
 * }</pre>
 *
 * @param triggerId the trigger
 * @param scheduledAt the occurrence's scheduled instant
 * @param outcome what was decided
 * @param fingerprint the {@link TriggerDefinition#fingerprint()} of the definition that decided
 * @param node the node that decided ({@code Sessions.nodeId()})
 * @param claimedAt when, by that node's clock
 * @param sessionId for {@code STARTED}, the session started; for {@code SKIPPED} and {@code
 *     QUEUED}, the previous session that was still running; null if none
 */
public record TriggerClaim(
    String triggerId,
    Instant scheduledAt,
    Outcome outcome,
    String fingerprint,
    String node,
    Instant claimedAt,
    @Nullable String sessionId) {

  /**
   * Checks the fields.
   *
   * @param triggerId as described on the record
   * @param scheduledAt as described on the record
   * @param outcome as described on the record
   * @param fingerprint as described on the record
   * @param node as described on the record
   * @param claimedAt as described on the record
   * @param sessionId as described on the record
   */
  public TriggerClaim {
    Objects.requireNonNull(triggerId, "triggerId");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(claimedAt, "claimedAt");
  }

  /** What a node decided for an occurrence. */
  public enum Outcome {
    /** A session was started for it, in the same transaction as this claim. */
    STARTED,
    /** Not fired: the previous session was still running ({@link OverlapPolicy#SKIP}). */
    SKIPPED,
    /**
     * Kept to start once the previous session finishes ({@link OverlapPolicy#QUEUE_ONE}); its
     * session is created once, under the idempotency key {@code triggers.queue:<claim key>}.
     */
    QUEUED
  }
}
