package dev.agentmesh.triggers;

/**
 * What a trigger does when an occurrence comes due while the session it started for the previous
 * occurrence is still running. A value only for now: the runtime that applies it comes with session
 * creation (see docs/triggers.md).
 *
 * <pre>{@code
 * OverlapPolicy policy = OverlapPolicy.QUEUE_ONE;
 * }</pre>
 */
public enum OverlapPolicy {

  /** Drop the new occurrence; it is recorded as skipped. The default. */
  SKIP,

  /** Keep at most one waiting occurrence and start it when the running one ends; drop the rest. */
  QUEUE_ONE,

  /** Start every occurrence, whether or not earlier ones are still running. */
  CONCURRENT
}
