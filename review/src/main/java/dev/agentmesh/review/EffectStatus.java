package dev.agentmesh.review;

/**
 * What became of an approved artifact's effect (a publish handler, or the gated tool call), as the
 * session's log records it.
 *
 * <pre>{@code
 * if (reviews.review(id).effect() == EffectStatus.UNKNOWN) {
 *   // it started and its end was never recorded: check the target system by hand
 * }
 * }</pre>
 */
public enum EffectStatus {
  /** No effect is owed (not approved, or no handler for the type). */
  NONE,
  /** Approved; the effect has not started yet. */
  DUE,
  /** Started ({@code review.effect-started}); its end is not recorded yet. */
  STARTED,
  /** The handler returned ({@code review.effect-applied}). */
  APPLIED,
  /** The handler threw or refused, such as a changed record ({@code review.effect-failed}). */
  FAILED,
  /**
   * It started and its end was never recorded (a crash mid-effect) and its handler does not honour
   * the idempotency key, so it is not repeated ({@code review.effect-unknown}): a person checks.
   */
  UNKNOWN;

  /** {@return whether nothing more will happen to the effect} */
  public boolean isSettled() {
    return this == NONE || this == APPLIED || this == FAILED || this == UNKNOWN;
  }
}
