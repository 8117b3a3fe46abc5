package dev.agentmesh.sessions.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SessionStore#createAll} did with one item of a {@link CreateBatch}: created its
 * session, or skipped it because one of its inserted keys was taken (then nothing of the item was
 * stored).
 *
 * <pre>{@code
 * for (CreateOutcome o : store.createAll(batch)) {
 *   if (!o.created()) {
 *     log.info("{} was taken by session {}", o.takenKey(), o.takenBy());
 *   }
 * }
 * }</pre>
 *
 * @param sessionId the session the item would create
 * @param created whether it was created
 * @param takenNamespace for a skipped item, the namespace of the taken key
 * @param takenKey for a skipped item, the taken key
 * @param takenBy for a skipped item, the session id of the row holding the key, if it has one
 */
public record CreateOutcome(
    String sessionId,
    boolean created,
    @Nullable String takenNamespace,
    @Nullable String takenKey,
    @Nullable String takenBy) {

  /**
   * Checks the fields.
   *
   * @param sessionId as described on the record
   * @param created as described on the record
   * @param takenNamespace as described on the record
   * @param takenKey as described on the record
   * @param takenBy as described on the record
   */
  public CreateOutcome {
    Objects.requireNonNull(sessionId, "sessionId");
    if (!created) {
      Objects.requireNonNull(takenNamespace, "takenNamespace");
      Objects.requireNonNull(takenKey, "takenKey");
    }
  }

  /**
   * The session was created.
   *
   * @param sessionId its id
   * @return the outcome
   */
  public static CreateOutcome created(String sessionId) {
    return new CreateOutcome(sessionId, true, null, null, null);
  }

  /**
   * The item was skipped: a key it inserts was taken.
   *
   * @param sessionId the session it would have created
   * @param taken the conflict on the taken key
   * @return the outcome
   */
  public static CreateOutcome skipped(String sessionId, RowConflictException taken) {
    return new CreateOutcome(
        sessionId, false, taken.namespace(), taken.key(), taken.existingSessionId());
  }

  /**
   * The item was skipped: {@code namespace}/{@code key} was taken by a row of {@code takenBy}.
   *
   * @param sessionId the session it would have created
   * @param namespace the taken key's namespace
   * @param key the taken key
   * @param takenBy the session of the row holding it, if any
   * @return the outcome
   */
  public static CreateOutcome skipped(
      String sessionId, String namespace, String key, @Nullable String takenBy) {
    return new CreateOutcome(sessionId, false, namespace, key, takenBy);
  }
}
