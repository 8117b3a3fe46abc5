package dev.agentmesh.review;

import java.util.Objects;

/**
 * The target of an approved artifact refused it: the record changed since the agent read it, the
 * recipient no longer exists. Thrown by a {@link PublishHandler}; the effect is recorded as failed
 * ({@code review.effect-failed}) with this message and is never retried.
 *
 * <pre>{@code
 * if (!contacts.updateIf(change.recordId(), change.versionRead(), fields)) {
 *   throw PublishRefusedException.recordChanged(change, contacts.version(change.recordId()));
 * }
 * }</pre>
 */
public final class PublishRefusedException extends ReviewException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the refusal.
   *
   * @param message what was refused and why
   */
  public PublishRefusedException(String message) {
    super(message);
  }

  /**
   * The record moved on since the agent read it: nothing was written.
   *
   * @param change the approved change
   * @param currentVersion the record's version now
   * @return the refusal
   */
  public static PublishRefusedException recordChanged(RecordChange change, String currentVersion) {
    Objects.requireNonNull(change, "change");
    return new PublishRefusedException(
        change.system()
            + " "
            + change.recordType()
            + " '"
            + change.recordId()
            + "' changed since the agent read it (version read '"
            + change.versionRead()
            + "', now '"
            + currentVersion
            + "'); nothing was written. Ask the agent for a new proposal against the current "
            + "record");
  }
}
