package dev.agentmesh.sessions;

/**
 * Where one agent call of a session's drive stands: the turn's one state. A turn starts {@link
 * #RUNNING} and leaves it at most once for a reason to stop recording; a reason that lets the drive
 * go on (the run is over, or must start again) may still give way to one that ends the drive (the
 * store or another node stopped it), and those are final. Every step of the run and of its child
 * runs is recorded only while the turn is {@code RUNNING}.
 *
 * <pre>{@code
 * RUNNING ──> RESTART | STOPPED_BY_STATE | ASKED_HUMAN | SUSPENDED | FAILURE_RECORDED ──> FENCED | LEASE_LOST | STORE_FAILED
 *    └─────────────────────────────────────────────────────────────────────> FENCED | LEASE_LOST | STORE_FAILED
 * }</pre>
 */
enum TurnPhase {

  /** Recording every step before the run takes the next. */
  RUNNING(false),
  /** The session changed between reading its history and the run's start: run again from it. */
  RESTART(false),
  /**
   * The session is no longer runnable (paused, cancelled, waiting) or the runtime closes: the run
   * stopped before its next model call.
   */
  STOPPED_BY_STATE(false),
  /** A fork's run asked a human about calls its parent already applied; the session waits. */
  ASKED_HUMAN(false),
  /**
   * The run asked for calls whose results come from outside ({@link CallGate}): they are recorded
   * as suspended, none of the batch started, and the session waits.
   */
  SUSPENDED(false),
  /** The run failed and its failure (and its unknown outcomes) are in the log. */
  FAILURE_RECORDED(false),
  /** Another driver's run is current, or the call already has an outcome: this run is stale. */
  FENCED(true),
  /** The store refused an append (or a renewal found) that another node holds the lease. */
  LEASE_LOST(true),
  /** An append failed: nothing more is recorded, and the drive stops; a sweep retries. */
  STORE_FAILED(true);

  private final boolean endsDrive;

  TurnPhase(boolean endsDrive) {
    this.endsDrive = endsDrive;
  }

  /** Whether the drive stops with the turn (else it reads the log again and goes on). */
  boolean endsDrive() {
    return endsDrive;
  }

  /** Whether the turn still records its run's steps. */
  boolean recording() {
    return this == RUNNING;
  }

  /**
   * Whether a turn in this phase may move to {@code next}: from {@code RUNNING} to any other phase;
   * from a phase that lets the drive go on only to one that ends it; never from a phase that ends
   * the drive.
   */
  boolean canBecome(TurnPhase next) {
    return next != this && next != RUNNING && (this == RUNNING || !endsDrive && next.endsDrive);
  }

  /** {@return the phase after asking for {@code next}: {@code next} if allowed, else this one} */
  TurnPhase then(TurnPhase next) {
    return canBecome(next) ? next : this;
  }
}
