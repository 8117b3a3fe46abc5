package dev.agentmesh.review;

/**
 * Where a review stands, folded from its session's {@code review.*} events.
 *
 * <pre>{@code
 * if (reviews.review(id).status() == ReviewStatus.PENDING) { ... }
 * }</pre>
 */
public enum ReviewStatus {
  /** Waiting for decisions (also after approvals that do not yet make the quorum). */
  PENDING,
  /** Approved (by people making the quorum, or by policy below the risk tier). */
  APPROVED,
  /** Rejected with a reason (or by its expiry with {@code onExpiry: REJECT}). */
  REJECTED,
  /** Changes were requested; the producing agent runs again and its next proposal supersedes it. */
  CHANGES_REQUESTED,
  /** A newer proposal of the same agent replaced it; it can no longer be decided. */
  SUPERSEDED,
  /** Not decided in time, with {@code onExpiry: REJECT} or {@code ESCALATE}'s target gone. */
  EXPIRED;

  /** {@return whether decisions are still taken} */
  public boolean isOpen() {
    return this == PENDING;
  }
}
