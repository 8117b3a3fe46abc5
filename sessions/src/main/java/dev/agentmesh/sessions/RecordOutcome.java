package dev.agentmesh.sessions;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Sessions#recordAll} did in one session: the state after its append (the current state
 * when nothing was recorded), or the exception that stopped it (then nothing was appended to it).
 *
 * <pre>{@code
 * for (RecordOutcome o : sessions.recordAll(ids, decide)) {
 *   if (o.failure() != null) {
 *     log.warn("session {}: {}", o.sessionId(), o.failure().getMessage());
 *   }
 * }
 * }</pre>
 *
 * @param sessionId the session
 * @param state the state after the append, or null when it failed
 * @param failure what the decision threw, or the store's refusal; null when it succeeded
 */
public record RecordOutcome(
    String sessionId, @Nullable SessionState state, @Nullable RuntimeException failure) {

  /**
   * Checks that exactly one of {@code state} and {@code failure} is given.
   *
   * @param sessionId as described on the record
   * @param state as described on the record
   * @param failure as described on the record
   */
  public RecordOutcome {
    Objects.requireNonNull(sessionId, "sessionId");
    if ((state == null) == (failure == null)) {
      throw new IllegalArgumentException("Give either the state or the failure of " + sessionId);
    }
  }
}
