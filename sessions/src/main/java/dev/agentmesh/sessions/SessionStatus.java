package dev.agentmesh.sessions;

import java.util.Locale;

/**
 * Where a session stands, derived from its log. Only {@link #RUNNING} sessions have work for a
 * driver; the others are {@link #isIdle() idle}: {@link #isFinished() finished} (completed, failed,
 * cancelled), or waiting for something outside (a message, an input, a human).
 *
 * <pre>{@code
 * SessionPage waiting = sessions.query(
 *     SessionQuery.builder().status(SessionStatus.WAITING.id()).build());
 * }</pre>
 */
public enum SessionStatus {
  /** A turn is running or due. */
  RUNNING,
  /** Waiting for a named input, or for a human to say what an unknown tool call did. */
  WAITING,
  /** Paused by a participant; resumes on request. */
  PAUSED,
  /** The last turn produced output; a new message starts another turn. */
  COMPLETED,
  /** The last turn failed; a new message starts another turn. */
  FAILED,
  /** Cancelled; final. */
  CANCELLED;

  private final String id = name().toLowerCase(Locale.ROOT);

  /**
   * The lower-case name stores index, such as {@code "waiting"}.
   *
   * @return the status's stored name
   */
  public String id() {
    return id;
  }

  /**
   * Whether the session's last turn is over and nothing waits on it: completed, failed or
   * cancelled. {@link Session#awaitFinished} waits for this.
   *
   * @return true for completed, failed and cancelled
   */
  public boolean isFinished() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /**
   * Whether nothing runs now: finished, waiting for something outside, or paused; only {@link
   * #RUNNING} is not idle. {@link Session#awaitIdle} waits for this.
   *
   * @return true for every status but running
   */
  public boolean isIdle() {
    return this != RUNNING;
  }
}
