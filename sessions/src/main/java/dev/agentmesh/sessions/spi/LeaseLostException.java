package dev.agentmesh.sessions.spi;

import dev.agentmesh.core.AgentMeshException;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Append} fenced by a {@link Lease} was refused because the lease has passed to
 * another holder since (the session's lease epoch is no longer the append's). Nothing was
 * stored. The caller was overtaken: it must stop driving the session and must not retry, since
 * its successor continues from the log. Unlike {@link VersionConflictException}, reloading and
 * deciding again does not help.
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

  private final String sessionId;
  private final long epoch;
  private final long currentEpoch;
  private final @Nullable String currentOwner;

  public LeaseLostException(String sessionId, String owner, long epoch, long currentEpoch,
      @Nullable String currentOwner) {
    super("Node '" + owner + "' appended to session '" + sessionId + "' under lease epoch " + epoch
        + " but the lease has passed to " + (currentOwner == null ? "no holder" : "'" + currentOwner + "'")
        + " (epoch " + currentEpoch + "); nothing was stored. Stop driving the session: its "
        + "current driver continues it from the log");
    this.sessionId = sessionId;
    this.epoch = epoch;
    this.currentEpoch = currentEpoch;
    this.currentOwner = currentOwner;
  }

  public String sessionId() {
    return sessionId;
  }

  /** The epoch the refused append carried. */
  public long epoch() {
    return epoch;
  }

  /** The session's lease epoch when the append was refused. */
  public long currentEpoch() {
    return currentEpoch;
  }

  /** Who held the lease when the append was refused, or null when nobody did. */
  public @Nullable String currentOwner() {
    return currentOwner;
  }
}
