package dev.agentmesh.sessions.spi;

import dev.agentmesh.core.AgentMeshException;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Append} fenced by a {@link Lease} was refused because the lease has passed to another
 * holder since (the session's lease epoch is no longer the append's). Nothing was stored. The
 * caller was overtaken: it must stop driving the session and must not retry, since its successor
 * continues from the log. Unlike {@link VersionConflictException}, reloading and deciding again
 * does not help.
 *
 * <pre>{@code
 * try {
 *   store.append(Append.of(id, version, events, summary).fencedBy(lease));
 * } catch (LeaseLostException overtaken) {
 *   return; // overtaken.currentOwner() drives the session now
 * }
 * }</pre>
 */
public final class LeaseLostException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** The session of the refused append. */
  private final String sessionId;

  /** The epoch the refused append carried. */
  private final long epoch;

  /** The session's lease epoch when the append was refused. */
  private final long currentEpoch;

  /** Who held the lease when the append was refused, or null. */
  private final @Nullable String currentOwner;

  /**
   * An append under a lease the caller no longer holds was refused; nothing was stored.
   *
   * @param sessionId the session of the refused append
   * @param owner the node that appended
   * @param epoch the epoch the append carried
   * @param currentEpoch the session's lease epoch now
   * @param currentOwner who holds the lease now, or null when nobody does
   */
  public LeaseLostException(
      String sessionId,
      String owner,
      long epoch,
      long currentEpoch,
      @Nullable String currentOwner) {
    super(
        "Node '"
            + owner
            + "' appended to session '"
            + sessionId
            + "' under lease epoch "
            + epoch
            + " but the lease has passed to "
            + (currentOwner == null ? "no holder" : "'" + currentOwner + "'")
            + " (epoch "
            + currentEpoch
            + "); nothing was stored. Stop driving the session: its "
            + "current driver continues it from the log");
    this.sessionId = sessionId;
    this.epoch = epoch;
    this.currentEpoch = currentEpoch;
    this.currentOwner = currentOwner;
  }

  /**
   * The session of the refused append.
   *
   * @return the session's id
   */
  public String sessionId() {
    return sessionId;
  }

  /**
   * The epoch the refused append carried.
   *
   * @return the refused epoch
   */
  public long epoch() {
    return epoch;
  }

  /**
   * The session's lease epoch when the append was refused.
   *
   * @return the current epoch
   */
  public long currentEpoch() {
    return currentEpoch;
  }

  /**
   * Who held the lease when the append was refused, or null when nobody did.
   *
   * @return the current holder, or null
   */
  public @Nullable String currentOwner() {
    return currentOwner;
  }
}
